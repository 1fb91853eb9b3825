using System.Text.Json.Nodes;
using Templates.Generation;
using Templates.Generation.Cli;
using Templates.Generation.Diff;

namespace Templates.Tests;

/// <summary>
/// <c>diff</c>: each effect (in place, replacement, may replace, new deployment), the security-relevant changes, stateful
/// replacements blocked, the three formats, and the command line's exit codes with a folder baseline.
/// </summary>
public sealed class DiffTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("templates-diff-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static JsonObject Template(string resources, string? extra = null) =>
        JsonNode.Parse($$"""{ {{(extra is null ? "" : extra + ",")}} "Resources": {{{resources}}} }""")!.AsObject();

    static ResourceChange Single(JsonObject before, JsonObject after, string id)
    {
        var diff = TemplateDiff.Compare("s", "t", "b", before, after);
        return Assert.Single(diff.Resources, r => r.LogicalId == id);
    }

    [Fact]
    public void A_property_that_is_not_create_only_changes_in_place()
    {
        // AWS::Logs::LogGroup: RetentionInDays updates in place (only LogGroupName is create-only).
        var change = Single(
            Template("""  "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": 7 } }  """),
            Template("""  "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "RetentionInDays": 30 } }  """), "Logs");
        Assert.Equal(Effect.InPlace, change.Effect);
        Assert.Equal("RetentionInDays", Assert.Single(change.Properties).Name);
        Assert.False(change.Blocked);
    }

    [Fact]
    public void A_create_only_property_replaces_and_a_stateful_replacement_is_blocked()
    {
        var change = Single(
            Template("""  "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": "a" } }  """),
            Template("""  "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": "b" } }  """), "Logs");
        Assert.Equal(Effect.Replacement, change.Effect);
        Assert.True(change.Blocked);
        Assert.Contains("log events", change.Stateful, StringComparison.Ordinal);
    }

    [Fact]
    public void A_replacement_carries_on_to_what_references_it_through_a_create_only_property()
    {
        var before = Template("""
            "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.0.0.0/16" } },
            "Subnet": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Vpc" }, "CidrBlock": { "Fn::Select": [0, { "Fn::Cidr": [{ "Fn::GetAtt": ["Vpc", "CidrBlock"] }, 4, 8] }] } } },
            "Group": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "g", "VpcId": { "Ref": "Vpc" } } },
            "Balancer": { "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": { "Subnets": [{ "Ref": "Subnet" }] } }
            """);
        var after = before.DeepClone().AsObject();
        after["Resources"]!["Vpc"]!["Properties"]!["CidrBlock"] = "10.1.0.0/16";

        var diff = TemplateDiff.Compare("s", "t", "b", before, after);

        var effects = diff.Resources.ToDictionary(r => r.LogicalId, r => r.Effect);
        Assert.Equal(Effect.Replacement, effects["Vpc"]);
        Assert.Equal(Effect.Replacement, effects["Subnet"]);
        Assert.Equal(Effect.Replacement, effects["Group"]);
        // AWS::ElasticLoadBalancingV2::LoadBalancer's Subnets is not create-only: the balancer moves to the new subnet in place.
        Assert.Equal(Effect.InPlace, effects["Balancer"]);
        var subnet = diff.Resources.Single(r => r.LogicalId == "Subnet");
        Assert.Equal("Vpc is replaced", subnet.Properties.Single(p => p.Name == "VpcId").Because);
        Assert.Equal("Vpc.CidrBlock changes", subnet.Properties.Single(p => p.Name == "CidrBlock").Because);
        Assert.Equal(["Subnet", "Vpc"], diff.Blocked.Select(r => r.LogicalId).Order());
    }

    [Fact]
    public void A_resource_replaced_for_another_reason_keeps_an_attribute_that_mirrors_an_unchanged_property()
    {
        // Replacing the VPC for its tenancy... is only "may" (conditionally create-only); its CidrBlock attribute is the same.
        var before = Template("""
            "Vpc": { "Type": "AWS::EC2::VPC", "Properties": { "CidrBlock": "10.0.0.0/16", "InstanceTenancy": "default" } },
            "Subnet": { "Type": "AWS::EC2::Subnet", "Properties": { "VpcId": { "Ref": "Vpc" }, "CidrBlock": { "Fn::Select": [0, { "Fn::Cidr": [{ "Fn::GetAtt": ["Vpc", "CidrBlock"] }, 4, 8] }] } } }
            """);
        var after = before.DeepClone().AsObject();
        after["Resources"]!["Vpc"]!["Properties"]!["InstanceTenancy"] = "dedicated";

        var diff = TemplateDiff.Compare("s", "t", "b", before, after);

        // AWS::EC2::VPC lists InstanceTenancy in conditionalCreateOnlyProperties.
        Assert.Equal(Effect.MayReplace, diff.Resources.Single(r => r.LogicalId == "Vpc").Effect);
        var subnet = diff.Resources.Single(r => r.LogicalId == "Subnet");
        Assert.Equal(Effect.MayReplace, subnet.Effect);
        var property = Assert.Single(subnet.Properties);
        Assert.Equal(("VpcId", false, "Vpc may be replaced"), (property.Name, property.Certain, property.Because));
        Assert.True(subnet.Blocked);
    }

    [Fact]
    public void A_create_only_value_that_depends_on_a_parameter_may_replace()
    {
        var before = Template("""  "Record": { "Type": "AWS::Route53::RecordSet", "Properties": { "Name": "a.example.com", "Type": "A", "HostedZoneId": "Z1" } }  """,
            """ "Parameters": { "Name": { "Type": "String", "Default": "b.example.com" } } """);
        var after = Template("""  "Record": { "Type": "AWS::Route53::RecordSet", "Properties": { "Name": { "Ref": "Name" }, "Type": "A", "HostedZoneId": "Z1" } }  """,
            """ "Parameters": { "Name": { "Type": "String", "Default": "b.example.com" } } """);
        var change = Single(before, after, "Record");
        Assert.Equal(Effect.MayReplace, change.Effect);
        Assert.False(Assert.Single(change.Properties).Certain);
        Assert.True(change.Blocked);
    }

    [Fact]
    public void A_changed_parameter_default_may_replace_what_uses_it_in_a_create_only_property()
    {
        var body = """  "Record": { "Type": "AWS::Route53::RecordSet", "Properties": { "Name": { "Ref": "Name" }, "Type": "A", "HostedZoneId": "Z1" } }  """;
        var diff = TemplateDiff.Compare("s", "t", "b",
            Template(body, """ "Parameters": { "Name": { "Type": "String", "Default": "a.example.com" } } """),
            Template(body, """ "Parameters": { "Name": { "Type": "String", "Default": "b.example.com" } } """));
        var change = Assert.Single(diff.Resources);
        Assert.Equal(Effect.MayReplace, change.Effect);
        Assert.Equal("parameter Name's default changed, used if passed", Assert.Single(change.Properties).Because);
        Assert.Equal(new SectionChange("parameter", "Name", ChangeKind.Changed, "Default"), Assert.Single(diff.Sections));
    }

    [Fact]
    public void A_create_only_value_under_a_condition_may_replace()
    {
        var before = Template("""  "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": { "Fn::If": ["C", "a", "b"] } } }  """, """ "Conditions": { "C": { "Fn::Equals": ["x", "y"] } } """);
        var after = Template("""  "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": { "Fn::If": ["C", "a", "c"] } } }  """, """ "Conditions": { "C": { "Fn::Equals": ["x", "y"] } } """);
        Assert.Equal(Effect.MayReplace, Single(before, after, "Logs").Effect);
    }

    [Fact]
    public void The_same_value_written_another_way_is_no_change()
    {
        var before = Template("""  "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": { "Fn::Sub": "${AWS::StackName}-app" } } }  """);
        var after = Template("""  "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": { "Fn::Join": ["-", [{ "Ref": "AWS::StackName" }, "app"]] } } }  """);
        var diff = TemplateDiff.Compare("s", "t", "b", before, after);
        Assert.False(diff.HasChanges);
    }

    [Fact]
    public void The_service_starts_a_new_deployment_when_its_task_definition_is_replaced()
    {
        var before = Template("""
            "Task": { "Type": "AWS::ECS::TaskDefinition", "Properties": { "Cpu": "256", "Memory": "512", "ContainerDefinitions": [] } },
            "Service": { "Type": "AWS::ECS::Service", "Properties": { "TaskDefinition": { "Ref": "Task" }, "DeploymentConfiguration": { "MaximumPercent": 200 } } }
            """);
        var after = before.DeepClone().AsObject();
        after["Resources"]!["Task"]!["Properties"]!["Cpu"] = "512";
        var diff = TemplateDiff.Compare("s", "t", "b", before, after);
        Assert.Equal(Effect.Replacement, diff.Resources.Single(r => r.LogicalId == "Task").Effect);
        var service = diff.Resources.Single(r => r.LogicalId == "Service");
        Assert.Equal(Effect.NewDeployment, service.Effect);
        Assert.Equal("Task is replaced", Assert.Single(service.Properties).Because);
        Assert.False(diff.Blocked.Any());

        // Another service setting alone is an in-place update.
        var other = before.DeepClone().AsObject();
        other["Resources"]!["Service"]!["Properties"]!["DeploymentConfiguration"]!["MaximumPercent"] = 150;
        Assert.Equal(Effect.InPlace, Assert.Single(TemplateDiff.Compare("s", "t", "b", before, other).Resources).Effect);
    }

    [Fact]
    public void Removing_a_stateful_resource_is_blocked_and_adding_one_is_not()
    {
        var diff = TemplateDiff.Compare("s", "t", "b",
            Template("""  "Bucket": { "Type": "AWS::S3::Bucket" }  """),
            Template("""  "Repository": { "Type": "AWS::ECR::Repository" }  """));
        Assert.Equal([("Repository", ChangeKind.Added, false), ("Bucket", ChangeKind.Removed, true)], diff.Resources.Select(r => (r.LogicalId, r.Kind, r.Blocked)));
    }

    [Fact]
    public void Outputs_that_reference_a_replaced_resource_change()
    {
        var before = Template("""  "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": "a" } }  """, """ "Outputs": { "Name": { "Value": { "Ref": "Logs" } } } """);
        var after = Template("""  "Logs": { "Type": "AWS::Logs::LogGroup", "Properties": { "LogGroupName": "b" } }  """, """ "Outputs": { "Name": { "Value": { "Ref": "Logs" } } } """);
        Assert.Equal(new SectionChange("output", "Name", ChangeKind.Changed, "Logs is replaced"), Assert.Single(TemplateDiff.Compare("s", "t", "b", before, after).Sections));
    }

    // Security-relevant changes.

    static IReadOnlyList<string> Security(string before, string after) =>
        [.. TemplateDiff.Compare("s", "t", "b", Template(before), Template(after)).Security.Select(s => $"{s.LogicalId}: {s.Message}")];

    const string Role = """
        "Role": { "Type": "AWS::IAM::Role", "Properties": {
          "AssumeRolePolicyDocument": { "Statement": [{ "Effect": "Allow", "Principal": { "Service": "ecs-tasks.amazonaws.com" }, "Action": "sts:AssumeRole" }] },
          "Policies": [{ "PolicyName": "p", "PolicyDocument": { "Statement": [{ "Effect": "Allow", "Action": [ACTIONS], "Resource": RESOURCE }] } }] } }
        """;

    [Fact]
    public void An_iam_action_or_resource_widened_is_security_relevant_and_a_narrowing_is_not()
    {
        var narrow = Role.Replace("ACTIONS", "\"s3:GetObject\"", StringComparison.Ordinal).Replace("RESOURCE", "\"arn:aws:s3:::b/*\"", StringComparison.Ordinal);
        var moreActions = Role.Replace("ACTIONS", "\"s3:GetObject\", \"s3:PutObject\"", StringComparison.Ordinal).Replace("RESOURCE", "\"arn:aws:s3:::b/*\"", StringComparison.Ordinal);
        var wildcard = Role.Replace("ACTIONS", "\"s3:*\"", StringComparison.Ordinal).Replace("RESOURCE", "\"*\"", StringComparison.Ordinal);

        Assert.Equal(["Role: IAM: allows s3:PutObject on arn:aws:s3:::b/* (new)"], Security(narrow, moreActions));
        Assert.Equal(["Role: IAM: allows s3:* on * (a wildcard) (new)"], Security(narrow, wildcard));
        Assert.Empty(Security(wildcard, narrow));
        Assert.Empty(Security(moreActions, narrow));
    }

    [Fact]
    public void A_trust_policy_principal_added_and_a_deny_removed_are_security_relevant()
    {
        var before = """
            "Role": { "Type": "AWS::IAM::Role", "Properties": {
              "AssumeRolePolicyDocument": { "Statement": [{ "Effect": "Allow", "Principal": { "Service": "ecs-tasks.amazonaws.com" }, "Action": "sts:AssumeRole" }] } } },
            "Policy": { "Type": "AWS::S3::BucketPolicy", "Properties": { "Bucket": "b", "PolicyDocument": { "Statement": [
              { "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*", "Condition": { "Bool": { "aws:SecureTransport": "false" } } }] } } }
            """;
        var after = """
            "Role": { "Type": "AWS::IAM::Role", "Properties": {
              "AssumeRolePolicyDocument": { "Statement": [{ "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:root" }, "Action": "sts:AssumeRole" }] } } },
            "Policy": { "Type": "AWS::S3::BucketPolicy", "Properties": { "Bucket": "b", "PolicyDocument": { "Statement": [] } } }
            """;
        Assert.Equal([
            """Role: IAM: allows sts:AssumeRole to {"AWS":"arn:aws:iam::111122223333:root"} (new)""",
            """Policy: IAM: no longer denies s3:* on arn:aws:s3:::b/* when {"Bool":{"aws:SecureTransport":"false"}}""",
        ], Security(before, after));
    }

    [Fact]
    public void Ingress_opened_public_access_and_encryption_turned_off_are_security_relevant()
    {
        var before = """
            "Group": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "g", "SecurityGroupIngress": [{ "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8" }] } },
            "Bucket": { "Type": "AWS::S3::Bucket", "Properties": {
              "BucketEncryption": { "ServerSideEncryptionConfiguration": [{ "ServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "k" } }] },
              "PublicAccessBlockConfiguration": { "BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true } } },
            "Listener": { "Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": { "LoadBalancerArn": "a", "Port": 443, "Protocol": "HTTPS" } }
            """;
        var after = """
            "Group": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "GroupDescription": "g", "SecurityGroupIngress": [{ "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/8" }, { "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0" }] } },
            "Bucket": { "Type": "AWS::S3::Bucket", "Properties": {
              "PublicAccessBlockConfiguration": { "BlockPublicAcls": true, "BlockPublicPolicy": false, "IgnorePublicAcls": true, "RestrictPublicBuckets": true } } },
            "Listener": { "Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": { "LoadBalancerArn": "a", "Port": 443, "Protocol": "HTTP" } }
            """;
        Assert.Equal([
            "Group: ingress opened: tcp 22 from 0.0.0.0/0 (anywhere)",
            "Bucket: encryption: BucketEncryption is removed",
            "Bucket: public access: PublicAccessBlockConfiguration.BlockPublicPolicy turned off",
            "Listener: encryption in transit turned off: Protocol HTTPS -> HTTP",
        ], Security(before, after));
        // Back again: nothing widened.
        Assert.Empty(Security(after, before));
    }

    [Fact]
    public void The_guides_templates_against_themselves_have_no_changes_and_a_new_task_role_grant_is_listed()
    {
        Assert.All(DiffContractTests.Diff(Fixtures.Guide, Fixtures.Guide), d => Assert.False(d.HasChanges));

        // A secret added: the execution role may read one more parameter (a widening), and the task definition is replaced.
        var after = Fixtures.Guide with { Service = Fixtures.Guide.Service with { Secrets = new() { ["FLASK_SECRET_KEY"] = Secret.FromSsm("/flask-app/secret-key"), ["API_TOKEN"] = Secret.FromSsm("/flask-app/api-token") } } };
        var prod = DiffContractTests.Diff(Fixtures.Guide, after).Single(d => d.Stack == "flask-app-prod.template.json");
        Assert.Contains(prod.Security, s => s.LogicalId == "TaskExecutionRole" && s.Message.StartsWith("IAM: allows ssm:GetParameters on arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/flask-app/api-token", StringComparison.Ordinal));
    }

    // Formats and the command line.

    (int Exit, string Out, string Err) Run(App app, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = TemplatesCli.Run(args, stdout, stderr, app);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    string Baseline()
    {
        var dir = Path.Combine(_dir, "base");
        Assert.Equal(0, TemplatesCli.Run(["--out", dir], TextWriter.Null, TextWriter.Null, Fixtures.Guide));
        return dir;
    }

    static App ProdCpu => Fixtures.Guide with { Environments = [.. Fixtures.Guide.Environments.Select(e => e.Name == "prod" ? e with { Service = e.Service! with { Cpu = 1024, MemoryMiB = 2048 } } : e)] };

    static App ProdCidr => Fixtures.Guide with { Environments = [.. Fixtures.Guide.Environments.Select(e => e.Name == "prod" ? e with { Network = (NewVpc)e.Network! with { Cidr = "10.20.0.0/16" } } : e)] };

    [Fact]
    public async Task Text_one_line_per_resource_grouped_by_stack_without_colour_unless_asked()
    {
        var dir = Baseline();
        var (exit, stdout, stderr) = Run(ProdCpu, "diff", "--against", dir);
        Assert.Equal("", stderr);
        Assert.Equal(0, exit);
        var lines = stdout.Split('\n');
        Assert.Equal($"flask-app-dev (flask-app [dev]) against {Path.Combine(dir, "flask-app-dev.template.json")}: no changes", lines[1]);
        Assert.Equal($"flask-app-prod (flask-app [prod]) against {Path.Combine(dir, "flask-app-prod.template.json")}:", lines[3]);
        Assert.Equal("  ~ TaskDefinition  AWS::ECS::TaskDefinition  replacement     Cpu (create-only), Memory (create-only)", lines[4]);
        Assert.Equal("  ~ Service         AWS::ECS::Service         new deployment  TaskDefinition (TaskDefinition is replaced)", lines[5]);
        Assert.Equal("4 stacks: 1 changed; 1 new deployment, 1 replacement.", lines[6]);
        Assert.DoesNotContain('\u001b', stdout);

        var colored = new StringWriter();
        var code = await DiffCommand.RunAsync([ProdCpu], [], () => new FolderBaseline(dir), "text", false, color: true, colored, TextWriter.Null);
        Assert.Equal(0, code);
        Assert.Contains("\u001b[31;1mreplacement   \u001b[0m", colored.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_stateful_replacement_exits_1_with_the_reason_unless_allowed()
    {
        var dir = Baseline();
        var (exit, stdout, _) = Run(ProdCidr, "diff", "--against", dir, "--env", "prod");
        Assert.Equal(1, exit);
        Assert.Contains("  ~ Vpc ", stdout, StringComparison.Ordinal);
        Assert.Contains("Blocked: 7 stateful resources would be replaced or removed:", stdout, StringComparison.Ordinal);
        Assert.Contains("  flask-app-prod Vpc (AWS::EC2::VPC) would be replaced: replacing it replaces everything in it", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("flask-app-dev", stdout, StringComparison.Ordinal);

        var (allowed, allowedOut, _) = Run(ProdCidr, "diff", "--against", dir, "--env", "prod", "--allow-replacement");
        Assert.Equal(0, allowed);
        Assert.EndsWith("Allowed by --allow-replacement.\n", allowedOut.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Markdown_and_json()
    {
        var dir = Baseline();
        var (exit, markdown, _) = Run(ProdCidr, "diff", "--against", dir, "--format", "markdown");
        Assert.Equal(1, exit);
        Assert.Contains("| ~ | `Vpc` | `AWS::EC2::VPC` | **replacement** ⛔ stateful | CidrBlock (create-only) |", markdown, StringComparison.Ordinal);
        Assert.Contains("### `flask-app-dev` (flask-app [dev])", markdown, StringComparison.Ordinal);

        var (jsonExit, json, _) = Run(ProdCpu, "diff", "--against", dir, "--format", "json");
        Assert.Equal(0, jsonExit);
        var root = JsonNode.Parse(json)!;
        Assert.False((bool)root["blocked"]!);
        var prod = root["stacks"]!.AsArray().Single(s => (string?)s!["stack"] == "flask-app-prod")!;
        Assert.True((bool)prod["changed"]!);
        var service = prod["resources"]!.AsArray().Single(r => (string?)r!["logicalId"] == "Service")!;
        Assert.Equal("new deployment", (string?)service["effect"]);
        Assert.Equal("TaskDefinition is replaced", (string?)service["properties"]![0]!["because"]);
    }

    [Fact]
    public void Snapshots_are_a_baseline_and_a_stack_missing_from_the_folder_is_new()
    {
        var snapshots = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Snapshots");
        var (exit, stdout, _) = Run(Fixtures.Guide, "diff", "--against", snapshots);
        Assert.Equal(0, exit);
        Assert.Contains("4 stacks: 0 changed.", stdout, StringComparison.Ordinal);

        var partial = Path.Combine(_dir, "partial");
        Directory.CreateDirectory(partial);
        File.Copy(Path.Combine(snapshots, "flask-app-dev.verified.json"), Path.Combine(partial, "flask-app-dev.verified.json"));
        var (_, some, _) = Run(Fixtures.Guide, "diff", "--against", partial, "--env", "dev", "--format", "json");
        var stacks = JsonNode.Parse(some)!["stacks"]!.AsArray();
        Assert.False((bool)stacks.Single(s => (string?)s!["stack"] == "flask-app-shared")!["baselineFound"]!);
        Assert.All(stacks.Single(s => (string?)s!["stack"] == "flask-app-shared")!["resources"]!.AsArray(), r => Assert.Equal("added", (string?)r!["change"]));
        Assert.False((bool)stacks.Single(s => (string?)s!["stack"] == "flask-app-dev")!["changed"]!);
    }

    [Fact]
    public void A_yaml_template_is_a_baseline_too()
    {
        var folder = Path.Combine(_dir, "yaml");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "shop-dev.template.yaml"), """
            Resources:
              LogGroup:
                Type: AWS::Logs::LogGroup
                Properties:
                  RetentionInDays: 1
                  LogGroupName: !Sub "${AWS::StackName}-logs"
            """);
        // The short form !Sub is read as Fn::Sub; dropping the create-only LogGroupName replaces the log group (stateful: exit 1).
        var (exit, stdout, _) = Run(Fixtures.Minimal(), "diff", "--against", folder, "--format", "json");
        Assert.Equal(1, exit);
        var dev = JsonNode.Parse(stdout)!["stacks"]!.AsArray().Single(s => (string?)s!["stack"] == "shop-dev")!;
        Assert.True((bool)dev["baselineFound"]!);
        var logGroup = dev["resources"]!.AsArray().Single(r => (string?)r!["logicalId"] == "LogGroup")!;
        Assert.Equal("changed", (string?)logGroup["change"]);
        Assert.Equal("replacement", (string?)logGroup["effect"]);
        // Metadata: the emitted log group records its key trade-off, which the hand-written baseline lacks.
        Assert.Equal(["RetentionInDays", "LogGroupName", "DeletionPolicy", "UpdateReplacePolicy", "Metadata"], logGroup["properties"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.True((bool)logGroup["blocked"]!);
        Assert.Contains(dev["resources"]!.AsArray(), r => (string?)r!["change"] == "added");
    }

    [Theory]
    [InlineData("no-such-folder", "no-such-folder' is not a folder. Give a folder of templates")]
    [InlineData("--against-stack --against x", "error: give one baseline")]
    [InlineData("--region eu-west-1", "--region and --profile apply to --against-stack only")]
    [InlineData("--env qa", "error: no environment named 'qa'")]
    [InlineData("--format yaml", "yaml")]
    public void Wrong_options_exit_2_with_one_error(string options, string message)
    {
        var args = options.Split(' ');
        if (args[0] == "no-such-folder") args = ["--against", Path.Combine(_dir, "no-such-folder")];
        var (exit, stdout, stderr) = Run(Fixtures.Guide, ["diff", .. args]);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public void A_definition_with_errors_exits_1_and_compares_nothing()
    {
        var broken = Fixtures.Guide with { Service = Fixtures.Guide.Service with { Cpu = 300 } };
        var (exit, stdout, stderr) = Run(broken, "diff", "--against", Baseline());
        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("TPL0003", stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was compared", stderr, StringComparison.Ordinal);
    }
}
