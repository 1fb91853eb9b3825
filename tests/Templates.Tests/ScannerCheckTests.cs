using System.Text.Json.Nodes;
using Templates.Generation;
using Templates.Generation.CloudFormation;

namespace Templates.Tests;

/// <summary>
/// Every scanner suppression a template records (Checkov's <c>checkov.skip</c>, cfn_nag's <c>cfn_nag.rules_to_suppress</c>) names a
/// real CloudFormation check of that scanner, for the resource's own type, that would report the resource as it is: a suppression
/// that names a Terraform-only check, another type's check, or a finding the resource no longer has, is a recorded decision no
/// scanner reads.
/// </summary>
public class ScannerCheckTests
{
    /// <summary>A scanner's CloudFormation check: its ID, the resource type it inspects, and what makes it report a resource.</summary>
    public sealed record Check(string Scanner, string Id, string ResourceType, Func<JsonObject, bool> Reports);

    /// <summary>
    /// The checks our suppressions may name, each read in the scanner's source (Checkov at bridgecrewio/checkov 03d5fdad, 2026-08-20;
    /// cfn_nag at stelligent/cfn_nag 8b5f03da, 2022-06-07). The predicate is the check's own condition, for the shapes we emit.
    /// </summary>
    public static readonly IReadOnlyList<Check> Known =
    [
        // checkov/cloudformation/checks/resource/aws/S3AccessLogs.py: Properties/LoggingConfiguration must exist.
        new("checkov", "CKV_AWS_18", "AWS::S3::Bucket", r => Props(r)["LoggingConfiguration"] is null),
        // checkov/cloudformation/checks/resource/aws/S3Versioning.py: Properties/VersioningConfiguration/Status must be Enabled.
        new("checkov", "CKV_AWS_21", "AWS::S3::Bucket", r => (string?)Props(r)["VersioningConfiguration"]?["Status"] != "Enabled"),
        // checkov/cloudformation/checks/resource/aws/SNSTopicEncryption.py: Properties/KmsMasterKeyId must exist.
        new("checkov", "CKV_AWS_26", "AWS::SNS::Topic", r => Props(r)["KmsMasterKeyId"] is null),
        // checkov/cloudformation/checks/resource/aws/ECRRepositoryEncrypted.py: EncryptionConfiguration/EncryptionType must be KMS.
        new("checkov", "CKV_AWS_136", "AWS::ECR::Repository", r => (string?)Props(r)["EncryptionConfiguration"]?["EncryptionType"] != "KMS"),
        // checkov/cloudformation/checks/resource/aws/CloudWatchLogGroupKMSKey.py: Properties/KmsKeyId must exist.
        new("checkov", "CKV_AWS_158", "AWS::Logs::LogGroup", r => Props(r)["KmsKeyId"] is null),
        // checkov/cloudformation/checks/resource/aws/SecurityGroupUnrestrictedIngress80.py (AbsSecurityGroupUnrestrictedIngress.py):
        // an ingress rule from 0.0.0.0/0 or ::/0 whose port range holds 80.
        new("checkov", "CKV_AWS_260", "AWS::EC2::SecurityGroup", r => Rules(r, "SecurityGroupIngress").Any(i => OpenToWorld(i) && (int)i["FromPort"]! <= 80 && 80 <= (int)i["ToPort"]!)),
        // lib/cfn-nag/custom_rules/SecurityGroupIngressOpenToWorldRule.rb: an ingress rule from 0.0.0.0/0 or ::/0.
        new("cfn_nag", "W2", "AWS::EC2::SecurityGroup", r => Rules(r, "SecurityGroupIngress").Any(OpenToWorld)),
        // lib/cfn-nag/custom_rules/SecurityGroupEgressOpenToWorldRule.rb: an egress rule to 0.0.0.0/0 or ::/0.
        new("cfn_nag", "W5", "AWS::EC2::SecurityGroup", r => Rules(r, "SecurityGroupEgress").Any(OpenToWorld)),
        // lib/cfn-nag/custom_rules/SecurityGroupIngressCidrNon32Rule.rb: an ingress CIDR that is not a /32 (or /128).
        new("cfn_nag", "W9", "AWS::EC2::SecurityGroup", r => Rules(r, "SecurityGroupIngress").Any(i => i["CidrIp"] is JsonValue v && !((string)v!).EndsWith("/32", StringComparison.Ordinal))),
        // lib/cfn-nag/custom_rules/IamRoleWildcardResourceOnPermissionsPolicyRule.rb: an Allow on Resource "*" in a role's policies.
        new("cfn_nag", "W11", "AWS::IAM::Role", r => AllowStatements(r).Any(s => Resources(s).Contains("*"))),
        // lib/cfn-nag/custom_rules/CodeBuildEncryptionKeyRule.rb: a project without EncryptionKey.
        new("cfn_nag", "W32", "AWS::CodeBuild::Project", r => Props(r)["EncryptionKey"] is null),
        // lib/cfn-nag/custom_rules/S3BucketAccessLoggingRule.rb: a bucket without LoggingConfiguration.
        new("cfn_nag", "W35", "AWS::S3::Bucket", r => Props(r)["LoggingConfiguration"] is null),
        // lib/cfn-nag/custom_rules/SnsTopicKmsMasterKeyIdRule.rb: a topic without KmsMasterKeyId.
        new("cfn_nag", "W47", "AWS::SNS::Topic", r => Props(r)["KmsMasterKeyId"] is null),
        // lib/cfn-nag/custom_rules/LogsLogGroupEncryptedRule.rb: a log group without KmsKeyId.
        new("cfn_nag", "W84", "AWS::Logs::LogGroup", r => Props(r)["KmsKeyId"] is null),
    ];

    /// <summary>IDs that look like checks but are not CloudFormation checks of the scanner (where each was found).</summary>
    public static readonly IReadOnlyDictionary<string, string> NotCloudFormation = new Dictionary<string, string>
    {
        // checkov/terraform/checks/resource/aws/CodeBuildPrivilegedMode.py: Terraform only; no CloudFormation check for privileged mode.
        ["CKV_AWS_316"] = "Terraform",
        // checkov/terraform/checks/graph_checks/aws/S3KMSEncryptedByDefault.yaml: Terraform only.
        ["CKV_AWS_145"] = "Terraform",
        // checkov/terraform/checks/resource/aws/CodebuildUsesCMK.py: Terraform only.
        ["CKV_AWS_147"] = "Terraform",
    };

    static JsonObject Props(JsonObject resource) => resource["Properties"] as JsonObject ?? [];

    static IEnumerable<JsonObject> Rules(JsonObject resource, string key) => (Props(resource)[key] as JsonArray ?? []).OfType<JsonObject>();

    static bool OpenToWorld(JsonObject rule) => (string?)rule["CidrIp"] == "0.0.0.0/0" || (string?)rule["CidrIpv6"] == "::/0";

    static IEnumerable<JsonObject> AllowStatements(JsonObject role) =>
        (Props(role)["Policies"] as JsonArray ?? []).SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray())
            .SelectMany(s => s is JsonObject o && o["Fn::If"] is JsonArray choice ? [choice[1]!, choice[2]!] : new[] { s! })
            .OfType<JsonObject>().Where(s => (string?)s["Effect"] == "Allow");

    static IEnumerable<string> Resources(JsonObject statement) => statement["Resource"] switch
    {
        JsonValue v => [(string)v!],
        JsonArray list => list.OfType<JsonValue>().Select(v => (string)v!),
        _ => [],
    };

    /// <summary>The templates to scan: the guide's, and variants that bring in the conditional trade-offs.</summary>
    public static TheoryData<string> Stacks => [.. Templates().Keys];

    static Dictionary<string, JsonObject> Templates()
    {
        var withAlerts = Fixtures.Guide with { Alarms = Fixtures.Guide.Alarms with { Alerts = new EmailAlerts("ops@example.com") } };
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (name, app) in new[] { ("guide", Fixtures.Guide), ("alerts", withAlerts) })
        {
            var emitted = Emitter.Generate([app]);
            foreach (var t in emitted.Templates) result[$"{name}/{t.Model.Env.Name}"] = t.Json;
            foreach (var t in emitted.SharedTemplates) result[$"{name}/shared"] = t.Json;
        }
        return result;
    }

    static IEnumerable<(string Resource, JsonObject Json, string Scanner, string Id, string Reason)> Suppressions(JsonObject template)
    {
        foreach (var (id, node) in template["Resources"]!.AsObject())
        {
            var resource = node!.AsObject();
            if (resource["Metadata"] is not JsonObject metadata) continue;
            foreach (var skip in metadata["checkov"]?["skip"]?.AsArray() ?? [])
                yield return (id, resource, "checkov", (string)skip!["id"]!, (string)skip["comment"]!);
            foreach (var rule in metadata["cfn_nag"]?["rules_to_suppress"]?.AsArray() ?? [])
                yield return (id, resource, "cfn_nag", (string)rule!["id"]!, (string)rule["reason"]!);
        }
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Every_suppression_names_a_cloudformation_check_that_reports_the_resource_as_it_is(string stack)
    {
        var template = Templates()[stack];
        foreach (var (resource, json, scanner, id, reason) in Suppressions(template))
        {
            Assert.False(NotCloudFormation.TryGetValue(id, out var framework), $"{stack}: {resource} suppresses {id}, a {framework} check: it never runs on a CloudFormation template.");
            var check = Known.SingleOrDefault(c => c.Scanner == scanner && c.Id == id);
            Assert.True(check is not null, $"{stack}: {resource} suppresses {scanner} {id}, which is not in the table of verified checks: find it in the scanner's source and add it with its path.");
            var type = (string)json["Type"]!;
            Assert.True(check.ResourceType == type, $"{stack}: {resource} ({type}) suppresses {id}, a check of {check.ResourceType}.");
            Assert.True(check.Reports(json), $"{stack}: {resource} suppresses {id}, but {scanner} would not report it: the suppression is stale.");
            // The suppression carries the decision's own reason, as recorded under TradeOffs.
            Assert.Contains(reason, json["Metadata"]!["TradeOffs"]!.AsArray().Select(r => (string)r!));
        }
    }

    [Fact]
    public void The_checks_table_has_no_duplicates_and_every_predicate_can_tell_both_ways()
    {
        Assert.Equal(Known.Count, Known.Select(c => (c.Scanner, c.Id)).Distinct().Count());
        // Each predicate passes a resource that meets the check: the fix the trade-off declines.
        var compliant = new Dictionary<string, JsonObject>
        {
            ["CKV_AWS_18"] = Resource("AWS::S3::Bucket", """{"LoggingConfiguration": {"DestinationBucketName": "logs"}}"""),
            ["W35"] = Resource("AWS::S3::Bucket", """{"LoggingConfiguration": {"DestinationBucketName": "logs"}}"""),
            ["CKV_AWS_21"] = Resource("AWS::S3::Bucket", """{"VersioningConfiguration": {"Status": "Enabled"}}"""),
            ["CKV_AWS_26"] = Resource("AWS::SNS::Topic", """{"KmsMasterKeyId": "alias/k"}"""),
            ["W47"] = Resource("AWS::SNS::Topic", """{"KmsMasterKeyId": "alias/k"}"""),
            ["CKV_AWS_136"] = Resource("AWS::ECR::Repository", """{"EncryptionConfiguration": {"EncryptionType": "KMS"}}"""),
            ["CKV_AWS_158"] = Resource("AWS::Logs::LogGroup", """{"KmsKeyId": "arn:k"}"""),
            ["W84"] = Resource("AWS::Logs::LogGroup", """{"KmsKeyId": "arn:k"}"""),
            ["CKV_AWS_260"] = Resource("AWS::EC2::SecurityGroup", """{"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}]}"""),
            ["W2"] = Resource("AWS::EC2::SecurityGroup", """{"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.1/32"}]}"""),
            ["W5"] = Resource("AWS::EC2::SecurityGroup", """{"SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.0/16"}]}"""),
            ["W9"] = Resource("AWS::EC2::SecurityGroup", """{"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "10.0.0.1/32"}]}"""),
            ["W11"] = Resource("AWS::IAM::Role", """{"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}}]}"""),
            ["W32"] = Resource("AWS::CodeBuild::Project", """{"EncryptionKey": "arn:k"}"""),
        };
        Assert.Equal(Known.Select(c => c.Id).Order(), compliant.Keys.Order());
        foreach (var check in Known)
        {
            Assert.False(check.Reports(compliant[check.Id]), $"{check.Id} reports a compliant resource.");
            Assert.True(check.Reports(Resource(check.ResourceType, Violation(check.Id))), $"{check.Id} misses a violating resource.");
        }

        static JsonObject Resource(string type, string properties) => new() { ["Type"] = type, ["Properties"] = JsonNode.Parse(properties) };
        static string Violation(string id) => id switch
        {
            "CKV_AWS_260" or "W2" or "W9" => """{"SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}]}""",
            "W5" => """{"SecurityGroupEgress": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}]}""",
            "W11" => """{"Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"}]}}]}""",
            "CKV_AWS_136" => """{"EncryptionConfiguration": {"EncryptionType": "AES256"}}""",
            _ => "{}",
        };
    }

    /// <summary>The decisions the guide's stacks record, resource by resource, with the checks each answers (IDs verified above).</summary>
    public static TheoryData<string, string, string, string[]> Recorded => new()
    {
        { "prod", LogicalIds.BuildProject, "privileged mode", [] },
        { "prod", LogicalIds.BuildProject, "No EncryptionKey", ["cfn_nag:W32"] },
        { "prod", LogicalIds.ArtifactBucket, "AWS managed keys", [] },
        { "prod", LogicalIds.ArtifactBucket, "No server access logs", ["checkov:CKV_AWS_18", "cfn_nag:W35"] },
        { "prod", LogicalIds.LogGroup, "No customer managed KMS key", ["checkov:CKV_AWS_158", "cfn_nag:W84"] },
        { "prod", LogicalIds.BuildLogGroup, "No customer managed KMS key", ["checkov:CKV_AWS_158", "cfn_nag:W84"] },
        { "prod", LogicalIds.ExecutionRole, "ecr:GetAuthorizationToken only", ["cfn_nag:W11"] },
        { "prod", LogicalIds.BuildRole, "ecr:GetAuthorizationToken only", ["cfn_nag:W11"] },
        { "prod", LogicalIds.PipelineRole, "for three ECS actions", ["cfn_nag:W11"] },
        { "prod", LogicalIds.LoadBalancerSecurityGroup, "301 redirect", ["checkov:CKV_AWS_260", "cfn_nag:W2"] },
        { "shared", LogicalIds.Repository, "AES256", ["checkov:CKV_AWS_136"] },
        { "prod", LogicalIds.AccessLogBucket, "support only SSE-S3", [] },
        { "prod", LogicalIds.AccessLogBucket, "No server access logs and no versioning", ["checkov:CKV_AWS_18", "checkov:CKV_AWS_21", "cfn_nag:W35"] },
        { "prod", LogicalIds.FlowLogGroup, "No customer managed KMS key", ["checkov:CKV_AWS_158", "cfn_nag:W84"] },
        { "prod", LogicalIds.FlowLogRole, "logs:DescribeLogGroups only", ["cfn_nag:W11"] },
    };

    [Theory]
    [MemberData(nameof(Recorded))]
    public void Each_decision_is_recorded_with_its_reason_and_the_checks_it_answers(string stack, string resource, string reason, string[] checks)
    {
        var json = Templates()[$"guide/{stack}"]["Resources"]![resource]!.AsObject();
        var decision = Assert.Single(json["Metadata"]!["TradeOffs"]!.AsArray().Select(r => (string)r!), r => r.Contains(reason, StringComparison.OrdinalIgnoreCase));
        var answered = Suppressions(new JsonObject { ["Resources"] = new JsonObject { [resource] = json.DeepClone() } })
            .Where(s => s.Reason == decision).Select(s => $"{s.Scanner}:{s.Id}");
        Assert.Equal(checks, answered);
    }
}
