using System.Text.Json.Nodes;
using Templates.Generation.Validation;

namespace Templates.Validation.Tests;

/// <summary>Checks that depend on the date, judged on fixed dates against AWS's Lambda runtime calendar.</summary>
public class DatedFactsTests
{
    [Theory]
    [InlineData("python2.7", "2026-11-29", "E2533")]   // update blocked since 2022-05-30
    [InlineData("dotnet8", "2026-11-09", null)]        // still supported
    [InlineData("dotnet8", "2026-11-10", "W2531")]     // deprecated on 2026-11-10
    [InlineData("dotnet8", "2026-12-10", "E2531")]     // creation blocked from 2026-12-10
    [InlineData("dotnet8", "2027-01-11", "E2533")]     // update blocked from 2027-01-11
    [InlineData("python3.14", "2026-11-29", null)]
    [InlineData("python9.9", "2026-11-29", null)]      // not in the calendar: nothing said
    public void A_runtime_is_judged_by_the_calendar_on_the_given_day(string runtime, string day, string? expected)
    {
        var finding = DatedFacts.Runtime(runtime, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(expected, finding?.Id.Id);
    }

    [Fact]
    public void The_finding_names_the_date_and_the_successor_and_points_at_the_runtime()
    {
        var template = JsonNode.Parse("""
            {"Resources": {
              "F": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs18.x", "Handler": "i.h", "Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": "x"}}},
              "G": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": {"Ref": "Runtime"}, "Handler": "i.h", "Role": "arn:aws:iam::123456789012:role/r", "Code": {"ZipFile": "x"}}}},
             "Parameters": {"Runtime": {"Type": "String"}}}
            """)!.AsObject();
        var problems = TemplateValidator.Validate(template, 300, today: new DateOnly(2026, 5, 1));
        var warning = Assert.Single(problems);
        Assert.Equal(("W2531", "/Resources/F/Properties/Runtime", false), (warning.Id, warning.Pointer, warning.IsError));
        Assert.Contains("since 2025-09-01", warning.Message);
        Assert.Contains("Use nodejs24.x.", warning.Message);
        Assert.Equal("E2533", Assert.Single(TemplateValidator.Validate(template, 300, today: new DateOnly(2026, 7, 1))).Id);
    }

    [Fact]
    public void The_calendar_says_where_it_comes_from()
    {
        Assert.True(DatedFacts.Runtimes.Count > 40);
        Assert.Contains("https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html", DatedFacts.Source);
    }
}
