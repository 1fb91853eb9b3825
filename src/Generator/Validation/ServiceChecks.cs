using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Templates.Generation.CloudFormation;
using Templates.Rules;
using static Templates.Generation.Validation.FindingIds;
using static Templates.Generation.Validation.TemplateValidator;

namespace Templates.Generation.Validation;

/// <summary>
/// Checks that cfn-lint 1.51.0 does not make (rules catalog, section 2.4), on the literal values of any template.
/// Where a rule of the definitions exists, its pure function in <see cref="Checks"/> decides (<c>V00nn</c> = <c>TPL00nn</c>),
/// with the DSL's setting names in its message replaced by the template's property names. Values given by an
/// intrinsic function are not known here and are left alone.
/// </summary>
public static partial class ServiceChecks
{
    [GeneratedRegex("^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")]
    private static partial Regex LoadBalancerName();

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$")]
    private static partial Regex TargetGroupName();


    // The DSL's setting names in the shared rules' messages, and what a template calls them.
    static readonly (Regex From, string To)[] Vocabulary =
    [
        (new Regex(@"\b(HealthCheck\.)?IntervalSeconds\b"), "HealthCheckIntervalSeconds"),
        (new Regex(@"\b(HealthCheck\.)?TimeoutSeconds\b"), "HealthCheckTimeoutSeconds"),
        (new Regex(@"\bHealthCheck\.HealthyThreshold\b|\bHealthyThreshold\b"), "HealthyThresholdCount"),
        (new Regex(@"\bHealthCheck\.UnhealthyThreshold\b|\bUnhealthyThreshold\b"), "UnhealthyThresholdCount"),
        (new Regex(@"\bTasks\.Min\b"), "MinCapacity"),
        (new Regex(@"\bTasks\.Max\b"), "MaxCapacity"),
        (new Regex(@"\bEphemeralStorageGiB\b"), "EphemeralStorage.SizeInGiB"),
        (new Regex(@"\bMemoryMiB\b"), "Memory"),
    ];

    /// <summary>Runs every check over the template's resources, adding to <paramref name="problems"/>.</summary>
    public static void Run(JsonObject template, List<TemplateProblem> problems)
    {
        if (template["Resources"] is not JsonObject resources) return;
        var context = new Context(resources, problems);
        foreach (var (id, node) in resources)
        {
            if (node is not JsonObject resource || resource["Properties"] is not JsonObject properties) continue;
            var at = $"/Resources/{Escape(id)}/Properties";
            switch (AsString(resource["Type"]))
            {
                case "AWS::ECS::TaskDefinition": context.TaskDefinition(properties, at); break;
                case "AWS::ECS::Service": context.Service(properties, at); break;
                case "AWS::ElasticLoadBalancingV2::LoadBalancer": context.LoadBalancer(properties, at); break;
                case "AWS::ElasticLoadBalancingV2::TargetGroup": context.TargetGroup(properties, at); break;
                case "AWS::ElasticLoadBalancingV2::Listener": context.Listener(properties, at); break;
                case "AWS::ApplicationAutoScaling::ScalableTarget": context.ScalableTarget(properties, at); break;
                case "AWS::ApplicationAutoScaling::ScalingPolicy": context.ScalingPolicy(properties, at); break;
                case "AWS::SES::EmailIdentity": context.EmailIdentity(properties, at); break;
                case "AWS::EC2::SecurityGroup":
                    foreach (var list in new[] { "SecurityGroupIngress", "SecurityGroupEgress" })
                        if (properties[list] is JsonArray rules)
                            for (var i = 0; i < rules.Count; i++)
                                if (rules[i] is JsonObject rule) context.SecurityGroupRule(rule, $"{at}/{list}/{i}");
                    break;
                case "AWS::EC2::SecurityGroupIngress" or "AWS::EC2::SecurityGroupEgress": context.SecurityGroupRule(properties, at); break;
            }
        }
        RulesPerGroup(resources, problems);
    }

    /// <summary>The default quota of inbound rules, and of outbound rules, per security group ("Inbound or outbound rules per security group", https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html).</summary>
    public const int RulesPerSecurityGroup = 60;

    /// <summary>
    /// V1023: a security group of the template whose inbound or outbound rules, inline and standalone
    /// (<c>AWS::EC2::SecurityGroupIngress</c>/<c>Egress</c> naming it by <c>Ref</c> or <c>Fn::GetAtt … GroupId</c>), number more than
    /// the default quota: EC2 refuses the rule past it (RulesPerSecurityGroupLimitExceeded) unless the quota was raised. A warning:
    /// the quota is adjustable. A rule is counted once per peer (a CIDR or a group); both address families count together, as a
    /// conservative bound (the quota applies to IPv4 and IPv6 separately).
    /// </summary>
    static void RulesPerGroup(JsonObject resources, List<TemplateProblem> problems)
    {
        var counts = new Dictionary<(string Group, string Direction), int>();
        void Count(string group, string direction, int n) => counts[(group, direction)] = counts.GetValueOrDefault((group, direction)) + n;
        foreach (var (id, node) in resources)
        {
            if (node is not JsonObject resource || resource["Properties"] is not JsonObject properties) continue;
            switch (AsString(resource["Type"]))
            {
                case "AWS::EC2::SecurityGroup":
                    if (properties["SecurityGroupIngress"] is JsonArray inbound) Count(id, "inbound", inbound.Count);
                    if (properties["SecurityGroupEgress"] is JsonArray outbound) Count(id, "outbound", outbound.Count);
                    break;
                case "AWS::EC2::SecurityGroupIngress" or "AWS::EC2::SecurityGroupEgress":
                    var group = properties["GroupId"] switch
                    {
                        JsonObject r when r["Ref"] is JsonValue name => AsString(name),
                        JsonObject g when g["Fn::GetAtt"] is JsonArray { Count: 2 } a && AsString(a[1]) == "GroupId" => AsString(a[0]),
                        _ => null,
                    };
                    if (group is not null && resources[group] is not null)
                        Count(group, AsString(resource["Type"]) == "AWS::EC2::SecurityGroupIngress" ? "inbound" : "outbound", 1);
                    break;
            }
        }
        foreach (var ((group, direction), count) in counts.OrderBy(c => c.Key.Group, StringComparer.Ordinal).ThenBy(c => c.Key.Direction, StringComparer.Ordinal))
            if (count > RulesPerSecurityGroup)
                problems.Add(new TemplateProblem($"/Resources/{Escape(group)}",
                    $"{group} has {count.ToString(CultureInfo.InvariantCulture)} {direction} rules; a security group holds {RulesPerSecurityGroup} by default, and EC2 refuses the rule past them (RulesPerSecurityGroupLimitExceeded). Raise the quota 'Inbound or outbound rules per security group' (Service Quotas, Amazon VPC) before deploying, or need fewer rules.",
                    V1023.Id, V1023.Severity));
    }

    /// <summary>True for a CIDR with a bit set past its prefix (compared as bits: <c>2001:DB8::/32</c> has none).</summary>
    internal static bool HasHostBits(string cidr) => Cidr(cidr) is var (address, network, _) && !address.AsSpan().SequenceEqual(network);

    /// <summary>The network a CIDR names (its address with the bits past the prefix cleared), or null if it is not a CIDR.</summary>
    internal static string? NetworkOf(string cidr) => Cidr(cidr) is var (_, network, prefix) ? $"{new System.Net.IPAddress(network)}/{prefix}" : null;

    /// <summary>A CIDR's address bytes, the same with the bits past the prefix cleared, and the prefix; null if it is not a CIDR.</summary>
    static (byte[] Address, byte[] Network, int Prefix)? Cidr(string cidr)
    {
        var slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !System.Net.IPAddress.TryParse(cidr[..slash], out var parsed)
            || !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)) return null;
        var address = parsed.GetAddressBytes();
        if (prefix > address.Length * 8) return null;
        var network = (byte[])address.Clone();
        for (var bit = prefix; bit < network.Length * 8; bit++) network[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return (address, network, prefix);
    }

    /// <summary>A literal string (not an intrinsic function).</summary>
    static string? Text(JsonNode? node) => AsString(node);

    /// <summary>A literal integer, written as a number or as a string of digits.</summary>
    static int? Int(JsonNode? node) =>
        Number(node) is { } d && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue ? (int)d : null;

    /// <summary>A literal number, written as a number or as a numeric string (in-memory nodes may hold any numeric CLR type).</summary>
    static double? Number(JsonNode? node) => node is JsonValue v && (v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : AsString(v)) is { } text
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    static bool? Bool(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when AsString(v) is { } s && bool.TryParse(s, out var b) => b,
            _ => null,
        }
        : null;

    static string Describe(Violation v)
    {
        var text = v.Message + " " + v.Fix;
        foreach (var (from, to) in Vocabulary) text = from.Replace(text, to);
        return text;
    }

    sealed class Context(JsonObject resources, List<TemplateProblem> problems)
    {
        void Add(FindingId id, string pointer, string message) => problems.Add(id.At(pointer, message));

        void Add(FindingId id, string pointer, Violation? violation)
        {
            if (violation is not null) Add(id, pointer, Describe(violation));
        }

        JsonObject? Resource(JsonNode? reference) =>
            AsFunction(reference) is ("Ref", var name) && AsString(name) is { } id ? resources[id] as JsonObject : null;

        public void TaskDefinition(JsonObject p, string at)
        {
            var fargate = p["RequiresCompatibilities"] is JsonArray compat && compat.Any(c => Text(c) == "FARGATE");
            if (fargate && Cpu(p["Cpu"]) is { } cpu && Memory(p["Memory"]) is { } memory)
                Add(V0003, Checks.FargateMemoryFor(cpu).Length == 0 ? $"{at}/Cpu" : $"{at}/Memory", Checks.FargateCpuMemory(cpu, memory));
            if (Int(p["EphemeralStorage"]?["SizeInGiB"]) is { } gib)
                Add(V0004, $"{at}/EphemeralStorage/SizeInGiB", Checks.EphemeralStorage(gib));
            if (p["ContainerDefinitions"] is not JsonArray containers) return;
            var essential = 0;
            var known = true;
            for (var i = 0; i < containers.Count; i++)
            {
                if (containers[i] is not JsonObject c) { known = false; continue; }
                var where = $"{at}/ContainerDefinitions/{i}";
                if (fargate && Bool(c["Privileged"]) == true)
                    Add(V1005, $"{where}/Privileged", "Privileged containers are not supported on Fargate; the task definition is rejected. Remove Privileged, or run on EC2 capacity.");
                switch (c.ContainsKey("Essential") ? Bool(c["Essential"]) : true)
                {
                    case true: essential++; break;
                    case null: known = false; break;
                }
                if (c["LogConfiguration"] is JsonObject log && Text(log["LogDriver"]) == "awslogs" && log["Options"] is JsonObject options
                    && Text(options["awslogs-group"]) is { } group && Bool(options["awslogs-create-group"]) != true && !DeclaresLogGroup(group))
                    Add(V1007, $"{where}/LogConfiguration/Options/awslogs-group",
                        $"awslogs-group '{group}' names no AWS::Logs::LogGroup of this template; unless the group already exists, the task fails to start. Use {{\"Ref\": \"YourLogGroup\"}}.");
            }
            if (known && essential == 0 && containers.Count > 0)
                Add(V1006, containers.Count == 1 ? $"{at}/ContainerDefinitions/0/Essential" : $"{at}/ContainerDefinitions",
                    "No container is essential; ECS rejects a task definition without one. Set Essential to true (the default) on the main container.");
        }

        bool DeclaresLogGroup(string name)
        {
            foreach (var (_, node) in resources)
                if (node is JsonObject r && AsString(r["Type"]) == "AWS::Logs::LogGroup")
                {
                    var declared = r["Properties"]?["LogGroupName"];
                    if (declared is null || Text(declared) is null) return true; // a generated or computed name: cannot tell
                    if (Text(declared) == name) return true;
                }
            return false;
        }

        /// <summary>Task CPU: units (<c>"256"</c>) or vCPU (<c>"1 vCPU"</c>, <c>".25 vCPU"</c>).</summary>
        static int? Cpu(JsonNode? node)
        {
            if (Int(node) is { } units) return units;
            if (Text(node) is { } s && s.EndsWith("vcpu", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(s[..^4].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var vcpu)) return (int)Math.Round(vcpu * 1024);
            return null;
        }

        /// <summary>Task memory: MiB (<c>"512"</c>) or GB (<c>"2 GB"</c>).</summary>
        static int? Memory(JsonNode? node)
        {
            if (Int(node) is { } mib) return mib;
            if (Text(node) is { } s && s.EndsWith("gb", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(s[..^2].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var gb)) return (int)Math.Round(gb * 1024);
            return null;
        }

        public void Service(JsonObject p, string at)
        {
            var task = Resource(p["TaskDefinition"]);
            var awsvpc = Text(p["LaunchType"]) == "FARGATE" || p["NetworkConfiguration"]?["AwsvpcConfiguration"] is not null
                || Text(task?["Properties"]?["NetworkMode"]) == "awsvpc";
            if (awsvpc && p["LoadBalancers"] is JsonArray balancers)
                foreach (var balancer in balancers)
                {
                    var tgRef = AsFunction(balancer?["TargetGroupArn"]) is ("Ref", var n) ? AsString(n) : null;
                    if (tgRef is null || resources[tgRef] is not JsonObject tg || AsString(tg["Type"]) != "AWS::ElasticLoadBalancingV2::TargetGroup") continue;
                    var targetType = tg["Properties"]?["TargetType"];
                    if (targetType is not null && Text(targetType) is null) continue; // computed
                    if (Text(targetType) != "ip")
                        Add(V1004, targetType is null ? $"/Resources/{Escape(tgRef)}/Properties" : $"/Resources/{Escape(tgRef)}/Properties/TargetType",
                            $"The target group '{tgRef}' serves a Fargate/awsvpc service but its TargetType is '{Text(targetType) ?? "instance"}'; awsvpc tasks register by IP. Set TargetType to ip.");
                }
            if (p["NetworkConfiguration"]?["AwsvpcConfiguration"]?["Subnets"] is JsonArray subnets)
                SameZone(subnets, $"{at}/NetworkConfiguration/AwsvpcConfiguration/Subnets");
        }

        public void LoadBalancer(JsonObject p, string at)
        {
            if (Text(p["Name"]) is { } name && !LoadBalancerName().IsMatch(name))
                Add(V1002, $"{at}/Name", $"'{name}' is not a load balancer name: at most 32 letters, digits and hyphens, not starting or ending with a hyphen nor starting with 'internal-'. Omit Name to let CloudFormation choose one.");
            if (p["Subnets"] is JsonArray subnets) SameZone(subnets, $"{at}/Subnets");
        }

        /// <summary>V1008: every subnet, as far as the template tells, in one Availability Zone.</summary>
        void SameZone(JsonArray subnets, string at)
        {
            if (subnets.Count < 2) return;
            var zones = new HashSet<string>(StringComparer.Ordinal);
            foreach (var subnet in subnets)
            {
                if (Resource(subnet) is not { } s || AsString(s["Type"]) != "AWS::EC2::Subnet") return;
                var zone = s["Properties"]?["AvailabilityZone"];
                if (Text(zone) is { } literal) zones.Add(literal);
                else if (AsFunction(zone) is ("Fn::Select", JsonArray { Count: 2 } select) && AsFunction(select[1]) is ("Fn::GetAZs", var region) && Int(select[0]) is { } index)
                    zones.Add($"item {index} of Fn::GetAZs {region?.ToJsonString()}");
                else return; // unknown: cannot tell
            }
            if (zones.Count == 1)
                Add(V1008, at, $"All {subnets.Count} subnets are in the same Availability Zone ({zones.First()}); one zone failing takes the service down, and a load balancer needs two zones. Put the subnets in different zones.");
        }

        public void TargetGroup(JsonObject p, string at)
        {
            if (Text(p["Name"]) is { } name && !TargetGroupName().IsMatch(name))
                Add(V1003, $"{at}/Name", $"'{name}' is not a target group name: at most 32 letters, digits and hyphens, not starting or ending with a hyphen. Omit Name to let CloudFormation choose one.");
            var protocol = Text(p["HealthCheckProtocol"]) ?? Text(p["Protocol"]);
            var http = protocol is "HTTP" or "HTTPS";
            if (http && Text(p["HealthCheckPath"]) is { } path) Add(V0009, $"{at}/HealthCheckPath", Checks.HealthCheckPath(path));
            if (Text(p["Protocol"]) is "HTTP" or "HTTPS" && Text(p["Matcher"]?["HttpCode"]) is { } codes)
                Add(V0011, $"{at}/Matcher/HttpCode", Checks.HealthCheckCodes(codes));
            if (p.ContainsKey("HealthCheckIntervalSeconds") || p.ContainsKey("HealthCheckTimeoutSeconds"))
            {
                // Defaults of an HTTP(S) target group; ranges are the schema's to report (E3034), so only their relation is checked here.
                int? interval = p.ContainsKey("HealthCheckIntervalSeconds") ? Int(p["HealthCheckIntervalSeconds"]) : 30;
                int? timeout = p.ContainsKey("HealthCheckTimeoutSeconds") ? Int(p["HealthCheckTimeoutSeconds"]) : (http ? 5 : 10);
                int? healthy = p.ContainsKey("HealthyThresholdCount") ? Int(p["HealthyThresholdCount"]) : 5;
                int? unhealthy = p.ContainsKey("UnhealthyThresholdCount") ? Int(p["UnhealthyThresholdCount"]) : 2;
                if (interval is >= 5 and <= 300 && timeout is >= 2 and <= 120 && healthy is >= 2 and <= 10 && unhealthy is >= 2 and <= 10)
                    Add(V0010, $"{at}/{(p.ContainsKey("HealthCheckIntervalSeconds") ? "HealthCheckIntervalSeconds" : "HealthCheckTimeoutSeconds")}",
                        Checks.HealthCheckTiming(interval.Value, timeout.Value, healthy.Value, unhealthy.Value));
            }
        }

        public void Listener(JsonObject p, string at)
        {
            if (Text(p["Protocol"]) != "HTTPS") return;
            if (!p.ContainsKey("SslPolicy"))
                Add(V0016, at, "The HTTPS listener has no SslPolicy, so CloudFormation uses ELBSecurityPolicy-2016-08, which admits TLS 1.0 and 1.1. Set SslPolicy to ELBSecurityPolicy-TLS13-1-2-2021-06.");
            else if (Text(p["SslPolicy"]) is { } policy) Add(V0016, $"{at}/SslPolicy", Checks.TlsPolicy(policy));
        }

        public void ScalableTarget(JsonObject p, string at)
        {
            if (Int(p["MinCapacity"]) is { } min && Int(p["MaxCapacity"]) is { } max)
                Add(V0005, $"{at}/MinCapacity", Checks.TaskBounds(min, max));
        }

        public void ScalingPolicy(JsonObject p, string at)
        {
            if (p["TargetTrackingScalingPolicyConfiguration"] is not JsonObject config) return;
            var where = $"{at}/TargetTrackingScalingPolicyConfiguration";
            var metric = Text(config["PredefinedMetricSpecification"]?["PredefinedMetricType"]);
            if (metric is "ECSServiceAverageCPUUtilization" or "ECSServiceAverageMemoryUtilization" && Number(config["TargetValue"]) is { } target)
                Add(V0007, $"{where}/TargetValue", Checks.UtilizationTarget("TargetValue", target <= 0 ? 0 : target > 100 ? (int)Math.Min(Math.Ceiling(target), int.MaxValue) : 50));
            foreach (var cooldown in new[] { "ScaleInCooldown", "ScaleOutCooldown" })
                if (Int(config[cooldown]) is { } seconds) Add(V0007, $"{where}/{cooldown}", Checks.Cooldown(cooldown, seconds));
        }

        /// <summary>
        /// A rule's CIDR with bits set past its prefix (<c>192.168.1.0/0</c>): EC2 keeps only the prefix, so the rule opens
        /// the whole network of that prefix, not what it reads as (AWS's own ECS sample template opens SSH to 0.0.0.0/0 so).
        /// </summary>
        public void SecurityGroupRule(JsonObject rule, string at)
        {
            foreach (var key in new[] { "CidrIp", "CidrIpv6" })
                if (Text(rule[key]) is { } cidr && HasHostBits(cidr) && NetworkOf(cidr) is { } network)
                    Add(V1022, $"{at}/{key}", $"{key} '{cidr}' has bits set past its prefix: EC2 keeps only the prefix, so the rule applies to {network}. Write {network}, or the prefix you meant.");
        }

        public void EmailIdentity(JsonObject p, string at)
        {
            if (Text(p["EmailIdentity"]) is { } identity && Checks.DnsName(identity) is not null && Checks.MailSender(identity) is not null)
                Add(V1009, $"{at}/EmailIdentity", $"'{identity}' is neither an email address nor a domain, so SES cannot verify it. Use name@example.com or example.com.");
        }
    }
}
