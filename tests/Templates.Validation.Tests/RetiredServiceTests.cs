using System.Globalization;
using System.Text.Json.Nodes;
using Templates.Generation.Validation;

namespace Templates.Validation.Tests;

/// <summary>Resource types of retired or closing AWS services, judged on fixed dates against the pages the table quotes.</summary>
public class RetiredServiceTests
{
    static DateOnly Day(string day) => DateOnly.Parse(day, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("AWS::OpsWorks::Stack", "2024-05-25", "V1021")]       // end of support announced for 2024-05-26
    [InlineData("AWS::OpsWorks::Stack", "2024-05-26", "V1020")]       // "reached end of life on May 26, 2024"
    [InlineData("AWS::OpsWorksCM::Server", "2026-11-29", "V1020")]    // a prefix of its own, not OpsWorks Stacks'
    [InlineData("AWS::Proton::EnvironmentTemplate", "2025-10-06", "V1021")]
    [InlineData("AWS::Proton::EnvironmentTemplate", "2025-10-07", "V1021")]   // closed to new customers
    [InlineData("AWS::Proton::EnvironmentTemplate", "2026-10-07", "V1020")]   // support ended
    [InlineData("AWS::Cloud9::EnvironmentEC2", "2020-01-01", "V1021")]         // closed, the page gives no date
    [InlineData("AWS::AppRunner::Service", "2026-04-29", "V1021")]             // closes on 2026-04-30: warned before
    [InlineData("AWS::KinesisAnalytics::Application", "2026-11-29", "V1020")]
    [InlineData("AWS::KinesisAnalyticsV2::Application", "2026-11-29", null)]   // Managed Service for Apache Flink lives on
    [InlineData("AWS::Inspector::AssessmentTarget", "2026-11-29", "V1020")]
    [InlineData("AWS::InspectorV2::Filter", "2026-11-29", null)]
    [InlineData("AWS::Greengrass::Group", "2026-11-29", "V1020")]
    [InlineData("AWS::GreengrassV2::ComponentVersion", "2026-11-29", null)]
    [InlineData("AWS::Omics::VariantStore", "2026-11-29", "V1021")]
    [InlineData("AWS::Omics::Workflow", "2026-11-29", null)]                   // only the variant and annotation stores closed
    [InlineData("AWS::Timestream::InfluxDBInstance", "2026-11-29", null)]      // only LiveAnalytics closed
    [InlineData("AWS::ECS::Service", "2026-11-29", null)]
    [InlineData("AWS::IoTThingsGraph::FlowTemplate", "2020-01-01", "V1020")]   // "is discontinued", no date given
    [InlineData("AWS::WAFRegional::WebACL", "2025-09-30", "V1020")]
    [InlineData("AWS::WAFv2::WebACL", "2026-11-29", null)]
    [InlineData("AWS::AutoScaling::LaunchConfiguration", "2026-11-29", "V1021")]   // new accounts cannot create them
    [InlineData("AWS::AutoScaling::AutoScalingGroup", "2026-11-29", null)]
    public void A_type_is_judged_by_its_service_on_the_given_day(string type, string day, string? expected) =>
        Assert.Equal(expected, DatedFacts.Service(type, Day(day))?.Id.Id);

    [Fact]
    public void The_finding_points_at_the_type_and_names_the_service_the_date_and_the_page()
    {
        var template = JsonNode.Parse("""{"Resources": {"Stack": {"Type": "AWS::OpsWorks::Stack", "Properties": {"Name": "app", "ServiceRoleArn": "arn:aws:iam::123456789012:role/opsworks", "DefaultInstanceProfileArn": "arn:aws:iam::123456789012:instance-profile/opsworks"}}}}""")!.AsObject();
        var problem = Assert.Single(TemplateValidator.Validate(template, 300, today: Day("2026-11-29")));
        Assert.Equal(("V1020", "/Resources/Stack/Type", true), (problem.Id, problem.Pointer, problem.IsError));
        Assert.Contains("AWS OpsWorks Stacks reached its end of support on 2024-05-26", problem.Message);
        Assert.Contains("https://docs.aws.amazon.com/opsworks/", problem.Message);
    }

    /// <summary>A type the registry has dropped with its service gets the reason, once, instead of "not a resource type".</summary>
    [Fact]
    public void A_dropped_type_of_a_retired_service_says_why_once()
    {
        var template = JsonNode.Parse("""{"Resources": {"Project": {"Type": "AWS::IoT1Click::Project", "Properties": {}}}}""")!.AsObject();
        var problem = Assert.Single(TemplateValidator.Validate(template, 300, today: Day("2026-11-29")));
        Assert.Equal(("V1020", "/Resources/Project/Type"), (problem.Id, problem.Pointer));
        Assert.Contains("AWS IoT 1-Click reached its end of support on 2024-12-16", problem.Message);
    }

    /// <summary>Every entry names types that exist in the schema set or that the registry once had, quotes an AWS page, and has a date or says it has none.</summary>
    [Fact]
    public void Every_entry_has_an_aws_page_and_a_date_and_no_two_entries_cover_one_type()
    {
        Assert.NotEmpty(DatedFacts.RetiredServices);
        foreach (var service in DatedFacts.RetiredServices)
        {
            Assert.StartsWith("https://docs.aws.amazon.com/", service.Source);
            Assert.True(service.Closed is not null || service.EndOfSupport is not null, service.Service);
            Assert.All(service.Types, t => Assert.StartsWith("AWS::", t));
        }
        using var stream = typeof(SchemaSet).Assembly.GetManifestResourceStream("schemas/resource-types.txt")!;
        var types = new StreamReader(stream).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var type in types)
            Assert.True(DatedFacts.RetiredServices.Count(s => s.Covers(type)) <= 1, type);
    }
}
