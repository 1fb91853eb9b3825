using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using Templates.Generation.Validation;
using Templates.Rules;

namespace Templates.Generation.Cli;

/// <summary>
/// <c>validate FILE…</c>: validates any CloudFormation template, JSON or YAML (files, or folders of <c>*.json</c>, <c>*.yaml</c>, <c>*.yml</c>) and prints one
/// line per finding, <c>FILE:LINE:COL: /json/pointer: message (ID)</c>, or JSON, or SARIF 2.1.0. Exit code 0 when no finding is an
/// error, 1 when one is, 2 for bad usage or a file that cannot be read or parsed, 3 when a file could not be validated
/// because of an internal error (a bug in Templates; the other files are still validated and reported).
/// </summary>
public static class ValidateCommand
{
    /// <summary>The output formats.</summary>
    public static readonly string[] Formats = ["text", "json", "sarif"];

    /// <summary>The subcommand, its action writing to the given streams.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "Template files (JSON or YAML), or folders whose *.json, *.yaml and *.yml files are validated.",
            Arity = ArgumentArity.OneOrMore,
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (one line per finding), json, or sarif (SARIF 2.1.0, for code scanning).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong(Formats);
        var schemas = new Option<string?>("--schemas")
        {
            Description = "A folder or zip of official CloudFormation resource schemas (per-type aws-*.json files, e.g. CloudFormationSchema.zip) instead of the compact set built in.",
        };
        var command = new Command("validate", "Validates CloudFormation templates, JSON or YAML (any, not only these definitions') against the resource schemas and the checks cfn-lint misses.")
        {
            files, format, schemas,
        };
        command.SetAction(parse => Run(parse.GetValue(files)!, parse.GetValue(format)!, parse.GetValue(schemas), stdout, stderr));
        return command;
    }

    /// <summary>
    /// What validating one file found; <see cref="Unreadable"/> is set when it could not be read or parsed, <see cref="InternalError"/>
    /// when the validator itself failed on it (then <see cref="Problems"/> is empty: the file was not validated).
    /// </summary>
    public sealed record FileResult(string File, IReadOnlyList<TemplateProblem> Problems, string? Unreadable = null, string? InternalError = null)
    {
        /// <summary>Where a JSON pointer's value stands in the file as written (null when unknown); read only when asked.</summary>
        public Func<string, Position?> Locate { get; init; } = _ => null;

        /// <summary>Where the file stops making sense, for an unreadable file.</summary>
        public Position? UnreadableAt { get; init; }

        /// <summary><c>FILE:LINE:COL</c> for a pointer, or <c>FILE</c> when its position is unknown.</summary>
        public string Where(string pointer) => Where(Locate(pointer));

        internal string Where(Position? position) => position is { } p ? $"{File}:{p.Line}:{p.Column}" : File;
    }

    /// <summary>The template files of a folder: JSON and YAML.</summary>
    static readonly string[] TemplatePatterns = ["*.json", "*.yaml", "*.yml"];

    /// <summary>The command's action; <paramref name="validate"/> replaces the validator (a test seam for internal failures).</summary>
    internal static int Run(string[] paths, string format, string? schemasPath, TextWriter stdout, TextWriter stderr,
        Func<string, byte[], SchemaSet?, IReadOnlyList<TemplateProblem>>? validate = null)
    {
        validate ??= ValidateBytes;
        SchemaSet schemas;
        try
        {
            schemas = schemasPath is null ? SchemaSet.Embedded : SchemaSet.Open(schemasPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return TemplatesCli.UsageError;
        }

        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path)) files.AddRange(TemplatePatterns.SelectMany(p => Directory.EnumerateFiles(path, p)).Order(StringComparer.Ordinal));
            else files.Add(path);
        }
        if (files.Count == 0)
        {
            stderr.WriteLine($"error: no *.json, *.yaml or *.yml file in {string.Join(", ", paths)}.");
            return TemplatesCli.UsageError;
        }

        var results = new FileResult[files.Count];
        // A few files are done faster than thread-pool threads start.
        // ValidateFile never throws, so no file's failure hides the others' reports (no AggregateException).
        if (files.Count < 8) for (var i = 0; i < files.Count; i++) results[i] = ValidateFile(files[i], schemas, validate);
        else Parallel.For(0, files.Count, i => results[i] = ValidateFile(files[i], schemas, validate));

        switch (format)
        {
            case "json": stdout.WriteLine(Json(results)); break;
            case "sarif": stdout.WriteLine(Sarif(results)); break;
            default:
                foreach (var result in results)
                {
                    if (result.Unreadable is not null) stderr.WriteLine($"{result.Where(result.UnreadableAt)}: {result.Unreadable} (E0000)");
                    if (result.InternalError is not null) stderr.WriteLine($"{result.File}: internal error, not validated: {result.InternalError}");
                    foreach (var problem in result.Problems)
                        stdout.WriteLine($"{result.Where(problem.At ?? result.Locate(problem.Pointer))}: {(problem.Pointer.Length == 0 ? "/" : problem.Pointer)}: {(problem.IsError ? "" : "warning: ")}{problem.Message} ({problem.Id})");
                }
                var errors = results.Sum(r => r.Problems.Count(p => p.IsError));
                var warnings = results.Sum(r => r.Problems.Count(p => !p.IsError));
                var unreadable = results.Count(r => r.Unreadable is not null);
                var failed = results.Count(r => r.InternalError is not null);
                stderr.WriteLine($"{results.Length} template{(results.Length == 1 ? "" : "s")}: {errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")}{(unreadable > 0 ? $", {unreadable} unreadable" : "")}{(failed > 0 ? $", {failed} not validated (internal error)" : "")}.");
                break;
        }
        if (results.Any(r => r.InternalError is not null)) return TemplatesCli.InternalError;
        if (results.Any(r => r.Unreadable is not null)) return TemplatesCli.UsageError;
        return results.Any(r => r.Problems.Any(p => p.IsError)) ? TemplatesCli.DefinitionErrors : TemplatesCli.Success;
    }

    /// <summary>Reads, parses and validates one file. Never throws: whatever goes wrong is that file's result, so the other files are still reported.</summary>
    public static FileResult ValidateFile(string file, SchemaSet? schemas = null) => ValidateFile(file, schemas, ValidateBytes);

    /// <summary>
    /// Validates a file's bytes: a JSON template as it is, a YAML one once read into the same tree (its short forms expanded).
    /// Throws <see cref="TemplateSyntaxException"/> or <see cref="JsonException"/> for a file that is not a template.
    /// </summary>
    static IReadOnlyList<TemplateProblem> ValidateBytes(string file, byte[] bytes, SchemaSet? schemas)
    {
        if (!TemplateReader.IsYaml(bytes, file)) return TemplateValidator.Validate(bytes, schemas);
        var read = TemplateReader.Read(bytes, file);
        // As for JSON: every occurrence of a repeated key, and nothing more (which value CloudFormation takes is not ours to guess).
        if (read.Duplicates.Count > 0)
            return [.. read.Duplicates.Select(d => FindingIds.E0000.At(d.Pointer, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Duplicate found '{d.Key}' (line {d.Position.Line})")) with { At = d.Position })];
        return TemplateValidator.Validate(read.Root as JsonObject ?? throw new TemplateSyntaxException("The template is not a mapping.", read.PositionOf("")), bytes.Length, schemas);
    }

    /// <summary>Positions read lazily from the file's bytes, the first time a finding asks for one.</summary>
    static Func<string, Position?> Locator(byte[] bytes, string file)
    {
        var read = new Lazy<ReadTemplate?>(() =>
        {
            try { return TemplateReader.Read(bytes, file); }
            catch (Exception e) when (e is TemplateSyntaxException or JsonException) { return null; }
        });
        return pointer => read.Value?.PositionOf(pointer);
    }

    /// <summary>As <see cref="ValidateFile(string, SchemaSet?)"/>, with the validator given (a test seam for internal failures).</summary>
    internal static FileResult ValidateFile(string file, SchemaSet? schemas, Func<string, byte[], SchemaSet?, IReadOnlyList<TemplateProblem>> validate)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileResult(file, [], $"cannot read the file: {e.Message}");
        }
        try
        {
            return new FileResult(file, validate(file, bytes, schemas)) { Locate = Locator(bytes, file) };
        }
        catch (TemplateSyntaxException e)
        {
            return new FileResult(file, [], e.Message) { UnreadableAt = e.Position };
        }
        catch (JsonException e)
        {
            return new FileResult(file, [], $"not a JSON template: {e.Message}")
            {
                UnreadableAt = e.LineNumber is { } line ? new Position((int)line + 1, (int)(e.BytePositionInLine ?? 0) + 1) : null,
            };
        }
        catch (Exception e)
        {
            // A bug of ours, not a finding on the template: reported for this file, and the run goes on with the others.
            return new FileResult(file, [], InternalError: $"{e.GetType().Name}: {e.Message} (a bug in Templates; please report it with this file). {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
        }
    }

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static string Json(IEnumerable<FileResult> results)
    {
        var array = new JsonArray();
        foreach (var result in results)
        {
            var findings = new JsonArray();
            if (result.Unreadable is not null)
                findings.Add((JsonNode)WithPosition(new JsonObject { ["pointer"] = "", ["id"] = "E0000", ["severity"] = "error", ["message"] = result.Unreadable }, result.UnreadableAt));
            foreach (var p in result.Problems)
                findings.Add((JsonNode)WithPosition(new JsonObject { ["pointer"] = p.Pointer, ["id"] = p.Id, ["severity"] = p.IsError ? "error" : "warning", ["message"] = p.Message }, p.At ?? result.Locate(p.Pointer)));
            var entry = new JsonObject
            {
                ["file"] = result.File,
                ["valid"] = result.Unreadable is null && result.InternalError is null && !result.Problems.Any(p => p.IsError),
                ["findings"] = findings,
            };
            if (result.InternalError is not null) entry["internalError"] = result.InternalError;
            array.Add((JsonNode)entry);
        }
        return array.ToJsonString(Indented);

        static JsonObject WithPosition(JsonObject finding, Position? position)
        {
            if (position is { } p)
            {
                finding["line"] = p.Line;
                finding["column"] = p.Column;
            }
            return finding;
        }
    }

    /// <summary>SARIF 2.1.0: one run, the finding IDs as rules, each result at its file, line and column (found from the pointer).</summary>
    static string Sarif(IReadOnlyList<FileResult> results)
    {
        var rules = new JsonArray();
        foreach (var id in FindingIds.All)
            rules.Add((JsonNode)new JsonObject
            {
                ["id"] = id.Id,
                ["shortDescription"] = new JsonObject { ["text"] = id.Title },
                ["help"] = new JsonObject { ["text"] = "See docs/validation.md in the Templates repository." },
                ["defaultConfiguration"] = new JsonObject { ["level"] = id.Severity == Severity.Error ? "error" : "warning" },
            });
        var sarifResults = new JsonArray();
        foreach (var result in results)
        {
            var uri = result.File.Replace('\\', '/');
            IEnumerable<(string Pointer, string Id, string Level, string Message, Position? At)> findings =
                result.Problems.Select(p => (p.Pointer, p.Id, p.IsError ? "error" : "warning", p.Message, p.At ?? result.Locate(p.Pointer)));
            if (result.Unreadable is not null) findings = findings.Prepend(("", "E0000", "error", result.Unreadable, result.UnreadableAt));
            foreach (var (pointer, id, level, message, at) in findings)
            {
                var physical = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = uri } };
                var position = at ?? new Position(1, 1);
                physical["region"] = new JsonObject { ["startLine"] = position.Line, ["startColumn"] = position.Column };
                sarifResults.Add((JsonNode)new JsonObject
                {
                    ["ruleId"] = id,
                    ["level"] = level,
                    ["message"] = new JsonObject { ["text"] = $"{message} ({(pointer.Length == 0 ? "/" : pointer)})" },
                    ["locations"] = new JsonArray(new JsonObject
                    {
                        ["physicalLocation"] = physical,
                        ["logicalLocations"] = new JsonArray(new JsonObject { ["fullyQualifiedName"] = pointer.Length == 0 ? "/" : pointer, ["kind"] = "member" }),
                    }),
                });
            }
        }
        // A file the validator failed on is a tool execution notification, not a result: nothing is known about the file.
        var notifications = new JsonArray();
        foreach (var result in results.Where(r => r.InternalError is not null))
            notifications.Add((JsonNode)new JsonObject
            {
                ["level"] = "error",
                ["message"] = new JsonObject { ["text"] = $"Internal error, not validated: {result.InternalError}" },
                ["locations"] = new JsonArray(new JsonObject { ["physicalLocation"] = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = result.File.Replace('\\', '/') } } }),
            });
        var sarif = new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = "templates-validate",
                        ["rules"] = rules,
                    },
                },
                ["invocations"] = new JsonArray(new JsonObject
                {
                    ["executionSuccessful"] = notifications.Count == 0,
                    ["toolExecutionNotifications"] = notifications,
                }),
                ["results"] = sarifResults,
            }),
        };
        return sarif.ToJsonString(Indented);
    }
}
