using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Templates.Generation;

namespace Templates.Tests;

/// <summary>
/// The security checks of the rules catalog (shared/reference/rules-catalog.md §3, TPL-SEC-01 to 51) against the guide's prod
/// stack and the shared stack it deploys after: each holds, or is a trade-off recorded in the resource's Metadata
/// (<c>TradeOffs</c>, with the scanners' suppressions), as issue #13 asks. The README's table lists each check and how it is met.
/// </summary>
public sealed partial class SecurityChecksTests
{
    sealed record Stacks(TemplateView Prod, TemplateView Shared);

    /// <summary>One check: what it asks, and every way the stacks fall short of it (none when it holds).</summary>
    sealed record SecurityCheck(string Id, string Condition, Func<Stacks, IEnumerable<string>> Violations);

    static readonly Lazy<Stacks> Guide = new(() =>
    {
        var result = Emitter.Generate([Fixtures.Guide]);
        Assert.False(result.HasErrors);
        var prod = result.Templates.Single(t => t.Model.Env.IsProduction);
        return new Stacks(new TemplateView(prod.Json), new TemplateView(Assert.Single(result.SharedTemplates).Json));
    });

    public static TheoryData<string> Ids => [.. Checks.Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Holds_on_the_guides_prod_stack_or_is_a_recorded_trade_off(string id)
    {
        var check = Checks.Single(c => c.Id == id);
        var violations = check.Violations(Guide.Value).ToList();
        Assert.True(violations.Count == 0, $"{id} ({check.Condition}):\n  {string.Join("\n  ", violations)}");
    }

    [Fact]
    public void Every_check_of_the_catalog_is_here_and_in_the_readme()
    {
        var catalog = Enumerable.Range(1, 51).Select(n => $"TPL-SEC-{n:00}").ToList();
        Assert.Equal(catalog, Checks.Select(c => c.Id));
        var readme = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot(), "README.md"));
        var missing = catalog.Where(id => !readme.Contains($"| {id} |", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"The README's table of security checks lacks a row for: {string.Join(", ", missing)}");
    }

    [Fact]
    public void A_check_finds_what_breaks_it()
    {
        // The checks are only worth their passing if they fail on a template that breaks them: open the tasks to the world,
        // serve HTTP instead of redirecting, and let a role do anything.
        var prod = JsonNode.Parse(Guide.Value.Prod.Json.ToJsonString())!.AsObject();
        var resources = prod["Resources"]!.AsObject();
        resources["ServiceSecurityGroup"]!["Properties"]!["SecurityGroupIngress"] = new JsonArray(new JsonObject
        {
            ["IpProtocol"] = "tcp", ["FromPort"] = 5000, ["ToPort"] = 5000, ["CidrIp"] = "0.0.0.0/0", ["Description"] = "anyone",
        });
        resources["HttpListener"]!["Properties"]!["DefaultActions"] = new JsonArray(new JsonObject { ["Type"] = "forward", ["TargetGroupArn"] = new JsonObject { ["Ref"] = "TargetGroup" } });
        resources["TaskRole"]!["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray()
            .Add(new JsonObject { ["Effect"] = "Allow", ["Action"] = "*", ["Resource"] = "*" });
        var broken = new Stacks(new TemplateView(prod), Guide.Value.Shared);

        // And more: a public task IP, a writable root, no flow log, no web ACL, a log group without its recorded reason, a
        // role trusting everyone, an unencrypted bucket.
        resources["Service"]!["Properties"]!["NetworkConfiguration"]!["AwsvpcConfiguration"]!["AssignPublicIp"] = "ENABLED";
        resources["TaskDefinition"]!["Properties"]!["ContainerDefinitions"]![0]!["ReadonlyRootFilesystem"] = false;
        resources.Remove("FlowLog");
        resources.Remove("WebAclAssociation");
        resources["LogGroup"]!.AsObject().Remove("Metadata");
        resources["TaskRole"]!["Properties"]!["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"] = new JsonObject { ["AWS"] = "*" };
        resources["AccessLogBucket"]!["Properties"]!.AsObject().Remove("BucketEncryption");

        foreach (var id in new[] { "TPL-SEC-01", "TPL-SEC-04", "TPL-SEC-06", "TPL-SEC-08", "TPL-SEC-15", "TPL-SEC-21", "TPL-SEC-32", "TPL-SEC-33", "TPL-SEC-35", "TPL-SEC-39", "TPL-SEC-49" })
            Assert.True(Checks.Single(c => c.Id == id).Violations(broken).Any(), $"{id} does not find what breaks it.");
    }

    // ---- reading the templates ----------------------------------------------------------------------------------------

    static IEnumerable<(string Id, JsonObject Resource)> OfType(TemplateView t, string type) =>
        t.Resources.Where(r => (string?)r.Value!["Type"] == type).Select(r => (r.Key, r.Value!.AsObject()));

    static JsonObject Props(JsonObject resource) => resource["Properties"] as JsonObject ?? [];

    static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    static IEnumerable<JsonNode> Items(JsonNode? node) => node switch
    {
        JsonArray a => a.OfType<JsonNode>(),
        null => [],
        _ => [node],
    };

    /// <summary>Whether the resource records a deliberate trade-off about <paramref name="topic"/> (a word or phrase its reason names) where scanners read it.</summary>
    static bool TradedOff(JsonObject resource, string topic) =>
        Items(resource["Metadata"]?["TradeOffs"]).Any(reason => Text(reason)?.Contains(topic, StringComparison.OrdinalIgnoreCase) == true);

    static string? Unless(bool holds, string violation) => holds ? null : violation;

    static IEnumerable<string> Each(params string?[] violations) => violations.Where(v => v is not null)!;

    /// <summary>Every statement of every identity policy (inline role policies, managed policies) of a stack, with where it is.</summary>
    static IEnumerable<(string Where, JsonObject Statement)> IdentityStatements(TemplateView t)
    {
        foreach (var (id, role) in OfType(t, "AWS::IAM::Role"))
            foreach (var policy in Items(Props(role)["Policies"]))
                foreach (var statement in Items(policy["PolicyDocument"]?["Statement"]).SelectMany(Branches))
                    yield return ($"{id}/{Text(policy["PolicyName"])}/{Text(statement["Sid"]) ?? "(no Sid)"}", statement);
        foreach (var (id, policy) in OfType(t, "AWS::IAM::ManagedPolicy"))
            foreach (var statement in Items(Props(policy)["PolicyDocument"]?["Statement"]).SelectMany(Branches))
                yield return ($"{id}/{Text(statement["Sid"]) ?? "(no Sid)"}", statement);
    }

    /// <summary>A statement, or both statements of an <c>Fn::If</c> that chooses between two (each branch is judged).</summary>
    static IEnumerable<JsonObject> Branches(JsonNode node)
    {
        if (node is JsonObject o && o["Fn::If"] is JsonArray { Count: 3 } choice)
        {
            foreach (var branch in choice.Skip(1).OfType<JsonNode>())
                foreach (var statement in Branches(branch)) yield return statement;
        }
        else if (node is JsonObject statement) yield return statement;
    }

    static IEnumerable<string> Actions(JsonObject statement) => Items(statement["Action"]).Select(a => Text(a) ?? a.ToJsonString());

    static bool Allows(JsonObject statement) => Text(statement["Effect"]) == "Allow";

    static bool ResourceIsStar(JsonObject statement) => Items(statement["Resource"]).Any(r => Text(r) == "*");

    static IEnumerable<JsonObject> Containers(TemplateView t) =>
        OfType(t, "AWS::ECS::TaskDefinition").SelectMany(d => Items(Props(d.Resource)["ContainerDefinitions"]).OfType<JsonObject>());

    static IEnumerable<(string Id, JsonObject Rule, string Kind)> SecurityGroupRules(TemplateView t)
    {
        foreach (var (id, group) in OfType(t, "AWS::EC2::SecurityGroup"))
        {
            foreach (var rule in Items(Props(group)["SecurityGroupIngress"]).OfType<JsonObject>()) yield return (id, rule, "ingress");
            foreach (var rule in Items(Props(group)["SecurityGroupEgress"]).OfType<JsonObject>()) yield return (id, rule, "egress");
        }
        foreach (var (id, rule) in OfType(t, "AWS::EC2::SecurityGroupIngress")) yield return (id, Props(rule), "ingress");
        foreach (var (id, rule) in OfType(t, "AWS::EC2::SecurityGroupEgress")) yield return (id, Props(rule), "egress");
    }

    static string? GroupOf(JsonObject rule) => Text(rule["GroupId"]?["Fn::GetAtt"]?[0]);

    static string? LoadBalancerAttribute(JsonObject loadBalancer, string key) =>
        Items(Props(loadBalancer)["LoadBalancerAttributes"]).FirstOrDefault(a => Text(a["Key"]) == key) is { } attribute
            ? Text(attribute["Value"]) ?? attribute["Value"]!.ToJsonString()
            : null;

    static bool RedirectsToHttps(JsonObject listener) =>
        Items(Props(listener)["DefaultActions"]).ToList() is [JsonObject action]
        && Text(action["Type"]) == "redirect" && Text(action["RedirectConfig"]?["Protocol"]) == "HTTPS"
        && Text(action["RedirectConfig"]?["Port"]) == "443" && Text(action["RedirectConfig"]?["StatusCode"]) == "HTTP_301";

    static readonly string[] TlsPolicies =
    [
        "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    ];

    // The actions granted on "*", each for a stated reason: no resource type at all (Service Authorization Reference; cfn-lint's
    // Policies.json): the ECR token, DescribeTaskDefinition, logs:DescribeLogGroups; ListTasks, whose one resource type is a
    // container instance, which Fargate has none of (the statement scopes it to the cluster with ecs:cluster instead); and
    // RegisterTaskDefinition, which does take task-definition but is granted on "*" as CodePipeline's ECS deploy action
    // reference grants it (a deliberate choice the pipeline role records: a narrower grant AWS does not show working would
    // fail every deployment with AccessDenied).
    static readonly HashSet<string> StarOnlyActions = new(StringComparer.Ordinal)
    {
        "ecr:GetAuthorizationToken", "ecs:DescribeTaskDefinition", "logs:DescribeLogGroups", "ecs:ListTasks", "ecs:RegisterTaskDefinition",
    };

    [GeneratedRegex("PASS(WORD)?|SECRET|TOKEN|API_?KEY|PRIVATE_KEY|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|ECS_ENGINE_AUTH_DATA", RegexOptions.IgnoreCase)]
    private static partial Regex SecretLookingName();

    static readonly string[] ServicePrincipals =
        ["ecs-tasks.amazonaws.com", "ecs.amazonaws.com", "codebuild.amazonaws.com", "codepipeline.amazonaws.com", "codedeploy.amazonaws.com",
         "vpc-flow-logs.amazonaws.com", "delivery.logs.amazonaws.com"];

    // ---- the checks -----------------------------------------------------------------------------------------------------

    static readonly SecurityCheck[] Checks =
    [
        new("TPL-SEC-01", "every VPC has a flow log", s =>
            OfType(s.Prod, "AWS::EC2::VPC").Where(v => !OfType(s.Prod, "AWS::EC2::FlowLog").Any(f =>
                Text(Props(f.Resource)["ResourceId"]?["Ref"]) == v.Id && Text(Props(f.Resource)["ResourceType"]) == "VPC"))
            .Select(v => $"{v.Id} has no AWS::EC2::FlowLog")),
        new("TPL-SEC-02", "no subnet maps public IPs on launch", s =>
            OfType(s.Prod, "AWS::EC2::Subnet").Where(n => Props(n.Resource)["MapPublicIpOnLaunch"]?.ToJsonString() == "true").Select(n => n.Id)),
        new("TPL-SEC-03", "the load balancer is open to the world on 443 only, and on 80 only to redirect", s =>
            SecurityGroupRules(s.Prod).Where(r => r.Kind == "ingress" && Text(r.Rule["CidrIp"]) == "0.0.0.0/0" || Text(r.Rule["CidrIpv6"]) == "::/0")
                .Where(r => !((int?)r.Rule["FromPort"] == 443 && (int?)r.Rule["ToPort"] == 443)
                    && !((int?)r.Rule["FromPort"] == 80 && (int?)r.Rule["ToPort"] == 80 && OfType(s.Prod, "AWS::ElasticLoadBalancingV2::Listener")
                        .Any(l => (int?)Props(l.Resource)["Port"] == 80 && RedirectsToHttps(l.Resource))))
                .Select(r => $"{r.Id}: world-open {r.Rule.ToJsonString()}")),
        new("TPL-SEC-04", "tasks are reached only from the load balancer's group, on one port", s =>
        {
            var taskGroups = OfType(s.Prod, "AWS::ECS::Service")
                .SelectMany(v => Items(Props(v.Resource)["NetworkConfiguration"]?["AwsvpcConfiguration"]?["SecurityGroups"]))
                .Select(g => Text(g["Fn::GetAtt"]?[0])).ToHashSet();
            var loadBalancerGroups = OfType(s.Prod, "AWS::ElasticLoadBalancingV2::LoadBalancer")
                .SelectMany(l => Items(Props(l.Resource)["SecurityGroups"])).Select(g => Text(g["Fn::GetAtt"]?[0])).ToHashSet();
            return SecurityGroupRules(s.Prod).Where(r => r.Kind == "ingress" && taskGroups.Contains(GroupOf(r.Rule) ?? r.Id))
                .Where(r => !loadBalancerGroups.Contains(Text(r.Rule["SourceSecurityGroupId"]?["Fn::GetAtt"]?[0])) || (int?)r.Rule["FromPort"] != (int?)r.Rule["ToPort"])
                .Select(r => $"{r.Id}: {r.Rule.ToJsonString()}");
        }),
        new("TPL-SEC-05", "every rule has a description, every group declares its egress, no protocol -1", s =>
            SecurityGroupRules(s.Prod).Where(r => Text(r.Rule["Description"]) is not { Length: > 0 } || Text(r.Rule["IpProtocol"]) == "-1")
                .Select(r => $"{r.Id}: {r.Rule.ToJsonString()}")
            .Concat(OfType(s.Prod, "AWS::EC2::SecurityGroup").Where(g => Props(g.Resource)["SecurityGroupEgress"] is null
                && !OfType(s.Prod, "AWS::EC2::SecurityGroupEgress").Any(e => GroupOf(Props(e.Resource)) == g.Id)).Select(g => $"{g.Id} declares no egress"))),
        new("TPL-SEC-06", "tasks get no public IP and run in private subnets", s =>
            OfType(s.Prod, "AWS::ECS::Service").SelectMany(v =>
            {
                var network = Props(v.Resource)["NetworkConfiguration"]?["AwsvpcConfiguration"];
                return Each(
                    Unless(Text(network?["AssignPublicIp"]) == "DISABLED", $"{v.Id}: AssignPublicIp is not DISABLED"),
                    Unless(Items(network?["Subnets"]).All(n => Text(n["Ref"])?.StartsWith("PrivateSubnet", StringComparison.Ordinal) == true), $"{v.Id}: a subnet is not private"));
            })),
        new("TPL-SEC-07", "no network ACLs", s => OfType(s.Prod, "AWS::EC2::NetworkAcl").Select(a => a.Id)),
        new("TPL-SEC-08", "every HTTP listener redirects to HTTPS 443 with a 301", s =>
            OfType(s.Prod, "AWS::ElasticLoadBalancingV2::Listener").Where(l => Text(Props(l.Resource)["Protocol"]) == "HTTP")
                .Where(l => !RedirectsToHttps(l.Resource)).Select(l => l.Id)),
        new("TPL-SEC-09", "HTTPS listeners use a TLS 1.2+ policy of the allow-list", s =>
            OfType(s.Prod, "AWS::ElasticLoadBalancingV2::Listener").Where(l => Text(Props(l.Resource)["Protocol"]) == "HTTPS")
                .Where(l => !TlsPolicies.Contains(Text(Props(l.Resource)["SslPolicy"]))).Select(l => $"{l.Id}: {Text(Props(l.Resource)["SslPolicy"])}")),
        new("TPL-SEC-10", "the certificate is ACM's, never an IAM server certificate", s =>
            s.Prod.Json.ToJsonString().Contains(":server-certificate/", StringComparison.Ordinal) && Text(s.Prod.Parameters["CertificateArn"]?["Default"])?.Contains(":iam::", StringComparison.Ordinal) == true
                ? ["the CertificateArn parameter defaults to an IAM server certificate"]
                : OfType(s.Prod, "AWS::CertificateManager::Certificate").Any() ? [] : ["no ACM certificate is requested and none is passed"]),
        new("TPL-SEC-11", "the load balancer drops invalid header fields", s =>
            OfType(s.Prod, "AWS::ElasticLoadBalancingV2::LoadBalancer").Where(l => LoadBalancerAttribute(l.Resource, "routing.http.drop_invalid_header_fields.enabled") != "true").Select(l => l.Id)),
        new("TPL-SEC-12", "the load balancer writes access logs to a bucket", s =>
            OfType(s.Prod, "AWS::ElasticLoadBalancingV2::LoadBalancer").Where(l => LoadBalancerAttribute(l.Resource, "access_logs.s3.enabled") != "true"
                || LoadBalancerAttribute(l.Resource, "access_logs.s3.bucket") is null).Select(l => l.Id)),
        new("TPL-SEC-13", "deletion protection in production", s =>
            OfType(s.Prod, "AWS::ElasticLoadBalancingV2::LoadBalancer").Where(l => LoadBalancerAttribute(l.Resource, "deletion_protection.enabled") is not ("true" or "{\"Ref\":\"DeletionProtection\"}"))
                .Select(l => l.Id)),
        new("TPL-SEC-14", "desync mitigation is not monitor", s =>
            OfType(s.Prod, "AWS::ElasticLoadBalancingV2::LoadBalancer").Where(l => LoadBalancerAttribute(l.Resource, "routing.http.desync_mitigation_mode") == "monitor").Select(l => l.Id)),
        new("TPL-SEC-15", "an internet-facing load balancer in production has a web ACL", s =>
            OfType(s.Prod, "AWS::ElasticLoadBalancingV2::LoadBalancer").Where(l => Text(Props(l.Resource)["Scheme"]) == "internet-facing")
                .Where(l => !OfType(s.Prod, "AWS::WAFv2::WebACLAssociation").Any(a => Text(Props(a.Resource)["ResourceArn"]?["Ref"]) == l.Id)).Select(l => l.Id)),
        new("TPL-SEC-16", "the load balancer spans at least two subnets", s =>
            OfType(s.Prod, "AWS::ElasticLoadBalancingV2::LoadBalancer").Where(l => Items(Props(l.Resource)["Subnets"]).Select(n => n.ToJsonString()).Distinct().Count() < 2).Select(l => l.Id)),
        new("TPL-SEC-17", "Container Insights is on", s =>
            OfType(s.Prod, "AWS::ECS::Cluster").Where(c => !Items(Props(c.Resource)["ClusterSettings"]).Any(x => Text(x["Name"]) == "containerInsights" && Text(x["Value"]) is "enabled" or "enhanced")).Select(c => c.Id)),
        new("TPL-SEC-18", "every container logs to the stack's log group", s =>
            Containers(s.Prod).Where(c => Text(c["LogConfiguration"]?["LogDriver"]) != "awslogs"
                || Text(c["LogConfiguration"]?["Options"]?["awslogs-group"]?["Ref"]) is not { } group || !s.Prod.Resources.ContainsKey(group)).Select(c => Text(c["Name"])!)),
        new("TPL-SEC-19", "no secret-looking environment variables (secrets come from SSM or Secrets Manager)", s =>
            Containers(s.Prod).SelectMany(c => Items(c["Environment"])).Where(e => SecretLookingName().IsMatch(Text(e["Name"]) ?? "")).Select(e => Text(e["Name"])!)),
        new("TPL-SEC-20", "no privileged container", s => Containers(s.Prod).Where(c => c["Privileged"]?.ToJsonString() == "true").Select(c => Text(c["Name"])!)),
        new("TPL-SEC-21", "read-only root file systems", s => Containers(s.Prod).Where(c => c["ReadonlyRootFilesystem"]?.ToJsonString() != "true").Select(c => Text(c["Name"])!)),
        new("TPL-SEC-22", "containers run as a non-root user", s =>
            Containers(s.Prod).Where(c => Text(c["User"]) is null or "root" or "0" or "0:0" || Text(c["User"])!.StartsWith("root:", StringComparison.Ordinal)).Select(c => Text(c["Name"])!)),
        new("TPL-SEC-23", "awsvpc, Fargate, the latest platform", s =>
            OfType(s.Prod, "AWS::ECS::TaskDefinition").Where(d => Text(Props(d.Resource)["NetworkMode"]) != "awsvpc").Select(d => d.Id)
                .Concat(OfType(s.Prod, "AWS::ECS::Service").Where(v => Text(Props(v.Resource)["LaunchType"]) != "FARGATE"
                    || Text(Props(v.Resource)["PlatformVersion"]) is not (null or "LATEST")).Select(v => v.Id))),
        new("TPL-SEC-24", "the task role is not the execution role", s =>
            OfType(s.Prod, "AWS::ECS::TaskDefinition").Where(d => Props(d.Resource)["TaskRoleArn"]?.ToJsonString() == Props(d.Resource)["ExecutionRoleArn"]?.ToJsonString()).Select(d => d.Id)),
        new("TPL-SEC-25", "the circuit breaker rolls back, and production keeps full capacity during a rollout", s =>
            OfType(s.Prod, "AWS::ECS::Service").SelectMany(v =>
            {
                var deployment = Props(v.Resource)["DeploymentConfiguration"];
                return Each(
                    Unless(deployment?["DeploymentCircuitBreaker"]?["Enable"]?.ToJsonString() == "true" && deployment["DeploymentCircuitBreaker"]?["Rollback"]?.ToJsonString() == "true",
                        $"{v.Id}: no circuit breaker with rollback"),
                    // Blue/green starts the whole new revision beside the old one: capacity never drops.
                    Unless(Text(deployment?["Strategy"]) == "BLUE_GREEN" || (int?)deployment?["MinimumHealthyPercent"] >= 100, $"{v.Id}: MinimumHealthyPercent below 100"));
            })),
        new("TPL-SEC-26", "no host PID or IPC namespace", s =>
            OfType(s.Prod, "AWS::ECS::TaskDefinition").Where(d => Text(Props(d.Resource)["PidMode"]) == "host" || Text(Props(d.Resource)["IpcMode"]) == "host").Select(d => d.Id)),
        new("TPL-SEC-27", "images are scanned on push", s =>
            OfType(s.Shared, "AWS::ECR::Repository").Where(r => Props(r.Resource)["ImageScanningConfiguration"]?["ScanOnPush"]?.ToJsonString() != "true").Select(r => r.Id)),
        new("TPL-SEC-28", "tags are immutable", s =>
            OfType(s.Shared, "AWS::ECR::Repository").Where(r => Text(Props(r.Resource)["ImageTagMutability"]) != "IMMUTABLE").Select(r => r.Id)),
        new("TPL-SEC-29", "the repository is encrypted with a customer managed key, or says why not", s =>
            OfType(s.Shared, "AWS::ECR::Repository").Where(r => Text(Props(r.Resource)["EncryptionConfiguration"]?["EncryptionType"]) != "KMS" && !TradedOff(r.Resource, "KMS")).Select(r => r.Id)),
        new("TPL-SEC-30", "no repository policy allows everyone", s =>
            OfType(s.Shared, "AWS::ECR::Repository").Where(r => Items(Props(r.Resource)["RepositoryPolicyText"]?["Statement"]).Any(x =>
                Text(x["Effect"]) == "Allow" && (Text(x["Principal"]) == "*" || Text(x["Principal"]?["AWS"]) == "*"))).Select(r => r.Id)),
        new("TPL-SEC-31", "a lifecycle policy expires old images", s =>
            OfType(s.Shared, "AWS::ECR::Repository").Where(r => Text(Props(r.Resource)["LifecyclePolicy"]?["LifecyclePolicyText"]) is not { Length: > 0 }).Select(r => r.Id)),
        new("TPL-SEC-32", "no Allow of every action or of a whole service", s =>
            IdentityStatements(s.Prod).Concat(IdentityStatements(s.Shared)).Where(x => Allows(x.Statement) && Actions(x.Statement).Any(a => a == "*" || a.EndsWith(":*", StringComparison.Ordinal)))
                .Select(x => x.Where)),
        new("TPL-SEC-33", "Resource \"*\" only for actions that take no resource", s =>
            IdentityStatements(s.Prod).Concat(IdentityStatements(s.Shared)).Where(x => Allows(x.Statement) && ResourceIsStar(x.Statement)
                && Actions(x.Statement).Any(a => !StarOnlyActions.Contains(a))).Select(x => $"{x.Where}: {string.Join(", ", Actions(x.Statement).Where(a => !StarOnlyActions.Contains(a)))}")),
        new("TPL-SEC-34", "iam:PassRole names its roles and the service they go to", s =>
            IdentityStatements(s.Prod).Where(x => Allows(x.Statement) && Actions(x.Statement).Contains("iam:PassRole"))
                .Where(x => ResourceIsStar(x.Statement) || Text(x.Statement["Condition"]?["StringEquals"]?["iam:PassedToService"]) is null).Select(x => x.Where)),
        new("TPL-SEC-35", "trust policies name one AWS service, with sts:AssumeRole, and confused-deputy conditions or a recorded reason", s =>
            OfType(s.Prod, "AWS::IAM::Role").Concat(OfType(s.Shared, "AWS::IAM::Role")).SelectMany(r =>
                Items(Props(r.Resource)["AssumeRolePolicyDocument"]?["Statement"]).OfType<JsonObject>().SelectMany(x => Each(
                    Unless(Text(x["Principal"]?["Service"]) is { } service && ServicePrincipals.Contains(service), $"{r.Id}: principal {x["Principal"]?.ToJsonString()}"),
                    Unless(Actions(x).SequenceEqual(["sts:AssumeRole"]), $"{r.Id}: actions {string.Join(", ", Actions(x))}"),
                    Unless(x["NotPrincipal"] is null, $"{r.Id}: NotPrincipal"),
                    Unless(x["Condition"]?.ToJsonString() is { } c && (c.Contains("aws:SourceAccount", StringComparison.Ordinal) || c.Contains("aws:SourceArn", StringComparison.Ordinal)) || TradedOff(r.Resource, "without an aws:SourceAccount or aws:SourceArn condition"),
                        $"{r.Id}: no aws:SourceAccount or aws:SourceArn condition, and no recorded reason"))))),
        new("TPL-SEC-36", "no Allow with NotAction or NotResource", s =>
            IdentityStatements(s.Prod).Concat(IdentityStatements(s.Shared)).Where(x => Allows(x.Statement) && (x.Statement["NotAction"] is not null || x.Statement["NotResource"] is not null)).Select(x => x.Where)),
        new("TPL-SEC-37", "no administrator or power-user managed policy", s =>
            OfType(s.Prod, "AWS::IAM::Role").Concat(OfType(s.Shared, "AWS::IAM::Role"))
                .Where(r => Items(Props(r.Resource)["ManagedPolicyArns"]).Any(p => p.ToJsonString() is var arn && (arn.Contains("/AdministratorAccess", StringComparison.Ordinal) || arn.Contains("/PowerUserAccess", StringComparison.Ordinal))))
                .Select(r => r.Id)),
        new("TPL-SEC-38", "buckets block public access and grant no public ACL", s =>
            OfType(s.Prod, "AWS::S3::Bucket").Where(b => Props(b.Resource)["PublicAccessBlockConfiguration"] is not JsonObject block
                || new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" }.Any(k => block[k]?.ToJsonString() != "true")
                || Text(Props(b.Resource)["AccessControl"]) is "PublicRead" or "PublicReadWrite").Select(b => b.Id)),
        new("TPL-SEC-39", "buckets are encrypted (a customer managed key in production, or a recorded reason)", s =>
            OfType(s.Prod, "AWS::S3::Bucket").Where(b => Props(b.Resource)["BucketEncryption"] is null
                || Text(Props(b.Resource)["BucketEncryption"]?["ServerSideEncryptionConfiguration"]?[0]?["ServerSideEncryptionByDefault"]?["SSEAlgorithm"]) != "aws:kms" && !TradedOff(b.Resource, "KMS")).Select(b => b.Id)),
        new("TPL-SEC-40", "bucket policies deny requests without TLS", s =>
            OfType(s.Prod, "AWS::S3::Bucket").Where(b => !OfType(s.Prod, "AWS::S3::BucketPolicy").Any(p => Text(Props(p.Resource)["Bucket"]?["Ref"]) == b.Id
                && Items(Props(p.Resource)["PolicyDocument"]?["Statement"]).Any(x => Text(x["Effect"]) == "Deny" && Text(x["Condition"]?["Bool"]?["aws:SecureTransport"]) == "false"))).Select(b => b.Id)),
        new("TPL-SEC-41", "buckets are versioned and log access in production, or say why not", s =>
            OfType(s.Prod, "AWS::S3::Bucket").Where(b => !TradedOff(b.Resource, "access log") && (Text(Props(b.Resource)["VersioningConfiguration"]?["Status"]) != "Enabled" || Props(b.Resource)["LoggingConfiguration"] is null))
                .Select(b => b.Id)),
        new("TPL-SEC-42", "builds are encrypted with a customer managed key, or say why not", s =>
            OfType(s.Prod, "AWS::CodeBuild::Project").Where(p => Props(p.Resource)["EncryptionKey"] is null && !TradedOff(p.Resource, "EncryptionKey")).Select(p => p.Id)
                .Concat(OfType(s.Prod, "AWS::CodeBuild::Project").Where(p => Props(p.Resource)["Artifacts"]?["EncryptionDisabled"]?.ToJsonString() == "true").Select(p => $"{p.Id}: artifacts unencrypted"))),
        new("TPL-SEC-43", "no credentials in plain-text build variables", s =>
            OfType(s.Prod, "AWS::CodeBuild::Project").SelectMany(p => Items(Props(p.Resource)["Environment"]?["EnvironmentVariables"]))
                .Where(v => Text(v["Type"]) is null or "PLAINTEXT" && SecretLookingName().IsMatch(Text(v["Name"]) ?? "")).Select(v => Text(v["Name"])!)),
        new("TPL-SEC-44", "privileged mode only on the Docker build, with its reason recorded", s =>
            OfType(s.Prod, "AWS::CodeBuild::Project").Where(p => Props(p.Resource)["Environment"]?["PrivilegedMode"]?.ToJsonString() == "true" && !TradedOff(p.Resource, "privileged")).Select(p => p.Id)),
        new("TPL-SEC-45", "the build image is AWS-managed", s =>
            OfType(s.Prod, "AWS::CodeBuild::Project").Where(p => Text(Props(p.Resource)["Environment"]?["Image"])?.StartsWith("aws/codebuild/", StringComparison.Ordinal) != true).Select(p => p.Id)),
        new("TPL-SEC-46", "the source comes through a connection, with no token in the template", s =>
            OfType(s.Prod, "AWS::CodePipeline::Pipeline").SelectMany(p => Items(Props(p.Resource)["Stages"]).SelectMany(st => Items(st["Actions"])))
                .Where(a => Text(a["ActionTypeId"]?["Category"]) == "Source" && Text(a["ActionTypeId"]?["Provider"]) != "CodeStarSourceConnection").Select(a => Text(a["Name"])!)
                .Concat(s.Prod.Json.ToJsonString().Contains("OAuthToken", StringComparison.Ordinal) ? ["an OAuthToken in the template"] : [])),
        new("TPL-SEC-47", "builds log to CloudWatch", s =>
            OfType(s.Prod, "AWS::CodeBuild::Project").Where(p => Text(Props(p.Resource)["LogsConfig"]?["CloudWatchLogs"]?["Status"]) != "ENABLED").Select(p => p.Id)),
        new("TPL-SEC-48", "log groups keep logs 90 days or more in production", s =>
            OfType(s.Prod, "AWS::Logs::LogGroup").Where(g => (int?)Props(g.Resource)["RetentionInDays"] is not >= 90).Select(g => g.Id)),
        new("TPL-SEC-49", "log groups are encrypted with a customer managed key, or say why not", s =>
            OfType(s.Prod, "AWS::Logs::LogGroup").Where(g => Props(g.Resource)["KmsKeyId"] is null && !TradedOff(g.Resource, "KMS")).Select(g => g.Id)),
        new("TPL-SEC-50", "stateful resources are retained on delete and on replacement in production", s =>
            OfType(s.Prod, "AWS::Logs::LogGroup").Concat(OfType(s.Prod, "AWS::S3::Bucket")).Concat(OfType(s.Shared, "AWS::ECR::Repository"))
                .Where(r => Text(r.Resource["DeletionPolicy"]) != "Retain" || Text(r.Resource["UpdateReplacePolicy"]) != "Retain").Select(r => r.Id)),
        new("TPL-SEC-51", "the task may send mail only as the sender", s =>
            IdentityStatements(s.Prod).Where(x => Allows(x.Statement) && Actions(x.Statement).Any(a => a.StartsWith("ses:Send", StringComparison.Ordinal)))
                .Where(x => Text(x.Statement["Condition"]?["StringEquals"]?["ses:FromAddress"]) is null).Select(x => x.Where)),
    ];
}
