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

/// <summary>
/// AWS's cloudformation-validate is run once (one Node process, one engine) over the whole corpus and the emitted
/// templates; its verdicts are shared by <see cref="CloudFormationValidateVerdictTests"/>. An ERROR or FATAL diagnostic rejects.
/// </summary>
public sealed class CloudFormationValidateRun
{
    readonly Lazy<Task<IReadOnlyDictionary<string, IReadOnlyList<string>>>> errors = new(RunAsync);

    /// <summary>The rule IDs of the rejecting diagnostics of each file (corpus files by their corpus name, emitted ones by file name).</summary>
    public Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ErrorsAsync() => errors.Value;

    static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> RunAsync()
    {
        var files = Corpus.Entries.Select(e => e.File).ToList();
        var emitted = Directory.CreateTempSubdirectory("templates-cfn-validate-").FullName;
        try
        {
            foreach (var template in Templates.Generation.Emitter.Generate(Definition.Apps).Files)
                await File.WriteAllBytesAsync(Path.Combine(emitted, template.FileName), template.Bytes);
            var emittedFiles = Directory.GetFiles(emitted, "*.json").Order(StringComparer.Ordinal).ToList();
            var result = await ProcessRunner.RunAsync(ExternalTools.PathOf(Tool.CloudFormationValidate),
                [ExternalTools.CloudFormationValidateScript, .. files, .. emittedFiles], TimeSpan.FromMinutes(5), workingDirectory: Corpus.Directory);
            var report = JsonNode.Parse(result.StandardOutput) as JsonObject
                ?? throw new InvalidOperationException($"cloudformation-validate printed no JSON object:\n{result}");
            return report.ToDictionary(r => r.Key.StartsWith(emitted, StringComparison.Ordinal) ? Path.GetFileName(r.Key) : r.Key, r => r.Value switch
            {
                JsonArray diagnostics => (IReadOnlyList<string>)diagnostics
                    .Where(d => (string)d!["severity"]! is "ERROR" or "FATAL").Select(d => (string)d!["ruleId"]!).ToList(),
                _ => throw new InvalidOperationException($"cloudformation-validate could not read {r.Key}: {r.Value?.ToJsonString()}"),
            });
        }
        finally
        {
            Directory.Delete(emitted, recursive: true);
        }
    }
}

/// <summary>
/// Our verdict against AWS's cloudformation-validate's, as corpus.json's <c>cfnValidate</c> records it: where it says
/// "misses", cloudformation-validate indeed passes the template (it may warn) while we reject it; and every emitted
/// template passes both. Skipped with the reason, even under CI, where Node or aws-cdk-lib is missing.
/// </summary>
public sealed class CloudFormationValidateVerdictTests(CloudFormationValidateRun aws) : IClassFixture<CloudFormationValidateRun>
{
    public static TheoryData<string> Files => Corpus.Files();

    [ToolTheory(Tool.CloudFormationValidate)]
    [MemberData(nameof(Files))]
    public async Task Our_verdict_and_cloudformation_validates_agree_except_where_it_misses(string file)
    {
        var entry = Corpus.Get(file);
        var ours = ValidateCommand.ValidateFile(entry.Path);
        var weReject = ours.Problems.Any(p => p.IsError);
        var theirs = (await aws.ErrorsAsync())[file];
        var awsRejects = theirs.Count > 0;
        var detail = $"{file} ({entry.Why}): we found [{string.Join("; ", ours.Problems)}], cloudformation-validate rejected with [{string.Join(", ", theirs)}]";

        Assert.True(weReject == (entry.Kind == "invalid"), $"Our verdict is wrong. {detail}");
        Assert.True(entry.CfnValidate is "rejects" or "misses" or "passes" or "falseAlarm",
            $"corpus.json gives {file} no \"cfnValidate\" (rejects, misses, passes or falseAlarm): cloudformation-validate {(awsRejects ? "rejects" : "passes")} it. {detail}");
        switch (entry.CfnValidate)
        {
            case "falseAlarm":
                Assert.True(awsRejects && !weReject, $"Expected: cloudformation-validate rejects a template AWS accepts (the corpus entry says why) and we pass it. {detail}");
                break;
            case "rejects":
                Assert.True(awsRejects, $"cloudformation-validate was expected to reject this too. {detail}");
                break;
            case "misses":
                Assert.True(!awsRejects && weReject, $"Expected: cloudformation-validate passes it and we reject it. {detail}");
                break;
            default:
                Assert.True(!awsRejects, $"cloudformation-validate was expected to pass this. {detail}");
                break;
        }
    }

    [ToolTheory(Tool.CloudFormationValidate)]
    [MemberData(nameof(Definition.TemplateFiles), MemberType = typeof(Definition))]
    public async Task Emitted_template_passes_cloudformation_validate(string fileName)
    {
        var theirs = (await aws.ErrorsAsync())[Definition.EmitFile(fileName).FileName];
        Assert.True(theirs.Count == 0, $"cloudformation-validate rejects {fileName}: {string.Join(", ", theirs)}");
    }
}
