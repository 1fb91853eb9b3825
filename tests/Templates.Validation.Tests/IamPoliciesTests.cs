using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using Templates.Generation.Validation;

namespace Templates.Validation.Tests;

/// <summary>The IAM checks on hand-made policies: wildcards, functions and the facts' coverage.</summary>
public class IamPoliciesTests
{
    static IReadOnlyList<TemplateProblem> Policy(string statements) =>
        TemplateValidator.Validate(JsonNode.Parse("""
            {"Conditions": {"C": {"Fn::Equals": ["a", "b"]}},
             "Resources": {"Policy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement":
            """ + statements + "}}}}}")!.AsObject(), 100);

    [Fact]
    public void A_wildcard_action_must_match_at_least_one_action()
    {
        Assert.Empty(Policy("""[{"Effect": "Allow", "Action": ["s3:Get*", "ec2:Describe?pcs", "logs:*", "*"], "Resource": "*"}]"""));
        var problem = Assert.Single(Policy("""[{"Effect": "Allow", "Action": ["s3:Got*"], "Resource": "*"}]"""));
        Assert.Equal(("W3037", "/Resources/Policy/Properties/PolicyDocument/Statement/0/Action/0"), (problem.Id, problem.Pointer));
    }

    [Fact]
    public void Actions_are_compared_case_insensitively_as_IAM_does()
    {
        // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html: "Prefixes and action names are case insensitive."
        Assert.Empty(Policy("""[{"Effect": "Allow", "Action": ["S3:getobject", "ECR:GetAuthorizationToken"], "Resource": "*"}]"""));
    }

    [Fact]
    public void A_service_mismatch_is_reported_only_when_every_resource_tells_its_service()
    {
        // One resource from a function that does not tell its service: the action may well fit it.
        Assert.Empty(Policy("""[{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": ["arn:aws:s3:::b/*", {"Fn::ImportValue": "QueueArn"}]}]"""));
        // Fn::Sub with the service written out tells it.
        var problem = Assert.Single(Policy("""[{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:topic"}}]"""));
        Assert.Equal("V1010", problem.Id);
        // Services whose actions act on another service's resources: STS on IAM roles.
        Assert.Empty(Policy("""[{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/x"}]"""));
    }

    [Fact]
    public void Policy_variables_and_dynamic_references_are_not_taken_for_malformed_ARNs()
    {
        Assert.Empty(Policy("""[{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/home/${aws:username}/*", "{{resolve:ssm:/app/bucket-arn}}"]}]"""));
    }

    [Fact]
    public void Policies_behind_a_function_are_left_alone()
    {
        Assert.Empty(Policy("""{"Fn::If": ["C", {"Effect": "allow"}, {"Ref": "AWS::NoValue"}]}"""));
        Assert.Empty(Policy("""[{"Fn::If": ["C", {"Effect": "allow"}, {"Ref": "AWS::NoValue"}]}]"""));
    }

    [Fact]
    public void The_facts_hold_every_service_and_managed_policy_of_the_source()
    {
        var facts = IamPolicies.Facts.Load();
        Assert.Equal(449, facts.Services.Count);
        Assert.Equal(1491, facts.ManagedPolicies.Count);
        Assert.Contains("service-role/AmazonECSTaskExecutionRolePolicy", facts.ManagedPolicies);
        Assert.True(facts.Services["ecs"].Matches("createservice"));
    }
}
