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
/// workers a queue with a dead-letter queue and scaling on the backlog, scheduled jobs a schedule (<see cref="ScheduledJobBuilder"/>).
/// Every ID starts with the service's name in PascalCase, so one service's resources never move when another is added.
/// </summary>
internal static class ServicesBuilder
{
    /// <summary>The environment's Service Connect namespace, when any backend service runs in it.</summary>
    public const string Namespace = "ServiceConnectNamespace";

    /// <summary>The namespace's name, as text for <c>Fn::Sub</c>: the stack's.</summary>
    const string NamespaceName = "${AWS::StackName}";

    /// <summary>
    /// The services' resources in the environment's stack: with one stack per environment, all of them; with a stack per
    /// service, only what they share or what joins them (security groups and the rules between them, queues, the namespace),
    /// exported for the services' own stacks (<see cref="AddServiceStack"/>).
    /// </summary>
    public static void Add(Template t, EnvironmentModel m, NetworkRefs network)
    {
        if (m.Services.Count == 0) return;
        AddShared(t, m, network);
        if (m.SplitsServices)
        {
            AddSharedParameters(t, m, network);
            return;
        }
        var refs = ServiceRefs.Local(m, network);
        foreach (var sm in m.Services) AddOwn(t, m, sm, refs);
    }

    /// <summary>A service's own stack (<see cref="StackLayout.StackPerService"/>): what is its alone, with the environment's stack's exports imported.</summary>
    public static void AddServiceStack(Template t, EnvironmentModel m, ServiceModel sm) => AddOwn(t, m, sm, ServiceRefs.Imported(t, m));

    static void AddShared(Template t, EnvironmentModel m, NetworkRefs network)
    {
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
                ["SecurityGroupEgress"] = new JsonArray(SecurityGroupBuilder.SecurityGroupRule("HTTPS to AWS APIs and the internet", 443, "CidrIp", "0.0.0.0/0")),
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
                t.AddResource($"{backendIds.Of("IngressFrom")}{callerPrefix}", "AWS::EC2::SecurityGroupIngress", SecurityGroupBuilder.StandaloneRule(Fn.GetAtt(backendIds.Of("SecurityGroup"), "GroupId"),
                    backend.Port, "SourceSecurityGroupId", Fn.GetAtt(callerGroup, "GroupId"), $"From {callerName}, which calls {backend.Name}"));
                t.AddResource($"{callerPrefix}EgressTo{Checks.ServiceIdPrefix(backend.Name)}", "AWS::EC2::SecurityGroupEgress", SecurityGroupBuilder.StandaloneRule(Fn.GetAtt(callerGroup, "GroupId"),
                    backend.Port, "DestinationSecurityGroupId", Fn.GetAtt(backendIds.Of("SecurityGroup"), "GroupId"), $"To {backend.Name} on its port"));
            }
        }

        foreach (var sm in m.Services)
        {
            var ids = TaskIds.For(sm.Name);
            if (sm.Service is WebService web) AddLoadBalancerPath(t, web, ids);
            if (sm.Service is Worker worker) AddQueues(t, m, worker, ids);
        }
    }

    /// <summary>
    /// What a service's own stack needs from the environment's, as SSM parameters named <c>/ENVSTACK/Name</c>, which the service's
    /// stack reads through parameters of type <c>AWS::SSM::Parameter::Value&lt;…&gt;</c> resolved at each deploy. Not exports:
    /// an export cannot change while another stack imports it, which would lock the environment's stack; and moto 5.2.1
    /// registers no export of a stack created through a change set, which is how <c>aws cloudformation deploy</c> creates one.
    /// </summary>
    static void AddSharedParameters(Template t, EnvironmentModel m, NetworkRefs network)
    {
        void Share(string name, string description, JsonNode value, bool list = false) =>
            t.AddResource(name + "Parameter", "AWS::SSM::Parameter", new()
            {
                ["Name"] = Fn.Sub($"/${{AWS::StackName}}/{name}"),
                ["Description"] = $"{m.StackName}: {description}, for the services' own stacks",
                ["Type"] = list ? "StringList" : "String",
                ["Value"] = value,
            });
        Share("ClusterName", "the cluster the services run in", Fn.Ref(Ids.Cluster));
        Share("VpcId", "the VPC of the services' target groups", network.VpcId.DeepClone());
        Share("TaskSubnets", "the subnets the services' tasks run in", new JsonObject { ["Fn::Join"] = new JsonArray(",", network.TaskSubnets.DeepClone()) }, list: true);
        if (m.Services.Any(s => s.Service is WebService))
            Share("HttpsListener", "the HTTPS listener the web services' rules are on", Fn.Ref(Ids.HttpsListener));
        if (m.Services.Any(s => s.Service is BackendService || s.Service.Calls.Count > 0))
            Share("ServiceConnectNamespace", "the Service Connect namespace's name", Fn.Sub(NamespaceName));
        foreach (var sm in m.Services)
        {
            var ids = TaskIds.For(sm.Name);
            Share(ids.Of("SecurityGroup"), $"the security group of {sm.Name}'s tasks", Fn.GetAtt(ids.Of("SecurityGroup"), "GroupId"));
            if (sm.Service is Worker)
            {
                Share(ids.Of("QueueArn"), $"the ARN of {sm.Name}'s queue", Fn.GetAtt(ids.Of("Queue"), "Arn"));
                Share(ids.Of("QueueUrl"), $"the URL of {sm.Name}'s queue", Fn.Ref(ids.Of("Queue")));
                Share(ids.Of("QueueName"), $"the name of {sm.Name}'s queue", Fn.GetAtt(ids.Of("Queue"), "QueueName"));
            }
        }
    }

    /// <summary>A service's own resources: image tag parameter, roles, task definition, and its kind's.</summary>
    static void AddOwn(Template t, EnvironmentModel m, ServiceModel sm, ServiceRefs refs)
    {
        var s = sm.Service;
        var ids = m.Part is null ? TaskIds.For(s.Name) : TaskIds.For(s.Name) with { Family = "${AWS::StackName}" };
        var tagParameter = ids.Of("ImageTag");
        t.AddParameter(tagParameter, "String",
            $"The tag of the image in the ECR repository '{s.Image.Repository}' that {s.Name} runs. A pipeline rolls it forward by deploying with a new tag.",
            s.Image.Tag, Checks.ImageTagPatternText, "A Docker image tag: letters, digits, '_', '.', '-', at most 128 characters.");
        var taskRole = ServiceBuilder.AddTaskRoles(t, m, ids, s, $"{m.StackName}: what {s.Name} itself may do in AWS");
        foreach (var (name, statements) in Grants(m, s.Name, refs)) ServiceBuilder.AddPolicy(taskRole, name, statements);
        var port = ModelValidator.PortOf(s);
        ServiceBuilder.AddTaskDefinition(t, m, ids, s, port, Fn.Sub($"{Fn.EcrRegistry}/{s.Image.Repository}:${{{tagParameter}}}"),
            Variables(m, s, s.Name, refs), s is BackendService ? s.Name : null);

        switch (s)
        {
            case WebService web:
                AddWebRouting(t, m, web, ids, refs);
                AddService(t, m, sm, ids, refs);
                AddCpuScaling(t, m, sm, ids, refs);
                break;
            case BackendService:
                AddService(t, m, sm, ids, refs);
                AddCpuScaling(t, m, sm, ids, refs);
                break;
            case Worker worker:
                AddService(t, m, sm, ids, refs);
                AddBacklogScaling(t, m, sm, worker, ids, refs);
                break;
            case ScheduledJob:
                ScheduledJobBuilder.Add(t, m, sm, ids, refs);
                break;
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
    internal static List<(string Name, JsonNode Value)> Variables(EnvironmentModel m, ContainerTask container, string name) =>
        Variables(m, container, name, null);

    static List<(string Name, JsonNode Value)> Variables(EnvironmentModel m, ContainerTask container, string name, ServiceRefs? refs)
    {
        var variables = new List<(string, JsonNode)>();
        foreach (var worker in m.Services.Select(s => s.Service).OfType<Worker>())
            if (worker.Name == name || worker.SentBy.Contains(name))
                variables.Add(($"{Checks.ServiceVariablePrefix(worker.Name)}_QUEUE_URL", refs?.QueueUrl(worker.Name) ?? Fn.Ref(TaskIds.For(worker.Name).Of("Queue"))));
        foreach (var called in container.Calls.Distinct())
            if (m.Services.FirstOrDefault(s => s.Name == called)?.Service is BackendService backend)
                variables.Add(($"{Checks.ServiceVariablePrefix(backend.Name)}_URL", $"http://{backend.Name}:{backend.Port.ToString(CultureInfo.InvariantCulture)}"));
        return variables;
    }

    /// <summary>
    /// What a container's task role may do with the app's queues (<paramref name="name"/>: a service's name, or the app's):
    /// a worker receives from and deletes in its own queue; a sender sends to it. Each as (policy name, statements).
    /// </summary>
    internal static List<(string Name, JsonObject[] Statements)> Grants(EnvironmentModel m, string name) => Grants(m, name, null);

    static List<(string Name, JsonObject[] Statements)> Grants(EnvironmentModel m, string name, ServiceRefs? refs)
    {
        var grants = new List<(string, JsonObject[])>();
        foreach (var worker in m.Services.Select(s => s.Service).OfType<Worker>())
        {
            // Read where used: a service's own stack gets a parameter for each queue it uses, and for no other.
            JsonNode QueueArn() => refs?.QueueArn(worker.Name) ?? Fn.GetAtt(TaskIds.For(worker.Name).Of("Queue"), "Arn");
            if (worker.Name == name)
            {
                // What a consumer needs (SQS's "Amazon SQS API permissions: Actions and resource reference"): receive, delete,
                // extend a message's visibility while still working on it, and read the queue's attributes.
                grants.Add(("consume-queue", [StackBuilder.Statement("ConsumeQueue",
                    ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], QueueArn())]));
            }
            // A worker may also send to its own queue (re-enqueueing), when it says so.
            if (worker.SentBy.Contains(name))
                grants.Add(($"send-to-{worker.Name}", [StackBuilder.Statement("SendToQueue", ["sqs:SendMessage"], QueueArn())]));
        }
        return grants;
    }

    static void AddWebRouting(Template t, EnvironmentModel m, WebService web, TaskIds ids, ServiceRefs refs)
    {
        t.AddResource(ids.Of("TargetGroup"), "AWS::ElasticLoadBalancingV2::TargetGroup",
            LoadBalancerBuilder.TargetGroupProperties(m, refs.Network with { VpcId = refs.Vpc() }, web.HealthCheck, web.Port));
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
            ["ListenerArn"] = refs.Listener(),
            // Derived from the service's name unless set, so that no other service's change renumbers it: two rules swapping
            // priorities in one update fail with PriorityInUse (AWS::ElasticLoadBalancingV2::ListenerRule, Priority).
            ["Priority"] = Checks.RoutePriority(web.Name, web.Priority),
            ["Conditions"] = conditions,
            ["Actions"] = new JsonArray(new JsonObject { ["Type"] = "forward", ["TargetGroupArn"] = Fn.Ref(ids.Of("TargetGroup")) }),
        });
    }

    /// <summary>The load balancer's way to a web service's tasks: its group may leave for them, and theirs admits it, on the service's port.</summary>
    static void AddLoadBalancerPath(Template t, WebService web, TaskIds ids)
    {
        t.AddResource(ids.Of("IngressFromLoadBalancer"), "AWS::EC2::SecurityGroupIngress", SecurityGroupBuilder.StandaloneRule(Fn.GetAtt(ids.Of("SecurityGroup"), "GroupId"),
                    web.Port, "SourceSecurityGroupId", Fn.GetAtt(Ids.LoadBalancerSecurityGroup, "GroupId"), "From the load balancer on the container port"));
        t.AddResource(ids.Of("LoadBalancerEgress"), "AWS::EC2::SecurityGroupEgress", SecurityGroupBuilder.StandaloneRule(Fn.GetAtt(Ids.LoadBalancerSecurityGroup, "GroupId"),
                    web.Port, "DestinationSecurityGroupId", Fn.GetAtt(ids.Of("SecurityGroup"), "GroupId"), $"To {web.Name}'s tasks on its port"));
    }

    /// <summary>The ECS service of a web, backend or worker service: rolling, with the circuit breaker.</summary>
    static void AddService(Template t, EnvironmentModel m, ServiceModel sm, TaskIds ids, ServiceRefs refs)
    {
        var s = sm.Service;
        // Rolling, even where the app's own Service deploys blue/green: ECS owns a blue/green rule's weights after the first
        // deployment, and a route change of the service (its rule's conditions) would have CloudFormation write them back.
        var rolling = m.Deployment as RollingDeployment ?? new RollingDeployment();
        var properties = new JsonObject
        {
            ["Cluster"] = refs.Cluster(),
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
                    ["AssignPublicIp"] = refs.Network.TasksArePublic ? "ENABLED" : "DISABLED",
                    ["SecurityGroups"] = new JsonArray(refs.SecurityGroup(s.Name)),
                    ["Subnets"] = refs.Network.TaskSubnets.DeepClone(),
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
        if (ServiceConnect(m, s, refs.NamespaceName) is { } serviceConnect) properties["ServiceConnectConfiguration"] = serviceConnect;
        var service = t.AddResource(ids.Of("Service"), "AWS::ECS::Service", properties);
        // A target group must belong to a load balancer before a service registers into it: the listener rule does that.
        if (s is WebService) service.DependsOn(ids.Of("ListenerRule"));
        if (properties["ServiceConnectConfiguration"] is not null && refs.InEnvironmentStack) service.DependsOn(Namespace);
    }

    /// <summary>
    /// A service's Service Connect configuration: a backend publishes its port under its name; a caller is a client only
    /// (Enabled, no Services). Null for a container that neither serves nor calls through Service Connect.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-service-serviceconnectconfiguration.html
    /// </summary>
    internal static JsonObject? ServiceConnect(EnvironmentModel m, ContainerTask s) => ServiceConnect(m, s, () => Fn.Sub(NamespaceName));

    static JsonObject? ServiceConnect(EnvironmentModel m, ContainerTask s, Func<JsonNode> namespaceName)
    {
        var backend = s as BackendService;
        if (backend is null && s.Calls.Count == 0) return null;
        // The namespace by name ("The namespace name or full Amazon Resource Name (ARN) of the AWS Cloud Map namespace"), which
        // the stack gives it; the service depends on the namespace explicitly (moto 5.2.1 has no model of the namespace to
        // answer Fn::GetAtt on, and a name needs no attribute).
        var configuration = new JsonObject { ["Enabled"] = true, ["Namespace"] = namespaceName() };
        if (backend is not null)
            configuration["Services"] = new JsonArray(new JsonObject
            {
                ["PortName"] = backend.Name,
                ["DiscoveryName"] = backend.Name,
                ["ClientAliases"] = new JsonArray(new JsonObject { ["Port"] = backend.Port, ["DnsName"] = backend.Name }),
            });
        return configuration;
    }

    static void AddScalableTarget(Template t, ServiceModel sm, TaskIds ids, ServiceRefs refs)
    {
        var tasks = sm.Tasks ?? throw new InvalidOperationException($"{sm.Name} has no task bounds.");
        t.AddResource(ids.Of("ScalableTarget"), "AWS::ApplicationAutoScaling::ScalableTarget", new()
        {
            ["ServiceNamespace"] = "ecs",
            ["ScalableDimension"] = "ecs:service:DesiredCount",
            // Ref on a service is its ARN; the resource ID wants the cluster's and the service's names.
            ["ResourceId"] = refs.InEnvironmentStack
                ? Fn.Sub($"service/${{{Ids.Cluster}}}/${{{ids.Of("Service")}.Name}}")
                : new JsonObject { ["Fn::Sub"] = new JsonArray($"service/${{Cluster}}/${{{ids.Of("Service")}.Name}}", new JsonObject { ["Cluster"] = refs.Cluster() }) },
            ["MinCapacity"] = tasks.Min,
            ["MaxCapacity"] = tasks.Max,
        });
    }

    static void AddCpuScaling(Template t, EnvironmentModel m, ServiceModel sm, TaskIds ids, ServiceRefs refs)
    {
        AddScalableTarget(t, sm, ids, refs);
        ScalingBuilder.AddTracking(t, ids.Of("CpuScalingPolicy"), ids.Of("ScalableTarget"), $"{sm.Name}-cpu", "ECSServiceAverageCPUUtilization",
            m.Scaling.CpuTargetPercent, m.Scaling, null);
    }

    /// <summary>
    /// Target tracking on the backlog per task: the queue's visible messages divided by the service's running tasks (metric
    /// math), kept at <see cref="Worker.MessagesPerTask"/>, as "Scaling policy based on Amazon SQS" describes for ECS
    /// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-target-tracking-metric-math.html).
    /// RunningTaskCount comes from Container Insights, which the cluster has on.
    /// </summary>
    static void AddBacklogScaling(Template t, EnvironmentModel m, ServiceModel sm, Worker worker, TaskIds ids, ServiceRefs refs)
    {
        AddScalableTarget(t, sm, ids, refs);
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
                                    ["Dimensions"] = new JsonArray(Dimension("QueueName", refs.QueueName(sm.Name))),
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
                                        Dimension("ClusterName", refs.Cluster()),
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

/// <summary>
/// How a service's resources reach what the environment's stack holds: directly (<see cref="Local"/>, one stack per
/// environment), or through the environment's stack's exports (<see cref="Imported"/>, a service's own stack).
/// </summary>
internal sealed class ServiceRefs
{
    readonly Func<string, JsonNode> value;

    ServiceRefs(NetworkRefs network, bool inEnvironmentStack, Func<string, JsonNode> value)
    {
        Network = network;
        InEnvironmentStack = inEnvironmentStack;
        this.value = value;
    }

    /// <summary>The VPC and the tasks' subnets.</summary>
    public NetworkRefs Network { get; }

    /// <summary>Whether the service is built in the environment's stack (its namespace and listener are then resources there).</summary>
    public bool InEnvironmentStack { get; }

    /// <summary>References within the environment's stack.</summary>
    public static ServiceRefs Local(EnvironmentModel m, NetworkRefs network) => new(network, true, name => name switch
    {
        "ClusterName" => Fn.Ref(Ids.Cluster),
        "VpcId" => network.VpcId.DeepClone(),
        "HttpsListener" => Fn.Ref(Ids.HttpsListener),
        "Namespace" => Fn.Sub("${AWS::StackName}"),
        _ when name.EndsWith("QueueArn", StringComparison.Ordinal) => Fn.GetAtt(name[..^3], "Arn"),
        _ when name.EndsWith("QueueUrl", StringComparison.Ordinal) => Fn.Ref(name[..^3]),
        _ when name.EndsWith("QueueName", StringComparison.Ordinal) => Fn.GetAtt(name[..^4], "QueueName"),
        _ when name.EndsWith("SecurityGroup", StringComparison.Ordinal) => Fn.GetAtt(name, "GroupId"),
        _ => throw new ArgumentException($"No local reference '{name}'.", nameof(name)),
    });

    /// <summary>
    /// References to what the environment's stack shares (its SSM parameters <c>/ENVSTACK/Name</c>), from a service's own stack:
    /// each a parameter of the service's stack, added where first used, whose default names the environment's SSM parameter.
    /// </summary>
    public static ServiceRefs Imported(Template t, EnvironmentModel m)
    {
        JsonNode Import(string name)
        {
            if (!t.Parameters.ContainsKey(name))
            {
                var type = name switch
                {
                    "VpcId" => "AWS::SSM::Parameter::Value<AWS::EC2::VPC::Id>",
                    "TaskSubnets" => "AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>",
                    _ => "AWS::SSM::Parameter::Value<String>",
                };
                t.AddParameter(name, type,
                    $"The SSM parameter in which the environment's stack {m.EnvironmentStackName} (deployed before this one) shares its {name}.",
                    $"/{m.EnvironmentStackName}/{name}");
            }
            return Fn.Ref(name);
        }
        // The VPC only where a target group needs it (Vpc()): cfn-lint warns of a parameter no resource uses.
        var network = new NetworkRefs(JsonValue.Create("")!, new JsonArray(), Import("TaskSubnets"),
            m.Network is NewVpc { TaskSubnets: TaskSubnets.Public } || m.Network is ExistingVpc { TaskSubnets: TaskSubnets.Public });
        return new(network, false, name => Import(name == "Namespace" ? "ServiceConnectNamespace" : name));
    }

    public JsonNode Cluster() => value("ClusterName");
    public JsonNode Vpc() => value("VpcId");
    public JsonNode Listener() => value("HttpsListener");
    public JsonNode NamespaceName() => value("Namespace");
    public JsonNode SecurityGroup(string service) => value(Checks.ServiceIdPrefix(service) + "SecurityGroup");
    public JsonNode QueueArn(string worker) => value(Checks.ServiceIdPrefix(worker) + "QueueArn");
    public JsonNode QueueUrl(string worker) => value(Checks.ServiceIdPrefix(worker) + "QueueUrl");
    public JsonNode QueueName(string worker) => value(Checks.ServiceIdPrefix(worker) + "QueueName");
}
