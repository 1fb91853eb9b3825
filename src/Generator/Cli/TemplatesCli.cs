using System.CommandLine;
using System.Globalization;
using Templates.Generation.Model;
using Templates.Rules;

namespace Templates.Generation.Cli;

/// <summary>
/// The command line of a definitions project: <c>dotnet run --project definitions -- [--out DIR] [--env NAME]…</c>
/// validates every app, builds every environment's template, validates it, and writes them only if nothing is in error;
/// <c>dotnet run --project definitions -- validate FILE…</c> validates any template (<see cref="ValidateCommand"/>).
/// </summary>
public static class TemplatesCli
{
    /// <summary>Exit code: all templates written.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the definition (or a template built from it) has errors; nothing was written.</summary>
    public const int DefinitionErrors = 1;

    /// <summary>Exit code: the command line is wrong, or the output could not be written.</summary>
    public const int UsageError = 2;

    /// <summary>Runs the command line over the given apps and returns the process exit code.</summary>
    public static int Run(string[] args, params App[] apps) => Run(args, Console.Out, Console.Error, apps);

    /// <summary>Runs the command line, writing to the given streams.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, params App[] apps)
    {
        var outOption = new Option<string>("--out", "-o")
        {
            Description = "The folder the templates are written to.",
            DefaultValueFactory = _ => "out",
        };
        var envOption = new Option<string[]>("--env", "-e")
        {
            Description = "Emit only this environment (repeatable). All environments by default.",
            AllowMultipleArgumentsPerToken = false,
        };
        var root = new RootCommand("Validates the infrastructure definitions and writes one CloudFormation template per environment.")
        {
            outOption,
            envOption,
        };
        root.Subcommands.Add(ValidateCommand.Create(stdout, stderr));
        root.SetAction(parse => Emit(parse.GetValue(outOption)!, parse.GetValue(envOption) ?? [], stdout, stderr, apps));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run with --help for the options.");
            return UsageError;
        }
        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    static int Emit(string outDir, string[] envs, TextWriter stdout, TextWriter stderr, App[] apps)
    {
        var known = apps.SelectMany(a => a.Environments.Select(e => e.Name)).Distinct().ToList();
        var unknown = envs.Where(e => !known.Contains(e)).ToList();
        if (unknown.Count > 0)
        {
            stderr.WriteLine($"error: no environment named {string.Join(", ", unknown.Select(u => $"'{u}'"))}. The definitions declare: {string.Join(", ", known)}.");
            return UsageError;
        }

        var result = Emitter.Generate(apps, envs);
        foreach (var finding in result.Findings) stderr.WriteLine(finding);
        foreach (var template in result.Templates)
            foreach (var problem in template.Problems) stderr.WriteLine($"{(problem.IsError ? "error" : "warning")}: {template.FileName}: {problem}");
        if (result.HasErrors)
        {
            var errors = result.Findings.Count(f => f.Severity == Severity.Error) + result.Templates.Sum(t => t.Problems.Count(p => p.IsError));
            stderr.WriteLine($"{errors} error{(errors == 1 ? "" : "s")}: no template was written.");
            return DefinitionErrors;
        }

        try
        {
            WriteAll(outDir, result.Templates.Select(t => (t.FileName, t.Bytes)).ToList());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: cannot write to '{outDir}': {e.Message}");
            return UsageError;
        }

        var display = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(outDir));
        stdout.WriteLine($"Wrote {result.Templates.Count} template{(result.Templates.Count == 1 ? "" : "s")} to {display}/");
        var width = result.Templates.Max(t => t.FileName.Length);
        foreach (var t in result.Templates)
        {
            var path = Path.Combine(display, t.FileName);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {t.FileName.PadRight(width)}  {t.ResourceCount,3} resources  {t.Bytes.Length,7:N0} bytes"));
            stdout.WriteLine($"    {DeployCommand(path, t.Model, t.NeedsS3)}");
            if (t.NeedsS3)
                stdout.WriteLine($"    (over the {Validation.TemplateValidator.InlineBodyLimit:N0}-byte inline limit of 'aws cloudformation deploy': it is uploaded through the S3 bucket)");
        }
        return Success;
    }

    /// <summary>The exact <c>aws cloudformation deploy</c> command for one template.</summary>
    public static string DeployCommand(string path, EnvironmentModel model, bool needsS3)
    {
        var command = $"aws cloudformation deploy --template-file {path} --stack-name {model.StackName} --capabilities CAPABILITY_IAM";
        if (model.Env.Region is { } region) command += $" --region {region}";
        if (needsS3) command += " --s3-bucket YOUR_ARTIFACT_BUCKET";
        command += $" --tags app={model.App.Name} environment={model.Env.Name}";
        return command;
    }

    /// <summary>Writes every file to a temporary name first and renames them only when all were written, so a failure leaves no half-written template behind.</summary>
    static void WriteAll(string outDir, IReadOnlyList<(string Name, byte[] Bytes)> files)
    {
        Directory.CreateDirectory(outDir);
        var staged = new List<(string Temp, string Final)>();
        try
        {
            foreach (var (name, bytes) in files)
            {
                var final = Path.Combine(outDir, name);
                var temp = final + ".tmp";
                File.WriteAllBytes(temp, bytes);
                staged.Add((temp, final));
            }
            foreach (var (temp, final) in staged) File.Move(temp, final, overwrite: true);
        }
        finally
        {
            foreach (var (temp, _) in staged) if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
