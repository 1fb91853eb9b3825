using System.Text.Json.Nodes;
using Templates.Generation.Validation;

namespace Templates.Validation.Tests;

/// <summary>
/// Shapes no check foresaw (a review found each one ending the file's validation with an internal error): every check
/// now reads them safely, and the finding is the template's fault or nothing, never W0001.
/// </summary>
public class UnforeseenShapeTests
{
    [Theory]
    [InlineData("""{"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}, "ManagedPolicyArns": ["arn:iam::aws:policy/ReadOnlyAccess"]}}}}""")]
    [InlineData("""{"Resources": {"P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": {"Fn::Sub": []}}]}}}}}""")]
    [InlineData("""{"Mappings": {"M": {"K": "v"}}, "Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::FindInMap": ["M", "K", "X"]}}}}}""")]
    [InlineData("""{"Transform": "AWS::Serverless-2016-10-31", "Globals": "oops", "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}""")]
    [InlineData("""{"Resources": {"A": {"Type": "AWS::EC2::VPCGatewayAttachment", "Properties": "oops"}}}""")]
    [InlineData("""{"Resources": {"S": {"Type": "AWS::ECS::Service", "Properties": {"LoadBalancers": ["oops"]}}}}""")]
    [InlineData("""{"Resources": {"X": [], "T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": "X.Arn"}}}}}""")]
    [InlineData("""{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::ValueOfScalar": 5}}}}}""")]
    [InlineData("""{"Transform": [5, {"Name": "AWS::LanguageExtensions"}], "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}""")]
    public void An_unforeseen_shape_is_a_finding_or_nothing_never_an_internal_error(string template)
    {
        var problems = TemplateValidator.Validate(JsonNode.Parse(template)!.AsObject(), template.Length);
        Assert.DoesNotContain(problems, p => p.Id == "W0001");
    }

    /// <summary>A function name is not the validator's stand-in for a typed value: typed by hand, it is an unknown function.</summary>
    [Fact]
    public void A_typed_stand_in_name_is_an_unknown_function()
    {
        var problems = TemplateValidator.Validate(JsonNode.Parse("""{"Resources": {"T": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::ValueOfList": ["x"]}}}}}""")!.AsObject(), 100);
        Assert.Equal("E1030", Assert.Single(problems).Id);
    }
}
