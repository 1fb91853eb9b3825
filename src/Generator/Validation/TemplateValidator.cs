using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Templates.Generation.CloudFormation;
using static Templates.Generation.Validation.FindingIds;

namespace Templates.Generation.Validation;

/// <summary>
/// Validates a CloudFormation JSON template, ours or anyone's: its sections and format version, parameters, logical IDs,
/// every intrinsic function (well-formed, naming things that exist), every resource's type and <c>Properties</c> against
/// the resource provider schemas, dependency cycles, CloudFormation's limits, and the checks cfn-lint misses
/// (<see cref="ServiceChecks"/>). One pass over the template; schemas are built once per type and process.
/// Each kind of knowledge has its own file, behind the one <see cref="Validate(JsonObject, int, SchemaSet?, DateOnly?)"/>:
/// the template's form (<c>TemplateForm.cs</c>), intrinsic functions (<c>IntrinsicFunctions.cs</c>), the dependency graph
/// (<c>DependencyGraph.cs</c>), resource schemas (<c>ResourceSchemas.cs</c>), IAM (<see cref="IamPolicies"/>), service facts (<see cref="ServiceChecks"/>) and
/// facts that change with time (<see cref="DatedFacts"/>).
/// </summary>
public static partial class TemplateValidator
{
    /// <summary>The largest template body <c>aws cloudformation deploy</c> sends inline; a larger one must go through S3.</summary>
    public const int InlineBodyLimit = 51_200;

    /// <summary>The largest template CloudFormation accepts from S3.</summary>
    public const int S3BodyLimit = 1_000_000;

    /// <summary>
    /// Validates a template given as its bytes. Throws <see cref="JsonException"/> when they are not a JSON object. A key
    /// repeated in one object is reported (E0000, at each occurrence, as cfn-lint 1.51 does: <c>Duplicate found 'KEY' (line N)</c>)
    /// and the template is not validated further: which of the values CloudFormation would take is not for us to guess.
    /// </summary>
    public static IReadOnlyList<TemplateProblem> Validate(ReadOnlySpan<byte> bytes, SchemaSet? schemas = null)
    {
        var duplicates = DuplicateKeys(bytes);
        if (duplicates.Count > 0) return duplicates;
        var node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }) as JsonObject
            ?? throw new JsonException("The template is not a JSON object.");
        return Validate(node, bytes.Length, schemas);
    }

    /// <summary>Every occurrence of a key that appears more than once in one object, in file order. Throws <see cref="JsonException"/> on malformed JSON.</summary>
    public static IReadOnlyList<TemplateProblem> DuplicateKeys(ReadOnlySpan<byte> bytes)
    {
        var found = new List<(long Offset, string Pointer, string Key)>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        // One frame per open object or array: its pointer, and for an object the offsets of each key; for an array the next index.
        var frames = new Stack<(string Pointer, Dictionary<string, List<long>>? Keys, int Index)>();
        string? key = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    key = reader.GetString()!;
                    var keys = frames.Peek().Keys!;
                    if (!keys.TryGetValue(key, out var offsets)) keys[key] = offsets = [];
                    offsets.Add(reader.TokenStartIndex);
                    continue;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var pointer = frames.Count == 0 ? "" : frames.Peek().Pointer + "/" + ChildSegment(frames, key);
                    frames.Push((pointer, reader.TokenType == JsonTokenType.StartObject ? new Dictionary<string, List<long>>(StringComparer.Ordinal) : null, 0));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    var frame = frames.Pop();
                    if (frame.Keys is not null)
                        foreach (var (name, at) in frame.Keys)
                            if (at.Count > 1) found.AddRange(at.Select(o => (o, $"{frame.Pointer}/{Escape(name)}", name)));
                    break;
                default:
                    if (frames.Count > 0) ChildSegment(frames, key);
                    break;
            }
            key = null;
        }
        if (found.Count == 0) return [];
        var lineStarts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') lineStarts.Add(i + 1);
        var text = bytes.ToArray();
        return [.. found.OrderBy(f => f.Offset).Select(f =>
        {
            var line = lineStarts.BinarySearch(f.Offset);
            if (line < 0) line = ~line - 1;
            return E0000.At(f.Pointer, string.Create(CultureInfo.InvariantCulture, $"Duplicate found '{f.Key}' (line {line + 1})")) with
            {
                At = new Position(line + 1, System.Text.Encoding.UTF8.GetCharCount(text, (int)lineStarts[line], (int)(f.Offset - lineStarts[line])) + 1),
            };
        })];
    }

    /// <summary>The pointer segment of the next value in the innermost frame: the pending key in an object, the next index in an array.</summary>
    static string ChildSegment(Stack<(string Pointer, Dictionary<string, List<long>>? Keys, int Index)> frames, string? key)
    {
        var top = frames.Pop();
        string segment;
        if (top.Keys is not null) segment = Escape(key!);
        else
        {
            segment = top.Index.ToString(CultureInfo.InvariantCulture);
            top.Index++;
        }
        frames.Push(top);
        return segment;
    }

    /// <summary>
    /// Every problem of the template; <paramref name="size"/> is its size in bytes, <paramref name="schemas"/> the resource
    /// schemas (the embedded set when null), and <paramref name="today"/> the date the dated checks
    /// (<see cref="DatedFacts"/>) judge by (today, UTC, when null).
    /// </summary>
    public static IReadOnlyList<TemplateProblem> Validate(JsonObject template, int size, SchemaSet? schemas = null, DateOnly? today = null)
    {
        // AWS::LanguageExtensions runs before CloudFormation reads the template: check what its Fn::ForEach loops expand to.
        if (LanguageExtensions.Expand(template) is not { } expanded)
            return [W1032.At("/Transform", "An Fn::ForEach loops over a value known only at deploy time (a list parameter without a default): the template is not checked.")];
        return new Run(expanded, size, schemas ?? SchemaSet.Embedded, today ?? DateOnly.FromDateTime(DateTime.UtcNow)).Go();
    }

    /// <summary>Escapes a key for a JSON pointer (RFC 6901).</summary>
    public static string Escape(string key) => key.Replace("~", "~0").Replace("/", "~1");

    /// <summary>The one function of an intrinsic-function object, or null.</summary>
    internal static (string Name, JsonNode? Value)? AsFunction(JsonNode? node)
    {
        if (node is not JsonObject { Count: 1 } obj) return null;
        var (key, value) = obj.First();
        return key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal) ? (key, value) : null;
    }

    /// <summary>A member of an object; null for anything else (a list, a string or a number where an object was expected).</summary>
    internal static JsonNode? Member(JsonNode? node, string key) => (node as JsonObject)?[key];

    internal static string? AsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    sealed partial class Run(JsonObject template, int size, SchemaSet schemas, DateOnly today)
    {
        readonly List<TemplateProblem> problems = [];
        readonly JsonObject parameters = template["Parameters"] as JsonObject ?? [];
        readonly JsonObject resources = template["Resources"] as JsonObject ?? [];
        readonly JsonObject conditions = template["Conditions"] as JsonObject ?? [];
        readonly JsonObject mappings = template["Mappings"] as JsonObject ?? [];
        readonly JsonObject outputs = template["Outputs"] as JsonObject ?? [];
        readonly bool transformed = template.ContainsKey("Transform");

        public IReadOnlyList<TemplateProblem> Go()
        {
            Guarded("template form", () => { CheckSections(); CheckParameters(); CheckMappings(); });
            Guarded("conditions", () => { foreach (var (name, condition) in conditions) WalkCondition(condition, $"/Conditions/{Escape(name)}"); });
            Guarded("resources", CheckResources);
            Guarded("outputs", CheckOutputs);
            Guarded("dependencies", () => { FindCycles(); CheckOrdering(); });
            Guarded("service facts", () => ServiceChecks.Run(template, problems));
            Guarded("IAM policies", () => IamPolicies.Run(template, problems));
            Guarded("dated facts", () => DatedFacts.Run(template, problems, today));
            return problems;
        }

        // A shape no check foresaw must not cost the template its other checks, nor the run its other files: the failed
        // check becomes a finding of its own (W0001) and the others still report.
        void Guarded(string checks, Action run)
        {
            try { run(); }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or KeyNotFoundException or NullReferenceException or FormatException or InvalidCastException or JsonException)
            {
                Add(W0001, "", $"The {checks} checks stopped on an internal error ({e.GetType().Name}: {e.Message}); the other checks ran. Please report this template.");
            }
        }

        void Add(FindingId id, string pointer, string message) => problems.Add(id.At(pointer, message));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
internal sealed partial class JsonNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
