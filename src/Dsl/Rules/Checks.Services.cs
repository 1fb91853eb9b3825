using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Templates.Rules;

// An app's several services (issue 14): names, references between them, routes, queues and schedules.
public static partial class Checks
{
    /// <summary>The longest service name: it prefixes log groups, policy names and IDs, and names the Service Connect endpoint.</summary>
    public const int MaxServiceNameLength = 24;

    static readonly Regex ServiceNamePattern = new("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", RegexOptions.CultureInvariant);

    /// <summary>
    /// The endings of the logical IDs a service's resources get after its name in PascalCase (<c>api</c> → <c>ApiService</c>,
    /// <c>ApiTargetGroup</c>, …). Kept here, beside the rule that keeps them apart, so both moments judge the same names.
    /// </summary>
    public static readonly string[] ServiceIdSuffixes =
    [
        "Service", "TaskDefinition", "TargetGroup", "ListenerRule", "LogGroup", "TaskRole", "TaskExecutionRole", "SecurityGroup",
        "IngressFromLoadBalancer", "LoadBalancerEgress", "ImageTag", "ScalableTarget", "CpuScalingPolicy", "BacklogScalingPolicy", "Queue", "DeadLetterQueue", "QueuePolicy",
        "Schedule", "ScheduleGroup", "SchedulerRole", "StateMachine", "StateMachineRole", "StateMachinePolicy", "StateMachineLogGroup",
        "SecurityGroupParameter", "QueueArnParameter", "QueueUrlParameter", "QueueNameParameter",
    ];

    /// <summary>
    /// The logical IDs an environment's stack gives its fixed resources, parameters, conditions and outputs (a test holds this
    /// list to the generator's): a service whose IDs would take one of them is refused.
    /// </summary>
    public static readonly string[] FixedLogicalIds =
    [
        "ImageTag", "ImageDigest", "ImageByDigest", "CertificateArn", "VpcId", "PublicSubnetIds", "PrivateSubnetIds", "DeletionProtection",
        "Vpc", "InternetGateway", "InternetGatewayAttachment", "PublicRouteTable", "PublicDefaultRoute", "LoadBalancerSecurityGroup",
        "ServiceSecurityGroup", "ServiceSecurityGroupIngressFromLoadBalancer", "LoadBalancer", "TargetGroup", "HttpsListener", "HttpListener",
        "LogGroup", "TaskExecutionRole", "TaskRole", "Cluster", "TaskDefinition", "Service", "ScalableTarget", "CpuScalingPolicy",
        "MemoryScalingPolicy", "RequestCountScalingPolicy", "AlternateTargetGroup", "ProductionListenerRule", "EcsInfrastructureRole",
        "LoadBalancer5xxAlarm", "Target5xxAlarm", "ResponseTimeAlarm", "UnhealthyTasksAlarm", "CpuAlarm", "MemoryAlarm", "AlertTopic",
        "Dashboard", "AccessLogBucket", "AccessLogBucketPolicy", "ElbLogDeliveryAccounts", "ElbAccountRegion", "FlowLogGroup", "FlowLogRole",
        "FlowLog", "WebAcl", "WebAclAssociation", "AllowedAddresses", "GitHubConnectionArn", "ArtifactBucket", "ArtifactBucketPolicy",
        "BuildLogGroup", "BuildRole", "BuildProject", "PipelineRole", "Pipeline", "ConnectionIsCodeConnections", "DomainName", "HostedZoneId",
        "RequestCertificate", "Certificate", "DnsRecord", "ServiceUrl", "LoadBalancerDnsName", "ClusterName", "ServiceName", "MailSender",
        "PipelineName", "PipelineConsoleUrl", "ServiceConnectNamespace", "BuildProjectArm64", "BuildProjectX86",
        "ClusterNameParameter", "VpcIdParameter", "TaskSubnetsParameter", "HttpsListenerParameter", "ServiceConnectNamespaceParameter",
    ];

    /// <summary>A service name in PascalCase, the start of its resources' logical IDs: <c>order-api</c> → <c>OrderApi</c>.</summary>
    public static string ServiceIdPrefix(string name)
    {
        var id = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (c == '-') { upper = true; continue; }
            id.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return id.ToString();
    }

    /// <summary>A service name in upper snake case, for variables: <c>order-api</c> → <c>ORDER_API</c>.</summary>
    public static string ServiceVariablePrefix(string name) => name.Replace('-', '_').ToUpperInvariant();

    /// <summary>TPL0070: a service name (lowercase letters, digits and single hyphens, starting with a letter, at most 24 characters).</summary>
    public static Violation? ServiceName(string name)
    {
        if (name.Length > MaxServiceNameLength)
            return new(RuleCatalog.TPL0070_ServiceName, $"The service name '{name}' has {name.Length} characters; at most {MaxServiceNameLength} fit the names built from it.",
                $"Shorten it to {MaxServiceNameLength} characters or fewer.");
        if (!ServiceNamePattern.IsMatch(name))
        {
            var suggestion = SuggestedServiceName(name);
            return new(RuleCatalog.TPL0070_ServiceName, $"The service name '{name}' is not lowercase letters, digits and single hyphens starting with a letter; it names the Service Connect endpoint and the resources' IDs.",
                suggestion is not null ? $"Name it '{suggestion}'." : "Name it with lowercase letters, digits and hyphens, such as 'api'.");
        }
        return null;
    }

    /// <summary>
    /// The name TPL0070 suggests for a malformed service name (<c>Order_API</c> → <c>order-api</c>): lowercased, each run of
    /// other characters a hyphen, without leading characters that are not letters or trailing hyphens; null when that leaves
    /// nothing, or nothing valid.
    /// </summary>
    public static string? SuggestedServiceName(string name)
    {
        var suggestion = Regex.Replace(Regex.Replace(name.ToLowerInvariant(), "[^a-z0-9]+", "-"), "^[^a-z]+|-+$", "");
        return suggestion.Length > 0 && suggestion.Length <= MaxServiceNameLength && ServiceNamePattern.IsMatch(suggestion) ? suggestion : null;
    }

    /// <summary>
    /// TPL0070, across an app's services: a name used twice, the app's own name (which stands for <c>App.Service</c> in
    /// references), or a name whose resources' logical IDs would be another's (<c>a-1</c> and <c>a1</c> are both <c>A1</c>;
    /// <c>alternate</c> would give <c>AlternateTargetGroup</c>, the blue/green target group's ID). Each as (service, violation),
    /// reported on the later service.
    /// </summary>
    public static IEnumerable<(string Service, Violation Violation)> ServiceNameCollisions(string appName, IReadOnlyList<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in FixedLogicalIds) ids[id] = "";
        foreach (var name in names)
        {
            if (!seen.Add(name))
            {
                yield return (name, new(RuleCatalog.TPL0070_ServiceName, $"Two services are named '{name}'; each service's name must be its own.", $"Rename one of them, such as '{name}-2'."));
                continue;
            }
            if (name == appName)
            {
                yield return (name, new(RuleCatalog.TPL0070_ServiceName, $"The service '{name}' has the app's name, which stands for the app's own Service in SentBy and Calls.",
                    $"Name it after what it does, such as '{name}-api'."));
                continue;
            }
            var prefix = ServiceIdPrefix(name);
            foreach (var suffix in ServiceIdSuffixes)
            {
                if (ids.TryGetValue(prefix + suffix, out var owner))
                {
                    yield return (name, new(RuleCatalog.TPL0070_ServiceName, owner.Length == 0
                            ? $"The service '{name}' would give a resource the logical ID {prefix + suffix}, which the stack already uses for its own."
                            : $"The services '{owner}' and '{name}' would both give a resource the logical ID {prefix + suffix}.",
                        $"Rename '{name}', such as '{name}-svc'."));
                    break;
                }
            }
            foreach (var suffix in ServiceIdSuffixes) ids[prefix + suffix] = name;
        }
    }

    /// <summary>TPL0071: a name in a service's <c>Calls</c> that is no backend service of the app (or one turned off in the environment).</summary>
    public static Violation? CalledService(string caller, string called, string? kind, bool enabled)
    {
        if (kind is null)
            return new(RuleCatalog.TPL0071_ServiceReference, $"{caller} calls '{called}', which is no service of the app.",
                "Name a BackendService of the app's Services, or add one with that name.");
        if (kind != "BackendService")
            return new(RuleCatalog.TPL0071_ServiceReference, $"{caller} calls '{called}', a {kind}; only a BackendService is reached by name through Service Connect.",
                kind == "WebService" ? $"Call it through the load balancer's address and its route, or make '{called}' a BackendService." : $"Remove '{called}' from Calls.");
        if (!enabled)
            return new(RuleCatalog.TPL0071_ServiceReference, $"{caller} calls '{called}', which is turned off in this environment.",
                $"Turn '{called}' on here, or turn {caller} off too.");
        return null;
    }

    /// <summary>TPL0071: a scheduled job with <c>Calls</c>: ECS runs it as a standalone task, and Service Connect serves services only.</summary>
    public static Violation JobCalls(string job) =>
        new(RuleCatalog.TPL0071_ServiceReference, $"The scheduled job '{job}' calls backend services, but ECS runs a job as a standalone task, which Service Connect does not serve (its name would not resolve).",
            "Remove Calls from the job, and have it reach the backend through a WebService route or a worker's queue.");

    /// <summary>
    /// TPL0071: a service the environment's pipeline would build and deploy (it has a <c>BuildContext</c>) while the app puts
    /// each service in a stack of its own: the pipeline, in the environment's stack, cannot name a service another stack holds.
    /// </summary>
    public static Violation PipelineAcrossStacks(string env, string service) =>
        new(RuleCatalog.TPL0071_ServiceReference,
            $"The pipeline of '{env}' would deploy '{service}', but with StackLayout.StackPerService the service is in a stack of its own, which the pipeline in the environment's stack cannot refer to.",
            $"Leave {service}'s BuildContext unset (its image then rolls forward through its ImageTag parameter), or use StackLayout.OnePerEnvironment.", "BuildContext");

    /// <summary>TPL0071: a name in a worker's <c>SentBy</c> that is neither the app's name nor one of its services.</summary>
    public static Violation UnknownSender(string worker, string sender, string appName) =>
        new(RuleCatalog.TPL0071_ServiceReference, $"The worker '{worker}' lets '{sender}' send to its queue, but the app has no service of that name.",
            $"Name one of the app's Services, or '{appName}' for the app's own Service.");

    /// <summary>TPL0071: an environment's override of a service the app does not have, or a setting the service has not.</summary>
    public static Violation UnknownOverride(string env, string service) =>
        new(RuleCatalog.TPL0071_ServiceReference, $"Environment '{env}' overrides the service '{service}', which is none of the app's Services.",
            "Use the name of one of the app's Services (the app's own Service is overridden through Env.Service).");

    /// <summary>TPL0071: task bounds set for a scheduled job, which runs one task per run.</summary>
    public static Violation JobTasks(string job) =>
        new(RuleCatalog.TPL0071_ServiceReference, $"The scheduled job '{job}' runs one task per run; it has no task bounds to override.",
            "Remove Tasks from its override.", "Tasks");

    /// <summary>TPL0072: one path pattern or host name of a web service's route, as a listener rule condition takes it.</summary>
    public static Violation? RouteValue(bool host, string value) =>
        (host ? ListenerRoutes.HostHeader(value) : ListenerRoutes.PathPattern(value)) is { } problem
            ? new(RuleCatalog.TPL0072_Route, problem.Problem, problem.Fix)
            : null;

    /// <summary>TPL0072: a route with neither a host nor a path, which would take every request from the app's own Service.</summary>
    public static Violation? EmptyRoute(string service, int hosts, int paths) =>
        hosts + paths > 0 ? null
            : new(RuleCatalog.TPL0072_Route, $"The web service '{service}' has a route with no host and no path: it would take every request the app's own Service answers.",
                "Give the route a path (Route.Path(\"/api/*\")) or a host (Route.Host(\"api.example.com\")).");

    /// <summary>TPL0072: the listener's routes taken together (<see cref="ListenerRoutes.Conflicts"/>), as (service, violation).</summary>
    public static IEnumerable<(string Service, Violation Violation)> RouteConflicts(IReadOnlyList<ListenerRoutes.RoutedService> routes) =>
        ListenerRoutes.Conflicts(routes).Select(c => (c.Service, new Violation(RuleCatalog.TPL0072_Route, c.Problem, c.Fix)));

    /// <summary>TPL0073: a scheduled job's schedule expression (<see cref="ScheduleExpressions.Check"/>).</summary>
    public static Violation? Schedule(string expression) =>
        ScheduleExpressions.Check(expression) is { } problem ? new(RuleCatalog.TPL0073_Schedule, problem.Problem, problem.Fix) : null;

    /// <summary>
    /// TPL0074: a worker's queue as SQS takes it (CreateQueue: VisibilityTimeout 0–43200 seconds, MessageRetentionPeriod 60 s–14
    /// days; RedrivePolicy maxReceiveCount 1–1000) and as a dead-letter queue works: its retention longer than the source's,
    /// since "the expiration of a message is always based on its original enqueue timestamp"
    /// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html).
    /// </summary>
    public static IEnumerable<Violation> WorkQueue(int visibilityTimeoutSeconds, int maxReceives, int retentionDays, int deadLetterRetentionDays, int messagesPerTask)
    {
        if (visibilityTimeoutSeconds is < 0 or > 43200)
            yield return new(RuleCatalog.TPL0074_WorkerOrJob, $"Queue.VisibilityTimeoutSeconds is {visibilityTimeoutSeconds}; SQS takes 0 to 43200 seconds (12 hours).",
                "Set it a little above the longest time the worker takes for one message, for example 60.", "VisibilityTimeoutSeconds");
        if (maxReceives is < 1 or > 1000)
            yield return new(RuleCatalog.TPL0074_WorkerOrJob, $"Queue.MaxReceives is {maxReceives}; a redrive policy moves a message to the dead-letter queue after 1 to 1000 receives.",
                "Set MaxReceives from 1 to 1000, for example 5.", "MaxReceives");
        if (retentionDays is < 1 or > 14)
            yield return new(RuleCatalog.TPL0074_WorkerOrJob, $"Queue.RetentionDays is {retentionDays}; SQS keeps a message 1 to 14 days.", "Set RetentionDays from 1 to 14.", "RetentionDays");
        else if (deadLetterRetentionDays is < 1 or > 14)
            yield return new(RuleCatalog.TPL0074_WorkerOrJob, $"Queue.DeadLetterRetentionDays is {deadLetterRetentionDays}; SQS keeps a message 1 to 14 days.", "Set DeadLetterRetentionDays from 1 to 14, for example 14.", "DeadLetterRetentionDays");
        else if (deadLetterRetentionDays <= retentionDays)
            yield return new(RuleCatalog.TPL0074_WorkerOrJob,
                $"Queue.DeadLetterRetentionDays ({deadLetterRetentionDays}) is not longer than RetentionDays ({retentionDays}); a message's age counts from when it was first sent, so a message moved late to the dead-letter queue would expire there at once.",
                $"Set DeadLetterRetentionDays above {retentionDays}, such as 14.", "DeadLetterRetentionDays");
        if (messagesPerTask < 1)
            yield return new(RuleCatalog.TPL0074_WorkerOrJob, $"MessagesPerTask is {messagesPerTask}; the backlog per task the worker scales to must be 1 or more.",
                "Set MessagesPerTask to the messages one task clears in the time you accept, for example 100.", "MessagesPerTask");
    }

    /// <summary>
    /// TPL0074: a worker that may scale to no task. Its scaling divides the queue's backlog by its running tasks, which has no
    /// value at zero: it could never scale out again.
    /// </summary>
    public static Violation? WorkerMinTasks(string worker, int min) =>
        min >= 1 ? null
            : new(RuleCatalog.TPL0074_WorkerOrJob, $"The worker '{worker}' may scale to {min} tasks; its scaling follows the backlog per running task, which has no value with no task, so it would never scale out again.",
                "Set its Tasks.Min to 1 or more.", "Min");

    /// <summary>TPL0074: a scheduled job's timeout (1 to 1440 minutes) and retries (0 to 10).</summary>
    public static IEnumerable<Violation> Job(int timeoutMinutes, int retries)
    {
        if (timeoutMinutes is < 1 or > 1440)
            yield return new(RuleCatalog.TPL0074_WorkerOrJob, $"TimeoutMinutes is {timeoutMinutes}; a run may take from 1 minute to 1440 (a day).",
                "Set TimeoutMinutes from 1 to 1440, a little above the longest run you expect.", "TimeoutMinutes");
        if (retries is < 0 or > 10)
            yield return new(RuleCatalog.TPL0074_WorkerOrJob, $"Retries is {retries}; a failed run is tried again 0 to 10 times.", "Set Retries from 0 to 10.", "Retries");
    }

    /// <summary>The priority a web service's listener rule gets: the one set, or the one derived from its name.</summary>
    public static int RoutePriority(string name, int? priority) => priority ?? ListenerRoutes.DefaultPriority(name);

    internal static string Count(int n, string what) => n.ToString(CultureInfo.InvariantCulture) + " " + what + (n == 1 ? "" : "s");
}
