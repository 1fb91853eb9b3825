using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Templates.Generation.Diff;

/// <summary>
/// The changes of one resource that widen access or lower protection, as <c>cdk diff --security-only</c> lists them: an IAM
/// statement that allows more (a new action, resource or principal, a condition dropped, a deny removed, a managed policy
/// attached), security group ingress opened, public access allowed, encryption turned off. A narrowing is not listed.
/// </summary>
public static class SecurityScan
{
    static readonly HashSet<string> PolicyKeys = ["PolicyDocument", "AssumeRolePolicyDocument", "RepositoryPolicyText", "KeyPolicy", "PolicyText"];
    static readonly HashSet<string> PublicAccessBlocks = ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"];
    static readonly HashSet<string> EncryptionFlags = ["Encrypted", "StorageEncrypted", "SSEEnabled", "EncryptionAtRest", "TransitEncryptionEnabled"];
    static readonly HashSet<string> KmsKeys = ["KmsKeyId", "KmsMasterKeyId", "KMSMasterKeyID", "KmsKey", "KmsKeyArn", "KMSMasterKeyArn"];
    static readonly HashSet<string> EncryptionBlocks = ["BucketEncryption", "EncryptionConfiguration", "SSESpecification", "EncryptionSpecification"];

    /// <summary>What makes <paramref name="after"/> less safe than <paramref name="before"/> (null: the resource is new).</summary>
    public static IEnumerable<SecurityChange> Compare(string id, JsonObject? before, JsonObject after)
    {
        var messages = new List<string>();
        var oldProps = before?["Properties"] as JsonObject;
        var newProps = after["Properties"] as JsonObject ?? [];

        // IAM: what the new statements allow that no old one did, and the denies that are gone.
        var oldGrants = Grants(oldProps).ToList();
        var newGrants = Grants(newProps).ToList();
        var widened = newGrants.Where(g => g.Allow && !oldGrants.Any(o => o.Allow && Covers(o, g))).ToList();
        foreach (var group in widened.GroupBy(g => (g.Principal, g.Resource, g.Condition)))
        {
            var actions = string.Join(", ", group.Select(g => g.Action).Distinct());
            var message = $"IAM: allows {actions}";
            if (group.Key.Resource.Length > 0) message += $" on {group.Key.Resource}";
            if (group.Key.Principal.Length > 0) message += $" to {group.Key.Principal}";
            if (group.Key.Condition.Length == 0 && group.Key.Principal.Length + group.Key.Resource.Length > 0 && Wildcard(group))
                message += " (a wildcard)";
            messages.Add(message + (before is null ? "" : " (new)"));
        }
        foreach (var gone in oldGrants.Where(g => !g.Allow && !newGrants.Any(n => !n.Allow && n.Key == g.Key)))
            messages.Add($"IAM: no longer denies {gone.Action}{(gone.Resource.Length > 0 ? $" on {gone.Resource}" : "")}{(gone.Condition.Length > 0 ? $" when {gone.Condition}" : "")}");
        var oldManaged = (oldProps?["ManagedPolicyArns"] as JsonArray ?? []).Select(Describe).ToHashSet();
        foreach (var arn in (newProps["ManagedPolicyArns"] as JsonArray ?? []).Select(Describe).Where(a => !oldManaged.Contains(a)))
            messages.Add($"IAM: attaches the managed policy {arn}");

        // Security groups: ingress rules that were not there.
        var oldRules = Ingress(Validation.TemplateValidator.AsString(before?["Type"]), oldProps).ToHashSet();
        foreach (var rule in Ingress(Validation.TemplateValidator.AsString(after["Type"]), newProps).Where(r => !oldRules.Contains(r)))
            messages.Add($"ingress opened: {rule}");

        // Public access and encryption, on a resource that existed (a new resource has nothing to lower).
        if (oldProps is not null) Walk(oldProps, newProps, "", messages, Validation.TemplateValidator.AsString(after["Type"]) ?? "");

        return messages.Distinct().Select(m => new SecurityChange(id, m));
    }

    static bool Wildcard(IEnumerable<Grant> grants) => grants.Any(g => g.Action.Contains('*', StringComparison.Ordinal) || g.Resource == "*" || g.Principal == "*");

    sealed record Grant(bool Allow, string Principal, string Action, string Resource, string Condition)
    {
        public string Key => $"{Principal}|{Action}|{Resource}|{Condition}";
    }

    /// <summary>Whether the old grant allowed at least what the new one does: its action and resource match the new ones (wildcards too), for the same principal, under no condition or the same one.</summary>
    static bool Covers(Grant old, Grant grant) =>
        old.Principal == grant.Principal && (old.Condition.Length == 0 || old.Condition == grant.Condition)
        && Matches(old.Action, grant.Action, ignoreCase: true) && (old.Resource == grant.Resource || Matches(old.Resource, grant.Resource, ignoreCase: false));

    static bool Matches(string pattern, string value, bool ignoreCase) =>
        pattern == value || (pattern.Contains('*', StringComparison.Ordinal) && Regex.IsMatch(value,
            "^" + string.Join(".*", pattern.Split('*').Select(Regex.Escape)) + "$", ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));

    static IEnumerable<Grant> Grants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (PolicyKeys.Contains(key) && value is JsonObject document)
                        foreach (var grant in Statements(document)) yield return grant;
                    else
                        foreach (var grant in Grants(value)) yield return grant;
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    foreach (var grant in Grants(item)) yield return grant;
                break;
        }
    }

    static IEnumerable<Grant> Statements(JsonObject document)
    {
        var statements = document["Statement"] switch
        {
            JsonArray a => a.OfType<JsonObject>(),
            JsonObject s => new[] { s },
            _ => Array.Empty<JsonObject>(),
        };
        foreach (var statement in statements)
        {
            var allow = Validation.TemplateValidator.AsString(statement["Effect"]) != "Deny";
            var principal = statement["Principal"] is { } p ? Describe(p) : statement["NotPrincipal"] is { } np ? "everyone but " + Describe(np) : "";
            var condition = statement["Condition"] is { } c ? Describe(c) : "";
            var actions = List(statement["Action"]).Select(Describe).ToList();
            if (statement["NotAction"] is { } notAction) actions.Add("every action but " + string.Join(", ", List(notAction).Select(Describe)));
            var resources = List(statement["Resource"]).Select(Describe).ToList();
            if (statement["NotResource"] is { } notResource) resources.Add("every resource but " + string.Join(", ", List(notResource).Select(Describe)));
            if (resources.Count == 0) resources.Add("");
            foreach (var action in actions)
                foreach (var resource in resources)
                    yield return new Grant(allow, principal, action, resource, condition);
        }
    }

    static IEnumerable<JsonNode?> List(JsonNode? node) => node switch
    {
        null => Array.Empty<JsonNode?>(),
        JsonArray a => a,
        _ => new[] { node },
    };

    /// <summary>A security group's ingress rules, and a standalone ingress rule's, in words: <c>tcp 443 from 0.0.0.0/0 (anywhere)</c>.</summary>
    static IEnumerable<string> Ingress(string? type, JsonObject? properties)
    {
        if (properties is null) yield break;
        var rules = type switch
        {
            "AWS::EC2::SecurityGroup" => (properties["SecurityGroupIngress"] as JsonArray ?? []).OfType<JsonObject>(),
            "AWS::EC2::SecurityGroupIngress" => new[] { properties },
            _ => Array.Empty<JsonObject>(),
        };
        foreach (var rule in rules)
        {
            var protocol = Describe(rule["IpProtocol"]);
            var from = Describe(rule["FromPort"]);
            var to = Describe(rule["ToPort"]);
            var ports = protocol == "-1" ? "all traffic" : $"{protocol} {(from == to ? from : $"{from}-{to}")}";
            var source = rule["CidrIp"] ?? rule["CidrIpv6"] ?? rule["SourceSecurityGroupId"] ?? rule["SourcePrefixListId"] ?? rule["SourceSecurityGroupName"];
            var described = Describe(source);
            yield return $"{ports} from {described}{(described is "0.0.0.0/0" or "::/0" ? " (anywhere)" : "")}";
        }
    }

    static void Walk(JsonNode? before, JsonNode? after, string path, List<string> messages, string type)
    {
        if (before is JsonObject o)
        {
            var n = after as JsonObject;
            foreach (var (key, value) in o)
            {
                var now = n?[key];
                var at = path.Length == 0 ? key : $"{path}.{key}";
                if (PublicAccessBlocks.Contains(key) && IsTrue(value) && !IsTrue(now)) messages.Add($"public access: {at} turned off");
                else if (EncryptionFlags.Contains(key) && IsTrue(value) && !IsTrue(now)) messages.Add($"encryption turned off: {at}");
                else if (KmsKeys.Contains(key) && now is null) messages.Add($"encryption: the KMS key {at} is removed");
                else if (EncryptionBlocks.Contains(key) && now is null) messages.Add($"encryption: {at} is removed");
                else if (key == "PublicAccessBlockConfiguration" && now is null) messages.Add($"public access: {at} is removed");
                else Walk(value, now, at, messages, type);
            }
            if (n is not null)
            {
                foreach (var (key, now) in n)
                {
                    var at = path.Length == 0 ? key : $"{path}.{key}";
                    var was = o[key];
                    if (key == "AssignPublicIp" && Describe(now) == "ENABLED" && Describe(was) != "ENABLED") messages.Add($"public access: {at} ENABLED (tasks get public IP addresses)");
                    else if (key is "MapPublicIpOnLaunch" or "PubliclyAccessible" && IsTrue(now) && !IsTrue(was)) messages.Add($"public access: {at} turned on");
                    else if (key == "Scheme" && type == "AWS::ElasticLoadBalancingV2::LoadBalancer" && Describe(was) == "internal" && Describe(now) != "internal")
                        messages.Add("public access: the load balancer becomes internet-facing");
                    else if (key == "Protocol" && Describe(was) is "HTTPS" or "TLS" && Describe(now) is "HTTP" or "TCP")
                        messages.Add($"encryption in transit turned off: {at} {Describe(was)} -> {Describe(now)}");
                }
            }
        }
        else if (before is JsonArray a && after is JsonArray b)
        {
            for (var i = 0; i < Math.Min(a.Count, b.Count); i++) Walk(a[i], b[i], $"{path}[{i}]", messages, type);
        }
    }

    static bool IsTrue(JsonNode? node) => node is JsonValue v && ((v.TryGetValue<bool>(out var b) && b) || (v.TryGetValue<string>(out var s) && s == "true"));

    /// <summary>A template value in short: a string as it is, <c>${X}</c> for a reference, a <c>Fn::Sub</c>'s text, compact JSON otherwise.</summary>
    internal static string Describe(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o when o.Count == 1 && o["Ref"] is JsonValue r => $"${{{Validation.TemplateValidator.AsString(r)}}}",
        JsonObject o when o.Count == 1 && o["Fn::Sub"] is JsonValue s => (string)s!,
        JsonObject o when o.Count == 1 && o["Fn::Sub"] is JsonArray { Count: 2 } s && s[0] is JsonValue t => (string)t!,
        JsonObject o when o.Count == 1 && o["Fn::GetAtt"] is JsonArray { Count: 2 } g => $"${{{Describe(g[0])}.{Describe(g[1])}}}",
        JsonObject o when o.Count == 1 && o["Fn::Join"] is JsonArray { Count: 2 } j && j[1] is JsonArray parts => string.Join(Describe(j[0]), parts.Select(Describe)),
        JsonArray a => string.Join(", ", a.Select(Describe)),
        _ => node.ToJsonString(),
    };
}
