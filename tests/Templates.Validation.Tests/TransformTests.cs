using System.Text.Json.Nodes;
using Templates.Generation.Validation;

namespace Templates.Validation.Tests;

/// <summary>The transforms CloudFormation runs before it reads a template: Fn::ForEach is checked as expanded, SAM's Globals is a section.</summary>
public class TransformTests
{
    static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void ForEach_expands_keys_refs_and_subs_as_cloudformation_does()
    {
        var expanded = LanguageExtensions.Expand(Parse("""
            {"Transform": ["AWS::LanguageExtensions"],
             "Resources": {"Fn::ForEach::Topics": ["Name", ["a-b", "C"], {
               "Topic&{Name}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": "${Name}-${AWS::Region}"}, "DisplayName": {"Ref": "Name"}}}}]}}
            """))!;
        var resources = expanded["Resources"]!.AsObject();
        Assert.Equal(["Topicab", "TopicC"], resources.Select(r => r.Key));
        Assert.Equal("""{"Fn::Sub":"a-b-${AWS::Region}"}""", resources["Topicab"]!["Properties"]!["TopicName"]!.ToJsonString());
        Assert.Equal("C", (string?)resources["TopicC"]!["Properties"]!["DisplayName"]);
    }

    /// <summary>The list form of Fn::Sub too: "all instances of ${Identifier} are replaced" (the Fn::ForEach page).</summary>
    [Fact]
    public void ForEach_replaces_the_identifier_in_the_list_form_of_sub()
    {
        var template = Parse("""
            {"Transform": "AWS::LanguageExtensions",
             "Resources": {"Fn::ForEach::Topics": ["Name", ["A", "B"], {
               "Topic${Name}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": {"Fn::Sub": ["${Name}-${Env}", {"Env": "dev"}]}}}}]}}
            """);
        Assert.Empty(TemplateValidator.Validate(template, 300));
        Assert.Equal("""{"Fn::Sub":["B-${Env}",{"Env":"dev"}]}""", LanguageExtensions.Expand(template)!["Resources"]!["TopicB"]!["Properties"]!["TopicName"]!.ToJsonString());
    }

    [Fact]
    public void A_finding_inside_a_loop_is_reported_for_the_resource_it_makes()
    {
        var problems = TemplateValidator.Validate(Parse("""
            {"Transform": "AWS::LanguageExtensions",
             "Resources": {"Fn::ForEach::Queues": ["Name", ["A", "B"], {"Queue${Name}": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete", "Properties": {"VisibilityTimeout": 50000}}}]}}
            """), 300);
        Assert.Equal(["/Resources/QueueA/Properties/VisibilityTimeout", "/Resources/QueueB/Properties/VisibilityTimeout"], problems.Select(p => p.Pointer));
        Assert.All(problems, p => Assert.Equal("E3034", p.Id));
    }

    [Fact]
    public void A_ref_to_a_resource_a_loop_makes_resolves_and_one_it_does_not_make_does_not()
    {
        const string Template = """
            {"Transform": "AWS::LanguageExtensions",
             "Resources": {"Fn::ForEach::Queues": ["Name", ["A", "B"], {"Queue${Name}": {"Type": "AWS::SQS::Queue", "DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete"}}],
                           "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Fn::GetAtt": ["QueueTARGET", "QueueName"]}}}}}
            """;
        Assert.Empty(TemplateValidator.Validate(Parse(Template.Replace("TARGET", "B")), 300));
        Assert.Equal("E1010", Assert.Single(TemplateValidator.Validate(Parse(Template.Replace("TARGET", "C")), 300)).Id);
    }

    [Fact]
    public void Without_the_transform_a_loop_is_not_a_resource()
    {
        var problems = TemplateValidator.Validate(Parse("""
            {"Resources": {"Fn::ForEach::Queues": ["Name", ["A"], {"Queue${Name}": {"Type": "AWS::SQS::Queue"}}]}}
            """), 300);
        Assert.Contains(problems, p => p.IsError);
    }

    [Fact]
    public void A_loop_over_a_parameter_without_a_default_is_not_guessed()
    {
        var problem = Assert.Single(TemplateValidator.Validate(Parse("""
            {"Transform": "AWS::LanguageExtensions", "Parameters": {"Names": {"Type": "CommaDelimitedList"}},
             "Resources": {"Fn::ForEach::Queues": ["Name", {"Ref": "Names"}, {"Queue${Name}": {"Type": "AWS::SQS::Queue"}}]}}
            """), 300));
        Assert.Equal(("W1032", "/Transform", false), (problem.Id, problem.Pointer, problem.IsError));
    }

    [Fact]
    public void Globals_is_a_section_only_under_the_sam_transform_and_its_runtime_is_judged()
    {
        const string Sam = """
            {"Transform": "AWS::Serverless-2016-10-31", "Globals": {"Function": {"Runtime": "RUNTIME"}},
             "Resources": {"F": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "a.h", "CodeUri": "."}}}}
            """;
        Assert.Empty(TemplateValidator.Validate(Parse(Sam.Replace("RUNTIME", "python3.13")), 300, today: new DateOnly(2026, 11, 29)));
        var old = Assert.Single(TemplateValidator.Validate(Parse(Sam.Replace("RUNTIME", "python3.7")), 300, today: new DateOnly(2026, 11, 29)));
        Assert.Equal(("E2533", "/Globals/Function/Runtime"), (old.Id, old.Pointer));
        var plain = TemplateValidator.Validate(Parse("""{"Globals": {}, "Resources": {"T": {"Type": "AWS::SNS::Topic"}}}"""), 300);
        Assert.Equal(("E1001", "/Globals"), (Assert.Single(plain).Id, Assert.Single(plain).Pointer));
    }
}
