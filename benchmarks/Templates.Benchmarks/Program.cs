using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Templates.Generation;
using Templates.Generation.Validation;

// dotnet run -c Release --project benchmarks/Templates.Benchmarks [-- --filter '*']
// dotnet run -c Release --project benchmarks/Templates.Benchmarks -- generate DIR [APPS]   (templates for benchmarks/validate-many.sh)
if (args is ["generate", var directory, ..])
{
    var count = GeneratedTemplates.Write(directory, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50);
    Console.WriteLine($"{count} templates in {directory}");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(ValidationBenchmarks).Assembly).Run(args);

/// <summary>
/// Validating the guide's templates in-process (every environment of definitions/FlaskApp.cs), schemas already
/// loaded (they are built once per process, on first use; the whole-process timings in the README include that).
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    List<(JsonObject Json, byte[] Bytes)> templates = [];

    [GlobalSetup]
    public void Setup()
    {
        templates = Emitter.Generate([Definitions.FlaskApp.Definition]).Templates.Select(t => (t.Json, t.Bytes)).ToList();
        foreach (var (json, bytes) in templates) TemplateValidator.Validate(json, bytes.Length); // warm the schemas
    }

    /// <summary>All guide templates (dev, staging, prod), already parsed.</summary>
    [Benchmark(Baseline = true)]
    public int ValidateGuideTemplates()
    {
        var problems = 0;
        foreach (var (json, bytes) in templates) problems += TemplateValidator.Validate(json, bytes.Length).Count;
        return problems;
    }

    /// <summary>All guide templates from their bytes: parse and validate, as the validate command does per file.</summary>
    [Benchmark]
    public int ParseAndValidateGuideTemplates()
    {
        var problems = 0;
        foreach (var (_, bytes) in templates) problems += TemplateValidator.Validate(bytes).Count;
        return problems;
    }

    /// <summary>Emitting the guide's templates, validation included, as <c>dotnet run --project definitions</c> does.</summary>
    [Benchmark]
    public int EmitGuideTemplates() => Emitter.Generate([Definitions.FlaskApp.Definition]).Templates.Count;
}
