using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using Templates.Generation.Validation;

namespace Templates.Tests;

/// <summary>The resource-graph checks every template passes before it is written (now part of <see cref="TemplateValidator"/>).</summary>
public class TemplateCheckerTests
{
    static JsonObject Template(string resources, string outputs = "{}") =>
        JsonNode.Parse($$$"""{"Parameters": {"Size": {"Type": "String"}}, "Resources": {{{resources}}}, "Outputs": {{{outputs}}}}""")!.AsObject();

    static IReadOnlyList<TemplateProblem> Check(JsonObject t) => TemplateValidator.Validate(t, 100);

    [Fact]
    public void A_valid_graph_has_no_problems()
    {
        var t = Template("""
            {"A": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Ref": "Size"}}},
             "B": {"Type": "AWS::S3::Bucket", "DependsOn": "A", "Properties": {"Tags": [{"Key": "k", "Value": {"Fn::Sub": ["${A.Arn}-${X}-${AWS::Region}-${!Literal}", {"X": {"Ref": "Size"}}]}}]}}}
            """, """{"O": {"Value": {"Fn::GetAtt": ["B", "Arn"]}}}""");
        Assert.Empty(Check(t));
    }

    [Fact]
    public void Dangling_references_point_at_the_broken_spot()
    {
        var t = Template("""
            {"A": {"Type": "AWS::S3::Bucket", "DependsOn": ["Nope"], "Properties": {"BucketName": {"Ref": "Missing"}, "Tags": [{"Key": "k", "Value": {"Fn::Sub": "${Gone.Arn}"}}]}}}
            """, """{"O": {"Value": {"Fn::GetAtt": ["Size", "Arn"]}}}""");
        Assert.Equal(
            [
                "/Resources/A/DependsOn/0: DependsOn names 'Nope', which is not a resource of this template. (E3005)",
                "/Resources/A/Properties/BucketName/Ref: 'Missing' is not a parameter, pseudo parameter or resource of this template. (E1012)",
                "/Resources/A/Properties/Tags/0/Value/Fn::Sub: The variable ${Gone.Arn} names 'Gone', which is not a resource of this template. (E1019)",
                "/Outputs/O/Value/Fn::GetAtt: 'Size' is not a resource of this template. (E1010)",
            ],
            Check(t).Select(p => p.ToString()));
    }

    [Fact]
    public void Cycles_are_found()
    {
        var t = Template("""
            {"A": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Ref": "B"}}},
             "B": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Fn::GetAtt": ["C", "Arn"]}}},
             "C": {"Type": "AWS::S3::Bucket", "DependsOn": "A", "Properties": {}}}
            """);
        var problem = Assert.Single(Check(t));
        Assert.Equal("E3004", problem.Id);
        Assert.Contains("A -> B -> C -> A", problem.Message);
    }

    [Fact]
    public void Logical_ids_and_limits()
    {
        var t = Template("""{"my-bucket": {"Type": "AWS::S3::Bucket", "Properties": {}}, "Size": {"Type": "AWS::S3::Bucket", "Properties": {}}}""");
        Assert.Equal(["E3006", "E3007"], Check(t).Select(p => p.Id));
        Assert.Contains(TemplateValidator.Validate(Template("""{"A": {"Type": "AWS::S3::Bucket", "Properties": {}}}"""), 1_000_001), p => p.Id == "E1002");
        Assert.Contains(TemplateValidator.Validate(Template("""{"A": {"Type": "AWS::S3::Bucket", "Properties": {}}}"""), 60_000), p => p.Id == "V1001" && !p.IsError);
        var many = new JsonObject();
        for (var i = 0; i < 501; i++) many[$"R{i}"] = new JsonObject { ["Type"] = "AWS::S3::Bucket", ["Properties"] = new JsonObject() };
        Assert.Contains(TemplateValidator.Validate(new JsonObject { ["Resources"] = many }, 100), p => p.Id == "E3010");
        Assert.Contains(TemplateValidator.Validate(new JsonObject { ["Resources"] = new JsonObject() }, 100), p => p.Id == "E1001");
    }

    [Fact]
    public void Every_guide_template_passes()
    {
        foreach (var env in Fixtures.Guide.Environments)
            Assert.Empty(Fixtures.Emit(Fixtures.Guide, env.Name).Problems);
    }
}
