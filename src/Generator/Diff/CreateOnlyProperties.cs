using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Templates.Generation.Validation;

namespace Templates.Generation.Diff;

/// <summary>
/// A resource type's properties whose change replaces the resource, from its resource provider schema
/// (<c>createOnlyProperties</c>, and <c>conditionalCreateOnlyProperties</c>: "may"), as JSON pointers split into segments
/// (<c>/properties/EncryptionConfiguration/KmsKey</c> is <c>EncryptionConfiguration</c>, <c>KmsKey</c>; <c>*</c> stands for every item of an array).
/// </summary>
/// <param name="Always">The create-only properties: a change replaces the resource.</param>
/// <param name="Conditionally">The conditionally create-only ones: a change may replace it.</param>
public sealed record CreateOnlyProperties(IReadOnlyList<string[]> Always, IReadOnlyList<string[]> Conditionally)
{
    static readonly ConcurrentDictionary<string, CreateOnlyProperties?> cache = new(StringComparer.Ordinal);

    /// <summary>The type's create-only properties from the embedded schemas; null for a type they do not know (a custom resource).</summary>
    public static CreateOnlyProperties? For(string type) => cache.GetOrAdd(type, Read);

    static CreateOnlyProperties? Read(string type)
    {
        if (SchemaSet.Embedded.ReadText(type) is not { } text) return null;
        using var document = JsonDocument.Parse(text);
        return new CreateOnlyProperties(Pointers(document.RootElement, "createOnlyProperties"), Pointers(document.RootElement, "conditionalCreateOnlyProperties"));
    }

    static List<string[]> Pointers(JsonElement root, string key)
    {
        var list = new List<string[]>();
        if (root.TryGetProperty(key, out var array))
            foreach (var item in array.EnumerateArray())
                if (item.GetString() is { } p && p.StartsWith("/properties/", StringComparison.Ordinal))
                    list.Add(p["/properties/".Length..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray());
        return list;
    }

    /// <summary>
    /// Whether a change of the top-level property <paramref name="name"/> from <paramref name="before"/> to <paramref name="after"/>
    /// (both normalized) replaces the resource: <see cref="Effect.Replacement"/>, <see cref="Effect.MayReplace"/>, or <see cref="Effect.InPlace"/>.
    /// </summary>
    public (Effect Effect, string? Pointer) Judge(string name, JsonNode? before, JsonNode? after)
    {
        var effect = Effect.InPlace;
        string? pointer = null;
        foreach (var (pointers, conditional) in new[] { (Always, false), (Conditionally, true) })
        {
            foreach (var path in pointers.Where(p => p[0] == name))
            {
                var (differs, certain) = Normalizer.Compare(Project(before, path, 1), Project(after, path, 1));
                if (!differs) continue;
                var e = conditional || !certain ? Effect.MayReplace : Effect.Replacement;
                if (e > effect) (effect, pointer) = (e, "/" + string.Join('/', path));
            }
        }
        return (effect, pointer);
    }

    /// <summary>The value at the rest of a pointer; an array for <c>*</c>; the whole value where the path meets an intrinsic function or a token.</summary>
    static JsonNode? Project(JsonNode? node, string[] path, int at)
    {
        if (at == path.Length || node is null) return node;
        if (path[at] == "*")
            return node is JsonArray items ? new JsonArray([.. items.Select(i => Project(i, path, at + 1)?.DeepClone())]) : node;
        if (node is JsonObject o)
        {
            if (o.Any(p => p.Key.StartsWith("Fn::", StringComparison.Ordinal) || p.Key.StartsWith('\u0001') || p.Key == "Ref")) return node;
            return Project(o[path[at]], path, at + 1);
        }
        return node;
    }
}
