using System.IO.Compression;
using System.Text.Json.Nodes;
using Definitions;
using Templates.Generation;
using Templates.Generation.CloudFormation;
using Templates.Generation.Validation;

namespace Templates.Validation.Tests;

/// <summary>The validator on hand-made templates: what CloudFormation accepts is accepted, and findings point where they should.</summary>
public class ValidatorTests
{
    static IReadOnlyList<TemplateProblem> Validate(string resources, string extra = "", SchemaSet? schemas = null) =>
        TemplateValidator.Validate(JsonNode.Parse($$"""{"Resources": {{resources}} {{extra}}}""")!.AsObject(), 100, schemas);

    [Fact]
    public void Every_template_the_definitions_emit_passes()
    {
        var result = Emitter.Generate([FlaskApp.Definition]);
        Assert.False(result.HasErrors);
        Assert.NotEmpty(result.Templates);
        foreach (var template in result.Templates)
            Assert.True(template.Problems.Count == 0, $"{template.FileName}:\n{string.Join("\n", template.Problems)}");
    }

    [Fact]
    public void Repeated_keys_are_reported_at_every_occurrence_with_pointers_through_arrays()
    {
        // Three Key members in the second tag, one repeated in an object inside a nested array, and the same key in two
        // different objects (not a duplicate).
        var text = "{\"Resources\": {\n"
            + "  \"R\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"Tags\": [\n"
            + "    {\"Key\": \"a\", \"Value\": \"1\"},\n"
            + "    {\"Key\": \"b\", \"Key\": \"c\",\n"
            + "     \"Key\": \"d\", \"Value\": [[1, {\"x~/y\": 1, \"x~/y\": 2}]]}\n"
            + "  ]}},\n"
            + "  \"S\": {\"Type\": \"AWS::S3::Bucket\"}\n"
            + "}}";

        var problems = TemplateValidator.DuplicateKeys(System.Text.Encoding.UTF8.GetBytes(text));

        Assert.Equal(
            [
                ("/Resources/R/Properties/Tags/1/Key", 4, 6, "Duplicate found 'Key' (line 4)"),
                ("/Resources/R/Properties/Tags/1/Key", 4, 18, "Duplicate found 'Key' (line 4)"),
                ("/Resources/R/Properties/Tags/1/Key", 5, 6, "Duplicate found 'Key' (line 5)"),
                ("/Resources/R/Properties/Tags/1/Value/0/1/x~0~1y", 5, 33, "Duplicate found 'x~/y' (line 5)"),
                ("/Resources/R/Properties/Tags/1/Value/0/1/x~0~1y", 5, 44, "Duplicate found 'x~/y' (line 5)"),
            ],
            problems.Select(p => (p.Pointer, p.At!.Value.Line, p.At.Value.Column, p.Message)));
        Assert.All(problems, p => Assert.Equal("E0000", p.Id));
        // The reader that locates findings (and reads YAML) finds the same occurrences at the same places.
        Assert.Equal(problems.Select(p => (p.Pointer, p.At!.Value)),
            TemplateReader.Read(System.Text.Encoding.UTF8.GetBytes(text)).Duplicates.Select(d => (d.Pointer, d.Position)));
        Assert.Empty(TemplateValidator.DuplicateKeys("{\"A\": {\"k\": 1}, \"B\": {\"k\": 1}, \"C\": [{\"k\": 1}, {\"k\": 2}]}"u8));
    }

    [Fact]
    public void Intrinsic_functions_stand_for_any_value()
    {
        var problems = Validate("""
            {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": {"Ref": "Cidr"}, "EnableDnsHostnames": {"Fn::If": ["C", true, false]},
               "Tags": {"Fn::If": ["C", [{"Key": "a", "Value": "b"}], {"Ref": "AWS::NoValue"}]}}},
             "Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": {"Fn::Sub": "${AWS::StackName}"}, "VpcId": {"Ref": "Vpc"},
               "SecurityGroupIngress": [{"Fn::If": ["C", {"IpProtocol": "tcp", "FromPort": "443", "ToPort": 443, "CidrIp": "0.0.0.0/0"}, {"Ref": "AWS::NoValue"}]}]}}}
            """, """, "Parameters": {"Cidr": {"Type": "String"}}, "Conditions": {"C": {"Fn::Equals": [{"Ref": "Cidr"}, "10.0.0.0/16"]}}""");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Both_branches_of_Fn_If_are_checked_and_the_pointer_goes_through_it()
    {
        var problems = Validate("""
            {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16", "InstanceTenancy": {"Fn::If": ["C", "default", "shared"]}}}}
            """, """, "Conditions": {"C": {"Fn::Equals": ["a", "b"]}}""");
        var problem = Assert.Single(problems);
        Assert.Equal(("E3030", "/Resources/Vpc/Properties/InstanceTenancy/Fn::If/2"), (problem.Id, problem.Pointer));
    }

    [Fact]
    public void Functions_are_checked_for_shape_and_targets()
    {
        var problems = Validate("""
            {"Bucket": {"Type": "AWS::S3::Bucket", "Condition": "Nope", "Properties": {"BucketName": {"Fn::Join": ["-"]},
               "Tags": [{"Key": {"Fn::Select": ["x", ["a"]]}, "Value": {"Fn::FindInMap": ["NoMap", "a", "b"]}}, {"Key": "k", "Value": {"Fn::If": ["Missing", "a", "b"]}}]}}}
            """);
        Assert.Equal(["E8002", "E1022", "E1017", "E1011", "E8002"], problems.Select(p => p.Id));
    }

    [Fact]
    public void Every_type_is_property_checked_by_the_embedded_set_and_a_schemas_dir_or_zip_replaces_it()
    {
        // AWS::SNS::Topic was one of the types the compact set left unchecked (W3000); every type now ships a schema.
        const string template = """{"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicNam": "x"}}}""";
        var embedded = Assert.Single(Validate(template));
        Assert.Equal(("E3002", "/Resources/Topic/Properties/TopicNam"), (embedded.Id, embedded.Pointer));

        var dir = Directory.CreateTempSubdirectory("schemas-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "aws-sns-topic.json"), """
                {"typeName": "AWS::SNS::Topic", "description": "kept out by the compact tool, ignored here", "tagging": {"taggable": true},
                 "properties": {"TopicNam": {"type": "string"}, "TopicArn": {"type": "string"}}, "additionalProperties": false,
                 "readOnlyProperties": ["/properties/TopicArn"], "primaryIdentifier": ["/properties/TopicArn"]}
                """);
            // The folder's schema (which allows TopicNam) is the one used, not the embedded one.
            Assert.Empty(Validate(template, schemas: SchemaSet.Open(dir)));

            var zip = Path.Combine(dir, "CloudFormationSchema.zip");
            using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
                archive.CreateEntryFromFile(Path.Combine(dir, "aws-sns-topic.json"), "aws-sns-topic.json");
            var fromZip = Validate(template.Replace("TopicNam", "TopicNme", StringComparison.Ordinal), """, "Outputs": {"A": {"Value": {"Fn::GetAtt": ["Topic", "TopicArn"]}}}""", SchemaSet.Open(zip));
            Assert.Equal(["E3002"], fromZip.Select(p => p.Id));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_type_missing_from_a_given_schema_set_is_known_but_not_property_checked()
    {
        var dir = Directory.CreateTempSubdirectory("schemas-").FullName;
        try
        {
            var warning = Assert.Single(Validate("""{"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicNam": "x"}}}""", schemas: SchemaSet.Open(dir)));
            Assert.Equal(("W3000", false), (warning.Id, warning.IsError));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void A_pattern_property_key_with_a_slash_is_evaluated_not_a_crash()
    {
        // AWS::SSM::Parameter's Tags: patternProperties ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$ (and 64 keys in 58 types) made
        // JsonSchema.Net throw KeyNotFoundException: the '/' of the key comes back JSON-pointer escaped as '~1'.
        Assert.Empty(Validate("""{"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "x", "Tags": {"team/a": "b"}}}}"""));
        var bad = Assert.Single(Validate("""{"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String", "Value": "x", "Tags": {"team/a": "b", "bad key!": "c"}}}}"""));
        Assert.Equal(("E3002", "/Resources/P/Properties/Tags/bad key!"), (bad.Id, bad.Pointer));
    }

    [Theory]
    [InlineData("a/b", "a\\x2Fb")]
    [InlineData("^[a\\/~]+$", "^[a\\x2F\\x7E]+$")]
    [InlineData("\\\\/", "\\\\\\x2F")]
    [InlineData("^plain$", "^plain$")]
    public void Pattern_keys_are_rewritten_to_the_same_expression_without_slash_or_tilde(string pattern, string expected)
    {
        var safe = SchemaSet.SafePattern(pattern);
        Assert.Equal(expected, safe);
        foreach (var sample in new[] { "a/b", "a~", "\\/", "plain", "ab" })
            Assert.Equal(System.Text.RegularExpressions.Regex.IsMatch(sample, pattern), System.Text.RegularExpressions.Regex.IsMatch(sample, safe));
    }

    [Fact]
    public void Modules_and_custom_resources_are_valid_types()
    {
        Assert.Empty(Validate("""{"M": {"Type": "MyOrg::Network::Vpc::MODULE", "Properties": {"Cidr": "10.0.0.0/16"}}, "C": {"Type": "Custom::Thing", "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:f"}}}"""));
        Assert.Equal("E3008", Assert.Single(Validate("""{"M": {"Type": "MyOrg::Network::Vpc::MODUL"}}""")).Id);
    }

    [Fact]
    public void Nested_getatt_attributes_are_written_dotted()
    {
        Assert.Contains("MetadataTableConfiguration.S3TablesDestination.TableArn", SchemaSet.Embedded.Get("AWS::S3::Bucket")!.Attributes);
        Assert.Contains("DNSName", SchemaSet.Embedded.Get("AWS::ElasticLoadBalancingV2::LoadBalancer")!.Attributes);
        Assert.True(SchemaSet.Embedded.IsKnownType("AWS::Lambda::Function"));
        Assert.False(SchemaSet.Embedded.IsKnownType("AWS::Lambda::Functions"));
    }

    [Fact]
    public void Every_type_of_the_official_set_ships_a_schema()
    {
        var names = File.ReadAllLines(Path.Combine(RepoRoot(), "src/Generator/Validation/Schemas/resource-types.txt")).Where(l => l.Length > 0).ToList();
        Assert.True(names.Count > 1500, $"resource-types.txt lists {names.Count} types.");
        foreach (var type in names) Assert.True(SchemaSet.Embedded.Get(type) is not null, $"{type} has no embedded schema: run dotnet run --project tools/SchemaTool");
    }

    [Fact]
    public void Warnings_do_not_stop_the_emitter_but_errors_do()
    {
        var template = Emitter.Generate([FlaskApp.Definition], ["dev"]).Templates.Single();
        var withWarning = template with { Problems = [new TemplateProblem("", "big", "V1001", Rules.Severity.Warning)] };
        Assert.False(withWarning.HasErrors);
        Assert.True((template with { Problems = [new TemplateProblem("/Resources", "broken", "E3010")] }).HasErrors);
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Templates.sln"))) return dir.FullName;
        throw new InvalidOperationException("No Templates.sln above the test folder.");
    }
}
