using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;

namespace Templates.Tests;

/// <summary>
/// The alarms, their topic and the dashboard. Metric names, namespaces, dimensions and statistics are written here as AWS
/// documents them ("CloudWatch metrics for your Application Load Balancer", "Amazon ECS service utilization metrics"), not
/// read from the generator, so a typo there fails here.
/// </summary>
public class AlarmTests
{
    // The guide's dev deploys rolling, its prod blue/green; both get the default thresholds.
    static TemplateView Dev => Fixtures.View(Fixtures.Guide, "dev");
    static TemplateView Prod => Fixtures.View(Fixtures.Guide, "prod");

    static readonly JsonNode LoadBalancerDimension = JsonNode.Parse("""{"Name":"LoadBalancer","Value":{"Fn::GetAtt":["LoadBalancer","LoadBalancerFullName"]}}""")!;

    static JsonObject TargetGroupDimension(string id) => new() { ["Name"] = "TargetGroup", ["Value"] = new JsonObject { ["Fn::GetAtt"] = new JsonArray(id, "TargetGroupFullName") } };

    static void AssertCommon(JsonObject alarm, string name, int minutes)
    {
        Assert.Equal("${AWS::StackName}-" + name, (string?)alarm["AlarmName"]!["Fn::Sub"]);
        Assert.Equal(minutes, (int)alarm["EvaluationPeriods"]!);
        Assert.Equal(minutes, (int)alarm["DatapointsToAlarm"]!);
        // The load balancer reports nothing while no request flows: quiet is OK, not INSUFFICIENT_DATA.
        Assert.Equal("notBreaching", (string?)alarm["TreatMissingData"]);
    }

    static JsonObject Query(JsonObject alarm, string id) => alarm["Metrics"]!.AsArray().Single(q => (string?)q!["Id"] == id)!.AsObject();

    static void AssertMetric(JsonObject query, string ns, string metric, string stat, params JsonNode[] dimensions)
    {
        var stat_ = query["MetricStat"]!;
        Assert.Equal(ns, (string?)stat_["Metric"]!["Namespace"]);
        Assert.Equal(metric, (string?)stat_["Metric"]!["MetricName"]);
        Assert.Equal(new JsonArray([.. dimensions.Select(d => d.DeepClone())]).ToJsonString(), stat_["Metric"]!["Dimensions"]!.ToJsonString());
        Assert.Equal(stat, (string?)stat_["Stat"]);
        Assert.Equal(60, (int)stat_["Period"]!);
        Assert.False((bool)query["ReturnData"]!);
    }

    static JsonObject Returned(JsonObject alarm) => alarm["Metrics"]!.AsArray().Single(q => (bool)q!["ReturnData"]!)!.AsObject();

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Load_balancer_5xx_alarm_is_the_share_of_requests_the_load_balancer_answers_5xx(string env)
    {
        var alarm = Fixtures.View(Fixtures.Guide, env).Properties(LogicalIds.LoadBalancer5xxAlarm);
        AssertCommon(alarm, "load-balancer-5xx", 3);
        AssertMetric(Query(alarm, "errors"), "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", LoadBalancerDimension);
        AssertMetric(Query(alarm, "requests"), "AWS/ApplicationELB", "RequestCount", "Sum", LoadBalancerDimension);
        // RequestCount leaves out what the load balancer answered without choosing a target, so its own 5xx join the denominator.
        Assert.Equal("IF(FILL(requests, 0) + FILL(errors, 0) >= 10, 100 * FILL(errors, 0) / (FILL(requests, 0) + FILL(errors, 0)), 0)", (string?)Returned(alarm)["Expression"]);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal(5, (int)alarm["Threshold"]!);
        // Metrics and MetricName exclude each other (cfn-lint E3014).
        Assert.Null(alarm["MetricName"]);
        Assert.Null(alarm["Statistic"]);
    }

    [Fact]
    public void Target_5xx_alarm_is_the_share_of_requests_the_application_answers_5xx()
    {
        var alarm = Dev.Properties(LogicalIds.Target5xxAlarm);
        AssertCommon(alarm, "target-5xx", 3);
        AssertMetric(Query(alarm, "errors"), "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", LoadBalancerDimension);
        AssertMetric(Query(alarm, "requests"), "AWS/ApplicationELB", "RequestCount", "Sum", LoadBalancerDimension);
        Assert.Equal("IF(FILL(requests, 0) >= 10, 100 * FILL(errors, 0) / FILL(requests, 0), 0)", (string?)Returned(alarm)["Expression"]);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal(5, (int)alarm["Threshold"]!);
    }

    [Fact]
    public void Response_time_alarm_is_the_99th_percentile_of_target_response_time_in_seconds()
    {
        var alarm = Dev.Properties(LogicalIds.ResponseTimeAlarm);
        AssertCommon(alarm, "response-time-p99", 3);
        Assert.Equal("AWS/ApplicationELB", (string?)alarm["Namespace"]);
        Assert.Equal("TargetResponseTime", (string?)alarm["MetricName"]);
        Assert.Equal(new JsonArray(LoadBalancerDimension.DeepClone()).ToJsonString(), alarm["Dimensions"]!.ToJsonString());
        // A percentile is an extended statistic; Statistic and ExtendedStatistic exclude each other.
        Assert.Equal("p99", (string?)alarm["ExtendedStatistic"]);
        Assert.Null(alarm["Statistic"]);
        Assert.Equal(60, (int)alarm["Period"]!);
        // TargetResponseTime is in seconds: the default 2,000 ms is 2.
        Assert.Equal(2m, (decimal)alarm["Threshold"]!);
    }

    [Fact]
    public void Unhealthy_tasks_alarm_watches_the_target_group_and_with_blue_green_both()
    {
        var rolling = Dev.Properties(LogicalIds.UnhealthyTasksAlarm);
        AssertCommon(rolling, "unhealthy-tasks", 5);
        Assert.Equal("AWS/ApplicationELB", (string?)rolling["Namespace"]);
        Assert.Equal("UnHealthyHostCount", (string?)rolling["MetricName"]);
        Assert.Equal(new JsonArray(TargetGroupDimension("TargetGroup"), LoadBalancerDimension.DeepClone()).ToJsonString(), rolling["Dimensions"]!.ToJsonString());
        Assert.Equal("Maximum", (string?)rolling["Statistic"]);
        Assert.Equal("GreaterThanOrEqualToThreshold", (string?)rolling["ComparisonOperator"]);
        Assert.Equal(1, (int)rolling["Threshold"]!);

        var blueGreen = Prod.Properties(LogicalIds.UnhealthyTasksAlarm);
        AssertCommon(blueGreen, "unhealthy-tasks", 5);
        AssertMetric(Query(blueGreen, "blue"), "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", TargetGroupDimension("TargetGroup"), LoadBalancerDimension);
        AssertMetric(Query(blueGreen, "green"), "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", TargetGroupDimension("AlternateTargetGroup"), LoadBalancerDimension);
        Assert.Equal("FILL(blue, 0) + FILL(green, 0)", (string?)Returned(blueGreen)["Expression"]);
        Assert.Equal(1, (int)blueGreen["Threshold"]!);
    }

    [Theory]
    [InlineData(LogicalIds.CpuAlarm, "cpu", "CPUUtilization")]
    [InlineData(LogicalIds.MemoryAlarm, "memory", "MemoryUtilization")]
    public void Cpu_and_memory_alarms_watch_the_service_average(string id, string name, string metric)
    {
        var alarm = Prod.Properties(id);
        AssertCommon(alarm, name, 5);
        Assert.Equal("AWS/ECS", (string?)alarm["Namespace"]);
        Assert.Equal(metric, (string?)alarm["MetricName"]);
        Assert.Equal("""[{"Name":"ClusterName","Value":{"Ref":"Cluster"}},{"Name":"ServiceName","Value":{"Fn::GetAtt":["Service","Name"]}}]""", alarm["Dimensions"]!.ToJsonString());
        Assert.Equal("Average", (string?)alarm["Statistic"]);
        Assert.Equal("GreaterThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal(90, (int)alarm["Threshold"]!);
    }

    [Fact]
    public void Thresholds_follow_the_definition_and_an_environment_overrides_the_app()
    {
        var app = Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), Alarms = new Alarms { CpuPercent = 75, ResponseTimeP99Milliseconds = 750 } }) with
        {
            Alarms = new Alarms { CpuPercent = 80, Target5xxPercent = 2, MinimumRequestsPerMinute = 50, LoadBalancer5xxPercent = 3, UnhealthyTasks = 2, MemoryPercent = 85 },
        };
        var view = Fixtures.View(app, "dev");
        // The environment's Alarms replace the app's as a whole, as Scaling does.
        Assert.Equal(75, (int)view.Properties(LogicalIds.CpuAlarm)["Threshold"]!);
        Assert.Equal(0.75m, (decimal)view.Properties(LogicalIds.ResponseTimeAlarm)["Threshold"]!);
        Assert.Equal(5, (int)view.Properties(LogicalIds.Target5xxAlarm)["Threshold"]!);
        Assert.Equal(90, (int)view.Properties(LogicalIds.MemoryAlarm)["Threshold"]!);

        var appWide = Fixtures.View(app with { Environments = [new Env("dev") { Tasks = new TaskCount(1, 2) }] }, "dev");
        Assert.Equal(80, (int)appWide.Properties(LogicalIds.CpuAlarm)["Threshold"]!);
        Assert.Equal(85, (int)appWide.Properties(LogicalIds.MemoryAlarm)["Threshold"]!);
        Assert.Equal(2, (int)appWide.Properties(LogicalIds.Target5xxAlarm)["Threshold"]!);
        Assert.Equal(3, (int)appWide.Properties(LogicalIds.LoadBalancer5xxAlarm)["Threshold"]!);
        Assert.Equal(2, (int)appWide.Properties(LogicalIds.UnhealthyTasksAlarm)["Threshold"]!);
        Assert.Equal("IF(FILL(requests, 0) >= 50, 100 * FILL(errors, 0) / FILL(requests, 0), 0)",
            (string?)Returned(appWide.Properties(LogicalIds.Target5xxAlarm))["Expression"]);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Deployment_alarms_name_the_user_facing_alarms_with_rollback_for_rolling_and_blue_green(string env)
    {
        var view = Fixtures.View(Fixtures.Guide, env);
        var config = view.Properties(LogicalIds.Service)["DeploymentConfiguration"]!;
        Assert.Equal(env == "prod" ? "BLUE_GREEN" : null, (string?)config["Strategy"]);
        var alarms = config["Alarms"]!;
        Assert.True((bool)alarms["Enable"]!);
        Assert.True((bool)alarms["Rollback"]!);
        // Each name is the AlarmName of an alarm of the same stack, written the same way (no Ref: the names are known up front).
        var names = alarms["AlarmNames"]!.AsArray().Select(n => n!.ToJsonString()).ToList();
        var ids = new[] { LogicalIds.LoadBalancer5xxAlarm, LogicalIds.Target5xxAlarm, LogicalIds.ResponseTimeAlarm };
        Assert.Equal(ids.Select(id => view.Properties(id)["AlarmName"]!.ToJsonString()), names);
        // CPU, memory and unhealthy tasks do not judge a release: scaling and the circuit breaker answer them.
        foreach (var other in new[] { LogicalIds.CpuAlarm, LogicalIds.MemoryAlarm, LogicalIds.UnhealthyTasksAlarm })
            Assert.DoesNotContain(view.Properties(other)["AlarmName"]!.ToJsonString(), names);
        // The circuit breaker stays on beside them.
        Assert.True((bool)config["DeploymentCircuitBreaker"]!["Rollback"]!);
    }

    [Fact]
    public void Without_rollback_on_alarm_the_service_watches_no_alarm_but_the_alarms_stay()
    {
        var app = Fixtures.Minimal() with { Alarms = new Alarms { RollbackOnAlarm = false } };
        var view = Fixtures.View(app, "dev");
        Assert.Null(view.Properties(LogicalIds.Service)["DeploymentConfiguration"]!["Alarms"]);
        Assert.Equal(LogicalIds.HttpsListener, (string?)view.Resource(LogicalIds.Service)["DependsOn"]);
        Assert.Equal(6, view.OfType("AWS::CloudWatch::Alarm").Count());
    }

    [Fact]
    public void Email_alerts_create_a_topic_with_an_email_subscription_that_every_alarm_notifies_on_alarm_and_on_recovery()
    {
        var app = Fixtures.Minimal() with { Alarms = new Alarms { Alerts = new EmailAlerts("ops@example.com") } };
        var view = Fixtures.View(app, "dev");
        var topic = view.Resource(LogicalIds.AlertTopic);
        Assert.Equal("AWS::SNS::Topic", (string?)topic["Type"]);
        Assert.Equal("""[{"Endpoint":"ops@example.com","Protocol":"email"}]""", topic["Properties"]!["Subscription"]!.ToJsonString());
        // No KMS key, deliberately, and said where scanners look.
        Assert.Null(topic["Properties"]!["KmsMasterKeyId"]);
        Assert.Contains("customer managed key", (string?)Assert.Single(topic["Metadata"]!["TradeOffs"]!.AsArray()));
        Assert.Equal("CKV_AWS_26", (string?)topic["Metadata"]!["checkov"]!["skip"]![0]!["id"]);
        Assert.Equal("W47", (string?)topic["Metadata"]!["cfn_nag"]!["rules_to_suppress"]![0]!["id"]);
        foreach (var id in view.OfType("AWS::CloudWatch::Alarm"))
        {
            Assert.Equal("""[{"Ref":"AlertTopic"}]""", view.Properties(id)["AlarmActions"]!.ToJsonString());
            Assert.Equal("""[{"Ref":"AlertTopic"}]""", view.Properties(id)["OKActions"]!.ToJsonString());
        }
        // Without alerts: no topic, no actions.
        Assert.Empty(Dev.OfType("AWS::SNS::Topic"));
        Assert.All(Dev.OfType("AWS::CloudWatch::Alarm"), id => Assert.Null(Dev.Properties(id)["AlarmActions"]));
    }

    [Fact]
    public void The_dashboard_shows_every_alarm_and_the_same_metrics()
    {
        var view = Prod;
        var dashboard = view.Properties(LogicalIds.Dashboard);
        Assert.Equal("${AWS::StackName}", (string?)dashboard["DashboardName"]!["Fn::Sub"]);
        var sub = dashboard["DashboardBody"]!["Fn::Sub"]!.AsArray();
        var body = JsonNode.Parse((string)sub[0]!)!;
        var alarmArns = body["widgets"]![0]!["properties"]!["alarms"]!.AsArray().Select(a => (string)a!).ToList();
        foreach (var id in view.OfType("AWS::CloudWatch::Alarm"))
        {
            var name = (string)view.Properties(id)["AlarmName"]!["Fn::Sub"]!;
            Assert.Contains("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:" + name, alarmArns);
        }
        var metrics = body["widgets"]!.AsArray().Skip(1).SelectMany(w => w!["properties"]!["metrics"]!.AsArray()).Select(m => (string)m![1]!).ToHashSet();
        Assert.Superset(new HashSet<string> { "RequestCount", "HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "UnHealthyHostCount", "CPUUtilization", "MemoryUtilization" }, metrics);
        // Both target groups of blue/green are on it, by full name: targetgroup/NAME/ID, the sixth ':'-separated part of the ARN.
        Assert.Contains("${AlternateTargetGroupFullName}", (string)sub[0]!);
        Assert.Equal("""{"TargetGroupFullName":{"Fn::Select":[5,{"Fn::Split":[":",{"Ref":"TargetGroup"}]}]},"AlternateTargetGroupFullName":{"Fn::Select":[5,{"Fn::Split":[":",{"Ref":"AlternateTargetGroup"}]}]}}""",
            sub[1]!.ToJsonString());
        var off = Fixtures.View(Fixtures.Minimal() with { Alarms = new Alarms { Dashboard = false } }, "dev");
        Assert.Empty(off.OfType("AWS::CloudWatch::Dashboard"));
    }

    [Theory]
    [InlineData(nameof(Alarms.LoadBalancer5xxPercent), 0)]
    [InlineData(nameof(Alarms.Target5xxPercent), 101)]
    [InlineData(nameof(Alarms.CpuPercent), 0)]
    [InlineData(nameof(Alarms.MemoryPercent), 150)]
    [InlineData(nameof(Alarms.MinimumRequestsPerMinute), 0)]
    [InlineData(nameof(Alarms.ResponseTimeP99Milliseconds), 0)]
    [InlineData(nameof(Alarms.UnhealthyTasks), -1)]
    public void A_threshold_out_of_range_is_TPL0060_naming_the_setting(string setting, int value)
    {
        var alarms = new Alarms();
        typeof(Alarms).GetProperty(setting)!.SetValue(alarms, value);
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal() with { Alarms = alarms }));
        Assert.Equal("TPL0060", finding.Rule.Id);
        Assert.Equal("Alarms." + setting, finding.Setting);
        Assert.Contains($"{setting} is {value}", finding.Message);

        var inEnv = Assert.Single(Fixtures.Findings(Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), Alarms = alarms })));
        Assert.Equal("Environments[dev].Alarms." + setting, inEnv.Setting);
    }

    [Fact]
    public void A_malformed_alert_address_is_TPL0061()
    {
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal() with { Alarms = new Alarms { Alerts = new EmailAlerts("ops at example.com") } }));
        Assert.Equal(("TPL0061", "Alarms.Alerts.Address"), (finding.Rule.Id, finding.Setting));
    }

    [Fact]
    public void Production_without_rollback_on_alarm_is_a_TPL0062_warning_and_dev_is_not()
    {
        var off = new Alarms { RollbackOnAlarm = false };
        var prod = Fixtures.Minimal(new Env("prod") { Tasks = new TaskCount(2, 4), Alarms = off, Service = new ServiceOverrides { ImageTag = "1.0.0" }, WebAcl = new WebAcl() });
        var finding = Assert.Single(Fixtures.Findings(prod));
        Assert.Equal(("TPL0062", Templates.Rules.Severity.Warning, "Environments[prod].Alarms.RollbackOnAlarm"), (finding.Rule.Id, finding.Severity, finding.Setting));
        Assert.Empty(Fixtures.Findings(Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), Alarms = off })));
    }

    [Fact]
    public void Alarm_descriptions_say_what_sets_them_off_and_fit_cloudwatchs_limit()
    {
        foreach (var id in Prod.OfType("AWS::CloudWatch::Alarm"))
        {
            var description = (string)Prod.Properties(id)["AlarmDescription"]!;
            Assert.StartsWith("flask-app-prod: ", description);
            Assert.True(description.Length <= 1024, $"{id}: {description.Length} characters");
        }
        Assert.EndsWith("rolled back.", (string)Prod.Properties(LogicalIds.Target5xxAlarm)["AlarmDescription"]!);
        Assert.DoesNotContain("rolled back", (string)Prod.Properties(LogicalIds.CpuAlarm)["AlarmDescription"]!);
    }
}

/// <summary>The hardened container: user, read-only root file system, scratch volumes, and rules TPL0063/TPL0064.</summary>
public class ContainerHardeningTests
{
    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_guides_container_runs_as_10001_with_a_read_only_root_and_a_tmp_scratch_volume(string env)
    {
        var task = Fixtures.View(Fixtures.Guide, env).Properties(LogicalIds.TaskDefinition);
        var container = task["ContainerDefinitions"]![0]!;
        Assert.Equal("10001", (string?)container["User"]);
        Assert.True((bool)container["ReadonlyRootFilesystem"]!);
        Assert.Equal("""[{"SourceVolume":"tmp","ContainerPath":"/tmp","ReadOnly":false}]""", container["MountPoints"]!.ToJsonString());
        // A bind mount of the task's ephemeral storage: a volume with a name only.
        Assert.Equal("""[{"Name":"tmp"}]""", task["Volumes"]!.ToJsonString());
    }

    [Fact]
    public void Paths_become_one_volume_each_and_the_defaults_are_read_only_with_tmp()
    {
        var defaults = Fixtures.View(Fixtures.Minimal(), "dev").Properties(LogicalIds.TaskDefinition);
        Assert.True((bool)defaults["ContainerDefinitions"]![0]!["ReadonlyRootFilesystem"]!);
        Assert.Null(defaults["ContainerDefinitions"]![0]!["User"]);
        Assert.Equal("""[{"Name":"tmp"}]""", defaults["Volumes"]!.ToJsonString());

        var app = Fixtures.Minimal() with { Service = Fixtures.Minimal().Service with { WritablePaths = ["/tmp", "/var/cache/app/"] } };
        var task = Fixtures.View(app, "dev").Properties(LogicalIds.TaskDefinition);
        Assert.Equal("""[{"Name":"tmp"},{"Name":"var-cache-app"}]""", task["Volumes"]!.ToJsonString());
        Assert.Equal(["/tmp", "/var/cache/app"], task["ContainerDefinitions"]![0]!["MountPoints"]!.AsArray().Select(m => (string?)m!["ContainerPath"]));

        var none = Fixtures.Minimal() with { Service = Fixtures.Minimal().Service with { WritablePaths = [], ReadOnlyRootFilesystem = false } };
        var writable = Fixtures.View(none, "dev").Properties(LogicalIds.TaskDefinition);
        Assert.Null(writable["Volumes"]);
        Assert.False((bool)writable["ContainerDefinitions"]![0]!["ReadonlyRootFilesystem"]!);
    }

    static App Prod(FargateService service) => Fixtures.Minimal(new Env("prod") { Tasks = new TaskCount(2, 4), Service = new ServiceOverrides { ImageTag = "1.0.0" }, WebAcl = new WebAcl() }) with { Service = service };

    [Theory]
    [InlineData("root", "User")]
    [InlineData("0:0", "User")]
    [InlineData(null, "ReadOnlyRootFilesystem")]
    public void Root_or_a_writable_root_in_production_is_a_TPL0063_warning_and_silent_in_dev(string? user, string setting)
    {
        var service = Fixtures.Minimal().Service with { User = user ?? "10001", ReadOnlyRootFilesystem = user is not null };
        var finding = Assert.Single(Fixtures.Findings(Prod(service)));
        Assert.Equal(("TPL0063", Templates.Rules.Severity.Warning, "Service." + setting), (finding.Rule.Id, finding.Severity, finding.Setting));
        Assert.Empty(Fixtures.Findings(Fixtures.Minimal() with { Service = service }));
        // The image's own user is not judged: neither moment can see it.
        Assert.Empty(Fixtures.Findings(Prod(Fixtures.Minimal().Service)));
    }

    [Theory]
    [InlineData("app user", null)]
    [InlineData("10001:", null)]
    [InlineData(null, "tmp")]
    [InlineData(null, "/")]
    [InlineData(null, "/var/../etc")]
    public void A_malformed_user_or_path_is_TPL0064(string? user, string? path)
    {
        var service = Fixtures.Minimal().Service with { User = user, WritablePaths = path is null ? ["/tmp"] : ["/tmp", path] };
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal() with { Service = service }));
        Assert.Equal(("TPL0064", user is null ? "Service.WritablePaths" : "Service.User"), (finding.Rule.Id, finding.Setting));
        var twice = Fixtures.Minimal().Service with { WritablePaths = ["/tmp", "/tmp/"] };
        Assert.Equal("TPL0064", Assert.Single(Fixtures.Findings(Fixtures.Minimal() with { Service = twice })).Rule.Id);
    }
}

/// <summary>HSTS on the HTTPS listener and the default TLS policy.</summary>
public class HstsTests
{
    static JsonNode? Attributes(TemplateView view) => view.Properties(LogicalIds.HttpsListener)["ListenerAttributes"];

    [Fact]
    public void Production_sends_a_one_year_hsts_header_and_the_other_environments_none_by_default()
    {
        Assert.Equal("""[{"Key":"routing.http.response.strict_transport_security.header_value","Value":"max-age=31536000"}]""",
            Attributes(Fixtures.View(Fixtures.Guide, "prod"))!.ToJsonString());
        Assert.Null(Attributes(Fixtures.View(Fixtures.Guide, "dev")));
        // Never on the HTTP listener, which only redirects.
        Assert.Null(Fixtures.View(Fixtures.Guide, "prod").Properties(LogicalIds.HttpListener)["ListenerAttributes"]);
    }

    [Fact]
    public void The_max_age_follows_the_definition_and_0_turns_it_off()
    {
        var dev = Fixtures.Minimal() with { LoadBalancer = Fixtures.Minimal().LoadBalancer with { HstsMaxAgeSeconds = 600 } };
        Assert.Equal("max-age=600", (string?)Attributes(Fixtures.View(dev, "dev"))![0]!["Value"]);
        var prodOff = Fixtures.Minimal(new Env("prod") { Tasks = new TaskCount(2, 4), Service = new ServiceOverrides { ImageTag = "1.0.0" } })
            with { LoadBalancer = Fixtures.Minimal().LoadBalancer with { HstsMaxAgeSeconds = 0 } };
        Assert.Null(Attributes(Fixtures.View(prodOff, "prod")));
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal() with { LoadBalancer = Fixtures.Minimal().LoadBalancer with { HstsMaxAgeSeconds = -1 } }));
        Assert.Equal(("TPL0065", "LoadBalancer.HstsMaxAgeSeconds"), (finding.Rule.Id, finding.Setting));
    }

    [Fact]
    public void New_stacks_get_awss_current_recommended_tls_policy()
    {
        // Rules catalog 1.11: AWS's current recommendation (and console default), TLS 1.3 and 1.2 with post-quantum key exchange.
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", TlsPolicies.Recommended);
        Assert.Equal("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", (string?)Fixtures.View(Fixtures.Minimal(), "dev").Properties(LogicalIds.HttpsListener)["SslPolicy"]);
        Assert.Null(Templates.Rules.Checks.TlsPolicy(TlsPolicies.Recommended));
    }
}

/// <summary>Deliberate trade-offs are recorded in the resource's Metadata, with the reason, where scanners read them (the IDs: ScannerCheckTests).</summary>
public class TradeOffTests
{
    [Theory]
    [InlineData(LogicalIds.BuildProject, null, null, "privileged mode")]
    [InlineData(LogicalIds.ArtifactBucket, "CKV_AWS_18", "W35", "server access logs")]
    [InlineData(LogicalIds.LoadBalancerSecurityGroup, "CKV_AWS_260", "W2", "301 redirect")]
    [InlineData(LogicalIds.AccessLogBucket, null, null, "support only SSE-S3")]
    public void Each_trade_off_says_why_under_metadata_and_in_the_scanners_suppressions(string id, string? checkov, string? cfnNag, string reason)
    {
        var metadata = Fixtures.View(Fixtures.Guide, "prod").Resource(id)["Metadata"]!;
        var text = Assert.Single(metadata["TradeOffs"]!.AsArray().Select(r => (string)r!), r => r.Contains(reason, StringComparison.OrdinalIgnoreCase));
        var skips = metadata["checkov"]?["skip"]?.AsArray().Where(s => (string?)s!["comment"] == text).Select(s => (string)s!["id"]!).ToList() ?? [];
        var rules = metadata["cfn_nag"]?["rules_to_suppress"]?.AsArray().Where(s => (string?)s!["reason"] == text).Select(s => (string)s!["id"]!).ToList() ?? [];
        Assert.Equal(checkov is null ? [] : [checkov], skips);
        Assert.Equal(cfnNag is null ? [] : [cfnNag], rules);
    }

    [Fact]
    public void Several_decisions_on_one_resource_each_keep_their_reason_and_their_checks()
    {
        var t = new Template("test");
        var bucket = t.AddResource("Bucket", "AWS::S3::Bucket", []);
        bucket.TradeOff("first", checkovIds: ["CKV_A"], cfnNagIds: ["W1"]).TradeOff("second").TradeOff("third", cfnNag: "W3");
        var metadata = bucket.Json["Metadata"]!;
        Assert.Equal(["first", "second", "third"], metadata["TradeOffs"]!.AsArray().Select(r => (string)r!));
        Assert.Equal("""[{"id":"CKV_A","comment":"first"}]""", metadata["checkov"]!["skip"]!.ToJsonString());
        Assert.Equal("""[{"id":"W1","reason":"first"},{"id":"W3","reason":"third"}]""", metadata["cfn_nag"]!["rules_to_suppress"]!.ToJsonString());
    }

    [Fact]
    public void Port_80_is_a_trade_off_only_when_it_redirects()
    {
        var closed = Fixtures.Minimal() with { LoadBalancer = Fixtures.Minimal().LoadBalancer with { Http = HttpPort.Closed } };
        Assert.Null(Fixtures.View(closed, "dev").Resource(LogicalIds.LoadBalancerSecurityGroup)["Metadata"]);
        // Restricted to the allowed ranges, port 80 is not open to the world: nothing to record.
        Assert.Null(Fixtures.View(Fixtures.Guide, "dev").Resource(LogicalIds.LoadBalancerSecurityGroup)["Metadata"]);
    }
}
