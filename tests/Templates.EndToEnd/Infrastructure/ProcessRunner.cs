using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Templates.EndToEnd.Infrastructure;

/// <summary>What a finished child process did; <see cref="ToString"/> is meant for assertion messages.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>Standard output and standard error together.</summary>
    public string Output => StandardOutput + StandardError;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"$ {CommandLine}\nexit code {ExitCode} after {Elapsed.TotalSeconds:0.0} s\n--- stdout ---\n{StandardOutput.TrimEnd()}\n--- stderr ---\n{StandardError.TrimEnd()}\n---");
}

/// <summary>Thrown when a child process outlived its timeout; it has been killed with all its children.</summary>
public sealed class ProcessTimeoutException(string message) : Exception(message);

/// <summary>Runs a program to completion with a timeout, capturing what it prints.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> (passed as they are, no shell). Standard input is closed at once.
    /// On timeout the whole process tree is killed and a <see cref="ProcessTimeoutException"/> carries what it had printed.
    /// </summary>
    /// <param name="environment">Variables to set for the child; a null value removes the variable.</param>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        if (environment is not null)
            foreach (var (name, value) in environment)
                if (value is null) start.Environment.Remove(name);
                else start.Environment[name] = value;

        var commandLine = Describe(fileName, start.ArgumentList);
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new InvalidOperationException($"Cannot start `{commandLine}`: {e.Message}", e);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* it exited meanwhile */ }
            await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(5)));
            throw new ProcessTimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"`{commandLine}` did not finish within {timeout.TotalSeconds:0} s and was killed.\n--- stdout ---\n{Partial(stdout)}\n--- stderr ---\n{Partial(stderr)}\n---"));
        }
        // The pipes close when the process (and any child that inherited them) is gone.
        await Task.WhenAll(stdout, stderr);
        return new ProcessResult(commandLine, process.ExitCode, stdout.Result, stderr.Result, stopwatch.Elapsed);
    }

    /// <summary>A shell-like rendering of a command line, for messages.</summary>
    public static string Describe(string fileName, IEnumerable<string> arguments) =>
        string.Join(" ", new[] { fileName }.Concat(arguments).Select(Quote));

    static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@+%".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";

    static string Partial(Task<string> output) => output.IsCompletedSuccessfully ? output.Result.TrimEnd() : "(not captured)";
}
