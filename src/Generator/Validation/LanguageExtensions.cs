using System.Text.Json.Nodes;
using static Templates.Generation.Validation.TemplateValidator;

namespace Templates.Generation.Validation;

/// <summary>
/// The transforms CloudFormation itself runs before it reads a template, as far as validation needs them:
/// <c>AWS::LanguageExtensions</c>'s <c>Fn::ForEach</c> is expanded into the resources, outputs and conditions it stands for,
/// so they are checked as CloudFormation will see them
/// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html).
/// </summary>
public static class LanguageExtensions
{
    /// <summary>The names in <c>Transform</c>: a string, a list of strings, or <c>{"Name": …}</c> objects.</summary>
    public static IReadOnlyList<string> Transforms(JsonObject template) => template["Transform"] switch
    {
        JsonValue v when AsString(v) is { } name => [name],
        JsonArray list => list.Select(t => AsString(t) ?? AsString(Member(t, "Name"))).OfType<string>().ToList(),
        JsonObject o when AsString(o["Name"]) is { } name => [name],
        _ => [],
    };

    /// <summary>True when the template declares the SAM transform (its <c>Globals</c> section and <c>AWS::Serverless::…</c> types are valid).</summary>
    public static bool IsServerless(JsonObject template) => Transforms(template).Any(t => t.StartsWith("AWS::Serverless", StringComparison.Ordinal));

    /// <summary>
    /// The template with every <c>Fn::ForEach</c> expanded, when it declares <c>AWS::LanguageExtensions</c> and has any; the
    /// template itself otherwise. Null when a loop's collection is known only at deploy time (a parameter without a default).
    /// </summary>
    public static JsonObject? Expand(JsonObject template)
    {
        if (!Transforms(template).Contains("AWS::LanguageExtensions") || !HasLoop(template)) return template;
        var parameters = template["Parameters"] as JsonObject ?? [];
        try
        {
            return (JsonObject)Expand(template, new Dictionary<string, string>(StringComparer.Ordinal), parameters)!;
        }
        catch (Unresolvable)
        {
            return null;
        }
    }

    static bool HasLoop(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => p.Key.StartsWith("Fn::ForEach::", StringComparison.Ordinal) || HasLoop(p.Value)),
        JsonArray a => a.Any(HasLoop),
        _ => false,
    };

    sealed class Unresolvable : Exception;

    static JsonNode? Expand(JsonNode? node, Dictionary<string, string> bindings, JsonObject parameters)
    {
        switch (node)
        {
            case JsonArray list:
                return new JsonArray(list.Select(item => Expand(item, bindings, parameters)).ToArray());
            case JsonObject obj when AsFunction(obj) is ("Ref", var target) && AsString(target) is { } name && bindings.TryGetValue(name, out var bound):
                return JsonValue.Create(bound);
            case JsonObject obj when AsFunction(obj) is ("Fn::Sub", var sub) && AsString(sub) is { } text:
                var replaced = Substitute(text, bindings);
                // A Sub left with no variable is its text: GetAtt and Ref take it as a name then.
                return replaced.Contains("${", StringComparison.Ordinal) ? new JsonObject { ["Fn::Sub"] = replaced } : JsonValue.Create(replaced);
            case JsonObject obj when AsFunction(obj) is ("Fn::Sub", JsonArray { Count: 2 } form) && AsString(form[0]) is { } template:
                // The list form: the identifier is replaced in the text; the variable map is expanded as any value.
                return new JsonObject { ["Fn::Sub"] = new JsonArray(JsonValue.Create(Substitute(template, bindings)), Expand(form[1], bindings, parameters)) };
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (!key.StartsWith("Fn::ForEach::", StringComparison.Ordinal) || value is not JsonArray { Count: 3 } loop || AsString(loop[0]) is not { } identifier)
                    {
                        result[Substitute(key, bindings)] = Expand(value, bindings, parameters);
                        continue;
                    }
                    foreach (var item in Collection(Expand(loop[1], bindings, parameters), parameters))
                    {
                        var inner = new Dictionary<string, string>(bindings, StringComparer.Ordinal) { [identifier] = item };
                        if (Expand(loop[2], inner, parameters) is JsonObject expanded)
                            foreach (var (k, v) in expanded) result[k] = v?.DeepClone();
                    }
                }
                return result;
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>A loop's collection: a list of strings, or a list parameter's default. Anything else is known only at deploy time.</summary>
    static IEnumerable<string> Collection(JsonNode? collection, JsonObject parameters)
    {
        if (collection is JsonArray list && list.All(i => AsString(i) is not null)) return list.Select(i => AsString(i)!).ToList();
        if (AsFunction(collection) is ("Ref", var target) && AsString(target) is { } name && parameters[name] is JsonObject parameter
            && AsString(parameter["Default"]) is { } defaults)
            return defaults.Split(',').Select(s => s.Trim()).ToList();
        throw new Unresolvable();
    }

    /// <summary><c>${Identifier}</c> becomes the value; <c>&amp;{Identifier}</c> the value without its non-alphanumeric characters.</summary>
    static string Substitute(string text, Dictionary<string, string> bindings)
    {
        if (bindings.Count == 0 || (!text.Contains("${", StringComparison.Ordinal) && !text.Contains("&{", StringComparison.Ordinal))) return text;
        foreach (var (name, value) in bindings)
            text = text.Replace("${" + name + "}", value, StringComparison.Ordinal)
                .Replace("&{" + name + "}", new string(value.Where(char.IsAsciiLetterOrDigit).ToArray()), StringComparison.Ordinal);
        return text;
    }
}
