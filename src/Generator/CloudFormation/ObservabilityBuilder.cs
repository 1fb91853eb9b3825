using System.Globalization;
using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>
/// The observability concern: CloudWatch alarms on what users see (the load balancer's and the application's 5xx rate, the
/// 99th percentile of the response time, unhealthy tasks) and on the service's CPU and memory, the SNS topic they are sent
/// to, and a dashboard of the same metrics. The user-facing alarms are the service's deployment alarms (<see cref="DeploymentAlarms"/>).
/// </summary>
/// <remarks>
/// Metric names, dimensions and statistics are those of AWS's pages: "CloudWatch metrics for your Application Load Balancer"
/// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html) and "Amazon ECS
/// service utilization metrics" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_utilization.html). The ALB
/// reports a metric only while requests flow, and a 5xx count only when it is not zero: every alarm treats missing data as
/// not breaching, so an idle environment is OK, not INSUFFICIENT_DATA.
/// Every alarm has a name built from the stack's name, and the service names its deployment alarms with the same text
/// (no Ref to an alarm): the names are known before the alarms exist, and an emulator without alarms (moto) still deploys.
/// </remarks>
internal static class ObservabilityBuilder
{
    /// <summary>Every metric is judged per minute, the ALB's and ECS's own resolution.</summary>
    public const int PeriodSeconds = 60;

    /// <summary>Minutes in a row the user-facing alarms (5xx, response time) wait for: long enough to skip a blip, short enough to roll back a bad release quickly.</summary>
    public const int UserFacingMinutes = 3;

    /// <summary>Minutes in a row the capacity alarms (unhealthy tasks, CPU, memory) wait for: scaling and the circuit breaker get their chance first.</summary>
    public const int CapacityMinutes = 5;

    /// <summary>The alarm names' suffixes after the stack's name, by logical ID.</summary>
    public static readonly IReadOnlyDictionary<string, string> NameSuffixes = new Dictionary<string, string>
    {
        [Ids.LoadBalancer5xxAlarm] = "load-balancer-5xx",
        [Ids.Target5xxAlarm] = "target-5xx",
        [Ids.ResponseTimeAlarm] = "response-time-p99",
        [Ids.UnhealthyTasksAlarm] = "unhealthy-tasks",
        [Ids.CpuAlarm] = "cpu",
        [Ids.MemoryAlarm] = "memory",
    };

    /// <summary>The alarms that judge a deployment: what users see. CPU and memory are for scaling, unhealthy tasks for the circuit breaker.</summary>
    public static readonly string[] DeploymentAlarmIds = [Ids.LoadBalancer5xxAlarm, Ids.Target5xxAlarm, Ids.ResponseTimeAlarm];

    /// <summary>An alarm's name as text for <c>Fn::Sub</c>.</summary>
    public static string AlarmName(string id) => $"${{AWS::StackName}}-{NameSuffixes[id]}";

    /// <summary>
    /// The service's <c>DeploymentConfiguration.Alarms</c>: the user-facing alarms, with rollback; null when the environment
    /// turned it off. ECS watches them during a rolling deployment and during a blue/green deployment's bake time, and rolls
    /// back to the last completed deployment when one goes off (AWS::ECS::Service DeploymentAlarms; "How the Amazon ECS deployment
    /// alarms work": https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-alarm-failure.html).
    /// </summary>
    public static JsonObject? DeploymentAlarms(EnvironmentModel m) => m.Alarms.RollbackOnAlarm
        ? new JsonObject
        {
            ["AlarmNames"] = new JsonArray([.. DeploymentAlarmIds.Select(id => (JsonNode)Fn.Sub(AlarmName(id)))]),
            ["Enable"] = true,
            ["Rollback"] = true,
        }
        : null;

    /// <summary>Adds the topic, the alarms and the dashboard.</summary>
    public static void Add(Template t, EnvironmentModel m)
    {
        var a = m.Alarms;
        JsonArray? actions = null;
        if (a.Alerts is EmailAlerts email)
        {
            // SNS mails a confirmation link; nothing is delivered until it is clicked. The subscription is a property of the topic
            // (not an AWS::SNS::Subscription), so the topic and its one subscription are created and replaced together.
            t.AddResource(Ids.AlertTopic, "AWS::SNS::Topic", new()
            {
                ["DisplayName"] = Fn.Sub("${AWS::StackName} alarms"),
                ["Subscription"] = new JsonArray(new JsonObject { ["Endpoint"] = email.Address, ["Protocol"] = "email" }),
            }).TradeOff("Not encrypted with KMS: CloudWatch can publish to a KMS-encrypted topic only with a customer managed key whose policy grants cloudwatch.amazonaws.com (the AWS managed key alias/aws/sns cannot), and an alarm notification holds no secret (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).",
                checkov: "CKV_AWS_26", cfnNag: "W47");
            actions = new JsonArray(Fn.Ref(Ids.AlertTopic));
        }

        var loadBalancer = new JsonObject { ["Name"] = "LoadBalancer", ["Value"] = Fn.GetAtt(Ids.LoadBalancer, "LoadBalancerFullName") };
        JsonObject TargetGroup(string id) => new() { ["Name"] = "TargetGroup", ["Value"] = Fn.GetAtt(id, "TargetGroupFullName") };

        // 5xx as a share of requests, judged only in minutes with enough of them. RequestCount counts only the requests for which the
        // load balancer chose a target; the 503s it answers when no target is healthy are not among them, so they are added to
        // the load balancer's denominator (a 502/504 of a chosen target is then counted twice, which only lowers the rate a little).
        var minimum = a.MinimumRequestsPerMinute.ToString(CultureInfo.InvariantCulture);
        AddAlarm(t, m, Ids.LoadBalancer5xxAlarm, actions,
            $"More than {a.LoadBalancer5xxPercent} % of requests answered 5xx by the load balancer itself (no healthy task, a task that did not answer) for {UserFacingMinutes} minutes in a row, in minutes with at least {minimum} requests.",
            new()
            {
                ["Metrics"] = new JsonArray(
                    MetricQuery("errors", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "Sum", loadBalancer),
                    MetricQuery("requests", "AWS/ApplicationELB", "RequestCount", "Sum", loadBalancer),
                    Expression("rate", $"IF(FILL(requests, 0) + FILL(errors, 0) >= {minimum}, 100 * FILL(errors, 0) / (FILL(requests, 0) + FILL(errors, 0)), 0)", "Load balancer 5xx (% of requests)")),
                ["ComparisonOperator"] = "GreaterThanThreshold",
                ["Threshold"] = a.LoadBalancer5xxPercent,
            }, UserFacingMinutes);
        AddAlarm(t, m, Ids.Target5xxAlarm, actions,
            $"More than {a.Target5xxPercent} % of requests answered 5xx by the application for {UserFacingMinutes} minutes in a row, in minutes with at least {minimum} requests.",
            new()
            {
                ["Metrics"] = new JsonArray(
                    MetricQuery("errors", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "Sum", loadBalancer),
                    MetricQuery("requests", "AWS/ApplicationELB", "RequestCount", "Sum", loadBalancer),
                    Expression("rate", $"IF(FILL(requests, 0) >= {minimum}, 100 * FILL(errors, 0) / FILL(requests, 0), 0)", "Application 5xx (% of requests)")),
                ["ComparisonOperator"] = "GreaterThanThreshold",
                ["Threshold"] = a.Target5xxPercent,
            }, UserFacingMinutes);
        // TargetResponseTime is in seconds; p99 is an extended statistic (percentiles are supported for this metric).
        AddAlarm(t, m, Ids.ResponseTimeAlarm, actions,
            $"The 99th percentile of the application's response time above {a.ResponseTimeP99Milliseconds} ms for {UserFacingMinutes} minutes in a row.",
            new()
            {
                ["Namespace"] = "AWS/ApplicationELB",
                ["MetricName"] = "TargetResponseTime",
                ["Dimensions"] = new JsonArray(loadBalancer.DeepClone()),
                ["ExtendedStatistic"] = "p99",
                ["Period"] = PeriodSeconds,
                ["ComparisonOperator"] = "GreaterThanThreshold",
                ["Threshold"] = a.ResponseTimeP99Milliseconds / 1000m,
            }, UserFacingMinutes);
        // UnHealthyHostCount is per target group (dimensions TargetGroup and LoadBalancer). With blue/green either group may hold
        // the running tasks after a deployment, so the alarm adds both.
        var unhealthy = new JsonObject
        {
            ["ComparisonOperator"] = "GreaterThanOrEqualToThreshold",
            ["Threshold"] = a.UnhealthyTasks,
        };
        if (m.Deployment is BlueGreenDeployment)
        {
            unhealthy["Metrics"] = new JsonArray(
                MetricQuery("blue", "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", TargetGroup(Ids.TargetGroup), loadBalancer),
                MetricQuery("green", "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", TargetGroup(Ids.AlternateTargetGroup), loadBalancer),
                Expression("unhealthy", "FILL(blue, 0) + FILL(green, 0)", "Unhealthy tasks"));
        }
        else
        {
            unhealthy["Namespace"] = "AWS/ApplicationELB";
            unhealthy["MetricName"] = "UnHealthyHostCount";
            unhealthy["Dimensions"] = new JsonArray(TargetGroup(Ids.TargetGroup), loadBalancer.DeepClone());
            unhealthy["Statistic"] = "Maximum";
            unhealthy["Period"] = PeriodSeconds;
        }
        AddAlarm(t, m, Ids.UnhealthyTasksAlarm, actions,
            $"At least {a.UnhealthyTasks} task(s) failing the load balancer's health check for {CapacityMinutes} minutes in a row.", unhealthy, CapacityMinutes);
        var service = new JsonArray(
            new JsonObject { ["Name"] = "ClusterName", ["Value"] = Fn.Ref(Ids.Cluster) },
            new JsonObject { ["Name"] = "ServiceName", ["Value"] = Fn.GetAtt(Ids.Service, "Name") });
        foreach (var (id, metric, threshold, what) in new[]
        {
            (Ids.CpuAlarm, "CPUUtilization", a.CpuPercent, "CPU"),
            (Ids.MemoryAlarm, "MemoryUtilization", a.MemoryPercent, "memory"),
        })
        {
            AddAlarm(t, m, id, actions,
                $"The service's average {what} utilization above {threshold} % for {CapacityMinutes} minutes in a row (scaling is not keeping up, or Tasks.Max is reached).",
                new()
                {
                    ["Namespace"] = "AWS/ECS",
                    ["MetricName"] = metric,
                    ["Dimensions"] = service.DeepClone(),
                    ["Statistic"] = "Average",
                    ["Period"] = PeriodSeconds,
                    ["ComparisonOperator"] = "GreaterThanThreshold",
                    ["Threshold"] = threshold,
                }, CapacityMinutes);
        }

        if (a.Dashboard) AddDashboard(t, m);
    }

    static void AddAlarm(Template t, EnvironmentModel m, string id, JsonArray? actions, string description, JsonObject metric, int minutes)
    {
        var properties = new JsonObject
        {
            ["AlarmName"] = Fn.Sub(AlarmName(id)),
            ["AlarmDescription"] = $"{m.StackName}: {description}" + (DeploymentAlarmIds.Contains(id) && m.Alarms.RollbackOnAlarm ? " A deployment during which it goes off is rolled back." : ""),
        };
        foreach (var (key, value) in metric) properties[key] = value?.DeepClone();
        properties["EvaluationPeriods"] = minutes;
        properties["DatapointsToAlarm"] = minutes;
        properties["TreatMissingData"] = "notBreaching";
        if (actions is not null)
        {
            properties["AlarmActions"] = actions.DeepClone();
            properties["OKActions"] = actions.DeepClone();
        }
        t.AddResource(id, "AWS::CloudWatch::Alarm", properties);
    }

    static JsonObject MetricQuery(string id, string ns, string metric, string stat, params JsonObject[] dimensions) => new()
    {
        ["Id"] = id,
        ["MetricStat"] = new JsonObject
        {
            ["Metric"] = new JsonObject
            {
                ["Namespace"] = ns,
                ["MetricName"] = metric,
                ["Dimensions"] = new JsonArray([.. dimensions.Select(d => d.DeepClone())]),
            },
            ["Period"] = PeriodSeconds,
            ["Stat"] = stat,
        },
        ["ReturnData"] = false,
    };

    static JsonObject Expression(string id, string expression, string label) => new()
    {
        ["Id"] = id,
        ["Expression"] = expression,
        ["Label"] = label,
        ["ReturnData"] = true,
    };

    /// <summary>
    /// A dashboard named after the stack: the alarms' states, then the same metrics as graphs. Its body is JSON text with
    /// <c>Fn::Sub</c> placeholders for the load balancer, target groups, cluster, service and alarms.
    /// </summary>
    static void AddDashboard(Template t, EnvironmentModel m)
    {
        const string lb = "${" + Ids.LoadBalancer + ".LoadBalancerFullName}";
        const string elb = "AWS/ApplicationELB";
        JsonArray Metric(params JsonNode[] parts) => new([.. parts]);
        JsonObject Widget(int x, int y, string title, JsonArray metrics, string stat, string? label = null)
        {
            var properties = new JsonObject
            {
                ["title"] = title,
                ["region"] = "${AWS::Region}",
                ["view"] = "timeSeries",
                ["stat"] = stat,
                ["period"] = PeriodSeconds,
                ["metrics"] = metrics,
            };
            if (label is not null) properties["yAxis"] = new JsonObject { ["left"] = new JsonObject { ["label"] = label, ["showUnits"] = false } };
            return new JsonObject { ["type"] = "metric", ["x"] = x, ["y"] = y, ["width"] = 12, ["height"] = 6, ["properties"] = properties };
        }

        var targetGroups = m.Deployment is BlueGreenDeployment ? new[] { Ids.TargetGroup, Ids.AlternateTargetGroup } : [Ids.TargetGroup];
        var widgets = new JsonArray(
            new JsonObject
            {
                ["type"] = "alarm", ["x"] = 0, ["y"] = 0, ["width"] = 24, ["height"] = 3,
                ["properties"] = new JsonObject
                {
                    ["title"] = "Alarms",
                    ["alarms"] = new JsonArray([.. NameSuffixes.Keys.Select(id =>
                        (JsonNode)$"arn:${{AWS::Partition}}:cloudwatch:${{AWS::Region}}:${{AWS::AccountId}}:alarm:{AlarmName(id)}")]),
                },
            },
            Widget(0, 3, "Requests and 5xx responses", new JsonArray(
                Metric(elb, "RequestCount", "LoadBalancer", lb),
                Metric(elb, "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb),
                Metric(elb, "HTTPCode_Target_5XX_Count", "LoadBalancer", lb)), "Sum", "Count per minute"),
            Widget(12, 3, "Response time, p99 (seconds)", new JsonArray(Metric(elb, "TargetResponseTime", "LoadBalancer", lb)), "p99", "Seconds"),
            Widget(0, 9, "Unhealthy and healthy tasks", new JsonArray([.. targetGroups.SelectMany(g => new JsonNode[]
            {
                Metric(elb, "UnHealthyHostCount", "TargetGroup", $"${{{g}FullName}}", "LoadBalancer", lb),
                Metric(elb, "HealthyHostCount", "TargetGroup", $"${{{g}FullName}}", "LoadBalancer", lb),
            })]), "Maximum", "Tasks"),
            Widget(12, 9, "Service CPU and memory (%)", new JsonArray(
                Metric("AWS/ECS", "CPUUtilization", "ClusterName", "${" + Ids.Cluster + "}", "ServiceName", "${" + Ids.Service + ".Name}"),
                Metric("AWS/ECS", "MemoryUtilization", "ClusterName", "${" + Ids.Cluster + "}", "ServiceName", "${" + Ids.Service + ".Name}")), "Average", "Percent"));

        t.AddResource(Ids.Dashboard, "AWS::CloudWatch::Dashboard", new()
        {
            ["DashboardName"] = Fn.Sub("${AWS::StackName}"),
            // A target group's full name (targetgroup/NAME/ID) is the last part of its ARN: the same value as its TargetGroupFullName
            // attribute, which moto cannot answer (its target group has no attributes at all and fails the whole stack).
            ["DashboardBody"] = new JsonObject
            {
                ["Fn::Sub"] = new JsonArray(
                    new JsonObject { ["widgets"] = widgets }.ToJsonString(),
                    new JsonObject(targetGroups.Select(g => KeyValuePair.Create(g + "FullName", (JsonNode?)Fn.Select(5, Fn.Split(":", Fn.Ref(g)))))))
            },
        });
    }
}
