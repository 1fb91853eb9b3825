using Templates.Rules;

namespace Templates.Generation.Validation;

/// <summary>A validator finding ID: its ID, a short title, and its severity.</summary>
public sealed record FindingId(string Id, string Title, Severity Severity = Severity.Error);

/// <summary>
/// The IDs of the validator's findings (documented in <c>docs/validation.md</c>). They never collide with the
/// <c>TPLnnnn</c> rule IDs of the definitions:
/// <list type="bullet">
/// <item><c>E</c>/<c>W</c> + four digits: template, function and schema checks, grouped as cfn-lint groups its rules
/// (1xxx template and intrinsic functions, 2xxx parameters, 3xxx resources, 6xxx outputs, 7xxx mappings, 8xxx conditions).
/// The numbers follow cfn-lint's where an equivalent rule exists, but they are ours.</item>
/// <item><c>V00nn</c>: the template-level form of rule <c>TPL00nn</c>: the same pure function of <c>src/Dsl/Rules/Checks.cs</c>,
/// run on literal values of any template.</item>
/// <item><c>V1nnn</c>: template checks with no DSL rule, mostly what cfn-lint misses (rules catalog, section 2.4).</item>
/// </list>
/// </summary>
public static class FindingIds
{
    public static readonly FindingId E0000 = new("E0000", "The file is not a readable JSON template, or repeats a key in one object");
    public static readonly FindingId W0001 = new("W0001", "A group of checks stopped on an internal error; the others ran", Severity.Warning);
    public static readonly FindingId E1001 = new("E1001", "Template structure: unknown or malformed section, no resources");
    public static readonly FindingId E1002 = new("E1002", "Template larger than 1 MB");
    public static readonly FindingId E1003 = new("E1003", "Description not a string or longer than 1,024 bytes");
    public static readonly FindingId E1005 = new("E1005", "Invalid AWSTemplateFormatVersion");
    public static readonly FindingId E1010 = new("E1010", "Fn::GetAtt malformed, or naming an unknown resource or attribute");
    public static readonly FindingId E1011 = new("E1011", "Fn::FindInMap malformed or naming an unknown mapping or key");
    public static readonly FindingId E1012 = new("E1012", "Ref malformed or naming nothing of this template");
    public static readonly FindingId E1015 = new("E1015", "Fn::GetAZs malformed");
    public static readonly FindingId E1016 = new("E1016", "Fn::ImportValue malformed");
    public static readonly FindingId E1017 = new("E1017", "Fn::Select malformed");
    public static readonly FindingId E1018 = new("E1018", "Fn::Split malformed");
    public static readonly FindingId E1019 = new("E1019", "Fn::Sub malformed, or a variable that does not resolve");
    public static readonly FindingId E1021 = new("E1021", "Fn::Base64 malformed");
    public static readonly FindingId E1022 = new("E1022", "Fn::Join malformed");
    public static readonly FindingId E1024 = new("E1024", "Fn::Cidr malformed");
    public static readonly FindingId E1028 = new("E1028", "Fn::If malformed");
    public static readonly FindingId E1030 = new("E1030", "Unknown intrinsic function");
    public static readonly FindingId W1032 = new("W1032", "Fn::ForEach over a collection known only at deploy time: template not checked", Severity.Warning);
    public static readonly FindingId E1150 = new("E1150", "Not a security group ID where one goes");
    public static readonly FindingId E1151 = new("E1151", "Not a VPC ID where one goes");
    public static readonly FindingId E1152 = new("E1152", "Not an AMI ID where one goes");
    public static readonly FindingId E1154 = new("E1154", "Not a subnet ID where one goes");
    public static readonly FindingId E1155 = new("E1155", "Not a valid log group name where one goes");
    public static readonly FindingId E1156 = new("E1156", "Not an IAM role ARN where one goes");
    public static readonly FindingId E1158 = new("E1158", "Not an SNS topic ARN where one goes");
    public static readonly FindingId E1159 = new("E1159", "Not an ACM certificate ARN where one goes");
    public static readonly FindingId E1160 = new("E1160", "Not a Lambda function ARN where one goes");
    public static readonly FindingId E2001 = new("E2001", "Parameter malformed");
    public static readonly FindingId E2002 = new("E2002", "Invalid parameter type");
    public static readonly FindingId E2010 = new("E2010", "More than 200 parameters");
    public static readonly FindingId E2531 = new("E2531", "Lambda runtime whose functions can no longer be created");
    public static readonly FindingId E2533 = new("E2533", "Lambda runtime whose functions can no longer be created or updated");
    public static readonly FindingId W2531 = new("W2531", "Deprecated Lambda runtime", Severity.Warning);
    public static readonly FindingId E3001 = new("E3001", "Resource malformed: not an object, no Type, unknown attribute");
    public static readonly FindingId E3002 = new("E3002", "Unknown property");
    public static readonly FindingId E3003 = new("E3003", "Missing required property");
    public static readonly FindingId E3004 = new("E3004", "Circular dependency between resources");
    public static readonly FindingId E3005 = new("E3005", "DependsOn names no resource of the template");
    public static readonly FindingId E3006 = new("E3006", "Invalid logical ID");
    public static readonly FindingId E3007 = new("E3007", "A name used by both a parameter and a resource");
    public static readonly FindingId E3008 = new("E3008", "Unknown resource type");
    public static readonly FindingId E3010 = new("E3010", "More than 500 resources");
    public static readonly FindingId W3011 = new("W3011", "Stateful resource without DeletionPolicy or UpdateReplacePolicy", Severity.Warning);
    public static readonly FindingId E3012 = new("E3012", "Value of the wrong type, written or returned by an intrinsic function (a list where one value goes, or one value where a list goes)");
    public static readonly FindingId E3014 = new("E3014", "Value matches none (or more than one) of the allowed shapes, or not exactly one of a set of properties");
    public static readonly FindingId E3058 = new("E3058", "None of a set of properties of which one is required");
    public static readonly FindingId E3020 = new("E3020", "Properties that exclude each other given together");
    public static readonly FindingId E3021 = new("E3021", "A property given without the properties it needs");
    public static readonly FindingId E3030 = new("E3030", "Value not among the allowed values");
    public static readonly FindingId E3031 = new("E3031", "Value does not match the required pattern");
    public static readonly FindingId E3032 = new("E3032", "Too few or too many items or properties");
    public static readonly FindingId E3033 = new("E3033", "String too short or too long");
    public static readonly FindingId E3034 = new("E3034", "Number out of range");
    public static readonly FindingId E3035 = new("E3035", "Invalid DeletionPolicy or UpdateReplacePolicy");
    public static readonly FindingId E3037 = new("E3037", "Duplicate items in a list that must be unique");
    public static readonly FindingId E3510 = new("E3510", "IAM policy document malformed: Version, Statement, Effect, Action/NotAction, Resource/NotResource, Principal, action or ARN form");
    public static readonly FindingId W3037 = new("W3037", "IAM action that does not exist (a wildcard matching no action)", Severity.Warning);
    public static readonly FindingId E6001 = new("E6001", "Output malformed");
    public static readonly FindingId E6010 = new("E6010", "More than 200 outputs");
    public static readonly FindingId E7001 = new("E7001", "Mapping malformed");
    public static readonly FindingId E7010 = new("E7010", "More than 200 mappings");
    public static readonly FindingId E8001 = new("E8001", "Condition malformed");
    public static readonly FindingId E8002 = new("E8002", "Condition name that does not resolve");
    public static readonly FindingId W3000 = new("W3000", "Resource type without a schema in the loaded set: properties not checked", Severity.Warning);

    public static readonly FindingId V0003 = new("V0003", "Invalid Fargate CPU/memory pair (TPL0003)");
    public static readonly FindingId V0004 = new("V0004", "Fargate ephemeral storage outside 21–200 GiB (TPL0004)");
    public static readonly FindingId V0005 = new("V0005", "Scalable target MinCapacity above MaxCapacity (TPL0005)");
    public static readonly FindingId V0007 = new("V0007", "CPU/memory target value outside 0–100, or a negative cooldown (TPL0007)");
    public static readonly FindingId V0009 = new("V0009", "Health-check path the load balancer rejects (TPL0009)");
    public static readonly FindingId V0010 = new("V0010", "Health-check interval not above its timeout (TPL0010)");
    public static readonly FindingId V0011 = new("V0011", "Health-check success codes outside 200–499 (TPL0011)");
    public static readonly FindingId V0016 = new("V0016", "HTTPS listener without an allow-listed TLS policy (TPL0016)", Severity.Warning);
    public static readonly FindingId V1001 = new("V1001", "Template over the 51,200 bytes 'aws cloudformation deploy' sends inline", Severity.Warning);
    public static readonly FindingId V1002 = new("V1002", "Invalid load balancer name");
    public static readonly FindingId V1003 = new("V1003", "Invalid target group name");
    public static readonly FindingId V1004 = new("V1004", "Target group of a Fargate/awsvpc service without TargetType ip");
    public static readonly FindingId V1023 = new("V1023", "Security group with more inbound or outbound rules than the default quota of 60", Severity.Warning);
    public static readonly FindingId V1005 = new("V1005", "Privileged container on Fargate");
    public static readonly FindingId V1006 = new("V1006", "No essential container in a task definition");
    public static readonly FindingId V1007 = new("V1007", "awslogs-group names no log group of the template", Severity.Warning);
    public static readonly FindingId V1008 = new("V1008", "All subnets in one Availability Zone");
    public static readonly FindingId V1009 = new("V1009", "SES identity that is neither an email address nor a domain");
    public static readonly FindingId V1010 = new("V1010", "IAM action whose service acts on none of the statement's resources", Severity.Warning);
    public static readonly FindingId V1011 = new("V1011", "AWS managed policy ARN with the wrong path");
    public static readonly FindingId V1012 = new("V1012", "AWS managed policy ARN not in the list of AWS managed policies", Severity.Warning);
    public static readonly FindingId V1013 = new("V1013", "Resource that needs the internet gateway attached (public route, EIP, public NAT gateway, internet-facing load balancer) without depending on the attachment", Severity.Warning);
    public static readonly FindingId V1014 = new("V1014", "ECS service behind a load balancer without depending on the listener or rule that attaches its target group", Severity.Warning);
    public static readonly FindingId V1020 = new("V1020", "Resource type of an AWS service past its end of support (dated)");
    public static readonly FindingId V1021 = new("V1021", "Resource type of an AWS service closed to new customers or with its end of support announced (dated)", Severity.Warning);
    public static readonly FindingId V1022 = new("V1022", "Security group rule CIDR with bits set past its prefix: EC2 applies it to the whole prefix", Severity.Warning);

    /// <summary>Every ID, in order.</summary>
    public static readonly IReadOnlyList<FindingId> All = typeof(FindingIds).GetFields()
        .Where(f => f.FieldType == typeof(FindingId)).Select(f => (FindingId)f.GetValue(null)!).OrderBy(f => f.Id, StringComparer.Ordinal).ToList();

    /// <summary>A problem with this ID's severity.</summary>
    internal static CloudFormation.TemplateProblem At(this FindingId id, string pointer, string message) => new(pointer, message, id.Id, id.Severity);
}
