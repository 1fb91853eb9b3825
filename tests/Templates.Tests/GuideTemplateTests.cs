using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;

namespace Templates.Tests;

/// <summary>Targeted assertions on the guide's templates: the behaviour the definition asks for, one fact at a time.</summary>
public class GuideTemplateTests
{
    public static TheoryData<string> Environments => [.. Fixtures.Guide.Environments.Select(e => e.Name)];

    [Fact]
    public void The_guide_declares_dev_staging_and_prod()
    {
        Assert.Equal(["dev", "staging", "prod"], Fixtures.Guide.Environments.Select(e => e.Name));
    }

    [Theory]
    [InlineData("dev", 1, 2)]
    [InlineData("staging", 1, 4)]
    [InlineData("prod", 2, 10)]
    public void Scalable_target_bounds_follow_the_environment(string env, int min, int max)
    {
        var target = Fixtures.View(Fixtures.Guide, env).Properties(LogicalIds.ScalableTarget);
        Assert.Equal(min, (int)target["MinCapacity"]!);
        Assert.Equal(max, (int)target["MaxCapacity"]!);
    }

    [Fact]
    public void Dev_and_prod_differ_in_scaling()
    {
        var dev = Fixtures.View(Fixtures.Guide, "dev");
        var prod = Fixtures.View(Fixtures.Guide, "prod");
        Assert.NotEqual(dev.Properties(LogicalIds.ScalableTarget).ToJsonString(), prod.Properties(LogicalIds.ScalableTarget).ToJsonString());
        Assert.Equal(50, (int)prod.Properties(LogicalIds.CpuScalingPolicy)["TargetTrackingScalingPolicyConfiguration"]!["TargetValue"]!);
        Assert.Equal(60, (int)dev.Properties(LogicalIds.CpuScalingPolicy)["TargetTrackingScalingPolicyConfiguration"]!["TargetValue"]!);
        Assert.Contains(LogicalIds.MemoryScalingPolicy, prod.Resources.Select(r => r.Key));
        Assert.DoesNotContain(LogicalIds.MemoryScalingPolicy, dev.Resources.Select(r => r.Key));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Every_subnet_list_spans_at_least_two_availability_zones(string env)
    {
        var view = Fixtures.View(Fixtures.Guide, env);
        var lists = new List<JsonArray>
        {
            view.Properties(LogicalIds.LoadBalancer)["Subnets"]!.AsArray(),
            view.Properties(LogicalIds.Service)["NetworkConfiguration"]!["AwsvpcConfiguration"]!["Subnets"]!.AsArray(),
        };
        foreach (var list in lists)
        {
            var zones = list.Select(s => view.ZoneIndexOf(s!)).ToList();
            Assert.True(zones.Distinct().Count() >= 2, $"{env}: subnets {list.ToJsonString()} span zones {string.Join(",", zones)}");
            Assert.Equal(zones.Count, zones.Distinct().Count());
        }
    }

    [Fact]
    public void Prod_spans_three_zones_with_private_tasks_and_a_nat_gateway_per_zone()
    {
        var prod = Fixtures.View(Fixtures.Guide, "prod");
        Assert.Equal(3, prod.OfType("AWS::EC2::NatGateway").Count());
        var awsvpc = prod.Properties(LogicalIds.Service)["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
        Assert.Equal("DISABLED", (string?)awsvpc["AssignPublicIp"]);
        Assert.All(awsvpc["Subnets"]!.AsArray(), s => Assert.StartsWith("PrivateSubnet", (string)s!["Ref"]!));
    }

    [Fact]
    public void Staging_shares_one_nat_gateway_and_dev_has_none()
    {
        var staging = Fixtures.View(Fixtures.Guide, "staging");
        Assert.Single(staging.OfType("AWS::EC2::NatGateway"));
        Assert.All(staging.OfType("AWS::EC2::Route").Where(r => r.StartsWith("Private")),
            r => Assert.Equal("NatGateway1", (string)staging.Properties(r)["NatGatewayId"]!["Ref"]!));
        var dev = Fixtures.View(Fixtures.Guide, "dev");
        Assert.Empty(dev.OfType("AWS::EC2::NatGateway"));
        Assert.Equal("ENABLED", (string?)dev.Properties(LogicalIds.Service)["NetworkConfiguration"]!["AwsvpcConfiguration"]!["AssignPublicIp"]);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Availability_zones_are_never_hard_coded(string env)
    {
        var view = Fixtures.View(Fixtures.Guide, env);
        foreach (var subnet in view.OfType("AWS::EC2::Subnet"))
            Assert.NotNull(view.Properties(subnet)["AvailabilityZone"]!["Fn::Select"]);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Service_waits_for_the_listener_and_leaves_the_count_to_auto_scaling(string env)
    {
        var view = Fixtures.View(Fixtures.Guide, env);
        var service = view.Resource(LogicalIds.Service);
        // The listener (a target group must belong to a load balancer first) and the deployment alarms ECS is told to watch.
        Assert.Equal([LogicalIds.HttpsListener, LogicalIds.LoadBalancer5xxAlarm, LogicalIds.Target5xxAlarm, LogicalIds.ResponseTimeAlarm],
            service["DependsOn"]!.AsArray().Select(d => (string?)d));
        Assert.Null(service["Properties"]!["DesiredCount"]);
        Assert.Equal("service/${Cluster}/${Service.Name}", (string?)view.Properties(LogicalIds.ScalableTarget)["ResourceId"]!["Fn::Sub"]);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    public void Zero_downtime_rolling_deployment_with_rollback(string env)
    {
        var config = Fixtures.View(Fixtures.Guide, env).Properties(LogicalIds.Service)["DeploymentConfiguration"]!;
        Assert.Equal(100, (int)config["MinimumHealthyPercent"]!);
        Assert.Equal(200, (int)config["MaximumPercent"]!);
        Assert.True((bool)config["DeploymentCircuitBreaker"]!["Enable"]!);
        Assert.True((bool)config["DeploymentCircuitBreaker"]!["Rollback"]!);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Tasks_accept_traffic_only_from_the_load_balancer_on_the_container_port(string env)
    {
        var view = Fixtures.View(Fixtures.Guide, env);
        var tasks = view.Properties(LogicalIds.ServiceSecurityGroup);
        Assert.Null(tasks["SecurityGroupIngress"]);
        var ingress = view.OfType("AWS::EC2::SecurityGroupIngress").Select(view.Properties).ToList();
        var rule = Assert.Single(ingress);
        Assert.Equal(5000, (int)rule["FromPort"]!);
        Assert.Equal(5000, (int)rule["ToPort"]!);
        Assert.Equal(LogicalIds.LoadBalancerSecurityGroup, (string?)rule["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]);
        Assert.Null(rule["CidrIp"]);
        var lbIngress = view.Properties(LogicalIds.LoadBalancerSecurityGroup)["SecurityGroupIngress"]!.AsArray();
        Assert.Equal([443, 80], lbIngress.Select(r => (int)r!["FromPort"]!));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Https_with_a_modern_tls_policy_and_http_redirects_with_301(string env)
    {
        var view = Fixtures.View(Fixtures.Guide, env);
        var https = view.Properties(LogicalIds.HttpsListener);
        Assert.Equal("HTTPS", (string?)https["Protocol"]);
        Assert.Equal(TlsPolicies.Tls13_12_Res_PQ_2025_09, (string?)https["SslPolicy"]);
        var certificate = https["Certificates"]![0]!["CertificateArn"]!;
        if (Fixtures.Guide.Environments.Single(e => e.Name == env).Certificate is RequestedCertificate)
            Assert.Equal($$"""{"Fn::If":["{{LogicalIds.RequestCertificateCondition}}",{"Ref":"{{LogicalIds.Certificate}}"},{"Ref":"{{LogicalIds.CertificateArnParameter}}"}]}""", certificate.ToJsonString());
        else
            Assert.Equal(LogicalIds.CertificateArnParameter, (string?)certificate["Ref"]);
        var redirect = view.Properties(LogicalIds.HttpListener)["DefaultActions"]![0]!;
        Assert.Equal("redirect", (string?)redirect["Type"]);
        Assert.Equal("HTTPS", (string?)redirect["RedirectConfig"]!["Protocol"]);
        Assert.Equal("HTTP_301", (string?)redirect["RedirectConfig"]!["StatusCode"]);
    }

    [Fact]
    public void Only_the_iam_certificate_listener_carries_a_cfn_lint_suppression()
    {
        var dev = Fixtures.View(Fixtures.Guide, "dev");
        Assert.Equal("arn:aws:iam::746109777700:server-certificate/CSC", (string?)dev.Parameters[LogicalIds.CertificateArnParameter]!["Default"]);
        Assert.NotNull(dev.Resource(LogicalIds.HttpsListener)["Metadata"]?["cfn-lint"]);
        Assert.StartsWith("arn:aws:acm:", (string?)Fixtures.View(Fixtures.Guide, "staging").Parameters[LogicalIds.CertificateArnParameter]!["Default"]);
        // prod requests its certificate: an empty default, and no suppression either.
        var prod = Fixtures.View(Fixtures.Guide, "prod");
        Assert.Equal("", (string?)prod.Parameters[LogicalIds.CertificateArnParameter]!["Default"]);
        Assert.Null(prod.Resource(LogicalIds.HttpsListener)["Metadata"]);
        // Metadata elsewhere holds only recorded trade-offs (TradeOffTests), never a cfn-lint suppression.
        Assert.All(prod.Resources, r => Assert.Null(r.Value!["Metadata"]?["cfn-lint"]));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Target_group_registers_tasks_by_ip_with_explicit_health_checks(string env)
    {
        var tg = Fixtures.View(Fixtures.Guide, env).Properties(LogicalIds.TargetGroup);
        Assert.Equal("ip", (string?)tg["TargetType"]);
        Assert.Equal(5000, (int)tg["Port"]!);
        Assert.Equal("/health", (string?)tg["HealthCheckPath"]);
        Assert.Equal(15, (int)tg["HealthCheckIntervalSeconds"]!);
        Assert.Equal(5, (int)tg["HealthCheckTimeoutSeconds"]!);
        Assert.Equal("deregistration_delay.timeout_seconds", (string?)tg["TargetGroupAttributes"]![0]!["Key"]);
    }

    [Fact]
    public void Prod_overrides_size_image_tag_and_log_retention_and_keeps_its_logs()
    {
        var prod = Fixtures.View(Fixtures.Guide, "prod");
        var task = prod.Properties(LogicalIds.TaskDefinition);
        Assert.Equal("512", (string?)task["Cpu"]);
        Assert.Equal("1024", (string?)task["Memory"]);
        Assert.Equal("1.0.0", (string?)prod.Parameters[LogicalIds.ImageTagParameter]!["Default"]);
        Assert.Equal(90, (int)prod.Properties(LogicalIds.LogGroup)["RetentionInDays"]!);
        Assert.Equal("Retain", (string?)prod.Resource(LogicalIds.LogGroup)["DeletionPolicy"]);
        Assert.Equal("Retain", (string?)prod.Resource(LogicalIds.LogGroup)["UpdateReplacePolicy"]);
        var dev = Fixtures.View(Fixtures.Guide, "dev");
        Assert.Equal("256", (string?)dev.Properties(LogicalIds.TaskDefinition)["Cpu"]);
        Assert.Equal(7, (int)dev.Properties(LogicalIds.LogGroup)["RetentionInDays"]!);
        Assert.Equal("Delete", (string?)dev.Resource(LogicalIds.LogGroup)["DeletionPolicy"]);
    }

    [Fact]
    public void Secrets_reach_the_container_by_reference_and_the_execution_role_may_read_only_them()
    {
        var view = Fixtures.View(Fixtures.Guide, "prod");
        var container = view.Properties(LogicalIds.TaskDefinition)["ContainerDefinitions"]![0]!;
        var secret = Assert.Single(container["Secrets"]!.AsArray())!;
        Assert.Equal("FLASK_SECRET_KEY", (string?)secret["Name"]);
        Assert.Equal("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/flask-app/secret-key", (string?)secret["ValueFrom"]!["Fn::Sub"]);
        Assert.DoesNotContain(container["Environment"]!.AsArray(), e => (string?)e!["Name"] == "FLASK_SECRET_KEY");
        var statements = view.Properties(LogicalIds.ExecutionRole)["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        var read = statements.Single(s => (string?)s!["Sid"] == "ReadParameters")!;
        Assert.Equal(secret["ValueFrom"]!.ToJsonString(), read["Resource"]![0]!.ToJsonString());
        // Only GetAuthorizationToken, which IAM cannot scope, is granted on every resource.
        Assert.Equal(["ecr:GetAuthorizationToken"], statements.Where(s => s!["Resource"] is JsonValue v && (string?)v == "*").Select(s => (string?)s!["Action"]));
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Outputs_name_the_url_the_load_balancer_the_cluster_and_the_service(string env)
    {
        var outputs = Fixtures.View(Fixtures.Guide, env).Outputs;
        Assert.Equal([LogicalIds.ServiceUrlOutput, LogicalIds.LoadBalancerDnsNameOutput, LogicalIds.ClusterNameOutput, LogicalIds.ServiceNameOutput], outputs.Select(o => o.Key).Take(4));
        // An environment with a DNS name is reached at it; the others at the load balancer's own name.
        var expected = Fixtures.Guide.Environments.Single(e => e.Name == env).Dns is null ? "https://${LoadBalancer.DNSName}" : "https://${DomainName}";
        Assert.Equal(expected, (string?)outputs[LogicalIds.ServiceUrlOutput]!["Value"]!["Fn::Sub"]);
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public void Templates_fit_what_aws_cloudformation_deploy_accepts_and_the_printed_command_says_how(string env)
    {
        // Inline up to 51,200 bytes; above, only through S3 (up to 1 MB), which the printed command then carries. Prod (blue/green,
        // DNS, a pipeline, alarms, access and flow logs, a web ACL) and staging (a web ACL, its IP set, the recorded trade-offs)
        // are over the inline limit; dev is under it.
        var template = Fixtures.Emit(Fixtures.Guide, env);
        Assert.True(template.Bytes.Length < 1_000_000, $"{template.FileName} is {template.Bytes.Length} bytes");
        Assert.Equal(template.Bytes.Length > Templates.Generation.Validation.TemplateValidator.InlineBodyLimit, template.NeedsS3);
        Assert.Equal(env is "prod" or "staging", template.NeedsS3);
        Assert.Equal(template.NeedsS3, Templates.Generation.Cli.TemplatesCli.DeployCommand($"out/{template.FileName}", template.Model, template.NeedsS3).Contains(" --s3-bucket ", StringComparison.Ordinal));
        // The validator's size warning is not repeated at emit time: the command says it.
        Assert.DoesNotContain(template.Problems, p => p.Id == "V1001");
    }
}
