using System.Text.Json.Nodes;
using Templates.EndToEnd.Infrastructure;
using Templates.Generation.Cli;
using Templates.Validation.Tests;

namespace Templates.EndToEnd;

/// <summary>cfn-lint is run once over the whole corpus; its verdicts are shared by the tests of <see cref="CorpusVerdictTests"/>.</summary>
public sealed class CfnLintCorpusRun
{
    readonly Lazy<Task<IReadOnlyDictionary<string, IReadOnlyList<string>>>> errors = new(RunAsync);

    /// <summary>The cfn-lint error rule IDs of each corpus file (empty when cfn-lint reports no error).</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ErrorsAsync() => errors.Value;

    static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> RunAsync()
    {
        var files = Corpus.Entries.Select(e => e.File).ToList();
        var result = await ProcessRunner.RunAsync(ExternalTools.PathOf(Tool.CfnLint), ["--format", "json", .. files], TimeSpan.FromMinutes(3),
            workingDirectory: Corpus.Directory);
        var matches = JsonNode.Parse(result.StandardOutput) as JsonArray
            ?? throw new InvalidOperationException($"cfn-lint printed no JSON list:\n{result}");
        return files.ToDictionary(f => f, f => (IReadOnlyList<string>)matches
            .Where(m => (string)m!["Filename"]! == f && (string)m["Level"]! == "Error")
            .Select(m => (string)m!["Rule"]!["Id"]!).ToList());
    }
}

/// <summary>
/// Our verdict on every corpus template against cfn-lint's: both reject what corpus.json says cfn-lint rejects, both accept
/// the valid ones, and where corpus.json says "cfn-lint misses this" (rules catalog 2.4) cfn-lint indeed passes the
/// template while we reject it.
/// </summary>
public sealed class CorpusVerdictTests(CfnLintCorpusRun cfnLint) : IClassFixture<CfnLintCorpusRun>
{
    public static TheoryData<string> Files => Corpus.Files();

    [ToolTheory(Tool.CfnLint)]
    [MemberData(nameof(Files))]
    public async Task Our_verdict_and_cfn_lints_agree_except_where_cfn_lint_misses(string file)
    {
        var entry = Corpus.Get(file);
        var ours = ValidateCommand.ValidateFile(entry.Path);
        var weReject = ours.Problems.Any(p => p.IsError);
        var theirs = (await cfnLint.ErrorsAsync())[file];
        var cfnLintRejects = theirs.Count > 0;
        var detail = $"{file} ({entry.Why}): we found [{string.Join("; ", ours.Problems)}], cfn-lint found [{string.Join(", ", theirs)}]";

        Assert.True(weReject == (entry.Kind == "invalid"), $"Our verdict is wrong. {detail}");
        switch (entry.CfnLint)
        {
            case "rejects":
                Assert.True(cfnLintRejects, $"cfn-lint was expected to reject this too. {detail}");
                break;
            case "misses":
                Assert.True(!cfnLintRejects && weReject, $"Expected: cfn-lint passes it (a gap of rules catalog 2.4) and we reject it. {detail}");
                break;
            case "falseAlarm":
                Assert.True(cfnLintRejects && !weReject, $"Expected: cfn-lint rejects a template AWS accepts (the corpus entry says why) and we pass it. {detail}");
                break;
            default:
                Assert.True(!cfnLintRejects, $"cfn-lint was expected to pass this. {detail}");
                break;
        }
    }
}
