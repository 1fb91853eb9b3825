using System.Text.Json.Nodes;
using Templates.Generation;
using Templates.Generation.CloudFormation;
using Templates.Generation.Cli;

namespace Templates.Tests;

/// <summary>
/// What a real account needs of the templates and that neither moto nor a schema checks: dependencies CloudFormation does not
/// infer, trust policies the services accept, permissions on the resources the services actually authorize against, and
/// updates that do not undo what ECS did on its own. Each test states the AWS behaviour it holds the template to.
/// </summary>
public class RealAwsTests
{
    static App Guide => Fixtures.Guide;

    static Env Prod => Guide.Environments.Single(e => e.Name == "prod");

    static App WithProd(Func<Env, Env> change) => Guide with { Environments = [.. Guide.Environments.Select(e => e.Name == "prod" ? change(e) : e)] };

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void An_internet_facing_load_balancer_in_a_new_vpc_waits_for_the_gateway_attachment(string env)
    {
        // CloudFormation's DependsOn page: an internet-facing resource in a new VPC needs the gateway attached, which no Ref
        // expresses ("VPC has no internet gateway" at random; deletion can detach the gateway first).
        var view = Fixtures.View(Guide, env);
        var dependsOn = view.Resource(LogicalIds.LoadBalancer)["DependsOn"]!;
        Assert.Contains(LogicalIds.InternetGatewayAttachment, dependsOn is JsonArray list ? list.Select(d => (string?)d) : [(string?)dependsOn]);
    }

    [Fact]
    public void In_an_existing_vpc_the_load_balancer_has_no_dependency_on_a_gateway_it_does_not_create()
    {
        var app = Fixtures.Minimal() with
        {
            Network = new ExistingVpc { VpcId = "vpc-0123456789abcdef0", PublicSubnetIds = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] },
        };
        var view = Fixtures.View(app, "dev");
        Assert.Null(view.Resource(LogicalIds.LoadBalancer)["DependsOn"]);
        Assert.Empty(view.OfType("AWS::EC2::VPCGatewayAttachment"));
    }

    [Fact]
    public void With_blue_green_the_listener_default_never_forwards_to_a_target_group_that_may_be_empty()
    {
        // After a blue/green deployment either group may be the empty one; AWS's own blue/green samples answer a fixed 503.
        var view = Fixtures.View(Guide, "prod");
        var action = Assert.Single(view.Properties(LogicalIds.HttpsListener)["DefaultActions"]!.AsArray())!;
        Assert.Equal("fixed-response", (string?)action["Type"]);
        Assert.Equal("503", (string?)action["FixedResponseConfig"]!["StatusCode"]);
        Assert.Null(action["TargetGroupArn"]);
        // Every request matches the production rule instead.
        Assert.Equal("/*", (string?)view.Properties(LogicalIds.ProductionListenerRule)["Conditions"]![0]!["PathPatternConfig"]!["Values"]![0]);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    public void A_rolling_environment_forwards_by_default_to_its_only_target_group(string env)
    {
        var action = Assert.Single(Fixtures.View(Guide, env).Properties(LogicalIds.HttpsListener)["DefaultActions"]!.AsArray())!;
        Assert.Equal("forward", (string?)action["Type"]);
        Assert.Equal(LogicalIds.TargetGroup, (string?)action["TargetGroupArn"]!["Ref"]);
    }

    /// <summary>Every setting of prod changed one at a time (each change valid on its own).</summary>
    public static TheoryData<string> ProdChanges => [.. ProdChange.All.Keys];

    static class ProdChange
    {
        public static readonly Dictionary<string, Func<App>> All = new()
        {
            ["Tasks"] = () => WithProd(e => e with { Tasks = new TaskCount(3, 12) }),
            ["Scaling"] = () => WithProd(e => e with { Scaling = new Scaling { CpuTargetPercent = 40 } }),
            ["Service.Cpu/MemoryMiB"] = () => WithProd(e => e with { Service = e.Service! with { Cpu = 1024, MemoryMiB = 2048 } }),
            ["Service.ImageTag"] = () => WithProd(e => e with { Service = e.Service! with { ImageTag = "2.0.0" } }),
            ["Service.LogRetentionDays"] = () => WithProd(e => e with { Service = e.Service! with { LogRetentionDays = 365 } }),
            ["Service.HealthCheck"] = () => WithProd(e => e with { Service = e.Service! with { HealthCheck = new HealthCheck { Path = "/ready", IntervalSeconds = 30, TimeoutSeconds = 10 } } }),
            ["Service.EnvironmentVariables"] = () => WithProd(e => e with { Service = e.Service! with { EnvironmentVariables = new() { ["FEATURE"] = "on" } } }),
            ["Service.Secrets"] = () => WithProd(e => e with { Service = e.Service! with { Secrets = new() { ["API_TOKEN"] = Secret.FromSsm("/flask-app/api-token") } } }),
            ["Deployment.BakeTimeMinutes"] = () => WithProd(e => e with { Deployment = new BlueGreenDeployment { BakeTimeMinutes = 30 } }),
            ["Pipeline"] = () => WithProd(e => e with { Pipeline = new Pipeline { Branch = "release", ManualApproval = false, Compute = BuildCompute.Medium } }),
            ["Network"] = () => WithProd(e => e with { Network = new NewVpc { Cidr = "10.2.0.0/16", AvailabilityZones = 2, TaskSubnets = TaskSubnets.Private, NatGateways = NatGateways.Single } }),
            ["Dns"] = () => WithProd(e => e with { Dns = new DnsName { Name = "www.example.com", HostedZoneId = "Z0123456789ABCDEFGHIJ" } }),
            ["Certificate"] = () => WithProd(e => e with { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:746109777700:certificate/6c1e7f1a-1b2c-4d3e-8f90-0a1b2c3d4e5f") }),
            ["LoadBalancer.TlsPolicy/IdleTimeout"] = () => Guide with { LoadBalancer = Guide.LoadBalancer with { TlsPolicy = TlsPolicies.Recommended, IdleTimeoutSeconds = 120 } },
            ["Service.Port"] = () => Guide with { Service = Guide.Service with { Port = 8000 } },
            ["Mail"] = () => Guide with { Mail = null },
        };
    }

    [Theory]
    [MemberData(nameof(ProdChanges))]
    public void Changing_any_other_setting_of_prod_leaves_the_production_listener_rule_untouched(string setting)
    {
        // ECS owns the rule's weights after the first blue/green deployment; a stack update that rewrote the rule would reset
        // them to 100/0 and could send every request to a target group that is now empty.
        var before = Fixtures.View(Guide, "prod");
        var after = Fixtures.View(ProdChange.All[setting](), "prod");
        Assert.NotEqual(before.Json.ToJsonString(), after.Json.ToJsonString());
        Assert.Equal(before.Resource(LogicalIds.ProductionListenerRule).ToJsonString(), after.Resource(LogicalIds.ProductionListenerRule).ToJsonString());
        // Nor is a target group it forwards to replaced (their create-only properties), except by a new container port.
        if (setting != "Service.Port")
        {
            foreach (var group in new[] { LogicalIds.TargetGroup, LogicalIds.AlternateTargetGroup })
                foreach (var createOnly in new[] { "Port", "Protocol", "TargetType", "VpcId" })
                    Assert.Equal(before.Properties(group)[createOnly]!.ToJsonString(), after.Properties(group)[createOnly]!.ToJsonString());
        }
    }

    [Fact]
    public void Prod_turns_deletion_protection_on_only_through_a_parameter_that_is_off_on_the_first_create()
    {
        // A protected load balancer cannot be deleted by the rollback of a failed first create: the stack would end in
        // ROLLBACK_FAILED. The printed command passes true once the stack exists.
        var view = Fixtures.View(Guide, "prod");
        var parameter = view.Parameters[LogicalIds.DeletionProtectionParameter]!;
        Assert.Equal("false", (string?)parameter["Default"]);
        Assert.Equal(["true", "false"], parameter["AllowedValues"]!.AsArray().Select(v => (string)v!));
        var attribute = view.Properties(LogicalIds.LoadBalancer)["LoadBalancerAttributes"]!.AsArray().Single(a => (string?)a!["Key"] == "deletion_protection.enabled")!;
        Assert.Equal(LogicalIds.DeletionProtectionParameter, (string?)attribute["Value"]!["Ref"]);
    }

    [Fact]
    public void Outside_production_there_is_no_deletion_protection_at_all()
    {
        var view = Fixtures.View(Guide, "dev");
        Assert.Null(view.Parameters[LogicalIds.DeletionProtectionParameter]);
        Assert.DoesNotContain(view.Properties(LogicalIds.LoadBalancer)["LoadBalancerAttributes"]!.AsArray(), a => (string?)a!["Key"] == "deletion_protection.enabled");
    }

    static JsonNode Trust(TemplateView view, string role) => view.Properties(role)["AssumeRolePolicyDocument"]!["Statement"]![0]!;

    [Fact]
    public void Trust_policies_carry_confused_deputy_conditions_only_where_the_service_documents_them()
    {
        var prod = Fixtures.View(Guide, "prod");
        // The task role: ECS's "Task IAM role" page recommends both keys.
        var task = Trust(prod, LogicalIds.TaskRole);
        Assert.Equal("ecs-tasks.amazonaws.com", (string?)task["Principal"]!["Service"]);
        Assert.NotNull(task["Condition"]!["StringEquals"]!["aws:SourceAccount"]);
        Assert.Equal("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*", (string?)task["Condition"]!["ArnLike"]!["aws:SourceArn"]!["Fn::Sub"]);
        // CodeBuild documents aws:SourceAccount and aws:SourceArn (the project's ARN) for its service role.
        Assert.NotNull(Trust(prod, LogicalIds.BuildRole)["Condition"]!["StringEquals"]!["aws:SourceAccount"]);
        Assert.EndsWith(":project/${AWS::StackName}-build", (string?)Trust(prod, LogicalIds.BuildRole)["Condition"]!["ArnLike"]!["aws:SourceArn"]!["Fn::Sub"]);
        // No AWS document shows these services send the keys when they assume these roles; a condition on a key that is not
        // sent fails every AssumeRole, so they carry none.
        foreach (var role in new[] { LogicalIds.ExecutionRole, LogicalIds.EcsInfrastructureRole, LogicalIds.PipelineRole })
        {
            var statement = Trust(prod, role);
            Assert.Null(statement["Condition"]);
            Assert.Equal("sts:AssumeRole", (string?)statement["Action"]);
        }
    }

    [Theory]
    [InlineData("arn:aws:codestar-connections:us-east-1:123456789012:connection/0f5e9a3c-1b2d-4e6f-8a9b-0c1d2e3f4a5b", "codestar-connections:UseConnection")]
    [InlineData("arn:aws:codeconnections:us-east-1:123456789012:connection/0f5e9a3c-1b2d-4e6f-8a9b-0c1d2e3f4a5b", "codeconnections:UseConnection")]
    public void The_pipeline_may_use_the_connection_with_the_action_of_the_arns_own_prefix(string connectionArn, string expected)
    {
        // "When specifying a resource in the IAM policy, the service prefix needs to match that of the resource" (the
        // CodeConnections rename page). The statement is chosen by a condition on the ARN: evaluate it as CloudFormation would.
        var view = Fixtures.View(Guide, "prod");
        var statements = view.Properties(LogicalIds.PipelineRole)["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        var choice = Assert.Single(statements, s => s is JsonObject o && o.ContainsKey("Fn::If"))!["Fn::If"]!.AsArray();
        var condition = view.Json["Conditions"]![(string)choice[0]!]!["Fn::Equals"]!.AsArray();
        var use = Evaluate(condition[0]!, connectionArn) == (string)condition[1]! ? choice[1]! : choice[2]!;
        Assert.Equal("UseConnection", (string?)use["Sid"]);
        Assert.Equal(LogicalIds.GitHubConnectionArnParameter, (string?)use["Resource"]!["Ref"]);
        Assert.Matches(Templates.Rules.Checks.ConnectionArnPatternText, connectionArn);
        Assert.Equal(expected, (string?)use["Action"]);
        // Its condition key belongs to the same service.
        Assert.StartsWith(expected.Split(':')[0] + ":", Assert.Single(use["Condition"]!["StringEqualsIfExists"]!.AsObject()).Key);
    }

    /// <summary>Evaluates the few intrinsic functions the condition uses, with the connection parameter bound.</summary>
    static string Evaluate(JsonNode node, string connectionArn)
    {
        if (node is JsonValue value) return (string)value!;
        var (name, args) = Assert.Single(node.AsObject());
        return name switch
        {
            "Ref" when (string?)args == LogicalIds.GitHubConnectionArnParameter => connectionArn,
            "Fn::Join" => string.Join((string)args![0]!, args[1]!.AsArray().Select(p => Evaluate(p!, connectionArn))),
            "Fn::Select" => EvaluateList(args![1]!, connectionArn)[(int)args[0]!],
            _ => throw new Xunit.Sdk.XunitException($"Unexpected {name} in the condition."),
        };
    }

    static string[] EvaluateList(JsonNode node, string connectionArn)
    {
        var (name, args) = Assert.Single(node.AsObject());
        Assert.Equal("Fn::Split", name);
        return Evaluate(args![1]!, connectionArn).Split((string)args[0]!);
    }

    [Fact]
    public void The_build_may_look_its_tag_up_in_the_repository_before_pushing()
    {
        var statements = Fixtures.View(Guide, "dev").Properties(LogicalIds.BuildRole)["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        var push = statements.Single(s => (string?)s!["Sid"] == "PushImage")!;
        Assert.Contains("ecr:DescribeImages", push["Action"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/flask-app", (string?)push["Resource"]!["Fn::Sub"]);
        var spec = (string)Fixtures.View(Guide, "dev").Properties(LogicalIds.BuildProject)["Source"]!["BuildSpec"]!;
        Assert.Contains("aws ecr describe-images --repository-name \"$REPOSITORY_NAME\" --image-ids imageTag=\"$IMAGE_TAG\"", spec);
    }

    [Fact]
    public void The_sample_image_is_built_from_the_ecr_public_mirror_not_docker_hub()
    {
        // Docker Hub rate-limits anonymous pulls per address, and CodeBuild's addresses are shared.
        var dockerfile = File.ReadAllLines(Path.Combine(Fixtures.RepositoryRoot(), "examples", "flask-app", "Dockerfile"));
        var from = Assert.Single(dockerfile, l => l.StartsWith("FROM ", StringComparison.Ordinal));
        Assert.StartsWith("FROM public.ecr.aws/docker/library/python:", from);
    }

    [Fact]
    public void The_printed_steps_create_every_secret_in_its_region_before_the_environments_are_deployed()
    {
        var stdout = new StringWriter();
        var dir = Directory.CreateTempSubdirectory("templates-secrets-").FullName;
        try
        {
            Assert.Equal(0, TemplatesCli.Run(["--out", dir], stdout, new StringWriter(), Guide));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        var text = stdout.ToString();
        const string command = "aws ssm put-parameter --name /flask-app/secret-key --type SecureString --value \"$(openssl rand -hex 32)\" --region us-east-1";
        Assert.Single(text.Split('\n'), l => l.Contains(command, StringComparison.Ordinal));
        Assert.True(text.IndexOf(command, StringComparison.Ordinal) < text.IndexOf("--stack-name flask-app-dev", StringComparison.Ordinal), "The secret must be created before the first environment is deployed.");
    }

    [Fact]
    public void Secrets_manager_secrets_get_their_create_command_and_each_secret_is_listed_once_per_region()
    {
        var app = Fixtures.Minimal(
            new Env("dev") { Tasks = new TaskCount(1, 2), Region = "eu-west-1" },
            new Env("qa") { Tasks = new TaskCount(1, 2), Region = "eu-west-1" },
            new Env("prod") { Tasks = new TaskCount(2, 4), Region = "eu-central-1", Certificate = new AcmCertificate("arn:aws:acm:eu-central-1:123456789012:certificate/abc-123") }) with
        {
            Service = Fixtures.Minimal().Service with { Secrets = new() { ["DB_PASSWORD"] = Secret.FromSecretsManager("shop/db") } },
        };
        var lines = TemplatesCli.SecretSteps(Emitter.Generate([app]).Templates.Select(t => t.Model)).ToList();
        Assert.Equal(
        [
            "aws secretsmanager create-secret --name shop/db --secret-string \"$(openssl rand -hex 32)\" --region eu-west-1   # DB_PASSWORD",
            "aws secretsmanager create-secret --name shop/db --secret-string \"$(openssl rand -hex 32)\" --region eu-central-1   # DB_PASSWORD",
        ], lines.Take(2));
        Assert.Equal(3, lines.Count);
    }

    [Fact]
    public void Prods_printed_command_turns_deletion_protection_on_only_for_an_existing_stack()
    {
        var prod = Assert.Single(Emitter.Generate([Guide], ["prod"]).Templates);
        var command = TemplatesCli.DeployCommand("out/flask-app-prod.template.json", prod.Model, prod.NeedsS3);
        // What the expression answers for each stack status is run against moto in the end-to-end PrintedCommandTests.
        Assert.Contains($"DeletionProtection=\"{TemplatesCli.DeletionProtectionExpression("flask-app-prod", " --region us-east-1")}\"", command);
        Assert.Contains("*'does not exist'*|REVIEW_IN_PROGRESS|ROLLBACK_COMPLETE) echo false", command);
        var dev = Assert.Single(Emitter.Generate([Guide], ["dev"]).Templates);
        Assert.DoesNotContain("DeletionProtection", TemplatesCli.DeployCommand("out/flask-app-dev.template.json", dev.Model, dev.NeedsS3));
    }
}
