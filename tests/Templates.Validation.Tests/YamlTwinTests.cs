using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Templates.Generation.Cli;
using Templates.Generation.Validation;

namespace Templates.Validation.Tests;

/// <summary>
/// Every corpus template written again as YAML, intrinsic functions in CloudFormation's short forms (<c>!Ref</c>, <c>!Sub</c>,
/// <c>!If</c>, …): the same findings at the same pointers, and each at the line and column its value stands at in the YAML.
/// </summary>
public sealed class YamlTwinTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("templates-yaml-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    public static TheoryData<string> All => Corpus.Files();

    [Theory]
    [MemberData(nameof(All))]
    public void The_yaml_twin_has_the_same_findings_at_its_own_lines(string file)
    {
        var entry = Corpus.Get(file);
        var json = JsonNode.Parse(File.ReadAllText(entry.Path))!;
        var emitter = new YamlEmitter();
        emitter.Emit(json);
        var yamlFile = Path.Combine(dir, Path.GetFileNameWithoutExtension(entry.File) + ".yaml");
        File.WriteAllText(yamlFile, emitter.Text);

        var fromJson = ValidateCommand.ValidateFile(entry.Path);
        var fromYaml = ValidateCommand.ValidateFile(yamlFile);

        Assert.True(fromYaml.Unreadable is null, $"{fromYaml.Unreadable}\n{emitter.Text}");
        Assert.Equal(fromJson.Problems.Select(p => (p.Id, p.Pointer, p.Severity)), fromYaml.Problems.Select(p => (p.Id, p.Pointer, p.Severity)));
        // The tree read back is the JSON template itself.
        var back = TemplateReader.Read(File.ReadAllBytes(yamlFile), yamlFile).Root;
        Assert.True(JsonNode.DeepEquals(json, back), $"{json.ToJsonString()}\n{back?.ToJsonString()}");
        foreach (var problem in fromYaml.Problems)
            Assert.Equal(emitter.PositionOf(problem.Pointer), fromYaml.Locate(problem.Pointer));
    }

    /// <summary>Block-style YAML with short-form functions, recording where each pointer's key or item is written.</summary>
    sealed class YamlEmitter
    {
        readonly StringBuilder text = new();
        readonly Dictionary<string, Position> positions = new(StringComparer.Ordinal);
        int line = 1;

        public string Text => text.ToString();

        public Position? PositionOf(string pointer)
        {
            for (var p = pointer; ; p = p[..p.LastIndexOf('/')])
            {
                if (positions.TryGetValue(p, out var position)) return position;
                if (p.Length == 0) return null;
            }
        }

        public void Emit(JsonNode root)
        {
            positions[""] = new Position(1, 1);
            Members(root.AsObject(), 0, "");
        }

        // A short form whose argument is itself a short form (!Base64 !Sub …) is not YAML (one tag per node): as CloudFormation's
        // guide says, the outer function is then written in full ("Fn::Base64": !Sub …).
        static (string Name, JsonNode? Argument)? Function(JsonNode? node) =>
            node is JsonObject { Count: 1 } o && o.First() is var (key, value) && (key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal))
                && !IsFunction(value)
                ? (key == "Ref" ? "Ref" : key["Fn::".Length..], value) : null;

        static bool IsFunction(JsonNode? node) =>
            node is JsonObject { Count: 1 } o && o.First().Key is var key && (key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal));

        void Members(JsonObject obj, int indent, string pointer)
        {
            foreach (var (key, value) in obj)
            {
                var child = pointer + "/" + key.Replace("~", "~0").Replace("/", "~1");
                positions[child] = new Position(line, indent + 1);
                Write(new string(' ', indent) + Quote(key) + ":");
                Value(value, indent, child);
            }
        }

        /// <summary>Writes a value after "key:" or "-" on the current line, continuing on the next lines when it is a block.</summary>
        void Value(JsonNode? value, int indent, string pointer)
        {
            if (Function(value) is var (name, argument))
            {
                var inner = pointer + "/" + (name == "Ref" ? "Ref" : "Fn::" + name);
                positions[inner] = new Position(line, Column() + 2);
                Write(" !" + name);
                if (argument is JsonObject or JsonArray && Function(argument) is null && !IsEmpty(argument)) Block(argument, indent + 2, inner);
                else Value(argument, indent, inner);
                return;
            }
            if (value is JsonObject or JsonArray && !IsEmpty(value)) Block(value, indent + 2, pointer);
            else Line(" " + Scalar(value));
        }

        void Block(JsonNode value, int indent, string pointer)
        {
            Line("");
            if (value is JsonObject obj) Members(obj, indent, pointer);
            else
            {
                var array = value.AsArray();
                for (var i = 0; i < array.Count; i++)
                {
                    var child = pointer + "/" + i.ToString(CultureInfo.InvariantCulture);
                    var item = array[i];
                    Write(new string(' ', indent) + "-");
                    if (Function(item) is null && item is JsonObject or JsonArray && !IsEmpty(item))
                    {
                        // A block item starts on the next line, where its first key or dash stands.
                        positions[child] = new Position(line + 1, indent + 3);
                        Block(item, indent + 2, child);
                    }
                    else
                    {
                        positions[child] = new Position(line, indent + 3);
                        Value(item, indent, child);
                    }
                }
            }
        }

        static bool IsEmpty(JsonNode? node) => node is JsonObject { Count: 0 } or JsonArray { Count: 0 };

        static string Scalar(JsonNode? value) => value switch
        {
            null => "null",
            JsonObject => "{}",
            JsonArray => "[]",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote((string)v!),
            _ => value.ToJsonString(),
        };

        // JSON's double-quoted strings are YAML double-quoted strings.
        static string Quote(string text) => JsonSerializer.Serialize(text);

        int Column() => text.Length - (text.ToString().LastIndexOf('\n') + 1);

        void Write(string s) => text.Append(s);

        void Line(string s)
        {
            text.Append(s).Append('\n');
            line++;
        }
    }
}
