using System.Globalization;
using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>The service concern: the log group, the execution and task roles, the cluster, the task definition and the ECS service with its deployment.</summary>
internal static class ServiceBuilder
{
    public static void Add(Template t, EnvironmentModel m, NetworkRefs network)
    {
        var s = m.Service;
        var taskRole = AddTaskRoles(t, m, TaskIds.Primary, s, $"{m.StackName}: what the application itself may do in AWS");
        if (m.App.Mail is { } mail)
        {
            // Send only as the sender: the From address is pinned by ses:FromAddress, even when the identity is the whole domain.
            // The resource is every identity of the account and region, not only the sender's: SES authorizes a send against
            // the sender's identity and, in the sandbox, against each recipient's verified identity too, so a policy naming
            // only the sender's identity fails there with AccessDenied
            // (https://docs.aws.amazon.com/ses/latest/dg/control-user-access.html).
            var send = StackBuilder.Statement("SendAsSender", ["ses:SendEmail", "ses:SendRawEmail"], Fn.Sub(StackBuilder.AnyMailIdentityArn));
            send["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["ses:FromAddress"] = mail.Address } };
            AddPolicy(taskRole, "send-mail", send);
        }
        // What the app's other services let it do: send to a worker's queue (SentBy naming the app).
        foreach (var (name, statements) in ServicesBuilder.Grants(m, m.App.Name)) AddPolicy(taskRole, name, statements);

        t.AddResource(Ids.Cluster, "AWS::ECS::Cluster", new()
        {
            ["ClusterSettings"] = new JsonArray(new JsonObject { ["Name"] = "containerInsights", ["Value"] = "enabled" }),
        });

        AddTaskDefinition(t, m, TaskIds.Primary, s, s.Port, m.Env.IsProduction
            // Production: the digest when the stack is given one (ImageDigest), else the tag (StackBuilder says when each applies).
            ? Fn.If(Ids.ImageByDigestCondition,
                Fn.Sub($"{Fn.EcrRegistry}/{s.Image.Repository}@${{{Ids.ImageDigestParameter}}}"),
                Fn.Sub($"{Fn.EcrRegistry}/{s.Image.Repository}:${{{Ids.ImageTagParameter}}}"))
            : Fn.Sub($"{Fn.EcrRegistry}/{s.Image.Repository}:${{{Ids.ImageTagParameter}}}"), ServicesBuilder.Variables(m, s, m.App.Name));

        var deployment = new JsonObject();
        var loadBalancer = new JsonObject
        {
            ["ContainerName"] = StackBuilder.ContainerName,
            ["ContainerPort"] = s.Port,
            ["TargetGroupArn"] = Fn.Ref(Ids.TargetGroup),
        };
        switch (m.Deployment)
        {
            case RollingDeployment rolling:
                deployment["MinimumHealthyPercent"] = rolling.MinimumHealthyPercent;
                deployment["MaximumPercent"] = rolling.MaximumPercent;
                deployment["DeploymentCircuitBreaker"] = new JsonObject { ["Enable"] = true, ["Rollback"] = rolling.RollbackOnFailure };
                break;
            case BlueGreenDeployment blueGreen:
                // ECS-native blue/green (deployment controller ECS, strategy BLUE_GREEN), not CodeDeploy: it does everything asked
                // here (a full green fleet, an all-at-once switch through the production listener rule, bake time, automatic
                // rollback) with no CodeDeploy application, deployment group or AppSpec, and the pipeline keeps its plain ECS
                // deploy action. CodeDeploy would only be needed for traffic shifting by Lambda hooks on old accounts.
                deployment["Strategy"] = "BLUE_GREEN";
                deployment["BakeTimeInMinutes"] = blueGreen.BakeTimeMinutes;
                deployment["DeploymentCircuitBreaker"] = new JsonObject { ["Enable"] = true, ["Rollback"] = blueGreen.RollbackOnFailure };
                loadBalancer["AdvancedConfiguration"] = new JsonObject
                {
                    ["AlternateTargetGroupArn"] = Fn.Ref(Ids.AlternateTargetGroup),
                    ["ProductionListenerRule"] = Fn.Ref(Ids.ProductionListenerRule),
                    ["RoleArn"] = Fn.GetAtt(Ids.EcsInfrastructureRole, "Arn"),
                };
                AddInfrastructureRole(t, m);
                break;
        }

        // Alarm-based rollback, for rolling and blue/green alike; the alarms exist before the service first deploys.
        var alarms = ObservabilityBuilder.DeploymentAlarms(m);
        if (alarms is not null) deployment["Alarms"] = alarms;

        var service = t.AddResource(Ids.Service, "AWS::ECS::Service", new()
        {
            ["Cluster"] = Fn.Ref(Ids.Cluster),
            ["LaunchType"] = "FARGATE",
            ["TaskDefinition"] = Fn.Ref(Ids.TaskDefinition),
            // No DesiredCount: auto scaling owns the count. A literal one would reset it on every stack update
            // (rules catalog 1.5); on creation ECS starts one task and the scalable target raises it to the minimum.
            ["DeploymentController"] = new JsonObject { ["Type"] = "ECS" },
            ["DeploymentConfiguration"] = deployment,
            ["HealthCheckGracePeriodSeconds"] = m.Deployment.HealthCheckGracePeriodSeconds,
            ["NetworkConfiguration"] = new JsonObject
            {
                ["AwsvpcConfiguration"] = new JsonObject
                {
                    ["AssignPublicIp"] = network.TasksArePublic ? "ENABLED" : "DISABLED",
                    ["SecurityGroups"] = new JsonArray(Fn.GetAtt(Ids.ServiceSecurityGroup, "GroupId")),
                    ["Subnets"] = network.TaskSubnets.DeepClone(),
                },
            },
            ["LoadBalancers"] = new JsonArray(loadBalancer),
            ["EnableECSManagedTags"] = true,
            ["PropagateTags"] = "SERVICE",
        // A target group must belong to a load balancer before a service can register into it: the listener does that (with
        // blue/green the production rule does, which the service already waits for through its Ref in AdvancedConfiguration).
        }).DependsOn(alarms is null ? [Ids.HttpsListener] : [Ids.HttpsListener, .. ObservabilityBuilder.DeploymentAlarmIds]);
        if (ServicesBuilder.ServiceConnect(m, s) is { } serviceConnect)
        {
            service.Properties["ServiceConnectConfiguration"] = serviceConnect;
            service.DependsOn(ServicesBuilder.Namespace);
        }
    }

    /// <summary>
    /// A container's log group, its execution role (pull its image, write its logs, read its secrets) and its task role (trust
    /// only; the caller adds what the application may do). Returns the task role.
    /// </summary>
    internal static Resource AddTaskRoles(Template t, EnvironmentModel m, TaskIds ids, ContainerTask s, string taskRoleDescription)
    {
        t.AddResource(ids.LogGroup, "AWS::Logs::LogGroup", new()
        {
            ["RetentionInDays"] = s.LogRetentionDays,
        }).Retention(m.Env.IsProduction ? "Retain" : "Delete")
            .TradeOff(LogGroupKeyTradeOff, checkovIds: [LogGroupKmsCheckov], cfnNagIds: [LogGroupKmsCfnNag]);

        var repositoryArn = Fn.EcrRepositoryArn(s.Image.Repository);
        var executionStatements = new JsonArray(
            StackBuilder.Statement("PullImage", ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Fn.Sub(repositoryArn)),
            // GetAuthorizationToken is account-wide: IAM has no resource to scope it to.
            StackBuilder.Statement("AuthenticateToEcr", ["ecr:GetAuthorizationToken"], "*"),
            StackBuilder.Statement("WriteLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], Fn.GetAtt(ids.LogGroup, "Arn")));
        var secrets = s.Secrets.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var ssm = secrets.Select(e => e.Value).OfType<SsmParameter>().Select(p => (JsonNode)Fn.Sub(SsmArn(p.Name))).ToArray();
        if (ssm.Length > 0) executionStatements.Add((JsonNode)StackBuilder.Statement("ReadParameters", ["ssm:GetParameters"], new JsonArray(ssm)));
        // A secret's ARN ends in six random characters; the wildcard matches them and nothing longer.
        var secretsManager = secrets.Select(e => e.Value).OfType<SecretsManagerSecret>().Select(p => (JsonNode)Fn.Sub(SecretArn(p.Name) + "-??????")).ToArray();
        if (secretsManager.Length > 0) executionStatements.Add((JsonNode)StackBuilder.Statement("ReadSecrets", ["secretsmanager:GetSecretValue"], new JsonArray(secretsManager)));

        t.AddResource(ids.ExecutionRole, "AWS::IAM::Role", new()
        {
            ["Description"] = ids.Name is null ? $"{m.StackName}: lets ECS pull the image, write logs and read the secrets of the task" : $"{m.StackName}: lets ECS pull the image, write logs and read the secrets of {ids.Name}'s tasks",
            // No confused-deputy condition: the task execution role's page gives a trust policy without one, and no AWS document
            // says that ECS or the Fargate agent sends aws:SourceAccount or aws:SourceArn when it assumes the execution role
            // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).
            ["AssumeRolePolicyDocument"] = StackBuilder.ServiceTrust("ecs-tasks.amazonaws.com", confusedDeputyCondition: false),
            ["Policies"] = new JsonArray(new JsonObject
            {
                ["PolicyName"] = "task-execution",
                ["PolicyDocument"] = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = executionStatements },
            }),
        }).TradeOff(EcrAuthorizationTradeOff, checkovIds: [], cfnNagIds: [WildcardResourceCfnNag])
            .TradeOff(StackBuilder.NoSourceConditionTradeOff("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"));
        var taskRole = t.AddResource(ids.TaskRole, "AWS::IAM::Role", new()
        {
            ["Description"] = taskRoleDescription,
            ["AssumeRolePolicyDocument"] = TaskRoleTrust(),
        });
        return taskRole;
    }

    /// <summary>Adds an inline policy of one or more statements to a role.</summary>
    internal static void AddPolicy(Resource role, string name, params JsonObject[] statements)
    {
        if (role.Properties["Policies"] is not JsonArray policies) role.Properties["Policies"] = policies = [];
        policies.Add((JsonNode)new JsonObject
        {
            ["PolicyName"] = name,
            ["PolicyDocument"] = new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray([.. statements]) },
        });
    }

    /// <summary>
    /// A container's task definition: its image (<paramref name="image"/>), its port (named for Service Connect when
    /// <paramref name="portName"/> is set), its hardening, variables (the definition's, then <paramref name="computed"/>), secrets and logs.
    /// </summary>
    internal static void AddTaskDefinition(Template t, EnvironmentModel m, TaskIds ids, ContainerTask s, int? port, JsonNode image,
        IReadOnlyList<(string Name, JsonNode Value)>? computed, string? portName = null)
    {
        var secrets = s.Secrets.OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        var container = new JsonObject
        {
            ["Name"] = StackBuilder.ContainerName,
            ["Image"] = image,
            ["Essential"] = true,
        };
        if (port is { } containerPort)
        {
            var mapping = new JsonObject { ["ContainerPort"] = containerPort, ["Protocol"] = "tcp" };
            // Service Connect finds a backend's port by its name (and speaks HTTP to it).
            if (portName is not null)
            {
                mapping["Name"] = portName;
                mapping["AppProtocol"] = "http";
            }
            container["PortMappings"] = new JsonArray(mapping);
        }
        // Hardened: the image's non-root user (or the definition's), a read-only root file system, and one empty scratch volume of the
        // task's ephemeral storage per writable path (a bind mount: a volume with a name and no host). ECS creates a bind mount
        // owned by root with mode 0755 unless the image declares the same path as a VOLUME, whose owner and mode it copies
        // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html): the sample app's Dockerfile declares /tmp.
        if (s.User is { } user) container["User"] = user;
        container["ReadonlyRootFilesystem"] = s.ReadOnlyRootFilesystem;
        var writable = s.WritablePaths.Select(p => p.Length > 1 ? p.TrimEnd('/') : p).ToList();
        if (writable.Count > 0)
            container["MountPoints"] = new JsonArray([.. writable.Select(p => (JsonNode)new JsonObject
            {
                ["SourceVolume"] = ScratchVolumeName(p),
                ["ContainerPath"] = p,
                ["ReadOnly"] = false,
            })]);
        var variables = s.EnvironmentVariables.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => (JsonNode)new JsonObject { ["Name"] = e.Key, ["Value"] = e.Value }).ToList();
        // Computed variables (a queue's URL), after the definition's: a name the definition also sets is the definition's.
        foreach (var (name, value) in (computed ?? []).Where(c => !s.EnvironmentVariables.ContainsKey(c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal))
            variables.Add(new JsonObject { ["Name"] = name, ["Value"] = value });
        if (variables.Count > 0) container["Environment"] = new JsonArray([.. variables]);
        if (secrets.Count > 0)
            container["Secrets"] = new JsonArray([.. secrets.Select(e => (JsonNode)new JsonObject
            {
                ["Name"] = e.Key,
                ["ValueFrom"] = Fn.Sub(e.Value switch { SsmParameter p => SsmArn(p.Name), SecretsManagerSecret p => SecretArn(p.Name), _ => throw new NotSupportedException() }),
            })]);
        container["LogConfiguration"] = new JsonObject
        {
            ["LogDriver"] = "awslogs",
            ["Options"] = new JsonObject
            {
                ["awslogs-group"] = Fn.Ref(ids.LogGroup),
                ["awslogs-region"] = Fn.Region,
                ["awslogs-stream-prefix"] = StackBuilder.ContainerName,
            },
        };

        var taskDefinition = new JsonObject
        {
            // A family of its own, named after the stack: the pipeline registers its revisions in it, and its role may tag task
            // definitions of this family only (CloudFormation's generated family name is not documented, so it could not be named).
            ["Family"] = Fn.Sub(ids.Family),
            ["RequiresCompatibilities"] = new JsonArray("FARGATE"),
            ["NetworkMode"] = "awsvpc",
            ["Cpu"] = s.Cpu.ToString(CultureInfo.InvariantCulture),
            ["Memory"] = s.MemoryMiB.ToString(CultureInfo.InvariantCulture),
            ["RuntimePlatform"] = new JsonObject
            {
                ["CpuArchitecture"] = s.Architecture == CpuArchitecture.Arm64 ? "ARM64" : "X86_64",
                ["OperatingSystemFamily"] = "LINUX",
            },
            ["ExecutionRoleArn"] = Fn.GetAtt(ids.ExecutionRole, "Arn"),
            ["TaskRoleArn"] = Fn.GetAtt(ids.TaskRole, "Arn"),
            ["ContainerDefinitions"] = new JsonArray(container),
        };
        if (writable.Count > 0)
            taskDefinition["Volumes"] = new JsonArray([.. writable.Select(p => (JsonNode)new JsonObject { ["Name"] = ScratchVolumeName(p) })]);
        if (s.EphemeralStorageGiB is { } storage) taskDefinition["EphemeralStorage"] = new JsonObject { ["SizeInGiB"] = storage };
        t.AddResource(ids.TaskDefinition, "AWS::ECS::TaskDefinition", taskDefinition);

    }

    /// <summary>Why a log group names no KMS key (the service's and the build's log groups).</summary>
    internal const string LogGroupKeyTradeOff =
        "No customer managed KMS key: CloudWatch Logs encrypts at rest with keys it manages; a customer managed one needs a key policy for the logs service, and these logs hold no secrets.";

    /// <summary>Checkov's CloudFormation check for a log group without KmsKeyId (checkov/cloudformation/checks/resource/aws/CloudWatchLogGroupKMSKey.py).</summary>
    internal const string LogGroupKmsCheckov = "CKV_AWS_158";

    /// <summary>cfn_nag's rule for a log group without KmsKeyId (lib/cfn-nag/custom_rules/LogsLogGroupEncryptedRule.rb).</summary>
    internal const string LogGroupKmsCfnNag = "W84";

    /// <summary>cfn_nag's rule for a role with an Allow on Resource "*" (lib/cfn-nag/custom_rules/IamRoleWildcardResourceOnPermissionsPolicyRule.rb).</summary>
    internal const string WildcardResourceCfnNag = "W11";

    /// <summary>Why a role that pulls or pushes images has one statement on Resource "*".</summary>
    internal const string EcrAuthorizationTradeOff =
        "Resource \"*\" for ecr:GetAuthorizationToken only, which has no resource type; image actions name the one repository.";

    /// <summary>The task definition's family, as text for <c>Fn::Sub</c>: the stack's name (unique in the account and region, and a valid family: letters, digits and hyphens).</summary>
    public const string TaskDefinitionFamily = "${AWS::StackName}";

    /// <summary>The scratch volume of a writable path: the path's segments joined by hyphens (<c>/var/cache/app</c> → <c>var-cache-app</c>), letters, digits, '-' and '_' only.</summary>
    internal static string ScratchVolumeName(string path)
    {
        var name = new string([.. path.Trim('/').Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '-')]);
        return name.Length > 255 ? name[..255] : name;
    }

    /// <summary>The role ECS assumes to move the listener rule's weights between the target groups during a blue/green deployment.</summary>
    static void AddInfrastructureRole(Template t, EnvironmentModel m)
    {
        t.AddResource(Ids.EcsInfrastructureRole, "AWS::IAM::Role", new()
        {
            ["Description"] = $"{m.StackName}: lets ECS shift traffic between the target groups in blue/green deployments",
            // The trust policy of ECS's own page for this role, without conditions: no AWS document says that ECS sends
            // aws:SourceAccount or aws:SourceArn when it assumes the infrastructure role, and a condition on a key the service does
            // not send fails every AssumeRole (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html).
            ["AssumeRolePolicyDocument"] = StackBuilder.ServiceTrust("ecs.amazonaws.com", confusedDeputyCondition: false),
            // The managed policy has no service-role/ path (AWS managed policy reference; cfn-lint's Serverless/ManagedPolicies.json):
            // with the path IAM answers NoSuchEntity and the stack rolls back.
            ["ManagedPolicyArns"] = new JsonArray(Fn.Sub($"arn:${{AWS::Partition}}:iam::aws:policy/{InfrastructureRolePolicy}")),
        }).TradeOff(StackBuilder.NoSourceConditionTradeOff("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AmazonECSInfrastructureRolePolicyForLoadBalancers.html"));
    }

    /// <summary>The AWS managed policy ECS-native blue/green needs on the infrastructure role (no path: it is not under service-role/).</summary>
    public const string InfrastructureRolePolicy = "AmazonECSInfrastructureRolePolicyForLoadBalancers";

    static string SsmArn(string name) => $"arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter/{name.TrimStart('/')}";

    static string SecretArn(string name) => $"arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{name}";

    /// <summary>
    /// The task role's trust: ECS tasks of this account only. The task IAM role's page recommends exactly these two keys for
    /// this role (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html, "Task IAM role"; see also
    /// awsdocs/amazon-ecs-developer-guide#208).
    /// </summary>
    static JsonObject TaskRoleTrust() => new()
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(new JsonObject
        {
            ["Effect"] = "Allow",
            ["Principal"] = new JsonObject { ["Service"] = "ecs-tasks.amazonaws.com" },
            ["Action"] = "sts:AssumeRole",
            // Only ECS acting for this account may assume the role (confused-deputy protection).
            ["Condition"] = new JsonObject
            {
                ["StringEquals"] = new JsonObject { ["aws:SourceAccount"] = Fn.Ref("AWS::AccountId") },
                ["ArnLike"] = new JsonObject { ["aws:SourceArn"] = Fn.Sub("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:*") },
            },
        }),
    };
}

/// <summary>The logical IDs and names of one container's task resources: the app's Service's, or one of its Services' (its name in PascalCase first).</summary>
/// <param name="Name">The service's name; null for the app's own Service.</param>
/// <param name="LogGroup">The log group's ID.</param>
/// <param name="ExecutionRole">The task execution role's ID.</param>
/// <param name="TaskRole">The task role's ID.</param>
/// <param name="TaskDefinition">The task definition's ID.</param>
/// <param name="Family">The task definition's family, as text for <c>Fn::Sub</c>.</param>
internal sealed record TaskIds(string? Name, string LogGroup, string ExecutionRole, string TaskRole, string TaskDefinition, string Family)
{
    /// <summary>The app's own Service: the IDs it has always had.</summary>
    public static readonly TaskIds Primary = new(null, Ids.LogGroup, Ids.ExecutionRole, Ids.TaskRole, Ids.TaskDefinition, ServiceBuilder.TaskDefinitionFamily);

    /// <summary>One of the app's Services: <c>ApiLogGroup</c>, <c>ApiTaskExecutionRole</c>, …, and the family <c>STACK-api</c>.</summary>
    public static TaskIds For(string name)
    {
        var prefix = Rules.Checks.ServiceIdPrefix(name);
        return new(name, prefix + "LogGroup", prefix + "TaskExecutionRole", prefix + "TaskRole", prefix + "TaskDefinition", $"${{AWS::StackName}}-{name}");
    }

    /// <summary>The ID of another of the service's resources: its name in PascalCase and <paramref name="suffix"/> (one of <see cref="Rules.Checks.ServiceIdSuffixes"/>).</summary>
    public string Of(string suffix) => Name is null ? suffix : Rules.Checks.ServiceIdPrefix(Name) + suffix;
}
