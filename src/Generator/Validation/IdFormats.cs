using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Templates.Generation.Validation;

/// <summary>
/// The form of an ID, ARN or name a property takes: the <c>format</c> keyword cfn-lint's patched resource schemas put on
/// properties such as <c>AWS::EC2::Instance.SubnetId</c> (<c>"format": "AWS::EC2::Subnet.Id"</c>), kept by
/// <c>tools/SchemaTool</c> for the formats listed here and dropped for the others.
/// </summary>
/// <remarks>
/// A literal that is not of the form is an error CloudFormation reports only when the resource is created, after the
/// resources before it (for EC2: "The subnet ID 'subnet-1234' does not exist", or "Invalid id"). The patterns are those of
/// the services' own ID and ARN syntax (EC2 resource IDs: 8 or, since 2018, 17 hexadecimal characters after the prefix,
/// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html; ARNs: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html),
/// and the finding IDs cfn-lint 1.51 gives the same checks (E1150–E1160).
/// Intrinsic functions and dynamic references are not judged, and neither is <c>resolve:ssm:…</c>, which EC2 itself
/// resolves where an AMI ID goes in a launch template (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-systems-manager-parameter-to-find-AMI.html).
/// </remarks>
public static class IdFormats
{
    /// <summary>One form: the schemas' format name, its finding, what it is in words, and the pattern.</summary>
    public sealed record Format(string Name, FindingId Finding, string Description, Regex Pattern);

    const string ArnPrefix = "^arn:aws[a-zA-Z-]*:";

    /// <summary>Every format the validator checks, by the name the schemas give it.</summary>
    public static readonly IReadOnlyDictionary<string, Format> All = new Format[]
    {
        new("AWS::EC2::SecurityGroup.Id", FindingIds.E1150, "a security group ID (sg- and 8 or 17 hexadecimal digits)", new("^sg-([a-fA-F0-9]{8}|[a-fA-F0-9]{17})$")),
        new("AWS::EC2::VPC.Id", FindingIds.E1151, "a VPC ID (vpc- and 8 or 17 hexadecimal digits)", new("^vpc-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$")),
        new("AWS::EC2::Image.Id", FindingIds.E1152, "an AMI ID (ami- and 8 or 17 lower-case letters or digits)", new("^ami-([0-9a-z]{8}|[0-9a-z]{17})$")),
        new("AWS::EC2::Subnet.Id", FindingIds.E1154, "a subnet ID (subnet- and 8 or 17 hexadecimal digits)", new("^subnet-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$")),
        new("AWS::Logs::LogGroup.Name", FindingIds.E1155, "a log group name (1 to 512 letters, digits and . - _ / #)", new(@"^[.\-_/#A-Za-z0-9]{1,512}$")),
        new("AWS::IAM::Role.Arn", FindingIds.E1156, "an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", new(ArnPrefix + @"iam::\d{12}:role/.+$")),
        new("AWS::SNS::Topic.Arn", FindingIds.E1158, "an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)", new(ArnPrefix + @"sns:[a-z0-9-]+:\d{12}:.+$")),
        new("AWS::ACM::Certificate.Arn", FindingIds.E1159, "an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)", new(ArnPrefix + @"acm:[a-z0-9-]+:\d{12}:certificate/.+$")),
        new("AWS::Lambda::Function.Arn", FindingIds.E1160, "a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)", new(ArnPrefix + @"lambda:[a-z0-9-]+:\d{12}:function:.+$")),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <summary>The finding of a failed <c>format</c> keyword, from the keyword name the handler reported (<c>format:E1151</c>).</summary>
    internal static FindingId? FindingOf(string keyword) =>
        keyword.StartsWith(KeywordPrefix, StringComparison.Ordinal) ? FindingIds.All.FirstOrDefault(f => f.Id == keyword[KeywordPrefix.Length..]) : null;

    const string KeywordPrefix = "format:";

    /// <summary>The <c>format</c> keyword: unknown formats (<c>json</c>, <c>date-time</c>, …) are annotations, as JSON Schema has them by default.</summary>
    internal sealed class Keyword : IKeywordHandler
    {
        public static readonly Keyword Instance = new();
        public string Name => "format";

        public object? ValidateKeywordValue(JsonElement value) =>
            value.ValueKind == JsonValueKind.String && All.TryGetValue(value.GetString()!, out var format) ? format : null;

        public void BuildSubschemas(KeywordData keyword, BuildContext context) { }

        public KeywordEvaluation Evaluate(KeywordData keyword, EvaluationContext context)
        {
            var value = context.Instance;
            if (keyword.Value is not Format format || value.ValueKind != JsonValueKind.String || CfnDialect.IsDynamicReference(value)) return CfnDialect.Valid(Name);
            var text = value.GetString()!;
            if (format.Pattern.IsMatch(text) || (format.Finding == FindingIds.E1152 && text.StartsWith("resolve:ssm:", StringComparison.Ordinal)))
                return CfnDialect.Valid(Name);
            // The finding rides on the keyword name, so the report can give each form its own ID.
            return new KeywordEvaluation { Keyword = KeywordPrefix + format.Finding.Id, IsValid = false, Error = $"{CfnDialect.Show(value)} is not {format.Description}." };
        }
    }
}
