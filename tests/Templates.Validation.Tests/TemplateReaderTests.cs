using System.Text;
using System.Text.Json.Nodes;
using Templates.Generation.Validation;

namespace Templates.Validation.Tests;

/// <summary>Templates read from JSON and YAML: the same tree, CloudFormation's short forms expanded, and where each value stands.</summary>
public class TemplateReaderTests
{
    static ReadTemplate Read(string text, string? name = null) => TemplateReader.Read(Encoding.UTF8.GetBytes(text), name);

    [Fact]
    public void Json_values_keep_the_line_and_column_of_their_key_or_item()
    {
        var template = Read("{\n  \"Resources\": {\n    \"Bucket\": {\n      \"Type\": \"AWS::S3::Bucket\",\n      \"Properties\": {\"Tags\": [{\"Key\": \"k\"}, {\"Key\": \"é\", \"Value\": 1}]}\n    }\n  }\n}\n");
        Assert.False(template.IsYaml);
        Assert.Equal(new Position(2, 3), template.PositionOf("/Resources"));
        Assert.Equal(new Position(4, 7), template.PositionOf("/Resources/Bucket/Type"));
        Assert.Equal(new Position(5, 31), template.PositionOf("/Resources/Bucket/Properties/Tags/0"));
        Assert.Equal(new Position(5, 45), template.PositionOf("/Resources/Bucket/Properties/Tags/1"));
        // Columns count characters, not bytes: 'é' is two bytes in UTF-8.
        Assert.Equal(new Position(5, 58), template.PositionOf("/Resources/Bucket/Properties/Tags/1/Value"));
        // A property the file does not hold: its nearest written ancestor.
        Assert.Equal(new Position(5, 7), template.PositionOf("/Resources/Bucket/Properties/BucketName"));
    }

    [Fact]
    public void Every_occurrence_of_a_duplicate_json_key_is_listed_with_its_position()
    {
        var template = Read("{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"},\n \"A\": {\"Type\": \"AWS::SQS::Queue\"}}}");
        Assert.Equal([("/Resources/A", new Position(1, 16)), ("/Resources/A", new Position(2, 2))], template.Duplicates.Select(d => (d.Pointer, d.Position)));
        Assert.Equal("AWS::SNS::Topic", (string?)template.Root!["Resources"]!["A"]!["Type"]);
    }

    [Fact]
    public void Malformed_json_names_where_it_stops()
    {
        var e = Assert.Throws<TemplateSyntaxException>(() => Read("{\n  \"Resources\": {,}\n}"));
        Assert.Equal(2, e.Position!.Value.Line);
    }

    const string Yaml = """
        AWSTemplateFormatVersion: "2010-09-09"
        Parameters:
          Env:
            Type: String
            AllowedValues: [dev, prod]
        Conditions:
          IsProd: !Equals [!Ref Env, prod]
        Resources:
          Queue:
            Type: AWS::SQS::Queue
            Properties:
              DelaySeconds: 5
              FifoQueue: true
              QueueName: !Sub "${AWS::StackName}-jobs"
              VisibilityTimeout: !If [IsProd, 60, 30]
              Tags:
                - Key: account
                  Value: 012345678901
                - Key: arn
                  Value: !GetAtt Topic.Attributes.Arn
          Topic:
            Type: AWS::SNS::Topic
            Condition: IsProd
            Properties:
              TopicName: !Join ["-", [!Select [0, !GetAZs ""], !Base64 "x", !FindInMap [M, a, b]]]
        Outputs:
          Arn:
            Value: !GetAtt [Queue, Arn]
            Condition: IsProd
        """;

    [Fact]
    public void Yaml_short_forms_become_the_json_objects_they_stand_for()
    {
        var template = Read(Yaml);
        Assert.True(template.IsYaml);
        var root = template.Root!;
        Assert.Equal("2010-09-09", (string?)root["AWSTemplateFormatVersion"]);
        Assert.Equal("""{"Fn::Equals":[{"Ref":"Env"},"prod"]}""", root["Conditions"]!["IsProd"]!.ToJsonString());
        var queue = root["Resources"]!["Queue"]!["Properties"]!;
        Assert.Equal(5, (long)queue["DelaySeconds"]!);
        Assert.True((bool)queue["FifoQueue"]!);
        Assert.Equal("""{"Fn::Sub":"${AWS::StackName}-jobs"}""", queue["QueueName"]!.ToJsonString());
        Assert.Equal("""{"Fn::If":["IsProd",60,30]}""", queue["VisibilityTimeout"]!.ToJsonString());
        // A number with a leading zero is not an integer in YAML: an account ID stays text.
        Assert.Equal("012345678901", (string?)queue["Tags"]![0]!["Value"]);
        // !GetAtt a.b.c stays the dotted string, as {"Fn::GetAtt": "a.b.c"} in JSON.
        Assert.Equal("""{"Fn::GetAtt":"Topic.Attributes.Arn"}""", queue["Tags"]![1]!["Value"]!.ToJsonString());
        Assert.Equal("""{"Fn::Join":["-",[{"Fn::Select":[0,{"Fn::GetAZs":""}]},{"Fn::Base64":"x"},{"Fn::FindInMap":["M","a","b"]}]]}""",
            root["Resources"]!["Topic"]!["Properties"]!["TopicName"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["Queue","Arn"]}""", root["Outputs"]!["Arn"]!["Value"]!.ToJsonString());
    }

    [Theory]
    [InlineData("yes", "true")]
    [InlineData("Off", "false")]
    [InlineData("ON", "true")]
    [InlineData("0x10", "16")]
    [InlineData("1_024", "1024")]
    [InlineData("0755", "493")]
    [InlineData("0b101", "5")]
    [InlineData("-42", "-42")]
    [InlineData("1.5", "1.5")]
    [InlineData("012345678901", "\"012345678901\"")]
    [InlineData("1e5", "\"1e5\"")]
    [InlineData("y", "\"y\"")]
    [InlineData("'yes'", "\"yes\"")]
    [InlineData("~", "null")]
    public void Plain_yaml_scalars_resolve_by_yaml_1_1_as_cloudformation_and_cfn_lint_read_them(string written, string json)
    {
        var value = Read($"Value: {written}\n").Root!["Value"];
        Assert.Equal(json, value?.ToJsonString() ?? "null");
    }

    [Fact]
    public void Yaml_values_keep_their_line_and_column()
    {
        var template = Read(Yaml);
        Assert.Equal(new Position(12, 7), template.PositionOf("/Resources/Queue/Properties/DelaySeconds"));
        Assert.Equal(new Position(17, 11), template.PositionOf("/Resources/Queue/Properties/Tags/0"));
        Assert.Equal(new Position(15, 26), template.PositionOf("/Resources/Queue/Properties/VisibilityTimeout/Fn::If"));
    }

    [Fact]
    public void The_same_template_in_json_and_yaml_reads_to_the_same_tree()
    {
        var yaml = Read(Yaml).Root!;
        var json = Read(yaml.ToJsonString()).Root!;
        Assert.True(JsonNode.DeepEquals(yaml, json));
    }

    [Fact]
    public void A_duplicate_yaml_key_is_listed_and_malformed_yaml_is_a_syntax_error_with_a_position()
    {
        var template = Read("Resources:\n  A:\n    Type: AWS::SNS::Topic\n  A:\n    Type: AWS::SNS::Topic\n");
        Assert.Equal([new Position(2, 3), new Position(4, 3)], template.Duplicates.Select(d => d.Position));
        Assert.All(template.Duplicates, d => Assert.Equal(("/Resources/A", "A"), (d.Pointer, d.Key)));
        Assert.Throws<TemplateSyntaxException>(() => Read("Resources:\n  A: [unclosed\n  B: x\n"));
        var malformed = Assert.Throws<TemplateSyntaxException>(() => Read("Resources:\n  A: b\n   c: d\n"));
        Assert.NotNull(malformed.Position);
        Assert.True(malformed.Position!.Value.Line >= 2);
    }

    [Fact]
    public void Yaml_anchors_and_aliases_are_resolved()
    {
        var template = Read("Mappings:\n  Base: &base {Size: 1}\nResources:\n  A:\n    Type: AWS::SNS::Topic\n    Metadata: *base\n");
        Assert.Equal("""{"Size":1}""", template.Root!["Resources"]!["A"]!["Metadata"]!.ToJsonString());
    }

    [Fact]
    public void Json_with_a_yaml_extension_is_read_as_yaml_which_is_a_superset()
    {
        var template = Read("""{"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}""", "t.yaml");
        Assert.True(template.IsYaml);
        Assert.Equal("AWS::SNS::Topic", (string?)template.Root!["Resources"]!["T"]!["Type"]);
    }
}
