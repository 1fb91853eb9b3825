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
/// <c>validate FILE…</c>: validates any CloudFormation JSON template (files, or folders of <c>*.json</c>) and prints one
/// line per finding, <c>FILE: /json/pointer: message (ID)</c>, or JSON, or SARIF 2.1.0. Exit code 0 when no finding is an
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
            Description = "Template files, or folders whose *.json files are validated.",
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
        var command = new Command("validate", "Validates CloudFormation JSON templates (any, not only these definitions') against the resource schemas and the checks cfn-lint misses.")
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
    public sealed record FileResult(string File, IReadOnlyList<TemplateProblem> Problems, string? Unreadable = null, string? InternalError = null);

    /// <summary>The command's action; <paramref name="validate"/> replaces the validator (a test seam for internal failures).</summary>
    internal static int Run(string[] paths, string format, string? schemasPath, TextWriter stdout, TextWriter stderr,
        Func<string, byte[], SchemaSet?, IReadOnlyList<TemplateProblem>>? validate = null)
    {
        validate ??= (_, bytes, set) => TemplateValidator.Validate(bytes, set);
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
            if (Directory.Exists(path)) files.AddRange(Directory.EnumerateFiles(path, "*.json").Order(StringComparer.Ordinal));
            else files.Add(path);
        }
        if (files.Count == 0)
        {
            stderr.WriteLine($"error: no *.json file in {string.Join(", ", paths)}.");
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
                    if (result.Unreadable is not null) stderr.WriteLine($"{result.File}: {result.Unreadable} (E0000)");
                    if (result.InternalError is not null) stderr.WriteLine($"{result.File}: internal error, not validated: {result.InternalError}");
                    foreach (var problem in result.Problems)
                        stdout.WriteLine($"{result.File}: {(problem.Pointer.Length == 0 ? "/" : problem.Pointer)}: {(problem.IsError ? "" : "warning: ")}{problem.Message} ({problem.Id})");
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
    public static FileResult ValidateFile(string file, SchemaSet? schemas = null) => ValidateFile(file, schemas, (_, bytes, set) => TemplateValidator.Validate(bytes, set));

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
            return new FileResult(file, validate(file, bytes, schemas));
        }
        catch (JsonException e)
        {
            return new FileResult(file, [], $"not a JSON template: {e.Message}");
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
                findings.Add(new JsonObject { ["pointer"] = "", ["id"] = "E0000", ["severity"] = "error", ["message"] = result.Unreadable });
            foreach (var p in result.Problems)
                findings.Add(new JsonObject { ["pointer"] = p.Pointer, ["id"] = p.Id, ["severity"] = p.IsError ? "error" : "warning", ["message"] = p.Message });
            var entry = new JsonObject
            {
                ["file"] = result.File,
                ["valid"] = result.Unreadable is null && result.InternalError is null && !result.Problems.Any(p => p.IsError),
                ["findings"] = findings,
            };
            if (result.InternalError is not null) entry["internalError"] = result.InternalError;
            array.Add(entry);
        }
        return array.ToJsonString(Indented);
    }

    /// <summary>SARIF 2.1.0: one run, the finding IDs as rules, each result at its file, line and column (found from the pointer).</summary>
    static string Sarif(IReadOnlyList<FileResult> results)
    {
        var rules = new JsonArray();
        foreach (var id in FindingIds.All)
            rules.Add(new JsonObject
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
            var locator = result.Unreadable is null ? JsonLocator.TryCreate(result.File) : null;
            IEnumerable<(string Pointer, string Id, string Level, string Message)> findings = result.Problems.Select(p => (p.Pointer, p.Id, p.IsError ? "error" : "warning", p.Message));
            if (result.Unreadable is not null) findings = findings.Prepend(("", "E0000", "error", result.Unreadable));
            foreach (var (pointer, id, level, message) in findings)
            {
                var physical = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = uri } };
                var (line, column) = locator?.Find(pointer) ?? (1, 1);
                physical["region"] = new JsonObject { ["startLine"] = line, ["startColumn"] = column };
                sarifResults.Add(new JsonObject
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
            notifications.Add(new JsonObject
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

/// <summary>Finds the line and column of a JSON pointer in a file, for SARIF regions.</summary>
internal sealed class JsonLocator
{
    readonly Dictionary<string, (int Line, int Column)> positions = new(StringComparer.Ordinal);

    public static JsonLocator? TryCreate(string file)
    {
        try { return new JsonLocator(File.ReadAllBytes(file)); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    JsonLocator(byte[] bytes)
    {
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') lineStarts.Add(i + 1);
        var reader = new Utf8JsonReader(bytes);
        var path = new List<string>();
        var index = new Stack<int>(); // -1: in an object; n: next array index
        string? pendingKey = null;
        while (reader.Read())
        {
            var start = (int)reader.TokenStartIndex;
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pendingKey = TemplateValidator.Escape(reader.GetString()!);
                    Record(Pointer(path, pendingKey), start);
                    continue;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var segment = Segment(ref pendingKey, index);
                    if (segment is not null) path.Add(segment);
                    if (path.Count == 0 || segment is not null) Record(Pointer(path, null), start);
                    index.Push(reader.TokenType == JsonTokenType.StartArray ? 0 : -1);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    index.Pop();
                    if (path.Count > 0 && index.Count > 0) path.RemoveAt(path.Count - 1);
                    break;
                default:
                    var leaf = Segment(ref pendingKey, index);
                    if (leaf is not null && !positions.ContainsKey(Pointer(path, leaf))) Record(Pointer(path, leaf), start);
                    break;
            }
        }

        void Record(string pointer, int offset)
        {
            var line = lineStarts.BinarySearch(offset);
            if (line < 0) line = ~line - 1;
            positions.TryAdd(pointer, (line + 1, offset - lineStarts[line] + 1));
        }
    }

    static string? Segment(ref string? pendingKey, Stack<int> index)
    {
        if (pendingKey is not null) { var key = pendingKey; pendingKey = null; return key; }
        if (index.Count > 0 && index.Peek() >= 0)
        {
            var i = index.Pop();
            index.Push(i + 1);
            return i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return null;
    }

    static string Pointer(List<string> path, string? last)
    {
        var builder = new StringBuilder();
        foreach (var segment in path) builder.Append('/').Append(segment);
        if (last is not null) builder.Append('/').Append(last);
        return builder.ToString();
    }

    /// <summary>The position of the pointer, or of its nearest ancestor present in the file.</summary>
    public (int Line, int Column)? Find(string pointer)
    {
        while (true)
        {
            if (positions.TryGetValue(pointer, out var position)) return position;
            if (pointer.Length == 0) return null;
            pointer = pointer[..pointer.LastIndexOf('/')];
        }
    }
}
