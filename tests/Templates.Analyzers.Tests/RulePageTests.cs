extern alias analyzers;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Templates.Rules;

namespace Templates.Analyzers.Tests;

/// <summary>Every diagnostic has a documentation page whose Noncompliant example raises exactly that rule and whose Compliant example raises nothing.</summary>
public partial class RulePageTests
{
    static string RepoRoot([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    public static TheoryData<string> ReportedRules =>
        [.. AnalyzerHarness.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order()];

    [GeneratedRegex(@"^## (?<section>Noncompliant|Compliant)\s*\n+```csharp\n(?<code>.*?)\n```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Example();

    [Theory]
    [MemberData(nameof(ReportedRules))]
    public async Task Rule_page_examples_do_what_they_say(string id)
    {
        var page = Path.Combine(RepoRoot(), "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{id} has no page {page}");
        var text = File.ReadAllText(page);
        foreach (var heading in new[] { "## Cause", "## Rule description", "## How to fix", "## How to suppress" })
            Assert.Contains(heading, text);
        var examples = Example().Matches(text).ToDictionary(m => m.Groups["section"].Value, m => m.Groups["code"].Value);
        Assert.True(examples.ContainsKey("Noncompliant") && examples.ContainsKey("Compliant"), $"{page} needs a Noncompliant and a Compliant csharp block");
        Assert.Equal([id], (await AnalyzerHarness.AnalyzeAsync(examples["Noncompliant"])).Select(d => d.Id));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(examples["Compliant"]));
    }

    [Fact]
    public void Descriptors_match_the_shared_rule_catalog_and_link_to_their_pages()
    {
        var shipped = File.ReadAllText(Path.Combine(RepoRoot(), "src", "Analyzers", "AnalyzerReleases.Shipped.md"))
                      + File.ReadAllText(Path.Combine(RepoRoot(), "src", "Analyzers", "AnalyzerReleases.Unshipped.md"));
        foreach (var descriptor in AnalyzerHarness.Analyzers.SelectMany(a => a.SupportedDiagnostics))
        {
            var rule = RuleCatalog.All.Single(r => r.Id == descriptor.Id);
            Assert.Equal(rule.Title, descriptor.Title.ToString());
            Assert.Equal(rule.Severity == Severity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, descriptor.DefaultSeverity);
            Assert.EndsWith($"docs/rules/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.Contains(descriptor.Id + " ", shipped);
        }
    }
}

/// <summary>The README's table of rules: a row per descriptor, linking its page, with a code fix marked exactly where one exists.</summary>
public partial class ReadmeRuleTableTests
{
    [GeneratedRegex(@"^\| \[(?<id>TPL\d{4})\]\(docs/rules/\k<id>\.md\) \| (?<title>[^|]+) \| (?<severity>[^|]+) \| (?<fix>[^|]*) \|$", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"A code fix \(light bulb\) offers the corrected value for (?<count>\d+) rules")]
    private static partial Regex FixCount();

    [Fact]
    public void Every_rule_has_a_row_and_the_code_fix_column_and_count_are_true()
    {
        var readme = File.ReadAllText(Path.Combine(Scratch.RepoRoot(), "README.md"));
        var rows = Row().Matches(readme).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["fix"].Value.Trim());
        var ids = AnalyzerHarness.Analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Order().ToList();
        Assert.Equal(ids, rows.Keys.Order());
        var fixable = new analyzers::Templates.CodeFixes.ReplaceValueCodeFix().FixableDiagnosticIds.ToHashSet();
        foreach (var (id, fix) in rows) Assert.True((fix == "yes") == fixable.Contains(id), $"{id}: the README says '{fix}', the code fix {(fixable.Contains(id) ? "fixes it" : "does not")}");
        Assert.Equal(fixable.Count, int.Parse(FixCount().Match(readme).Groups["count"].Value));
    }
}
