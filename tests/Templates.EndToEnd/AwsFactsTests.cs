using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Templates.EndToEnd.Infrastructure;
using Templates.Generation;
using Templates.Generation.Cli;
using Templates.Generation.CloudFormation;

namespace Templates.EndToEnd;

/// <summary>
/// The templates against what AWS itself publishes and what no schema holds: the AWS managed policies and IAM actions that
/// exist (cfn-lint's copies of AWS's lists), and the build's shell script, run with stand-ins for the AWS command line and Docker.
/// </summary>
public sealed class AwsFactsTests : IDisposable
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    readonly TempDirectory work = new("aws-facts");

    public void Dispose() => work.Dispose();

    /// <summary>The folder of cfn-lint's package data, found through the python3 it is installed in.</summary>
    static readonly Lazy<Task<string>> CfnLintData = new(async () =>
    {
        var result = await ProcessRunner.RunAsync(ExternalTools.PathOf(Tool.Moto), ["-c", "import cfnlint, os; print(os.path.join(os.path.dirname(cfnlint.__file__), 'data'))"], Timeout);
        Assert.True(result.ExitCode == 0, $"python3 cannot import cfnlint:\n{result}");
        return result.StandardOutput.Trim();
    });

    static async Task<JsonObject> CfnLintDataFile(string relative) =>
        JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(await CfnLintData.Value, relative)))!.AsObject();

    /// <summary>The roles, and the policies attached to roles as resources of their own (a scheduled job's AWS::IAM::Policy).</summary>
    static IEnumerable<JsonObject> Roles(JsonObject template) =>
        template["Resources"]!.AsObject().Select(r => r.Value!.AsObject()).Where(r => (string?)r["Type"] is "AWS::IAM::Role" or "AWS::IAM::Policy");

    [ToolTheory(Tool.CfnLint, Tool.Moto)]
    [MemberData(nameof(Definition.TemplateFiles), MemberType = typeof(Definition))]
    public async Task Every_managed_policy_arn_names_an_aws_managed_policy_that_exists(string fileName)
    {
        // AWS's list of managed policies with their exact ARNs (path included), as cfn-lint ships it: an ARN that is not there
        // makes IAM answer NoSuchEntity and the stack roll back.
        var known = (await CfnLintDataFile(Path.Combine("Serverless", "ManagedPolicies.json"))).Select(p => (string)p.Value!).ToHashSet(StringComparer.Ordinal);
        var template = Definition.EmitFile(fileName).Json;
        foreach (var role in Roles(template))
        {
            foreach (var arn in role["Properties"]!["ManagedPolicyArns"]?.AsArray() ?? [])
            {
                var text = arn is JsonObject sub ? (string)sub["Fn::Sub"]! : (string)arn!;
                var resolved = text.Replace("${AWS::Partition}", "aws", StringComparison.Ordinal);
                Assert.True(known.Contains(resolved), $"{fileName}: {resolved} is not an AWS managed policy. Same name elsewhere: {string.Join(", ", known.Where(k => k.EndsWith("/" + resolved.Split('/')[^1], StringComparison.Ordinal)))}");
            }
        }
    }

    [ToolTheory(Tool.CfnLint, Tool.Moto)]
    [MemberData(nameof(Definition.TemplateFiles), MemberType = typeof(Definition))]
    public async Task Every_iam_action_granted_exists(string fileName)
    {
        // Every action of every role policy and trust policy, against AWS's list of actions per service prefix (cfn-lint's
        // AdditionalSpecs/Policies.json). A statement chosen by Fn::If (the connection's, by its ARN's prefix): both branches.
        var services = await CfnLintDataFile(Path.Combine("AdditionalSpecs", "Policies.json"));
        var template = Definition.EmitFile(fileName).Json;
        var actions = new List<string>();
        foreach (var statement in Roles(template).SelectMany(AllStatements))
            actions.AddRange(ActionsOf(statement));
        if (actions.Count == 0)
        {
            Assert.Empty(Roles(template));
            return;
        }
        foreach (var action in actions.Distinct())
        {
            var (prefix, name) = (action.Split(':')[0], action.Split(':')[1]);
            var service = services[prefix] as JsonObject;
            Assert.True(service is not null, $"{fileName}: no AWS service has the prefix '{prefix}' ({action}).");
            Assert.True(service["Actions"]!.AsObject().ContainsKey(name.ToLowerInvariant()), $"{fileName}: '{action}' is not an action of {prefix}.");
        }
    }

    /// <summary>Every statement of a role's trust and permission policies (or of a policy resource's document); a statement chosen by Fn::If counts with both branches.</summary>
    static IEnumerable<JsonObject> AllStatements(JsonObject role)
    {
        var documents = new List<JsonNode> { role["Properties"]!["AssumeRolePolicyDocument"] ?? role["Properties"]!["PolicyDocument"]! };
        documents.AddRange((role["Properties"]!["Policies"]?.AsArray() ?? []).Select(p => p!["PolicyDocument"]!));
        foreach (var statement in documents.SelectMany(d => d["Statement"]!.AsArray()))
        {
            if (statement is JsonObject o && o["Fn::If"] is JsonArray choice)
            {
                yield return choice[1]!.AsObject();
                yield return choice[2]!.AsObject();
            }
            else yield return statement!.AsObject();
        }
    }

    static IEnumerable<string> ActionsOf(JsonObject statement) =>
        statement["Action"] is JsonArray list ? list.Select(a => (string)a!) : [(string)statement["Action"]!];

    /// <summary>
    /// The actions our roles may grant on Resource "*", and why: each has no resource type in the service authorization reference,
    /// or no narrower resource works for it.
    /// </summary>
    static readonly Dictionary<string, string> OnAnyResource = new(StringComparer.Ordinal)
    {
        ["ecr:GetAuthorizationToken"] = "no resource type",
        ["ecs:DescribeTaskDefinition"] = "no resource type",
        ["ecs:RegisterTaskDefinition"] = "granted on * by CodePipeline's ECS deploy action reference",
        ["ecs:ListTasks"] = "its resource type is container-instance, which Fargate has none of; limited by ecs:cluster instead",
        ["logs:DescribeLogGroups"] = "no resource type (the flow log role; writing is limited to its own log group)",
    };

    [ToolTheory(Tool.CfnLint, Tool.Moto)]
    [MemberData(nameof(Definition.TemplateFiles), MemberType = typeof(Definition))]
    public async Task Every_statement_names_resources_of_a_type_its_actions_take(string fileName)
    {
        // AWS's resource types per action and their ARN formats (cfn-lint's AdditionalSpecs/Policies.json, from the service
        // authorization reference): a statement whose resource is of a type the action does not take grants nothing, and "*" is
        // kept for the actions listed above.
        var services = await CfnLintDataFile(Path.Combine("AdditionalSpecs", "Policies.json"));
        var template = Definition.EmitFile(fileName).Json;
        foreach (var statement in Roles(template).SelectMany(AllStatements).Where(s => (string?)s["Effect"] == "Allow" && s["Principal"] is null))
        {
            var resources = statement["Resource"] is JsonArray list ? [.. list.Select(r => r!)] : new List<JsonNode> { statement["Resource"]! };
            foreach (var action in ActionsOf(statement))
            {
                var (prefix, name) = (action.Split(':')[0], action.Split(':')[1].ToLowerInvariant());
                var service = services[prefix]!.AsObject();
                var types = service["Actions"]![name]!["Resources"]?.AsArray().Select(t => ((string)t!).ToLowerInvariant()).ToList() ?? [];
                foreach (var resource in resources)
                {
                    if (resource is JsonValue star && (string?)star == "*")
                    {
                        Assert.True(OnAnyResource.ContainsKey(action), $"{fileName}: {action} is granted on \"*\" but takes {string.Join(", ", types)}.");
                        if (OnAnyResource[action].StartsWith("no resource type", StringComparison.Ordinal))
                            Assert.True(types.Count == 0, $"{fileName}: {action} is said to take no resource type, but AWS lists {string.Join(", ", types)}.");
                        continue;
                    }
                    var arn = Example(resource);
                    if (arn is null) continue; // a parameter (the connection) or an attribute: its type is checked elsewhere
                    var formats = types.SelectMany(t => service["Resources"]![t]?["ARNFormats"]?.AsArray().Select(f => (string)f!) ?? []).ToList();
                    Assert.True(formats.Any(f => Regex.IsMatch(arn, "^" + Regex.Escape(f).Replace(@"\.\*", ".*").Replace(@"\$\{Partition}", "aws").Replace(@"\$\{Region}", "us-east-1").Replace(@"\$\{Account}", "123456789012") + "$")),
                        $"{fileName}: {action} on {arn} matches none of its resource types' ARN formats ({string.Join(", ", formats)}).");
                }
            }
        }
    }

    /// <summary>A resource ARN built with Fn::Sub, with example values for its variables; null for anything else.</summary>
    static string? Example(JsonNode resource)
    {
        if (resource is not JsonObject o || o["Fn::Sub"] is not JsonValue sub) return null;
        return Regex.Replace((string)sub!, @"\$\{([^}]+)\}", m => m.Groups[1].Value switch
        {
            "AWS::Partition" => "aws",
            "AWS::Region" => "us-east-1",
            "AWS::AccountId" => "123456789012",
            "AWS::StackName" => "flask-app-prod",
            var other when other.EndsWith(".Arn", StringComparison.Ordinal) => "arn:aws:s3:::bucket",
            var other => other.ToLowerInvariant(),
        });
    }

    public static TheoryData<string> BuildCases =>
        ["new commit", "tag already pushed", "lookup denied", "tag already pushed, extra tag", "prod: new commit", "prod: tag already pushed", "prod: no digest"];

    /// <summary>The digest the stand-in ECR reports for the pushed tag.</summary>
    const string Digest = "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    [ToolTheory(Tool.CfnLint, Tool.Moto)]
    [MemberData(nameof(BuildCases))]
    public async Task The_build_script_skips_a_tag_already_pushed_and_stops_on_any_other_lookup_error(string scenario)
    {
        var app = scenario.EndsWith("extra tag", StringComparison.Ordinal)
            ? Definition.App with
            {
                Repository = new NewRepository { TagMutability = TagMutability.Mutable },
                Environments = [.. Definition.App.Environments.Select(e => e.Name == "dev" ? e with { Pipeline = e.Pipeline! with { AlsoTagAs = "dev-latest" } } : e)],
            }
            : Definition.App;
        var prod = scenario.StartsWith("prod: ", StringComparison.Ordinal);
        var build = Definition.Properties(Definition.Emit(app, prod ? "prod" : "dev").Json, LogicalIds.BuildProject);
        var phases = await ParseBuildSpecAsync((string)build["Source"]!["BuildSpec"]!);

        // CodeBuild runs each phase's commands in order in one shell (buildspec 0.2) and stops at the first that fails.
        var script = new List<string> { "set -u" };
        foreach (var phase in new[] { "pre_build", "build", "post_build" })
            foreach (var command in phases[phase]!["commands"]!.AsArray())
                script.Add($"{command} || {{ echo \"phase {phase} failed\" >&2; exit 1; }}");
        var bin = Directory.CreateDirectory(work.File("bin")).FullName;
        var log = work.File("calls.log");
        var lookup = scenario switch
        {
            "new commit" or "prod: new commit" => "echo 'An error occurred (ImageNotFoundException) when calling the DescribeImages operation: not found' >&2; exit 254",
            "lookup denied" => "echo 'An error occurred (AccessDeniedException) when calling the DescribeImages operation: denied' >&2; exit 254",
            _ => "echo '{\"imageDetails\": [{\"imageTags\": [\"x\"]}]}'",
        };
        // The digest lookup (the same call with --query … --output text) answers as ECR does: the digest, or None for no match.
        var digest = scenario == "prod: no digest" ? "None" : Digest;
        WriteStub(Path.Combine(bin, "aws"), $$"""
            echo "aws $*" >> "{{log}}"
            case "$*" in
              "ecr describe-images "*" --query imageDetails[0].imageDigest --output text") echo '{{digest}}'; exit 0 ;;
            esac
            case "$1 $2" in
              "ecr get-login-password") echo password ;;
              "ecr describe-images") {{lookup}} ;;
              "ecr batch-get-image") echo '{"schemaVersion":2}' ;;
              "ecr put-image") echo 'An error occurred (ImageAlreadyExistsException)' >&2; exit 254 ;;
              *) echo "unexpected aws $*" >&2; exit 2 ;;
            esac
            """);
        WriteStub(Path.Combine(bin, "docker"), $$"""
            echo "docker $*" >> "{{log}}"
            if [ "$1" = login ]; then cat > /dev/null; fi
            """);
        var variables = build["Environment"]!["EnvironmentVariables"]!.AsArray()
            .ToDictionary(v => (string)v!["Name"]!, v => v!["Value"] is JsonValue value ? (string?)value : Resolve(v["Value"]!));
        variables["COMMIT_ID"] = "0123456789abcdef0123456789abcdef01234567";
        variables["AWS_DEFAULT_REGION"] = "us-east-1";
        variables["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        var scriptFile = work.File("build.sh");
        await File.WriteAllLinesAsync(scriptFile, script);

        var result = await ProcessRunner.RunAsync("bash", [scriptFile], Timeout, variables, workingDirectory: work.Path);

        var calls = File.Exists(log) ? await File.ReadAllTextAsync(log) : "";
        const string uri = "123456789012.dkr.ecr.us-east-1.amazonaws.com/flask-app";
        var tag = prod ? "prod_0123456789ab" : "dev_0123456789ab";
        switch (scenario)
        {
            case "prod: new commit":
                Assert.True(result.ExitCode == 0, result.ToString());
                Assert.Contains($"docker push {uri}:{tag}", calls);
                // The digest is looked up after the push, for the tag just pushed.
                Assert.True(calls.IndexOf($"docker push {uri}:{tag}", StringComparison.Ordinal) < calls.IndexOf("--query imageDetails[0].imageDigest", StringComparison.Ordinal), calls);
                Assert.Contains($"aws ecr describe-images --repository-name flask-app --image-ids imageTag={tag} --query imageDetails[0].imageDigest --output text", calls);
                Assert.Equal($"{uri}@{Digest}", await ImageUriAsync());
                return;
            case "prod: tag already pushed":
                Assert.True(result.ExitCode == 0, result.ToString());
                Assert.DoesNotContain("docker build", calls);
                Assert.DoesNotContain("docker push", calls);
                Assert.Equal($"{uri}@{Digest}", await ImageUriAsync());
                return;
            case "prod: no digest":
                // ECR found no digest (None): the build fails in post_build and writes no image definitions to deploy.
                Assert.NotEqual(0, result.ExitCode);
                Assert.Contains("phase post_build failed", result.StandardError);
                Assert.False(File.Exists(work.File("imagedefinitions.json")), "A build without a digest must not hand the deploy action an image.");
                return;
            case "new commit":
                Assert.True(result.ExitCode == 0, result.ToString());
                Assert.Contains($"docker build --tag {uri}:{tag} examples/flask-app", calls);
                Assert.Contains($"docker push {uri}:{tag}", calls);
                break;
            case "tag already pushed":
            case "tag already pushed, extra tag":
                Assert.True(result.ExitCode == 0, result.ToString());
                Assert.DoesNotContain("docker build", calls);
                Assert.DoesNotContain("docker push", calls);
                if (scenario.EndsWith("extra tag", StringComparison.Ordinal))
                    Assert.Contains("aws ecr put-image --repository-name flask-app --image-tag dev-latest", calls);
                break;
            case "lookup denied":
                Assert.NotEqual(0, result.ExitCode);
                Assert.Contains("phase pre_build failed", result.StandardError);
                Assert.Contains("AccessDeniedException", result.StandardError);
                Assert.DoesNotContain("docker build", calls);
                return;
        }
        Assert.Equal($"{uri}:{tag}", await ImageUriAsync());

        // The image definitions the build hands the ECS deploy action: one container, the stack's, and its image.
        async Task<string?> ImageUriAsync()
        {
            var definitions = JsonNode.Parse(await File.ReadAllTextAsync(work.File("imagedefinitions.json")))!.AsArray();
            Assert.Equal(StackBuilder.ContainerName, (string?)Assert.Single(definitions)!["name"]);
            return (string?)definitions[0]!["imageUri"];
        }
    }

    /// <summary>The build project's Fn::Sub variables, with a fixed account and region.</summary>
    static string Resolve(JsonNode value) => ((string)value["Fn::Sub"]!)
        .Replace("${AWS::AccountId}", "123456789012", StringComparison.Ordinal)
        .Replace("${AWS::Region}", "us-east-1", StringComparison.Ordinal)
        .Replace("${AWS::URLSuffix}", "amazonaws.com", StringComparison.Ordinal);

    static void WriteStub(string path, string body)
    {
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The buildspec parsed by a real YAML parser (PyYAML, which cfn-lint and moto depend on): a line that is not valid YAML fails here.</summary>
    async Task<JsonObject> ParseBuildSpecAsync(string spec)
    {
        var file = work.File("buildspec.yml");
        await File.WriteAllTextAsync(file, spec);
        var result = await ProcessRunner.RunAsync(ExternalTools.PathOf(Tool.Moto),
            ["-c", "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))", file], Timeout);
        Assert.True(result.ExitCode == 0, $"The buildspec is not valid YAML:\n{result}\n{spec}");
        var parsed = JsonNode.Parse(result.StandardOutput)!.AsObject();
        Assert.Equal("0.2", (string?)parsed["version"]?.ToString());
        return parsed["phases"]!.AsObject();
    }
}
