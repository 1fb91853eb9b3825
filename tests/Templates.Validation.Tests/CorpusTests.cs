using Templates.Generation.Cli;

namespace Templates.Validation.Tests;

/// <summary>Every corpus template gets exactly the verdict and the one finding corpus.json expects.</summary>
public class CorpusTests
{
    public static TheoryData<string> Invalid => Corpus.Files("invalid");
    public static TheoryData<string> Warn => Corpus.Files("warn");
    public static TheoryData<string> Valid => Corpus.Files("valid");

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_template_has_one_error_at_the_broken_spot(string file)
    {
        var entry = Corpus.Get(file);
        var result = ValidateCommand.ValidateFile(entry.Path);
        Assert.Null(result.Unreadable);
        var error = Assert.Single(result.Problems, p => p.IsError);
        Assert.Equal((entry.Id, entry.Pointer), (error.Id, error.Pointer));
    }

    [Theory]
    [MemberData(nameof(Warn))]
    public void A_template_with_a_risk_has_one_warning_and_no_error(string file)
    {
        var entry = Corpus.Get(file);
        var problem = Assert.Single(ValidateCommand.ValidateFile(entry.Path).Problems);
        Assert.False(problem.IsError, problem.ToString());
        Assert.Equal((entry.Id, entry.Pointer), (problem.Id, problem.Pointer));
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_valid_template_has_no_finding(string file)
    {
        var problems = ValidateCommand.ValidateFile(Corpus.Get(file).Path).Problems;
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>The acceptance list of issue 4, each item covered by a corpus template with its finding ID.</summary>
    [Theory]
    [InlineData("unknown-property", "E3002")]
    [InlineData("wrong-type", "E3012")]
    [InlineData("missing-required-property", "E3003")]
    [InlineData("missing-required-nested-property", "E3003")]
    [InlineData("enum-violation", "E3030")]
    [InlineData("number-out-of-range", "E3034")]
    [InlineData("unresolved-ref", "E1012")]
    [InlineData("unresolved-getatt", "E1010")]
    [InlineData("unresolved-dependson", "E3005")]
    [InlineData("unresolved-sub-variable", "E1019")]
    [InlineData("unknown-getatt-attribute", "E1010")]
    [InlineData("unknown-resource-type", "E3008")]
    [InlineData("dependency-cycle", "E3004")]
    [InlineData("invalid-logical-id", "E3006")]
    [InlineData("invalid-parameter-type", "E2002")]
    [InlineData("unknown-intrinsic-function", "E1030")]
    [InlineData("too-many-resources", "E3010")]
    [InlineData("invalid-format-version", "E1005")]
    [InlineData("unknown-top-level-section", "E1001")]
    [InlineData("fargate-cpu-memory", "V0003")]
    public void The_acceptance_list_is_covered(string name, string id) =>
        Assert.Equal(id, Corpus.Get($"invalid/{name}.json").Id);

    [Fact]
    public void The_valid_templates_use_conditions_if_join_sub_with_a_map_exports_and_string_scalars()
    {
        var text = string.Concat(Corpus.Entries.Where(e => e.Kind == "valid").Select(e => File.ReadAllText(e.Path)));
        foreach (var needle in new[] { "\"Conditions\"", "\"Fn::If\"", "\"Fn::Join\"", "\"Fn::Sub\": [", "\"Export\"", "\"5000\"", "\"true\"" })
            Assert.Contains(needle, text);
    }

    [Fact]
    public void Every_corpus_file_is_listed_in_corpus_json()
    {
        var files = Directory.EnumerateFiles(Corpus.Directory, "*.json", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Corpus.Directory, f).Replace('\\', '/')).Where(f => f != "corpus.json").Order(StringComparer.Ordinal);
        Assert.Equal(files, Corpus.Entries.Select(e => e.File).Order(StringComparer.Ordinal));
    }
}
