using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Templates.Analyzers.Tests;

/// <summary>A temporary folder for a scratch project, and the <c>dotnet</c> command line run in it.</summary>
public sealed class Scratch : IDisposable
{
    /// <summary>
    /// The tests that run <c>dotnet build</c> or <c>dotnet pack</c> on the repository's projects share this collection, so they
    /// run one after another: two restores of one project at once would write its obj/project.assets.json together.
    /// </summary>
    public const string Collection = "dotnet builds of the repository's projects";

    public string Dir { get; } = Directory.CreateTempSubdirectory("templates-scratch-").FullName;

    public static string RepoRoot([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    /// <summary>Runs <c>dotnet</c> with the arguments (in <paramref name="workingDirectory"/>, by default the scratch folder) and returns its exit code and all it printed.</summary>
    public (int Exit, string Output) Dotnet(string[] args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet", [.. args, "-nodeReuse:false"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Dir,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"dotnet {string.Join(' ', args)} did not finish in 5 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
