using System.Text.Json.Nodes;
using Templates.EndToEnd.Infrastructure;
using Templates.Generation;
using Templates.Generation.Cli;
using Templates.Generation.Diff;
using Templates.Generation.Model;
using Templates.Generation.Preflight;

namespace Templates.EndToEnd;

/// <summary>
/// <c>diff</c> against the baselines that need the outside world: the stacks deployed into moto (read back with the real AWS
/// CLI's <c>get-template</c>), a git ref built in a temporary worktree, and cfn-lint's own data (its stateful types, and the
/// create-only properties the compact schemas keep).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class DiffEndToEndTests(MotoServer moto)
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    static async Task<string> CfnLintDataAsync()
    {
        var result = await ProcessRunner.RunAsync(ExternalTools.PathOf(Tool.Moto), ["-c", "import cfnlint, os; print(os.path.join(os.path.dirname(cfnlint.__file__), 'data'))"], Timeout);
        Assert.True(result.ExitCode == 0, $"python3 cannot import cfnlint:\n{result}");
        return result.StandardOutput.Trim();
    }

    [ToolFact(Tool.CfnLint, Tool.Moto)]
    public async Task Every_type_cfn_lint_calls_stateful_is_stateful_here()
    {
        var data = await CfnLintDataAsync();
        var types = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(data, "AdditionalSpecs", "StatefulResources.json")))!["ResourceTypes"]!.AsObject().Select(t => t.Key).ToList();
        Assert.NotEmpty(types);
        Assert.DoesNotContain(types, t => StatefulResources.Reason(t) is null);
    }

    [ToolFact(Tool.CfnLint, Tool.Moto)]
    public async Task The_compact_schemas_keep_the_create_only_properties_of_cfn_lints_schemas()
    {
        // Every type the guide's templates use: the embedded compact schema lists the same create-only and conditionally
        // create-only properties as the schema cfn-lint ships (providers/us_east_1.py names each type's file).
        var data = Path.Combine(await CfnLintDataAsync(), "schemas");
        var hashes = System.Text.RegularExpressions.Regex.Matches(await File.ReadAllTextAsync(Path.Combine(data, "providers", "us_east_1.py")), "\"([A-Za-z0-9:]+)\": \"([0-9a-f]+)\"")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var types = Emitter.Generate([Definition.App]).Files.SelectMany(f => f.Json["Resources"]!.AsObject().Select(r => (string)r.Value!["Type"]!)).Distinct().Order().ToList();
        Assert.Contains("AWS::EC2::Subnet", types);
        foreach (var type in types)
        {
            var official = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(data, "resources", hashes[type] + ".json")))!;
            static List<string> Pointers(JsonNode? list) => [.. (list as JsonArray ?? []).Select(p => ((string)p!)["/properties/".Length..])];
            var ours = CreateOnlyProperties.For(type)!;
            Assert.Equal(Pointers(official["createOnlyProperties"]), ours.Always.Select(p => string.Join('/', p)));
            Assert.Equal(Pointers(official["conditionalCreateOnlyProperties"]), ours.Conditionally.Select(p => string.Join('/', p)));
        }
    }

    /// <summary>The guide under a name of its own (so its repository, connection and stacks meet no other test's), without mail.</summary>
    static App OwnGuide(string name) => Definition.App with
    {
        Name = name,
        Service = Definition.App.Service with { Image = ContainerImage.FromEcr(name) },
        Mail = null,
        Environments = [.. Definition.App.Environments.Select(e => e.Name == "prod" ? e with { Dns = e.Dns! with { Name = $"{name}.example.com" } } : e)],
    };

    static App WithEnv(App app, string env, Func<Env, Env> change) => app with { Environments = [.. app.Environments.Select(e => e.Name == env ? change(e) : e)] };

    async Task<(int Exit, string Stdout, string Stderr)> DiffAsync(App app, params string[] options)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var command = DiffCommand.Create(stdout, stderr, [app], profile => new ProcessAwsCli(profile, moto.CliEnvironment), color: false);
        var root = new System.CommandLine.RootCommand { command };
        var exit = await Task.Run(() => root.Parse(["diff", .. options]).Invoke(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr }));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Against_the_stacks_deployed_in_moto()
    {
        var name = $"df{Guid.NewGuid().ToString("N")[..6]}";
        var app = OwnGuide(name);
        var emitted = Emitter.Generate([app]);
        Assert.False(emitted.HasErrors, string.Join("\n", emitted.Findings));
        foreach (var shared in emitted.SharedTemplates)
        {
            var deployed = await moto.DeployCopyAsync(shared, shared.Model.StackName);
            Assert.True(deployed.ExitCode == 0, $"Deploying {shared.FileName} failed:\n{deployed}");
        }
        // dev and prod are deployed; staging is not.
        foreach (var template in emitted.Templates.Where(t => t.Model.Env.Name != "staging"))
        {
            var deployed = await moto.DeployAsync(template, template.Model.StackName);
            Assert.True(deployed.ExitCode == 0, $"Deploying {template.FileName} failed:\n{deployed}");
        }

        // Unchanged: get-template gives back what was deployed.
        var (exit, stdout, stderr) = await DiffAsync(app, "--against-stack");
        Assert.True(exit == 0, $"{stdout}{stderr}");
        Assert.Contains($"{name}-dev ({name} [dev]) against the deployed stack {name}-dev in us-east-1: no changes", stdout, StringComparison.Ordinal);
        Assert.Contains($"{name}-prod ({name} [prod]) against the deployed stack {name}-prod in us-east-1: no changes", stdout, StringComparison.Ordinal);
        Assert.Contains($"{name}-shared ({name}, shared) against the deployed stack {name}-shared in us-east-1: no changes", stdout, StringComparison.Ordinal);
        Assert.Contains($"{name}-staging ({name} [staging]) against the deployed stack {name}-staging in us-east-1 (not deployed: a new stack):", stdout, StringComparison.Ordinal);

        // prod's CPU doubled (a new deployment, nothing stateful replaced), dev's VPC CIDR changed (replacement, blocked).
        var changed = WithEnv(WithEnv(app, "prod", e => e with { Service = e.Service! with { Cpu = 1024, MemoryMiB = 2048 } }),
            "dev", e => e with { Network = new NewVpc { Cidr = "10.9.0.0/16", AvailabilityZones = 2, TaskSubnets = TaskSubnets.Public } });
        var (blocked, text, errors) = await DiffAsync(changed, "--against-stack", "--env", "dev", "--env", "prod", "--format", "json");
        Assert.True(blocked == 1, $"{text}{errors}");
        var stacks = JsonNode.Parse(text)!["stacks"]!.AsArray();
        JsonNode Resource(string stack, string id) => stacks.Single(s => (string?)s!["stack"] == stack)!["resources"]!.AsArray().Single(r => (string?)r!["logicalId"] == id)!;
        Assert.Equal("replacement", (string?)Resource($"{name}-prod", "TaskDefinition")["effect"]);
        Assert.Equal("new deployment", (string?)Resource($"{name}-prod", "Service")["effect"]);
        Assert.DoesNotContain(stacks.Single(s => (string?)s!["stack"] == $"{name}-prod")!["resources"]!.AsArray(), r => (bool)r!["blocked"]!);
        Assert.True((bool)Resource($"{name}-dev", "Vpc")["blocked"]!);
        Assert.True((bool)Resource($"{name}-dev", "PublicSubnet1")["blocked"]!);
    }

    [ToolFact(Tool.Aws)]
    public async Task A_stack_read_error_other_than_not_found_exits_2()
    {
        // No credentials at all: get-template fails, and diff says why instead of calling every stack new.
        using var empty = new TempDirectory("diff-no-credentials");
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = null, ["AWS_SESSION_TOKEN"] = null, ["AWS_PROFILE"] = null, ["AWS_DEFAULT_PROFILE"] = null,
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = null, ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = null, ["AWS_WEB_IDENTITY_TOKEN_FILE"] = null,
            ["AWS_CONFIG_FILE"] = empty.File("config"), ["AWS_SHARED_CREDENTIALS_FILE"] = empty.File("credentials"),
            ["AWS_EC2_METADATA_DISABLED"] = "true", ["AWS_DEFAULT_REGION"] = MotoServer.Region,
        };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await DiffCommand.RunAsync([Definition.App], ["dev"], () => new StackBaseline(new ProcessAwsCli(null, environment), null), "text", false, false, stdout, stderr);
        Assert.Equal(2, exit);
        Assert.StartsWith("error: cannot read the deployed stack flask-app-", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("Unable to locate credentials", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal("", stdout.ToString());
    }

    [Fact]
    public async Task Against_a_git_ref_built_in_a_temporary_worktree()
    {
        // A copy of this repository's files (committed or not) as a repository of its own, whose HEAD has prod at CPU 1024. The
        // definitions program built by this test run (the guide as it is) compares itself with that commit.
        var root = ExternalTools.RepositoryRoot();
        using var work = new TempDirectory("diff-git");
        var repo = work.File("repo");
        var listed = await ProcessRunner.RunAsync("git", ["-C", root, "ls-files", "-co", "--exclude-standard", "-z"], Timeout);
        Assert.True(listed.ExitCode == 0, listed.ToString());
        foreach (var file in listed.StandardOutput.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(root, file);
            if (!File.Exists(source)) continue;
            var target = Path.Combine(repo, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
        var definition = Path.Combine(repo, "definitions", "FlaskApp.cs");
        var text = await File.ReadAllTextAsync(definition);
        Assert.Contains("Cpu = 512, MemoryMiB = 1024", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(definition, text.Replace("Cpu = 512, MemoryMiB = 1024", "Cpu = 1024, MemoryMiB = 2048", StringComparison.Ordinal));
        foreach (var git in new[] { new[] { "init", "-q" }, ["add", "-A"], ["-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", "prod at 1024 CPU"] })
        {
            var result = await ProcessRunner.RunAsync("git", ["-C", repo, .. git], Timeout);
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        var dotnet = ExternalTools.Dotnet();
        var assembly = Path.Combine(AppContext.BaseDirectory, "definitions.dll");
        var run = await ProcessRunner.RunAsync(dotnet, [assembly, "diff", "--against-git", "HEAD", "--env", "prod"], TimeSpan.FromMinutes(12), workingDirectory: repo);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"flask-app-prod \(flask-app \[prod\]\) against git HEAD \([0-9a-f]{12}\)/flask-app-prod\.template\.json:\n", run.StandardOutput);
        Assert.Contains("  ~ TaskDefinition  AWS::ECS::TaskDefinition  replacement     Cpu (create-only), Memory (create-only)", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  ~ Service         AWS::ECS::Service         new deployment  TaskDefinition (TaskDefinition is replaced)", run.StandardOutput, StringComparison.Ordinal);
        // The temporary worktree is gone, and the repository's own working tree untouched.
        var worktrees = await ProcessRunner.RunAsync("git", ["-C", repo, "worktree", "list", "--porcelain"], Timeout);
        Assert.Single(worktrees.StandardOutput.Split('\n'), l => l.StartsWith("worktree ", StringComparison.Ordinal));
        var status = await ProcessRunner.RunAsync("git", ["-C", repo, "status", "--porcelain"], Timeout);
        Assert.Equal("", status.StandardOutput);

        var unknown = await ProcessRunner.RunAsync(dotnet, [assembly, "diff", "--against-git", "no-such-ref"], Timeout, workingDirectory: repo);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("error: --against-git 'no-such-ref': git knows no such commit, branch or tag", unknown.StandardError, StringComparison.Ordinal);
    }
}
