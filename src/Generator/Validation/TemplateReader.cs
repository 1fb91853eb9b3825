using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Templates.Generation.Validation;

/// <summary>A line and a column in a file as written, both counted from 1 (columns in characters).</summary>
public readonly record struct Position(int Line, int Column)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Line}:{Column}");
}

/// <summary>
/// A template read from JSON or YAML: the same JSON tree CloudFormation works on, and where each value stands in the file,
/// so a finding can name the line and column of what it is about.
/// </summary>
public sealed class ReadTemplate
{
    readonly Dictionary<string, Position> positions;

    internal ReadTemplate(JsonNode? root, Dictionary<string, Position> positions, bool isYaml, IReadOnlyList<DuplicateKey> duplicates)
    {
        Root = root;
        this.positions = positions;
        IsYaml = isYaml;
        Duplicates = duplicates;
    }

    /// <summary>
    /// Every occurrence of a key repeated in one mapping, in file order (CloudFormation rejects such a template; which value
    /// it would take is not for a validator to guess). The tree holds the first occurrence's value.
    /// </summary>
    public IReadOnlyList<DuplicateKey> Duplicates { get; }

    /// <summary>The template as JSON (YAML short forms expanded to their <c>Fn::</c> objects).</summary>
    public JsonNode? Root { get; }

    /// <summary>Whether the file was YAML.</summary>
    public bool IsYaml { get; }

    /// <summary>
    /// Where the value at a JSON pointer stands: for an object member, its key; for an array item, the item. A pointer into
    /// a value the file does not hold (a missing property) gets the position of its nearest written ancestor.
    /// </summary>
    public Position? PositionOf(string pointer)
    {
        for (var p = pointer; ; p = p[..p.LastIndexOf('/')])
        {
            if (positions.TryGetValue(p, out var position)) return position;
            if (p.Length == 0) return null;
        }
    }
}

/// <summary>One occurrence of a key repeated in its object: its pointer, its key, and where it stands.</summary>
public sealed record DuplicateKey(string Pointer, string Key, Position Position);

/// <summary>Thrown for a file that is neither well-formed JSON nor well-formed YAML, with where the reader stopped.</summary>
public sealed class TemplateSyntaxException(string message, Position? position) : Exception(message)
{
    /// <summary>Where the file stops making sense, when known.</summary>
    public Position? Position { get; } = position;
}

/// <summary>
/// Reads a template file, JSON or YAML, as CloudFormation does: YAML's short forms (<c>!Ref</c>, <c>!Sub</c>,
/// <c>!GetAtt a.b</c>, <c>!If</c>, …) become the JSON objects they stand for (<c>!Name x</c> is <c>{"Fn::Name": x}</c>;
/// <c>!Ref</c> and <c>!Condition</c> keep their names), and every value keeps its position.
/// </summary>
public static partial class TemplateReader
{
    /// <summary>
    /// Reads <paramref name="bytes"/> as YAML when <see cref="IsYaml"/> says so, else as JSON. Throws
    /// <see cref="TemplateSyntaxException"/> with a position for a malformed file; repeated keys are listed in
    /// <see cref="ReadTemplate.Duplicates"/>.
    /// </summary>
    public static ReadTemplate Read(ReadOnlySpan<byte> bytes, string? fileName = null)
    {
        return IsYaml(bytes, fileName) ? ReadYaml(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF')) : ReadJson(bytes);
    }

    /// <summary>YAML when the file name ends in <c>.yaml</c>/<c>.yml</c>, or when the text does not start with <c>{</c>.</summary>
    public static bool IsYaml(ReadOnlySpan<byte> bytes, string? fileName)
    {
        if (fileName is not null && (fileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
            return true;
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        foreach (var b in bytes)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return b != (byte)'{';
        return false;
    }

    // ---- JSON -----------------------------------------------------------------------------------------------------------

    static ReadTemplate ReadJson(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        var lines = new LineIndex(bytes);
        var positions = new Dictionary<string, Position>(StringComparer.Ordinal);
        var duplicates = new List<DuplicateKey>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            var root = ReadJsonValue(ref reader, "", positions, duplicates, lines, read: true);
            if (reader.Read()) throw new TemplateSyntaxException("Unexpected text after the template's closing brace.", lines.At(reader.TokenStartIndex));
            positions.TryAdd("", new Position(1, 1));
            return new ReadTemplate(root, positions, isYaml: false, Ordered(duplicates));
        }
        catch (JsonException e)
        {
            throw new TemplateSyntaxException($"not a JSON template: {e.Message}",
                e.LineNumber is { } line ? new Position((int)line + 1, (int)(e.BytePositionInLine ?? 0) + 1) : null);
        }
    }

    static IReadOnlyList<DuplicateKey> Ordered(List<DuplicateKey> duplicates) =>
        [.. duplicates.Distinct().OrderBy(d => d.Position.Line).ThenBy(d => d.Position.Column)];

    static JsonNode? ReadJsonValue(ref Utf8JsonReader reader, string pointer, Dictionary<string, Position> positions, List<DuplicateKey> duplicates, LineIndex lines, bool read)
    {
        if (read && !reader.Read()) throw new TemplateSyntaxException("The file is empty.", new Position(1, 1));
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var obj = new JsonObject();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString()!;
                    var at = lines.At(reader.TokenStartIndex);
                    var child = pointer + "/" + TemplateValidator.Escape(key);
                    if (obj.ContainsKey(key))
                    {
                        duplicates.Add(new DuplicateKey(child, key, positions[child]));
                        duplicates.Add(new DuplicateKey(child, key, at));
                        ReadJsonValue(ref reader, child + "/~duplicate", [], duplicates, lines, read: true);
                        continue;
                    }
                    positions[child] = at;
                    obj[key] = ReadJsonValue(ref reader, child, positions, duplicates, lines, read: true);
                }
                return obj;
            }
            case JsonTokenType.StartArray:
            {
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var child = pointer + "/" + array.Count.ToString(CultureInfo.InvariantCulture);
                    positions[child] = lines.At(reader.TokenStartIndex);
                    array.Add(ReadJsonValue(ref reader, child, positions, duplicates, lines, read: false));
                }
                return array;
            }
            case JsonTokenType.String: return JsonValue.Create(reader.GetString());
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var l) ? JsonValue.Create(l) : JsonValue.Create(reader.GetDouble());
            case JsonTokenType.True: return JsonValue.Create(true);
            case JsonTokenType.False: return JsonValue.Create(false);
            case JsonTokenType.Null: return null;
            default: throw new TemplateSyntaxException($"Unexpected {reader.TokenType}.", lines.At(reader.TokenStartIndex));
        }
    }

    /// <summary>Turns a byte offset into a line and a column (in characters).</summary>
    sealed class LineIndex
    {
        readonly byte[] bytes;
        readonly List<int> starts = [0];

        public LineIndex(ReadOnlySpan<byte> span)
        {
            bytes = span.ToArray();
            for (var i = 0; i < bytes.Length; i++)
                if (bytes[i] == (byte)'\n') starts.Add(i + 1);
        }

        public Position At(long offset)
        {
            var index = starts.BinarySearch((int)offset);
            var line = index >= 0 ? index : ~index - 1;
            var column = Encoding.UTF8.GetCharCount(bytes, starts[line], (int)offset - starts[line]) + 1;
            return new Position(line + 1, column);
        }
    }

    // ---- YAML -----------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Builds the tree from the parser's events rather than YamlDotNet's document model: that model throws on the first
    /// repeated key, and every occurrence is wanted. Anchors and aliases are resolved (an alias is a copy of its anchor's value).
    /// </summary>
    static ReadTemplate ReadYaml(string text)
    {
        var positions = new Dictionary<string, Position>(StringComparer.Ordinal);
        var duplicates = new List<DuplicateKey>();
        var anchors = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _)) throw new TemplateSyntaxException("The file is empty.", new Position(1, 1));
            parser.Consume<DocumentStart>();
            var rootStart = parser.Current is { } first ? At(first.Start) : new Position(1, 1);
            var root = ReadYamlNode(parser, "", positions, duplicates, anchors);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var second))
                throw new TemplateSyntaxException("A template is one YAML document; this file has several.", At(second.Start));
            positions.TryAdd("", rootStart);
            return new ReadTemplate(root, positions, isYaml: true, Ordered(duplicates));
        }
        catch (YamlException e)
        {
            throw new TemplateSyntaxException($"not a YAML template: {e.Message}", At(e.Start));
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some malformed input (an unclosed flow sequence) instead of a YamlException.
            throw new TemplateSyntaxException($"not a YAML template: the text cannot be read as YAML ({e.Message})", null);
        }
    }

    static Position At(Mark mark) => new((int)mark.Line, (int)mark.Column);

    static JsonNode? ReadYamlNode(IParser parser, string pointer, Dictionary<string, Position> positions, List<DuplicateKey> duplicates, Dictionary<string, JsonNode?> anchors)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!anchors.TryGetValue(alias.Value.Value, out var target))
                throw new TemplateSyntaxException($"The alias *{alias.Value} names no anchor defined before it.", At(alias.Start));
            return target?.DeepClone();
        }
        var node = parser.Current ?? throw new TemplateSyntaxException("The YAML ends too early.", null);
        var (tag, anchor) = node is NodeEvent n ? (n.Tag.IsEmpty ? null : n.Tag.Value, n.Anchor.IsEmpty ? null : n.Anchor.Value) : (null, null);
        string? function = null;
        var valuePointer = pointer;
        if (tag is not null && tag.StartsWith('!') && !tag.StartsWith("!!", StringComparison.Ordinal))
        {
            var name = tag[1..];
            // The function's argument sits one level down: {"Fn::Sub": …} holds it at /Fn::Sub.
            function = name switch { "Ref" => "Ref", "Condition" => "Condition", _ => "Fn::" + name };
            valuePointer = pointer + "/" + TemplateValidator.Escape(function);
            positions[valuePointer] = At(node.Start);
        }

        JsonNode? value;
        switch (node)
        {
            case MappingStart:
            {
                parser.MoveNext();
                var obj = new JsonObject();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyEvent = parser.Current;
                    if (keyEvent is not Scalar keyScalar)
                        throw new TemplateSyntaxException("A mapping key must be a plain value.", keyEvent is null ? null : At(keyEvent.Start));
                    parser.MoveNext();
                    var key = keyScalar.Value;
                    var child = valuePointer + "/" + TemplateValidator.Escape(key);
                    var at = At(keyScalar.Start);
                    if (obj.ContainsKey(key))
                    {
                        duplicates.Add(new DuplicateKey(child, key, positions[child]));
                        duplicates.Add(new DuplicateKey(child, key, at));
                        ReadYamlNode(parser, child + "/~duplicate", [], duplicates, anchors);
                        continue;
                    }
                    positions[child] = at;
                    obj[key] = ReadYamlNode(parser, child, positions, duplicates, anchors);
                }
                value = obj;
                break;
            }
            case SequenceStart:
            {
                parser.MoveNext();
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    var child = valuePointer + "/" + array.Count.ToString(CultureInfo.InvariantCulture);
                    if (parser.Current is { } item) positions[child] = At(item.Start);
                    array.Add(ReadYamlNode(parser, child, positions, duplicates, anchors));
                }
                value = array;
                break;
            }
            case Scalar scalar:
                parser.MoveNext();
                value = function is null ? Scalar(scalar.Value, scalar.Style, tag) : JsonValue.Create(scalar.Value);
                break;
            default:
                throw new TemplateSyntaxException($"Unexpected YAML {node.GetType().Name}.", At(node.Start));
        }

        if (function is not null)
        {
            // !GetAtt Resource.Attribute stays the dotted string: CloudFormation reads {"Fn::GetAtt": "Resource.Attribute"} in JSON
            // the same way, and the validator splits it at the first dot.
            value = new JsonObject { [function] = value };
        }
        if (anchor is not null) anchors[anchor] = value?.DeepClone();
        return value;
    }

    /// <summary>
    /// A plain scalar is resolved by YAML 1.1's rules, as CloudFormation and cfn-lint (PyYAML) read templates: <c>true</c>,
    /// <c>yes</c>, <c>on</c> and their opposites (any of the three casings) are booleans; decimal, <c>0x</c> hexadecimal,
    /// <c>0b</c> binary and <c>0</c>-prefixed octal integers (with <c>_</c> separators) and decimals with a point are
    /// numbers; <c>null</c>/<c>~</c>/empty is null. Anything else, or a quoted scalar, or one tagged <c>!!str</c>, is text: a
    /// number with a leading zero and an 8 or 9 in it (an account ID) stays text, as in PyYAML.
    /// </summary>
    static JsonNode? Scalar(string value, ScalarStyle style, string? tag)
    {
        if (style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded || tag is "tag:yaml.org,2002:str" or "!!str")
            return JsonValue.Create(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON": return JsonValue.Create(true);
            case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF": return JsonValue.Create(false);
        }
        if (Integer(value) is { } integer) return JsonValue.Create(integer);
        if (DecimalPattern().IsMatch(value) && double.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return JsonValue.Create(number);
        return JsonValue.Create(value);
    }

    /// <summary>A YAML 1.1 integer (decimal, 0x, 0b or 0-octal, with '_' separators), or null.</summary>
    static long? Integer(string value)
    {
        if (!IntegerPattern().IsMatch(value)) return null;
        var negative = value[0] == '-';
        var digits = value.TrimStart('-', '+').Replace("_", "", StringComparison.Ordinal);
        try
        {
            long magnitude = digits switch
            {
                _ when digits.StartsWith("0x", StringComparison.Ordinal) => System.Convert.ToInt64(digits[2..], 16),
                _ when digits.StartsWith("0b", StringComparison.Ordinal) => System.Convert.ToInt64(digits[2..], 2),
                _ when digits.Length > 1 && digits[0] == '0' => System.Convert.ToInt64(digits[1..], 8),
                _ => long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture),
            };
            return negative ? -magnitude : magnitude;
        }
        catch (Exception e) when (e is OverflowException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[-+]?(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*)$")]
    private static partial System.Text.RegularExpressions.Regex IntegerPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[-+]?([0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)([eE][-+][0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex DecimalPattern();
}
