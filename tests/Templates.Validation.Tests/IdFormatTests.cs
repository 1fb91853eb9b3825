using System.IO.Compression;
using System.Text.Json.Nodes;
using Templates.Generation.Validation;

namespace Templates.Validation.Tests;

/// <summary>IDs and ARNs where a property takes one (<see cref="IdFormats"/>), against the forms AWS documents.</summary>
public class IdFormatTests
{
    static IReadOnlyList<Templates.Generation.CloudFormation.TemplateProblem> Validate(string type, string properties) =>
        TemplateValidator.Validate(JsonNode.Parse("""{"Resources": {"R": {"Type": """ + $"\"{type}\", \"Properties\": {properties}" + "}}}")!.AsObject(), 100);

    /// <summary>EC2 IDs: the prefix and 8 hexadecimal characters, or 17 since the longer IDs of 2018 (EC2 User Guide, "Resource IDs").</summary>
    [Theory]
    [InlineData("subnet-0123abcd", true)]
    [InlineData("subnet-0123456789abcdef0", true)]
    [InlineData("subnet-0123abc", false)]                 // 7 digits
    [InlineData("subnet-0123456789abcdef", false)]        // 16 digits
    [InlineData("subnet-0123abcg", false)]                // not hexadecimal
    [InlineData("sn-0123abcd", false)]
    [InlineData("public-subnet-a", false)]                // a name, not an ID
    public void A_subnet_id_has_8_or_17_hexadecimal_digits(string id, bool valid)
    {
        var problems = Validate("AWS::EC2::Instance", $$"""{"SubnetId": "{{id}}"}""");
        if (valid) Assert.Empty(problems);
        else Assert.Equal(("E1154", "/Resources/R/Properties/SubnetId"), (Assert.Single(problems).Id, Assert.Single(problems).Pointer));
    }

    [Theory]
    [InlineData("""{"NetworkInterfaces": [{"DeviceIndex": "0", "SubnetId": "subnet-abc"}]}""", "E1154", "/Resources/R/Properties/NetworkInterfaces/0/SubnetId")]
    [InlineData("""{"ImageId": "ami-12345678x"}""", "E1152", "/Resources/R/Properties/ImageId")]
    public void Nested_and_listed_ids_are_checked_where_they_are(string properties, string id, string pointer)
    {
        var problem = Assert.Single(Validate("AWS::EC2::Instance", properties));
        Assert.Equal((id, pointer), (problem.Id, problem.Pointer));
    }

    [Fact]
    public void Each_id_of_a_list_is_checked()
    {
        var problem = Assert.Single(Validate("AWS::EC2::LaunchTemplate", """{"LaunchTemplateData": {"SecurityGroupIds": ["sg-0123abcd", "sg-1234"]}}"""));
        Assert.Equal(("E1150", "/Resources/R/Properties/LaunchTemplateData/SecurityGroupIds/1"), (problem.Id, problem.Pointer));
    }

    [Theory]
    [InlineData("""{"Ref": "Subnet"}""")]
    [InlineData("""{"Fn::ImportValue": "network-SubnetA"}""")]
    [InlineData("\"{{resolve:ssm:/network/subnet-a}}\"")]
    public void Functions_and_dynamic_references_are_not_judged(string value) =>
        Assert.Empty(TemplateValidator.Validate(JsonNode.Parse("""
            {"Parameters": {"Subnet": {"Type": "AWS::EC2::Subnet::Id"}},
             "Resources": {"R": {"Type": "AWS::EC2::Instance", "Properties": {"SubnetId":
            """ + value + "}}}}")!.AsObject(), 100));

    /// <summary>ARNs in every partition (aws, aws-cn, aws-us-gov) are role ARNs; a role's name is not.</summary>
    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/states", true)]
    [InlineData("arn:aws-us-gov:iam::123456789012:role/service-role/states", true)]
    [InlineData("arn:aws-cn:iam::123456789012:role/states", true)]
    [InlineData("states", false)]
    [InlineData("arn:aws:iam::123456789012:user/states", false)]
    [InlineData("arn:aws:iam::1234:role/states", false)]
    public void A_role_arn_is_an_iam_role_arn_in_any_partition(string arn, bool valid)
    {
        var problems = Validate("AWS::StepFunctions::StateMachine", $$"""{"RoleArn": "{{arn}}", "DefinitionString": "{}"}""");
        if (valid) Assert.Empty(problems);
        else Assert.Equal("E1156", Assert.Single(problems).Id);
    }

    /// <summary>The two places cfn-lint's schemas claim a form the service does not hold to (SchemaTool's WrongFormats).</summary>
    [Fact]
    public void A_task_role_short_name_and_launch_template_group_names_are_accepted()
    {
        Assert.Empty(Validate("AWS::ECS::TaskDefinition", """{"TaskRoleArn": "app-task-role"}"""));
        Assert.Empty(Validate("AWS::EC2::LaunchTemplate", """{"LaunchTemplateData": {"SecurityGroups": ["default", "web"]}}"""));
        // The execution role has no such allowance: ECS documents an ARN.
        Assert.Equal("E1156", Assert.Single(Validate("AWS::ECS::TaskDefinition", """{"ExecutionRoleArn": "ecsTaskExecutionRole"}""")).Id);
    }

    /// <summary>SchemaTool keeps exactly the forms the validator checks: none is kept that nothing reads, none checked that no schema names.</summary>
    [Fact]
    public void The_embedded_schemas_name_exactly_the_checked_forms()
    {
        var assembly = typeof(SchemaSet).Assembly;
        using var stream = assembly.GetManifestResourceStream("schemas/schemas.zip")!;
        using var zip = new ZipArchive(stream);
        var formats = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            Collect(JsonNode.Parse(reader.ReadToEnd()), formats);
        }
        Assert.Equal(IdFormats.All.Keys.Order(StringComparer.Ordinal), formats);
    }

    static void Collect(JsonNode? node, ISet<string> formats)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "format" && value is JsonValue v && v.TryGetValue<string>(out var name)) formats.Add(name);
                    else Collect(value, formats);
                }
                break;
            case JsonArray a:
                foreach (var item in a) Collect(item, formats);
                break;
        }
    }

    [Theory]
    [InlineData("192.168.1.0/0", "0.0.0.0/0")]
    [InlineData("10.0.0.28/29", "10.0.0.24/29")]
    [InlineData("10.0.0.24/29", "10.0.0.24/29")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("2001:db8::1/32", "2001:db8::/32")]
    [InlineData("10.0.0.0/33", null)]
    [InlineData("10.0.0.0", null)]
    [InlineData("ten/8", null)]
    public void The_network_of_a_cidr_clears_the_bits_past_its_prefix(string cidr, string? network) =>
        Assert.Equal(network, ServiceChecks.NetworkOf(cidr));

    /// <summary>Bits, not text: an address written in upper case or with zeros is no different.</summary>
    [Theory]
    [InlineData("2001:DB8::/32", false)]
    [InlineData("2001:0db8:0000::/48", false)]
    [InlineData("2001:db8::1/32", true)]
    [InlineData("10.0.0.24/29", false)]
    [InlineData("10.0.0.28/29", true)]
    public void Host_bits_are_compared_as_bits(string cidr, bool set) => Assert.Equal(set, ServiceChecks.HasHostBits(cidr));

    [Fact]
    public void A_standalone_ingress_rule_with_host_bits_is_a_warning_at_its_cidr()
    {
        var problem = Assert.Single(Validate("AWS::EC2::SecurityGroupIngress", """{"GroupId": "sg-0123abcd", "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "10.1.2.3/16"}"""));
        Assert.Equal(("V1022", "/Resources/R/Properties/CidrIp", false), (problem.Id, problem.Pointer, problem.IsError));
        Assert.Contains("10.1.0.0/16", problem.Message);
    }
}
