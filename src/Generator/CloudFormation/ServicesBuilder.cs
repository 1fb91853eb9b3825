using System.Globalization;
using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Templates.Rules;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>
/// The app's other services (<see cref="App.Services"/>) in one environment: for each, a security group, an image tag
/// parameter, a log group, roles and a task definition; then what its kind needs. Web services get a target group and a
/// listener rule on the shared HTTPS listener, backend services a Service Connect endpoint in the environment's namespace,
/// workers a queue with a dead-letter queue and scaling on the backlog, scheduled jobs a schedule (ScheduledJobBuilder).
/// Every ID starts with the service's name in PascalCase, so one service's resources never move when another is added.
/// </summary>
internal static class ServicesBuilder
{
    /// <summary>The environment's Service Connect namespace, when any backend service runs in it.</summary>
    public const string Namespace = "ServiceConnectNamespace";

    /// <summary>The namespace's name, as text for <c>Fn::Sub</c>: the stack's.</summary>
    const string NamespaceName = "${AWS::StackName}";

    public static void Add(Template t, EnvironmentModel m, NetworkRefs network)
    {
        if (m.Services.Count == 0) return;
        var running = m.Services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        if (m.Services.Any(s => s.Service is BackendService))
        {
            // An HTTP namespace: Service Connect needs no DNS zone, and callers resolve the backend's name through their proxy
            // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts.html).
            t.AddResource(Namespace, "AWS::ServiceDiscovery::HttpNamespace", new()
            {
                ["Name"] = Fn.Sub(NamespaceName),
                ["Description"] = $"{m.StackName}: the backend services, by name, for the services that call them",
            });
        }

        foreach (var sm in m.Services)
        {
            var s = sm.Service;
            var ids = TaskIds.For(s.Name);
            t.AddResource(ids.Of("SecurityGroup"), "AWS::EC2::SecurityGroup", new()
            {
                ["GroupDescription"] = $"{m.StackName} {s.Name}: " + s switch
                {
                    WebService => "traffic from the load balancer only",
                    BackendService => "traffic from the services that call it only",
                    _ => "no inbound traffic",
                },
                ["VpcId"] = network.VpcId.DeepClone(),
                // Tasks call AWS APIs (ECR, CloudWatch Logs, SQS, Secrets Manager) over HTTPS; calls to backends have rules of their own.
                ["SecurityGroupEgress"] = new JsonArray(new JsonObject
                {
                    ["IpProtocol"] = "tcp",
                    ["FromPort"] = 443,
                    ["ToPort"] = 443,
                    ["CidrIp"] = "0.0.0.0/0",
                    ["Description"] = "HTTPS to AWS APIs and the internet",
                }),
                ["Tags"] = StackBuilder.NameTag($"${{AWS::StackName}}-{s.Name}"),
            });
        }

        // Who calls whom: the backend admits the caller on its port, and the caller may leave for it.
        foreach (var (caller, callerGroup) in Callers(m))
        {
            foreach (var called in caller.Calls.Distinct().Where(running.ContainsKey))
            {
                var backend = (BackendService)running[called].Service;
                var backendIds = TaskIds.For(backend.Name);
                var callerPrefix = caller is AppService c ? Checks.ServiceIdPrefix(c.Name) : "Service";
                var callerName = caller is AppService named ? named.Name : "the app's service";
                t.AddResource($"{backendIds.Of("IngressFrom")}{callerPrefix}", "AWS::EC2::SecurityGroupIngress", new()
                {
                    ["GroupId"] = Fn.GetAtt(backendIds.Of("SecurityGroup"), "GroupId"),
                    ["IpProtocol"] = "tcp",
                    ["FromPort"] = backend.Port,
                    ["ToPort"] = backend.Port,
                    ["SourceSecurityGroupId"] = Fn.GetAtt(callerGroup, "GroupId"),
                    ["Description"] = $"From {callerName}, which calls {backend.Name}",
                });
                t.AddResource($"{callerPrefix}EgressTo{Checks.ServiceIdPrefix(backend.Name)}", "AWS::EC2::SecurityGroupEgress", new()
                {
                    ["GroupId"] = Fn.GetAtt(callerGroup, "GroupId"),
                    ["IpProtocol"] = "tcp",
                    ["FromPort"] = backend.Port,
                    ["ToPort"] = backend.Port,
                    ["DestinationSecurityGroupId"] = Fn.GetAtt(backendIds.Of("SecurityGroup"), "GroupId"),
                    ["Description"] = $"To {backend.Name} on its port",
                });
            }
        }

        foreach (var sm in m.Services)
        {
            var s = sm.Service;
            var ids = TaskIds.For(s.Name);
            var tagParameter = ids.Of("ImageTag");
            t.AddParameter(tagParameter, "String",
                $"The tag of the image in the ECR repository '{s.Image.Repository}' that {s.Name} runs. A pipeline rolls it forward by deploying with a new tag.",
                s.Image.Tag, Checks.ImageTagPatternText, "A Docker image tag: letters, digits, '_', '.', '-', at most 128 characters.");
            var taskRole = ServiceBuilder.AddTaskRoles(t, m, ids, s, $"{m.StackName}: what {s.Name} itself may do in AWS");
            foreach (var (name, statements) in Grants(m, s.Name)) ServiceBuilder.AddPolicy(taskRole, name, statements);
            var port = ModelValidator.PortOf(s);
            ServiceBuilder.AddTaskDefinition(t, m, ids, s, port, Fn.Sub($"{Fn.EcrRegistry}/{s.Image.Repository}:${{{tagParameter}}}"),
                Variables(m, s, s.Name), s is BackendService ? s.Name : null);

            switch (s)
            {
                case WebService web:
                    AddWebRouting(t, m, network, web, ids);
                    AddService(t, m, network, sm, ids);
                    AddCpuScaling(t, m, sm, ids);
                    break;
                case BackendService:
                    AddService(t, m, network, sm, ids);
                    AddCpuScaling(t, m, sm, ids);
                    break;
                case Worker worker:
                    AddQueues(t, m, worker, ids);
                    AddService(t, m, network, sm, ids);
                    AddBacklogScaling(t, m, sm, worker, ids);
                    break;
                case ScheduledJob:
                    // ScheduledJobBuilder.Add(t, m, sm, network, Fn.GetAtt(ids.Of("SecurityGroup"), "GroupId")) once branch many-jobs is merged.
                    throw new NotSupportedException($"{m.StackName}: scheduled jobs are not emitted yet (branch many-jobs).");
            }
        }
    }

    /// <summary>The containers that call backends, with their security groups' IDs: the app's Service first, then the services in order.</summary>
    static IEnumerable<(ContainerTask Caller, string Group)> Callers(EnvironmentModel m)
    {
        if (m.Service.Calls.Count > 0) yield return (m.Service, Ids.ServiceSecurityGroup);
        foreach (var sm in m.Services)
            if (sm.Service.Calls.Count > 0 && sm.Service is not ScheduledJob) yield return (sm.Service, TaskIds.For(sm.Name).Of("SecurityGroup"));
    }

    /// <summary>
    /// The variables the stack computes for a container (<paramref name="name"/>: a service's name, or the app's for its own
    /// Service): <c>&lt;WORKER&gt;_QUEUE_URL</c> for its own queue and each queue it may send to, <c>&lt;BACKEND&gt;_URL</c> for each backend it calls.
    /// </summary>
    internal static List<(string Name, JsonNode Value)> Variables(EnvironmentModel m, ContainerTask container, string name)
    {
        var variables = new List<(string, JsonNode)>();
        foreach (var worker in m.Services.Select(s => s.Service).OfType<Worker>())
            if (worker.Name == name || worker.SentBy.Contains(name))
                variables.Add(($"{Checks.ServiceVariablePrefix(worker.Name)}_QUEUE_URL", Fn.Ref(TaskIds.For(worker.Name).Of("Queue"))));
        foreach (var called in container.Calls.Distinct())
            if (m.Services.FirstOrDefault(s => s.Name == called)?.Service is BackendService backend)
                variables.Add(($"{Checks.ServiceVariablePrefix(backend.Name)}_URL", $"http://{backend.Name}:{backend.Port.ToString(CultureInfo.InvariantCulture)}"));
        return variables;
    }

    /// <summary>
    /// What a container's task role may do with the app's queues (<paramref name="name"/>: a service's name, or the app's):
    /// a worker receives from and deletes in its own queue; a sender sends to it. Each as (policy name, statements).
    /// </summary>
    internal static List<(string Name, JsonObject[] Statements)> Grants(EnvironmentModel m, string name)
    {
        var grants = new List<(string, JsonObject[])>();
        foreach (var worker in m.Services.Select(s => s.Service).OfType<Worker>())
        {
            var queueArn = Fn.GetAtt(TaskIds.For(worker.Name).Of("Queue"), "Arn");
            if (worker.Name == name)
                // What a consumer needs (SQS's "Amazon SQS API permissions: Actions and resource reference"): receive, delete,
                // extend a message's visibility while still working on it, and read the queue's attributes.
                grants.Add(("consume-queue", [StackBuilder.Statement("ConsumeQueue",
                    ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], queueArn)]));
            else if (worker.SentBy.Contains(name))
                grants.Add(($"send-to-{worker.Name}", [StackBuilder.Statement("SendToQueue", ["sqs:SendMessage"], queueArn)]));
        }
        return grants;
    }

    static void AddWebRouting(Template t, EnvironmentModel m, NetworkRefs network, WebService web, TaskIds ids)
    {
        t.AddResource(ids.Of("TargetGroup"), "AWS::ElasticLoadBalancingV2::TargetGroup",
            LoadBalancerBuilder.TargetGroupProperties(m, network, web.HealthCheck, web.Port));
        var conditions = new JsonArray();
        if (web.Route.Hosts.Count > 0)
            conditions.Add((JsonNode)new JsonObject
            {
                ["Field"] = "host-header",
                ["HostHeaderConfig"] = new JsonObject { ["Values"] = new JsonArray([.. web.Route.Hosts.Select(h => (JsonNode)JsonValue.Create(h))]) },
            });
        if (web.Route.Paths.Count > 0)
            conditions.Add((JsonNode)new JsonObject
            {
                ["Field"] = "path-pattern",
                ["PathPatternConfig"] = new JsonObject { ["Values"] = new JsonArray([.. web.Route.Paths.Select(p => (JsonNode)JsonValue.Create(p))]) },
            });
        t.AddResource(ids.Of("ListenerRule"), "AWS::ElasticLoadBalancingV2::ListenerRule", new()
        {
            ["ListenerArn"] = Fn.Ref(Ids.HttpsListener),
            // Derived from the service's name unless set, so that no other service's change renumbers it: two rules swapping
            // priorities in one update fail with PriorityInUse (AWS::ElasticLoadBalancingV2::ListenerRule, Priority).
            ["Priority"] = Checks.RoutePriority(web.Name, web.Priority),
            ["Conditions"] = conditions,
            ["Actions"] = new JsonArray(new JsonObject { ["Type"] = "forward", ["TargetGroupArn"] = Fn.Ref(ids.Of("TargetGroup")) }),
        });
        t.AddResource(ids.Of("IngressFromLoadBalancer"), "AWS::EC2::SecurityGroupIngress", new()
        {
            ["GroupId"] = Fn.GetAtt(ids.Of("SecurityGroup"), "GroupId"),
            ["IpProtocol"] = "tcp",
            ["FromPort"] = web.Port,
            ["ToPort"] = web.Port,
            ["SourceSecurityGroupId"] = Fn.GetAtt(Ids.LoadBalancerSecurityGroup, "GroupId"),
            ["Description"] = "From the load balancer on the container port",
        });
        t.AddResource(ids.Of("LoadBalancerEgress"), "AWS::EC2::SecurityGroupEgress", new()
        {
            ["GroupId"] = Fn.GetAtt(Ids.LoadBalancerSecurityGroup, "GroupId"),
            ["IpProtocol"] = "tcp",
            ["FromPort"] = web.Port,
            ["ToPort"] = web.Port,
            ["DestinationSecurityGroupId"] = Fn.GetAtt(ids.Of("SecurityGroup"), "GroupId"),
            ["Description"] = $"To {web.Name}'s tasks on its port",
        });
    }

    /// <summary>The ECS service of a web, backend or worker service: rolling, with the circuit breaker.</summary>
    static void AddService(Template t, EnvironmentModel m, NetworkRefs network, ServiceModel sm, TaskIds ids)
    {
        var s = sm.Service;
        // Rolling, even where the app's own Service deploys blue/green: ECS owns a blue/green rule's weights after the first
        // deployment, and a route change of the service (its rule's conditions) would have CloudFormation write them back.
        var rolling = m.Deployment as RollingDeployment ?? new RollingDeployment();
        var properties = new JsonObject
        {
            ["Cluster"] = Fn.Ref(Ids.Cluster),
            ["LaunchType"] = "FARGATE",
            ["TaskDefinition"] = Fn.Ref(ids.TaskDefinition),
            // No DesiredCount: auto scaling owns the count (as for the app's Service).
            ["DeploymentController"] = new JsonObject { ["Type"] = "ECS" },
            ["DeploymentConfiguration"] = new JsonObject
            {
                ["MinimumHealthyPercent"] = rolling.MinimumHealthyPercent,
                ["MaximumPercent"] = rolling.MaximumPercent,
                ["DeploymentCircuitBreaker"] = new JsonObject { ["Enable"] = true, ["Rollback"] = rolling.RollbackOnFailure },
            },
            ["NetworkConfiguration"] = new JsonObject
            {
                ["AwsvpcConfiguration"] = new JsonObject
                {
                    ["AssignPublicIp"] = network.TasksArePublic ? "ENABLED" : "DISABLED",
                    ["SecurityGroups"] = new JsonArray(Fn.GetAtt(ids.Of("SecurityGroup"), "GroupId")),
                    ["Subnets"] = network.TaskSubnets.DeepClone(),
                },
            },
            ["EnableECSManagedTags"] = true,
            ["PropagateTags"] = "SERVICE",
        };
        if (s is WebService web)
        {
            properties["HealthCheckGracePeriodSeconds"] = m.Deployment.HealthCheckGracePeriodSeconds;
            properties["LoadBalancers"] = new JsonArray(new JsonObject
            {
                ["ContainerName"] = StackBuilder.ContainerName,
                ["ContainerPort"] = web.Port,
                ["TargetGroupArn"] = Fn.Ref(ids.Of("TargetGroup")),
            });
        }
        if (ServiceConnect(m, s) is { } serviceConnect) properties["ServiceConnectConfiguration"] = serviceConnect;
        var service = t.AddResource(ids.Of("Service"), "AWS::ECS::Service", properties);
        // A target group must belong to a load balancer before a service registers into it: the listener rule does that.
        if (s is WebService) service.DependsOn(ids.Of("ListenerRule"));
        if (properties["ServiceConnectConfiguration"] is not null) service.DependsOn(Namespace);
    }

    /// <summary>
    /// A service's Service Connect configuration: a backend publishes its port under its name; a caller is a client only
    /// (Enabled, no Services). Null for a container that neither serves nor calls through Service Connect.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-serviceconnectconfiguration.html
    /// </summary>
    internal static JsonObject? ServiceConnect(EnvironmentModel m, ContainerTask s)
    {
        var backend = s as BackendService;
        if (backend is null && s.Calls.Count == 0) return null;
        // The namespace by name ("The namespace name or full Amazon Resource Name (ARN) of the AWS Cloud Map namespace"), which
        // the stack gives it; the service depends on the namespace explicitly (moto 5.2.1 has no model of the namespace to
        // answer Fn::GetAtt on, and a name needs no attribute).
        var configuration = new JsonObject { ["Enabled"] = true, ["Namespace"] = Fn.Sub(NamespaceName) };
        if (backend is not null)
            configuration["Services"] = new JsonArray(new JsonObject
            {
                ["PortName"] = backend.Name,
                ["DiscoveryName"] = backend.Name,
                ["ClientAliases"] = new JsonArray(new JsonObject { ["Port"] = backend.Port, ["DnsName"] = backend.Name }),
            });
        return configuration;
    }

    static void AddScalableTarget(Template t, ServiceModel sm, TaskIds ids)
    {
        var tasks = sm.Tasks ?? throw new InvalidOperationException($"{sm.Name} has no task bounds.");
        t.AddResource(ids.Of("ScalableTarget"), "AWS::ApplicationAutoScaling::ScalableTarget", new()
        {
            ["ServiceNamespace"] = "ecs",
            ["ScalableDimension"] = "ecs:service:DesiredCount",
            ["ResourceId"] = Fn.Sub($"service/${{{Ids.Cluster}}}/${{{ids.Of("Service")}.Name}}"),
            ["MinCapacity"] = tasks.Min,
            ["MaxCapacity"] = tasks.Max,
        });
    }

    static void AddCpuScaling(Template t, EnvironmentModel m, ServiceModel sm, TaskIds ids)
    {
        AddScalableTarget(t, sm, ids);
        t.AddResource(ids.Of("CpuScalingPolicy"), "AWS::ApplicationAutoScaling::ScalingPolicy", new()
        {
            ["PolicyName"] = Fn.Sub($"${{AWS::StackName}}-{sm.Name}-cpu"),
            ["PolicyType"] = "TargetTrackingScaling",
            ["ScalingTargetId"] = Fn.Ref(ids.Of("ScalableTarget")),
            ["TargetTrackingScalingPolicyConfiguration"] = new JsonObject
            {
                ["PredefinedMetricSpecification"] = new JsonObject { ["PredefinedMetricType"] = "ECSServiceAverageCPUUtilization" },
                ["TargetValue"] = m.Scaling.CpuTargetPercent,
                ["ScaleInCooldown"] = m.Scaling.ScaleInCooldownSeconds,
                ["ScaleOutCooldown"] = m.Scaling.ScaleOutCooldownSeconds,
            },
        });
    }

    /// <summary>
    /// Target tracking on the backlog per task: the queue's visible messages divided by the service's running tasks (metric
    /// math), kept at <see cref="Worker.MessagesPerTask"/>, as "Scaling policy based on Amazon SQS" describes for ECS
    /// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking-metric-math.html).
    /// RunningTaskCount comes from Container Insights, which the cluster has on.
    /// </summary>
    static void AddBacklogScaling(Template t, EnvironmentModel m, ServiceModel sm, Worker worker, TaskIds ids)
    {
        AddScalableTarget(t, sm, ids);
        JsonObject Dimension(string name, JsonNode value) => new() { ["Name"] = name, ["Value"] = value };
        t.AddResource(ids.Of("BacklogScalingPolicy"), "AWS::ApplicationAutoScaling::ScalingPolicy", new()
        {
            ["PolicyName"] = Fn.Sub($"${{AWS::StackName}}-{sm.Name}-backlog"),
            ["PolicyType"] = "TargetTrackingScaling",
            ["ScalingTargetId"] = Fn.Ref(ids.Of("ScalableTarget")),
            ["TargetTrackingScalingPolicyConfiguration"] = new JsonObject
            {
                ["CustomizedMetricSpecification"] = new JsonObject
                {
                    ["Metrics"] = new JsonArray(
                        new JsonObject
                        {
                            ["Id"] = "visible",
                            ["MetricStat"] = new JsonObject
                            {
                                ["Metric"] = new JsonObject
                                {
                                    ["Namespace"] = "AWS/SQS",
                                    ["MetricName"] = "ApproximateNumberOfMessagesVisible",
                                    ["Dimensions"] = new JsonArray(Dimension("QueueName", Fn.GetAtt(ids.Of("Queue"), "QueueName"))),
                                },
                                ["Stat"] = "Sum",
                            },
                            ["ReturnData"] = false,
                        },
                        new JsonObject
                        {
                            ["Id"] = "tasks",
                            ["MetricStat"] = new JsonObject
                            {
                                ["Metric"] = new JsonObject
                                {
                                    ["Namespace"] = "ECS/ContainerInsights",
                                    ["MetricName"] = "RunningTaskCount",
                                    ["Dimensions"] = new JsonArray(
                                        Dimension("ClusterName", Fn.Ref(Ids.Cluster)),
                                        Dimension("ServiceName", Fn.GetAtt(ids.Of("Service"), "Name"))),
                                },
                                ["Stat"] = "Average",
                            },
                            ["ReturnData"] = false,
                        },
                        new JsonObject
                        {
                            ["Id"] = "backlog_per_task",
                            ["Expression"] = "visible / tasks",
                            ["Label"] = "Messages waiting per running task",
                            ["ReturnData"] = true,
                        }),
                },
                ["TargetValue"] = worker.MessagesPerTask,
                ["ScaleInCooldown"] = m.Scaling.ScaleInCooldownSeconds,
                ["ScaleOutCooldown"] = m.Scaling.ScaleOutCooldownSeconds,
            },
        });
    }

    /// <summary>
    /// The worker's queue and its dead-letter queue, both encrypted with SQS-managed keys (SSE-SQS) and refusing requests made
    /// without TLS. The redrive policy moves a message received <see cref="WorkQueue.MaxReceives"/> times to the dead-letter queue.
    /// </summary>
    static void AddQueues(Template t, EnvironmentModel m, Worker worker, TaskIds ids)
    {
        const int day = 86400;
        // The messages waiting are data: production keeps the queues when the stack or the worker is removed, as it keeps logs.
        var retention = m.Env.IsProduction ? "Retain" : "Delete";
        t.AddResource(ids.Of("DeadLetterQueue"), "AWS::SQS::Queue", new()
        {
            ["SqsManagedSseEnabled"] = true,
            ["MessageRetentionPeriod"] = worker.Queue.DeadLetterRetentionDays * day,
        }).Retention(retention);
        t.AddResource(ids.Of("Queue"), "AWS::SQS::Queue", new()
        {
            ["SqsManagedSseEnabled"] = true,
            ["VisibilityTimeout"] = worker.Queue.VisibilityTimeoutSeconds,
            ["MessageRetentionPeriod"] = worker.Queue.RetentionDays * day,
            ["RedrivePolicy"] = new JsonObject
            {
                ["deadLetterTargetArn"] = Fn.GetAtt(ids.Of("DeadLetterQueue"), "Arn"),
                ["maxReceiveCount"] = worker.Queue.MaxReceives,
            },
        }).Retention(retention);
        var queues = new JsonArray(Fn.Ref(ids.Of("Queue")), Fn.Ref(ids.Of("DeadLetterQueue")));
        t.AddResource(ids.Of("QueuePolicy"), "AWS::SQS::QueuePolicy", new()
        {
            ["Queues"] = queues,
            ["PolicyDocument"] = new JsonObject
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new JsonArray(new JsonObject
                {
                    ["Sid"] = "DenyInsecureTransport",
                    ["Effect"] = "Deny",
                    ["Principal"] = "*",
                    ["Action"] = "sqs:*",
                    ["Resource"] = new JsonArray(Fn.GetAtt(ids.Of("Queue"), "Arn"), Fn.GetAtt(ids.Of("DeadLetterQueue"), "Arn")),
                    ["Condition"] = new JsonObject { ["Bool"] = new JsonObject { ["aws:SecureTransport"] = "false" } },
                }),
            },
        });
    }
}
