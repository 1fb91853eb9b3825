using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Templates.Generation.Preflight;

/// <summary>What one <c>aws</c> call answered.</summary>
public sealed partial record AwsResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Whether the call succeeded (exit code 0).</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>The JSON answer of a successful call; null when it printed nothing or not JSON.</summary>
    public JsonNode? Json
    {
        get
        {
            if (!Succeeded || StandardOutput.Trim().Length == 0) return null;
            try { return JsonNode.Parse(StandardOutput); }
            catch (JsonException) { return null; }
        }
    }

    /// <summary>The service's error code from <c>An error occurred (CODE) when calling …</c>, if the CLI printed one.</summary>
    public string? ErrorCode => ErrorCodePattern().Match(StandardError) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The error in one line: the CLI's <c>An error occurred (…)</c> line (without an HTML page an emulator or proxy may append), else its last line.</summary>
    public string Error
    {
        get
        {
            var lines = StandardError.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            var line = lines.FirstOrDefault(l => l.StartsWith("An error occurred", StringComparison.Ordinal)) ?? lines.LastOrDefault() ?? $"exit code {ExitCode}";
            var html = line.IndexOf('<', StringComparison.Ordinal);
            return html > 0 ? line[..html].TrimEnd(':', ' ') : line;
        }
    }

    [GeneratedRegex(@"An error occurred \(([^)]+)\)")]
    private static partial Regex ErrorCodePattern();
}

/// <summary>Thrown when the <c>aws</c> executable cannot be started.</summary>
public sealed class AwsCliMissingException(string message, Exception inner) : Exception(message, inner);

/// <summary>The AWS command line, as the preflight checks use it: read-only calls that answer JSON.</summary>
public interface IAwsCli
{
    /// <summary>Runs <c>aws ARGUMENTS</c> (the implementation adds <c>--output json</c> and the profile) and returns what it answered.</summary>
    /// <exception cref="AwsCliMissingException">The AWS CLI is not installed.</exception>
    Task<AwsResult> RunAsync(IReadOnlyList<string> arguments);
}

/// <summary>
/// The <c>aws</c> executable, run as a process (the AWS SDK for .NET is not a dependency): <c>aws ARGS --output json [--profile P]</c>,
/// a few at a time, each with a timeout. The CLI resolves credentials, the default region and the endpoint as it always does
/// (<c>AWS_PROFILE</c>, <c>AWS_ENDPOINT_URL</c>, …).
/// </summary>
public sealed class ProcessAwsCli(string? profile = null, IReadOnlyDictionary<string, string?>? environment = null, string executable = "aws") : IAwsCli
{
    /// <summary>How long one call may take before it is killed and reported as failed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // The CLI is a Python program: a few processes at once overlap its start-up and the network without swamping the machine.
    readonly SemaphoreSlim slots = new(4, 4);

    /// <inheritdoc/>
    public async Task<AwsResult> RunAsync(IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(executable)
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
        start.ArgumentList.Add("--output");
        start.ArgumentList.Add("json");
        if (profile is not null)
        {
            start.ArgumentList.Add("--profile");
            start.ArgumentList.Add(profile);
        }
        start.Environment["AWS_PAGER"] = "";
        if (environment is not null)
            foreach (var (name, value) in environment)
                if (value is null) start.Environment.Remove(name);
                else start.Environment[name] = value;

        await slots.WaitAsync();
        try
        {
            using var process = new Process { StartInfo = start };
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                throw new AwsCliMissingException($"cannot run the AWS CLI ({executable}): {e.Message}", e);
            }
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* it exited meanwhile */ }
                return new AwsResult(-1, "", $"aws {string.Join(' ', arguments)} did not answer within {Timeout.TotalSeconds:0} s.");
            }
            return new AwsResult(process.ExitCode, await stdout, await stderr);
        }
        finally { slots.Release(); }
    }
}

/// <summary>Runs each distinct call once: several environments ask the same questions (the shared stack, the SES identity, a tag).</summary>
public sealed class CachingAwsCli(IAwsCli inner) : IAwsCli
{
    readonly ConcurrentDictionary<string, Lazy<Task<AwsResult>>> answers = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<AwsResult> RunAsync(IReadOnlyList<string> arguments) =>
        answers.GetOrAdd(string.Join('\0', arguments), _ => new Lazy<Task<AwsResult>>(() => inner.RunAsync(arguments))).Value;
}
