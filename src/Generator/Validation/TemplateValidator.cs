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
        // One frame per open object or array, reused by depth: every template is read here before it is parsed, so this scan
        // keeps to one string per key (an object's keys and the offset each first appeared at) and builds a pointer only for a duplicate.
        var frames = new List<KeyFrame>();
        var depth = 0;
        string? key = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    key = reader.GetString()!;
                    var keys = frames[depth - 1].Keys;
                    if (!keys.TryAdd(key, reader.TokenStartIndex))
                    {
                        var pointer = KeyFrame.Pointer(frames, depth) + "/" + Escape(key);
                        var first = keys[key];
                        // The first occurrence is reported once, with the second; its offset is then marked (negative) as reported.
                        if (first >= 0) { found.Add((first, pointer, key)); keys[key] = -1 - first; }
                        found.Add((reader.TokenStartIndex, pointer, key));
                    }
                    continue;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var index = depth > 0 ? frames[depth - 1].Advance() : 0;
                    if (frames.Count == depth) frames.Add(new KeyFrame());
                    frames[depth++].Open(reader.TokenType == JsonTokenType.StartObject, key, index);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    depth--;
                    break;
                default:
                    if (depth > 0) frames[depth - 1].Advance();
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

    /// <summary>An open object or array of <see cref="DuplicateKeys"/>: where it sits in its parent, and what it has read so far.</summary>
    sealed class KeyFrame
    {
        /// <summary>An object's keys, each with the offset it first appeared at (made negative once reported as a duplicate).</summary>
        public Dictionary<string, long> Keys { get; } = new(StringComparer.Ordinal);

        bool isObject;
        string? keyInParent;
        int indexInParent;
        int count;

        public void Open(bool asObject, string? key, int index)
        {
            isObject = asObject;
            keyInParent = key;
            indexInParent = index;
            Keys.Clear();
            count = 0;
        }

        /// <summary>Counts a value read here and returns its index (what it is at in an array).</summary>
        public int Advance() => count++;

        /// <summary>The JSON pointer of the container open at <paramref name="depth"/> (1 is the root).</summary>
        public static string Pointer(List<KeyFrame> frames, int depth)
        {
            var pointer = new System.Text.StringBuilder();
            for (var d = 1; d < depth; d++)
            {
                var parent = frames[d - 1];
                var child = frames[d];
                pointer.Append('/').Append(parent.isObject ? Escape(child.keyInParent!) : child.indexInParent.ToString(CultureInfo.InvariantCulture));
            }
            return pointer.ToString();
        }
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
        var (key, value) = obj.GetAt(0);
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
