namespace Templates.EndToEnd.Infrastructure;

/// <summary>The programs outside .NET that the end-to-end tests drive.</summary>
public enum Tool
{
    /// <summary>The CloudFormation linter, <c>cfn-lint</c>.</summary>
    CfnLint,

    /// <summary>The AWS command line, <c>aws</c>.</summary>
    Aws,

    /// <summary><c>python3</c> able to import the moto emulator and its server.</summary>
    Moto,

    /// <summary><c>python3</c> able to import Flask, to run the sample application.</summary>
    Flask,

    /// <summary>
    /// AWS's offline validator, <c>@aws/cloudformation-validate</c> inside aws-cdk-lib, run through <c>node</c> by
    /// <c>benchmarks/cloudformation-validate.js</c>. Optional even under CI: installing aws-cdk-lib at test time is slow,
    /// so its tests are skipped with the reason wherever it is missing.
    /// </summary>
    CloudFormationValidate,

    /// <summary>
    /// The C compiler and linker native AOT links with (<c>gcc</c>; clang serves too), for <c>dotnet publish definitions
    /// -p:Aot=true</c>. The compiler itself, the ILCompiler package, comes from the NuGet feed.
    /// </summary>
    NativeToolchain,
}

/// <summary>Whether one tool was found, where, and what installs it.</summary>
public sealed record ToolStatus(Tool Tool, string? Path, string? Version, string? Problem, string InstallCommand)
{
    /// <summary>Whether the tool can be used.</summary>
    public bool Available => Problem is null;
}

/// <summary>
/// Finds the external tools on PATH once per test run. A test that needs a missing tool is skipped outside CI
/// (see <see cref="ToolFactAttribute"/>) and fails when the environment variable CI is <c>true</c>, so a CI machine
/// that lost a tool cannot turn the end-to-end checks green by skipping them; the tools of <see cref="OptionalInCi"/> are
/// skipped with the reason there too.
/// </summary>
public static class ExternalTools
{
    /// <summary>The versions the tests were written against.</summary>
    public const string CfnLintInstall = "pip install cfn-lint==1.51.0";
    public const string MotoInstall = "pip install \"moto[server]==5.2.1\"";
    public const string AwsInstall = "pip install awscli";
    public const string FlaskInstall = "pip install Flask==3.1.3";
    public const string NativeToolchainInstall = "apt-get install clang zlib1g-dev (https://learn.microsoft.com/dotnet/core/deploying/native-aot/#prerequisites)";
    public const string CloudFormationValidateInstall = "npm install --prefix /tmp/templates-cdk-bench aws-cdk-lib@2.276.0 constructs@10";

    /// <summary>Tools whose tests are skipped when missing even under CI (see <see cref="Tool.CloudFormationValidate"/>).</summary>
    public static readonly IReadOnlySet<Tool> OptionalInCi = new HashSet<Tool> { Tool.CloudFormationValidate };

    /// <summary>The script that runs cloudformation-validate over files and prints its diagnostics as JSON.</summary>
    public static string CloudFormationValidateScript => Path.Combine(RepositoryRoot(), "benchmarks", "cloudformation-validate.js");

    /// <summary>The dotnet host running the tests (DOTNET_HOST_PATH), else the first on PATH.</summary>
    public static string Dotnet() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
            : FindOnPath("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH.");

    /// <summary>The checkout's root: the folder above the tests' that holds Templates.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Templates.sln"))) return dir.FullName;
        throw new InvalidOperationException("Templates.sln not found above the test's folder.");
    }

    /// <summary>Whether a test needing these tools is skipped: some are missing, and either CI is not true or all missing ones are optional there.</summary>
    public static string? SkipReason(IEnumerable<Tool> tools)
    {
        var list = tools.ToList();
        if (WhyUnavailable(list) is not { } why) return null;
        return !IsCi || list.Where(t => !Status(t).Available).All(OptionalInCi.Contains) ? why : null;
    }

    static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(60);

    // Probed together, in parallel, the first time any test asks.
    static readonly Lazy<IReadOnlyDictionary<Tool, ToolStatus>> statuses = new(Probe);

    /// <summary>True when the environment variable CI is <c>true</c>: a missing tool then fails the test.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The status of one tool.</summary>
    public static ToolStatus Status(Tool tool) => statuses.Value[tool];

    /// <summary>Why the given tools cannot all be used, with the commands that install the missing ones; null when all are there.</summary>
    public static string? WhyUnavailable(IEnumerable<Tool> tools)
    {
        var missing = tools.Distinct().Select(Status).Where(s => !s.Available).ToList();
        if (missing.Count == 0) return null;
        return string.Join(" ", missing.Select(s => $"{s.Problem} Install it: {s.InstallCommand}"));
    }

    /// <summary>Throws, failing the test, unless all the tools are there.</summary>
    public static void Require(params Tool[] tools)
    {
        if (WhyUnavailable(tools) is { } why)
            throw new InvalidOperationException(IsCi ? $"{why} (CI=true: a missing tool fails the test instead of skipping it.)" : why);
    }

    /// <summary>The full path of a tool's executable (python3 for <see cref="Tool.Moto"/>); throws unless it is there.</summary>
    public static string PathOf(Tool tool)
    {
        Require(tool);
        return Status(tool).Path!;
    }

    /// <summary>The first executable file called <paramref name="name"/> in a directory of PATH.</summary>
    public static string? FindOnPath(string name)
    {
        var names = OperatingSystem.IsWindows() ? new[] { name + ".exe", name + ".cmd", name + ".bat", name } : [name];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var candidate in names.Select(n => Path.Combine(dir, n)))
                if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        return null;
    }

    static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    static IReadOnlyDictionary<Tool, ToolStatus> Probe()
    {
        var probes = new[]
        {
            ProbeAsync(Tool.CfnLint, "cfn-lint", ["--version"], CfnLintInstall),
            ProbeAsync(Tool.Aws, "aws", ["--version"], AwsInstall),
            ProbeAsync(Tool.Moto, "python3", ["-c", "import moto, moto.server; print('moto', moto.__version__)"], MotoInstall),
            ProbeAsync(Tool.Flask, "python3", ["-c", "import flask, importlib.metadata as m; print('flask', m.version('flask'))"], FlaskInstall),
            ProbeAsync(Tool.CloudFormationValidate, "node", [CloudFormationValidateScript], CloudFormationValidateInstall),
            ProbeAsync(Tool.NativeToolchain, FindOnPath("clang") is not null ? "clang" : "gcc", ["--version"], NativeToolchainInstall),
        };
        Task.WaitAll(probes);
        return probes.Select(p => p.Result).ToDictionary(s => s.Tool);
    }

    static async Task<ToolStatus> ProbeAsync(Tool tool, string executable, string[] arguments, string install)
    {
        var what = tool switch
        {
            Tool.Moto => "the moto server (python3 -m moto.server)",
            Tool.Flask => "the sample Flask application (examples/flask-app)",
            Tool.CloudFormationValidate => "@aws/cloudformation-validate",
            _ => executable,
        };
        var python = tool is Tool.Moto or Tool.Flask;
        var path = FindOnPath(executable);
        if (path is null) return new ToolStatus(tool, null, null, $"{executable} is not on PATH{(python ? ", so " + what + " cannot run" : "")}.", install);
        try
        {
            var result = await ProcessRunner.RunAsync(path, arguments, ProbeTimeout);
            // aws v1 prints its version on stderr.
            var output = result.Output.Trim();
            var lastLine = output.Split('\n').LastOrDefault()?.Trim() ?? "";
            return result.ExitCode == 0
                ? new ToolStatus(tool, path, lastLine, null, install)
                : new ToolStatus(tool, path, null, python
                    ? $"{path} cannot import {(tool == Tool.Moto ? "moto.server" : "flask")} ({lastLine}), so {what} cannot run."
                    : tool == Tool.CloudFormationValidate ? $"{what} cannot run: {lastLine}"
                    : $"{path} --version exited with {result.ExitCode} ({lastLine}).", install);
        }
        catch (Exception e) when (e is ProcessTimeoutException or InvalidOperationException)
        {
            return new ToolStatus(tool, path, null, $"{path} does not work: {e.Message}", install);
        }
    }
}
