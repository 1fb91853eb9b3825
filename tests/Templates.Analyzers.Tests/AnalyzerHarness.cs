extern alias analyzers;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Templates.Analyzers.Tests;

/// <summary>Compiles C# against the DSL in memory and runs every analyzer of the Templates.Analyzers assembly.</summary>
public static class AnalyzerHarness
{
    static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return [.. trusted.Select(p => MetadataReference.CreateFromFile(p)), MetadataReference.CreateFromFile(typeof(App).Assembly.Location)];
    });

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } =
    [
        .. typeof(analyzers::Templates.Analyzers.DefinitionAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!),
    ];

    /// <summary>The analyzers' diagnostics on the source, after checking that it compiles.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string source, bool referenceDsl = true) =>
        (await CompileAsync(source, referenceDsl, emit: false)).Diagnostics;

    /// <summary>The analyzers' diagnostics on the source, and (with <paramref name="emit"/>) the assembly it compiles to.</summary>
    public static async Task<(ImmutableArray<Diagnostic> Diagnostics, byte[]? Assembly)> CompileAsync(string source, bool referenceDsl = true, bool emit = true)
    {
        var compilation = CSharpCompilation.Create("Scratch" + (emit ? Guid.NewGuid().ToString("N") : ""),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "Scratch.cs")],
            referenceDsl ? References.Value : References.Value[..^1],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The source does not compile:\n" + string.Join("\n", errors));
        var withAnalyzers = compilation.WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false));
        var result = await withAnalyzers.GetAllDiagnosticsAsync();
        var failures = result.Where(d => d.Id == "AD0001").ToList();
        Assert.True(failures.Count == 0, "An analyzer threw:\n" + string.Join("\n", failures));
        ImmutableArray<Diagnostic> diagnostics = [.. result.Where(d => d.Id.StartsWith("TPL", StringComparison.Ordinal))];
        if (!emit) return (diagnostics, null);
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return (diagnostics, stream.ToArray());
    }
}
