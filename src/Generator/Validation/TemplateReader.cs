using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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

    internal ReadTemplate(JsonNode? root, Dictionary<string, Position> positions, bool isYaml)
    {
        Root = root;
        this.positions = positions;
        IsYaml = isYaml;
    }

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

/// <summary>Thrown for a file that is neither well-formed JSON nor well-formed YAML, with where the reader stopped.</summary>
public sealed class TemplateSyntaxException(string message, Position? position) : Exception(message)
{
    /// <summary>Where the file stops making sense, when known.</summary>
    public Position? Position { get; } = position;
}

/// <summary>
/// Reads a template file, JSON or YAML, as CloudFormation does: YAML's short forms (<c>!Ref</c>, <c>!Sub</c>,
/// <c>!GetAtt a.b</c>, <c>!If</c>, …) become the JSON objects they stand for, and every value keeps its position.
/// </summary>
public static partial class TemplateReader
{
    /// <summary>
    /// Reads <paramref name="bytes"/> as YAML when the file name ends in <c>.yaml</c>/<c>.yml</c> or the text does not start
    /// with <c>{</c>, else as JSON. Throws <see cref="TemplateSyntaxException"/> (duplicate keys included) with a position.
    /// </summary>
    public static ReadTemplate Read(ReadOnlySpan<byte> bytes, string? fileName = null)
    {
        var text = Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF');
        var yaml = fileName is not null && (fileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
            || !text.TrimStart().StartsWith('{');
        return yaml ? ReadYaml(text) : ReadJson(bytes);
    }

    // ---- JSON -----------------------------------------------------------------------------------------------------------

    static ReadTemplate ReadJson(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        var lines = new LineIndex(bytes);
        var positions = new Dictionary<string, Position>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            var root = ReadJsonValue(ref reader, "", positions, lines, read: true);
            if (reader.Read()) throw new TemplateSyntaxException("Unexpected text after the template's closing brace.", lines.At(reader.TokenStartIndex));
            positions.TryAdd("", new Position(1, 1));
            return new ReadTemplate(root, positions, isYaml: false);
        }
        catch (JsonException e)
        {
            throw new TemplateSyntaxException($"not a JSON template: {e.Message}",
                e.LineNumber is { } line ? new Position((int)line + 1, (int)(e.BytePositionInLine ?? 0) + 1) : null);
        }
    }

    static JsonNode? ReadJsonValue(ref Utf8JsonReader reader, string pointer, Dictionary<string, Position> positions, LineIndex lines, bool read)
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
                        throw new TemplateSyntaxException($"Duplicate key '{key}' at {pointer}/ (first at {positions[child]}): CloudFormation rejects a template with a duplicate key.", at);
                    positions[child] = at;
                    obj[key] = ReadJsonValue(ref reader, child, positions, lines, read: true);
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
                    array.Add(ReadJsonValue(ref reader, child, positions, lines, read: false));
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

    /// <summary>The short forms: <c>!Name</c> for <c>Fn::Name</c>, and the three that are not <c>Fn::</c>.</summary>
    static readonly HashSet<string> Functions =
    [
        "And", "Base64", "Cidr", "Equals", "FindInMap", "GetAtt", "GetAZs", "If", "ImportValue", "Join", "Length", "Not", "Or",
        "Select", "Split", "Sub", "ToJsonString", "Transform", "ForEach",
    ];

    static ReadTemplate ReadYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner && e.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase) ? inner.Message : e.Message;
            throw new TemplateSyntaxException($"not a YAML template: {message}", new Position((int)e.Start.Line, (int)e.Start.Column));
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some malformed input (an unclosed flow sequence) instead of a YamlException.
            throw new TemplateSyntaxException($"not a YAML template: the text cannot be read as YAML ({e.Message})", null);
        }
        catch (ArgumentException e)
        {
            // YamlDotNet's mapping is a dictionary: a repeated key surfaces here.
            throw new TemplateSyntaxException($"not a YAML template: {e.Message} CloudFormation rejects a template with a duplicate key.", null);
        }
        if (stream.Documents.Count == 0) throw new TemplateSyntaxException("The file is empty.", new Position(1, 1));
        if (stream.Documents.Count > 1)
            throw new TemplateSyntaxException("A template is one YAML document; this file has several.", At(stream.Documents[1].RootNode));
        var positions = new Dictionary<string, Position>(StringComparer.Ordinal);
        var root = Convert(stream.Documents[0].RootNode, "", positions);
        positions.TryAdd("", At(stream.Documents[0].RootNode));
        return new ReadTemplate(root, positions, isYaml: true);
    }

    static Position At(YamlNode node) => new((int)node.Start.Line, (int)node.Start.Column);

    static JsonNode? Convert(YamlNode node, string pointer, Dictionary<string, Position> positions)
    {
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        if (tag is not null && tag.StartsWith('!') && !tag.StartsWith("!!", StringComparison.Ordinal))
        {
            var name = tag[1..];
            // The function's argument sits one level down: {"Fn::Sub": …} holds it at /Fn::Sub.
            var key = name switch { "Ref" => "Ref", "Condition" => "Condition", _ => "Fn::" + name };
            var inner = pointer + "/" + TemplateValidator.Escape(key);
            positions[inner] = At(node);
            var argument = ConvertUntagged(node, inner, positions);
            if (name == "GetAtt" && argument is JsonValue dotted && dotted.GetValueKind() == JsonValueKind.String)
            {
                // !GetAtt Resource.Attribute (the attribute may itself hold dots): the resource is what precedes the first dot.
                var text = (string)dotted!;
                var dot = text.IndexOf('.', StringComparison.Ordinal);
                argument = dot < 0 ? new JsonArray(text) : new JsonArray(text[..dot], text[(dot + 1)..]);
            }
            return new JsonObject { [key] = argument };
        }
        return ConvertUntagged(node, pointer, positions);
    }

    static JsonNode? ConvertUntagged(YamlNode node, string pointer, Dictionary<string, Position> positions)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
            {
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    var key = keyNode is YamlScalarNode scalar ? scalar.Value ?? "" : throw new TemplateSyntaxException("A mapping key must be a plain value.", At(keyNode));
                    var child = pointer + "/" + TemplateValidator.Escape(key);
                    if (obj.ContainsKey(key))
                        throw new TemplateSyntaxException($"Duplicate key '{key}' (first at {positions[child]}): CloudFormation rejects a template with a duplicate key.", At(keyNode));
                    positions[child] = At(keyNode);
                    obj[key] = Convert(valueNode, child, positions);
                }
                return obj;
            }
            case YamlSequenceNode sequence:
            {
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    var child = pointer + "/" + array.Count.ToString(CultureInfo.InvariantCulture);
                    positions[child] = At(item);
                    array.Add(Convert(item, child, positions));
                }
                return array;
            }
            case YamlScalarNode scalar: return Scalar(scalar);
            default: throw new TemplateSyntaxException($"Unsupported YAML node {node.NodeType}.", At(node));
        }
    }

    /// <summary>
    /// A plain scalar is resolved as CloudFormation's YAML 1.1 reading does: <c>true</c>/<c>false</c>, integers, decimals and
    /// <c>null</c>/<c>~</c>/empty become JSON booleans, numbers and null; a quoted scalar, or one tagged <c>!!str</c>, stays text.
    /// </summary>
    static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded || tag == "tag:yaml.org,2002:str")
            return JsonValue.Create(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (IntegerPattern().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            return JsonValue.Create(integer);
        if (DecimalPattern().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            return JsonValue.Create(number);
        return JsonValue.Create(value);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*)$")]
    private static partial System.Text.RegularExpressions.Regex IntegerPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")]
    private static partial System.Text.RegularExpressions.Regex DecimalPattern();
}
