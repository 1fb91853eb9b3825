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
    public void An_error_exits_1_with_one_line_file_line_column_pointer_message_id()
    {
        var (exit, stdout, _) = Run("validate", C("invalid/unknown-property.json"), C("valid/sub-variable-map-exports.json"));
        Assert.Equal(1, exit);
        // Line 8, column 9: where "BucketNam" stands in the file, as editors and CI annotations expect FILE:LINE:COL.
        Assert.Equal($"{C("invalid/unknown-property.json")}:8:9: /Resources/Bucket/Properties/BucketNam: 'BucketNam' is not a property of AWS::S3::Bucket. (E3002)", stdout.Trim());
    }

    [Fact]
    public void A_yaml_template_is_validated_with_its_short_forms_and_findings_at_its_lines()
    {
        var file = Path.Combine(dir, "queue.yaml");
        File.WriteAllText(file, """
            AWSTemplateFormatVersion: "2010-09-09"
            Resources:
              Queue:
                Type: AWS::SQS::Queue
                Properties:
                  QueueName: !Sub "${AWS::StackName}-jobs"
                  DelaySecond: 5
                DeletionPolicy: Delete
                UpdateReplacePolicy: Delete
              Topic:
                Type: AWS::SNS::Topic
                Properties:
                  TopicName: !GetAtt Queue.QueueName
                  DisplayName: !Ref Nothing
            """);
        var (exit, stdout, _) = Run("validate", file);
        Assert.Equal(1, exit);
        var lines = stdout.Trim().Split('\n');
        Assert.Contains(lines, l => l.StartsWith($"{file}:7:7: /Resources/Queue/Properties/DelaySecond: ", StringComparison.Ordinal) && l.EndsWith("(E3002)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{file}:14:20: /Resources/Topic/Properties/DisplayName/Ref: ", StringComparison.Ordinal));
        Assert.Equal(2, lines.Length);
    }

    [Fact]
    public void A_malformed_yaml_file_exits_2_with_its_line_and_column()
    {
        var file = Path.Combine(dir, "broken.yml");
        File.WriteAllText(file, "Resources:\n  A: b\n   c: d\n");
        var (exit, _, stderr) = Run("validate", file);
        Assert.Equal(2, exit);
        Assert.Matches($@"^{System.Text.RegularExpressions.Regex.Escape(file)}:[23]:\d+: not a YAML template: .* \(E0000\)", stderr.Split('\n')[0]);
    }

    [Fact]
    public void A_folder_holds_json_and_yaml_templates()
    {
        var folder = Directory.CreateDirectory(Path.Combine(dir, "mixed")).FullName;
        File.Copy(C("invalid/unknown-property.json"), Path.Combine(folder, "a.json"));
        File.WriteAllText(Path.Combine(folder, "b.yaml"), "Resources:\n  T:\n    Type: AWS::SNS::Topic\n");
        File.WriteAllText(Path.Combine(folder, "c.yml"), "Resources:\n  T:\n    Type: AWS::SNS::Topics\n");
        var (exit, stdout, stderr) = Run("validate", folder);
        Assert.Equal(1, exit);
        Assert.Contains("3 templates: 2 errors", stderr);
        Assert.Contains("c.yml:3:5: /Resources/T/Type: ", stdout);
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
        var (validateExit, findings, summary) = Run("validate", dir);
        Assert.Equal(0, validateExit);
        // The one warning is the size of a template over the 51,200 bytes sent inline (prod's): emitting prints its S3 command instead.
        var large = emitted.Files.Count(f => f.NeedsS3);
        Assert.Contains($"{count} templates: 0 errors, {large} warning{(large == 1 ? "" : "s")}", summary);
        Assert.All(findings.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.EndsWith("(V1001)", line.TrimEnd()));
    }

    const string DuplicateKey = """
        {
          "AWSTemplateFormatVersion": "2010-09-09",
          "Resources": {
            "Bucket": {
              "Type": "AWS::S3::Bucket",
              "Properties": {
                "BucketName": "a",
                "BucketName": "b"
              }
            }
          }
        }
        """;

    [Fact]
    public void A_duplicate_key_is_an_E0000_finding_at_each_occurrence_as_cfn_lint_reports_it()
    {
        var file = Path.Combine(dir, "dup.json");
        File.WriteAllText(file, DuplicateKey);
        var (exit, stdout, stderr) = Run("validate", file);
        Assert.Equal(TemplatesCli.DefinitionErrors, exit);
        // cfn-lint 1.51.0 on this file: "E0000 Duplicate found 'BucketName' (line 7)" and "(line 8)".
        Assert.Equal(
            [$"{file}:7:9: /Resources/Bucket/Properties/BucketName: Duplicate found 'BucketName' (line 7) (E0000)",
             $"{file}:8:9: /Resources/Bucket/Properties/BucketName: Duplicate found 'BucketName' (line 8) (E0000)"],
            stdout.Trim().Split('\n'));
        Assert.Contains("1 template: 2 errors", stderr);
    }

    [Fact]
    public void Duplicate_keys_in_many_files_are_reported_for_each_file_in_sarif_with_the_others_findings()
    {
        // Eight or more files are validated in parallel: no file's failure may hide another's report.
        var files = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            var file = Path.Combine(dir, $"t{i}.json");
            if (i % 3 == 0) File.WriteAllText(file, DuplicateKey);
            else File.Copy(C("invalid/unknown-property.json"), file);
            files.Add(file);
        }
        var (exit, stdout, _) = Run(["validate", "--format", "sarif", .. files]);
        Assert.Equal(TemplatesCli.DefinitionErrors, exit);
        var results = JsonNode.Parse(stdout)!["runs"]![0]!["results"]!.AsArray();
        foreach (var (file, i) in files.Select((f, i) => (f, i)))
        {
            var ids = results.Where(r => (string)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]! == file).Select(r => (string)r!["ruleId"]!).ToList();
            Assert.Equal(i % 3 == 0 ? ["E0000", "E0000"] : ["E3002"], ids);
        }
        var duplicate = results.First(r => (string)r!["ruleId"]! == "E0000")!;
        Assert.Equal(7, (int)duplicate["locations"]![0]!["physicalLocation"]!["region"]!["startLine"]!);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public void An_internal_error_on_one_file_is_reported_for_that_file_exits_3_and_the_others_are_still_validated(string format)
    {
        var files = Enumerable.Range(0, 9).Select(i =>
        {
            var file = Path.Combine(dir, $"t{i}.json");
            File.Copy(C("invalid/unknown-property.json"), file);
            return file;
        }).ToArray();
        var poisoned = files[4];
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = ValidateCommand.Run(files, format, null, stdout, stderr, (file, bytes, schemas) =>
            file == poisoned ? throw new InvalidOperationException("injected") : Templates.Generation.Validation.TemplateValidator.Validate(bytes, schemas));

        Assert.Equal(TemplatesCli.InternalError, exit);
        var output = stdout.ToString();
        switch (format)
        {
            case "text":
                Assert.Equal(8, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.EndsWith("(E3002)", StringComparison.Ordinal)));
                Assert.Contains($"{poisoned}: internal error, not validated: InvalidOperationException: injected", stderr.ToString());
                Assert.Contains("1 not validated (internal error)", stderr.ToString());
                break;
            case "json":
                var entries = JsonNode.Parse(output)!.AsArray();
                Assert.Equal(9, entries.Count);
                var entry = entries.Single(e => (string)e!["file"]! == poisoned)!;
                Assert.False((bool)entry["valid"]!);
                Assert.StartsWith("InvalidOperationException: injected", (string)entry["internalError"]!);
                Assert.Equal(8, entries.Count(e => e!["findings"]!.AsArray().Count == 1));
                break;
            default:
                var run = JsonNode.Parse(output)!["runs"]![0]!;
                Assert.Equal(8, run["results"]!.AsArray().Count);
                var invocation = run["invocations"]![0]!;
                Assert.False((bool)invocation["executionSuccessful"]!);
                var notification = Assert.Single(invocation["toolExecutionNotifications"]!.AsArray())!;
                Assert.Equal(poisoned, (string)notification["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!);
                break;
        }
    }
}
