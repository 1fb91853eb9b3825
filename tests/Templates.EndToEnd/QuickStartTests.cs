using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Templates.EndToEnd.Infrastructure;
using Templates.Generation;
using Templates.Generation.Cli;

namespace Templates.EndToEnd;

/// <summary>
/// The README's quick start, pasted as it is into a fresh bash against a moto server of its own (it deploys the definition's
/// own stack names, which the other moto tests' shared server already holds).
/// </summary>
public sealed partial class QuickStartTests : IAsyncLifetime
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    readonly TempDirectory work = new("quick-start");
    readonly MotoServer moto = new();

    public Task InitializeAsync() => moto.InitializeAsync();

    public async Task DisposeAsync()
    {
        await moto.DisposeAsync();
        work.Dispose();
    }

    /// <summary>The first <c>```sh</c> block after the README's "### Quick start" heading.</summary>
    static string QuickStartBlock()
    {
        var readme = File.ReadAllText(Path.Combine(ExternalTools.RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("### Quick start", StringComparison.Ordinal)..];
        var match = ShellBlock().Match(section);
        Assert.True(match.Success, "The README's quick start has no ```sh block.");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task The_readme_quick_start_pasted_in_order_creates_every_stack()
    {
        var block = QuickStartBlock();
        var emitted = Emitter.Generate([Definition.App]);

        // Stand-ins, the same as the other moto tests use: the certificate imported into moto's ACM (the definition's is the
        // author's), a hosted zone created in moto for prod's name, a connection ARN (moto answers Ref on a connection with an
        // empty output), a docker that only records its calls (no Docker engine here), and the definitions program already built
        // by this test run in place of `dotnet run --project definitions` (which would rebuild the solution under the test).
        var zone = await moto.AwsJsonAsync("route53", "create-hosted-zone", "--name", "flask.example.com", "--caller-reference", MotoServer.UniqueStackName("quick-start"));
        var zoneId = ((string)zone["HostedZone"]!["Id"]!).Replace("/hostedzone/", "", StringComparison.Ordinal);
        var standIns = new Dictionary<string, string[]>();
        foreach (var t in emitted.Templates)
        {
            var overrides = new List<string> { $"CertificateArn={moto.CertificateArn}" };
            if (t.Json["Parameters"]?["GitHubConnectionArn"] is not null) overrides.Add($"GitHubConnectionArn={MotoServer.StandInConnectionArn}");
            if (t.Json["Parameters"]?["HostedZoneId"] is not null) overrides.Add($"HostedZoneId={zoneId}");
            standIns[t.Model.StackName] = [.. overrides];
        }
        // A fresh server: none of the quick start's stacks exists yet, so every deploy is a create.
        foreach (var stack in emitted.Files.Select(f => f switch { EmittedTemplate t => t.Model.StackName, EmittedSharedTemplate s => s.Model.StackName, _ => "" }))
            Assert.True((await moto.AwsAsync("cloudformation", "describe-stacks", "--stack-name", stack)).ExitCode != 0, $"{stack} exists already in this moto server.");

        var bin = Directory.CreateDirectory(work.File("bin")).FullName;
        var log = work.File("calls.log");
        var realAws = ExternalTools.PathOf(Tool.Aws);
        var python = ExternalTools.PathOf(Tool.Moto);
        var standInFile = work.File("stand-ins.json");
        await File.WriteAllTextAsync(standInFile, JsonSerializer.Serialize(standIns));
        // aws: the real command line (pointed at moto by AWS_ENDPOINT_URL), with the stand-in parameters replacing those of the
        // same name on `cloudformation deploy`.
        WriteExecutable(Path.Combine(bin, "aws"), $$"""
            #!{{python}}
            import json, os, sys
            args = sys.argv[1:]
            if args[:2] == ["cloudformation", "deploy"]:
                stand_ins = json.load(open({{JsonSerializer.Serialize(standInFile)}})).get(args[args.index("--stack-name") + 1], [])
                keys = {s.split("=", 1)[0] for s in stand_ins}
                if "--parameter-overrides" in args:
                    i = args.index("--parameter-overrides") + 1
                    j = i
                    while j < len(args) and not args[j].startswith("--"):
                        j += 1
                    kept = [a for a in args[i:j] if a.split("=", 1)[0] not in keys]
                    args = args[:i - 1] + args[j:] + (["--parameter-overrides"] + kept + stand_ins if kept or stand_ins else [])
                elif stand_ins:
                    args = args + ["--parameter-overrides"] + stand_ins
            os.execv({{JsonSerializer.Serialize(realAws)}}, [{{JsonSerializer.Serialize(realAws)}}] + args)
            """);
        WriteExecutable(Path.Combine(bin, "docker"), $$"""
            #!/usr/bin/env bash
            echo "docker $*" >> "{{log}}"
            if [ "$1" = login ]; then cat > /dev/null; fi
            """);
        var definitions = Path.Combine(AppContext.BaseDirectory, "definitions.dll");
        var realDotnet = ExternalTools.Dotnet();
        WriteExecutable(Path.Combine(bin, "dotnet"), $$"""
            #!/usr/bin/env bash
            if [ "$1 $2 $3" = "run --project definitions" ]; then
              shift 3
              if [ "${1:-}" = "--" ]; then shift; fi
              exec "{{realDotnet}}" "{{definitions}}" "$@"
            fi
            echo "unexpected dotnet $*" >&2; exit 2
            """);
        // The working folder looks like the repository's root: the sample app's folder, which the docker lines build.
        Directory.CreateSymbolicLink(work.File("examples"), Path.Combine(ExternalTools.RepositoryRoot(), "examples"));
        var script = work.File("quick-start.sh");
        await File.WriteAllTextAsync(script, "set -e\n" + block);
        // The endpoint as localhost, so that moto finds prod's template uploaded through the bucket (see UploadEnvironment).
        var environment = new Dictionary<string, string?>(moto.UploadEnvironment)
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
        };

        var result = await ProcessRunner.RunAsync("bash", [script], Timeout, environment, workingDirectory: work.Path);

        Assert.True(result.ExitCode == 0, $"The quick start failed:\n{result}");
        foreach (var file in emitted.Files)
        {
            var stack = file switch { EmittedTemplate t => t.Model.StackName, EmittedSharedTemplate s => s.Model.StackName, _ => throw new InvalidOperationException() };
            Assert.Equal("CREATE_COMPLETE", await moto.StackStatusAsync(stack));
        }
        var secret = await moto.AwsJsonAsync("ssm", "get-parameter", "--name", "/flask-app/secret-key", "--with-decryption");
        Assert.Equal("SecureString", (string?)secret["Parameter"]!["Type"]);
        Assert.Matches("^[0-9a-f]{64}$", (string)secret["Parameter"]!["Value"]!);
        var calls = await File.ReadAllTextAsync(log);
        foreach (var tag in emitted.Templates.Select(t => t.Model.Service.Image.Tag).Distinct())
            Assert.Contains($".dkr.ecr.us-east-1.amazonaws.com/flask-app:{tag}", calls);
    }

    static void WriteExecutable(string path, string text)
    {
        File.WriteAllText(path, text.TrimStart() + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

/// <summary>The shell expressions the printed deploy commands rely on, evaluated against moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class PrintedCommandTests(MotoServer moto) : IDisposable
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    readonly TempDirectory work = new("printed-commands");

    public void Dispose() => work.Dispose();

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task The_printed_deletion_protection_is_false_before_the_stack_exists_and_true_once_it_does()
    {
        var prod = Assert.Single(Emitter.Generate([Definition.App], ["prod"]).Templates);
        var command = TemplatesCli.DeployCommand("out/flask-app-prod.template.json", prod.Model, prod.NeedsS3);
        var expression = command[command.IndexOf("DeletionProtection=", StringComparison.Ordinal)..];
        var stack = MotoServer.UniqueStackName("deletion-protection");
        expression = expression.Replace("--stack-name flask-app-prod", $"--stack-name {stack}", StringComparison.Ordinal);

        Assert.Equal("DeletionProtection=false", await EvaluateAsync(expression));

        var template = Definition.Emit("dev");
        var deploy = await moto.DeployAsync(template, stack);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Equal("DeletionProtection=true", await EvaluateAsync(expression));

        // A lookup that fails (here: no server answers) must not turn protection off: a value the parameter refuses stops the deploy.
        var unreachable = new Dictionary<string, string?>(moto.CommandLineEnvironment) { ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9", ["AWS_MAX_ATTEMPTS"] = "1" };
        var failed = await EvaluateAsync(expression, unreachable);
        Assert.StartsWith("DeletionProtection=unknown, not deploying:", failed);
    }

    async Task<string> EvaluateAsync(string assignment, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var result = await ProcessRunner.RunAsync("bash", ["-c", $"echo {assignment}"], Timeout, environment ?? moto.CommandLineEnvironment, workingDirectory: work.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Trim();
    }
}
