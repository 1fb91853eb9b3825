using System.Text.Json.Nodes;
using Templates.Generation.Cli;

namespace Templates.Validation.Tests;

/// <summary><c>definitions validate FILE…</c>, run in-process: output formats and exit codes.</summary>
public sealed class ValidateCommandTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("templates-validate-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = TemplatesCli.Run(args, stdout, stderr, Definitions.FlaskApp.Definition);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    static string C(string file) => Corpus.Get(file).Path;

    [Fact]
    public void Valid_templates_exit_0()
    {
        var (exit, stdout, stderr) = Run("validate", Path.Combine(Corpus.Directory, "valid"));
        Assert.Equal(0, exit);
        Assert.Equal("", stdout);
        Assert.Contains("0 errors", stderr);
    }

    [Fact]
    public void An_error_exits_1_with_one_line_file_pointer_message_id()
    {
        var (exit, stdout, _) = Run("validate", C("invalid/unknown-property.json"), C("valid/sub-variable-map-exports.json"));
        Assert.Equal(1, exit);
        Assert.Equal($"{C("invalid/unknown-property.json")}: /Resources/Bucket/Properties/BucketNam: 'BucketNam' is not a property of AWS::S3::Bucket. (E3002)", stdout.Trim());
    }

    [Fact]
    public void Warnings_alone_exit_0()
    {
        var (exit, stdout, _) = Run("validate", C("warn/legacy-tls-policy.json"));
        Assert.Equal(0, exit);
        Assert.Contains("warning: ", stdout);
        Assert.Contains("(V0016)", stdout);
    }

    [Fact]
    public void Unreadable_or_unparseable_files_and_bad_usage_exit_2()
    {
        var broken = Path.Combine(dir, "broken.json");
        File.WriteAllText(broken, "{ \"Resources\": ");
        Assert.Equal(2, Run("validate", broken).Exit);
        Assert.Equal(2, Run("validate", Path.Combine(dir, "missing.json"), C("invalid/unknown-property.json")).Exit);
        Assert.Equal(2, Run("validate").Exit);
        Assert.Equal(2, Run("validate", "--format", "xml", C("valid/sub-variable-map-exports.json")).Exit);
        Assert.Equal(2, Run("validate", "--schemas", Path.Combine(dir, "nowhere"), C("valid/sub-variable-map-exports.json")).Exit);
    }

    [Fact]
    public void Json_format_lists_files_verdicts_and_findings()
    {
        var (exit, stdout, _) = Run("validate", "--format", "json", C("invalid/dependency-cycle.json"), C("valid/conditions-if-join-exports.json"));
        Assert.Equal(1, exit);
        var files = JsonNode.Parse(stdout)!.AsArray();
        Assert.Equal([false, true], files.Select(f => (bool)f!["valid"]!));
        Assert.Equal("/Resources/A", (string)files[0]!["findings"]![0]!["pointer"]!);
        Assert.Equal("E3004", (string)files[0]!["findings"]![0]!["id"]!);
    }

    [Fact]
    public void Sarif_format_is_sarif_2_1_0_with_rules_and_regions()
    {
        var (exit, stdout, _) = Run("validate", "--format", "sarif", C("invalid/enum-violation.json"));
        Assert.Equal(1, exit);
        var sarif = JsonNode.Parse(stdout)!;
        Assert.Equal("2.1.0", (string)sarif["version"]!);
        var run = sarif["runs"]![0]!;
        Assert.Contains(run["tool"]!["driver"]!["rules"]!.AsArray(), r => (string)r!["id"]! == "E3030");
        var result = Assert.Single(run["results"]!.AsArray())!;
        Assert.Equal(("E3030", "error"), ((string)result["ruleId"]!, (string)result["level"]!));
        var region = result["locations"]![0]!["physicalLocation"]!["region"]!;
        var line = File.ReadAllLines(C("invalid/enum-violation.json"))[(int)region["startLine"]! - 1];
        Assert.Contains("\"RetentionInDays\"", line);
    }

    [Fact]
    public void Emitting_still_works_beside_validate()
    {
        var (exit, stdout, stderr) = Run("--out", dir);
        Assert.True(exit == 0, stderr);
        var emitted = Templates.Generation.Emitter.Generate([Definitions.FlaskApp.Definition]);
        var count = emitted.Templates.Count + emitted.SharedTemplates.Count;
        Assert.Contains($"Wrote {count} templates", stdout);
        var (validateExit, _, summary) = Run("validate", dir);
        Assert.Equal(0, validateExit);
        Assert.Contains($"{count} templates: 0 errors, 0 warnings", summary);
    }
}
