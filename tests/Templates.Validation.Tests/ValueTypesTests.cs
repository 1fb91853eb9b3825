using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using Templates.Generation.Validation;

namespace Templates.Validation.Tests;

/// <summary>What intrinsic functions return, against what the schema expects where they stand.</summary>
public class ValueTypesTests
{
    static IReadOnlyList<TemplateProblem> Validate(string resources) =>
        TemplateValidator.Validate(JsonNode.Parse("""
            {"Parameters": {"Ids": {"Type": "AWS::SSM::Parameter::Value<List<String>>"}, "Name": {"Type": "AWS::SSM::Parameter::Value<String>"}},
             "Conditions": {"C": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}},
             "Resources":
            """ + resources + "}")!.AsObject(), 100);

    [Fact]
    public void A_list_attribute_read_with_Fn_GetAtt_is_a_list()
    {
        // AWS::EC2::VPC's CidrBlockAssociations is "type": "array" in its schema; CidrBlock is a string.
        var problem = Assert.Single(Validate("""
            {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
             "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": {"Fn::GetAtt": ["Vpc", "CidrBlockAssociations"]}}}}
            """));
        Assert.Equal(("E3012", "/Resources/Subnet/Properties/CidrBlock"), (problem.Id, problem.Pointer));
        Assert.Empty(Validate("""
            {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
             "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": {"Fn::GetAtt": ["Vpc", "CidrBlock"]}}}}
            """));
    }

    [Fact]
    public void Each_branch_of_Fn_If_is_typed_on_its_own_and_SSM_parameter_types_are_read_through()
    {
        var problem = Assert.Single(Validate("""
            {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::If": ["C", {"Ref": "Name"}, {"Ref": "Ids"}]}}}}
            """));
        Assert.Equal(("E3012", "/Resources/Topic/Properties/TopicName/Fn::If/2"), (problem.Id, problem.Pointer));
        Assert.Contains("AWS::SSM::Parameter::Value<List<String>>", problem.Message);
    }

    [Fact]
    public void Notification_ARNs_are_a_list_and_other_pseudo_parameters_one_value()
    {
        Assert.Empty(Validate("""
            {"Stack": {"Type": "AWS::CloudFormation::Stack", "DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete", "Properties": {"TemplateURL": {"Fn::Sub": "https://s3.${AWS::URLSuffix}/b/t.json"},
               "NotificationARNs": {"Ref": "AWS::NotificationARNs"}, "TimeoutInMinutes": {"Ref": "AWS::NoValue"}}}}
            """));
        Assert.Equal("E3012", Assert.Single(Validate("""
            {"Stack": {"Type": "AWS::CloudFormation::Stack", "DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete", "Properties": {"TemplateURL": {"Ref": "AWS::NotificationARNs"}}}}
            """)).Id);
    }
}
