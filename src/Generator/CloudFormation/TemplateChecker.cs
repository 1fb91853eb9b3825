using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Templates.Generation.CloudFormation;

/// <summary>A structural problem of a template: where (a JSON pointer), what, and a check ID.</summary>
public sealed record TemplateProblem(string Pointer, string Message, string Id)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Pointer}: {Message} ({Id})";
}

/// <summary>
/// The checks of the resource graph that every template passes before it is written: every <c>Ref</c>,
/// <c>Fn::GetAtt</c>, <c>Fn::Sub</c> variable and <c>DependsOn</c> resolves, resources do not depend on each other
/// in a cycle, logical IDs are alphanumeric, and the template stays within CloudFormation's limits.
/// </summary>
public static partial class TemplateChecker
{
    /// <summary>The largest template body <c>aws cloudformation deploy</c> sends inline; a larger one must go through S3.</summary>
    public const int InlineBodyLimit = 51_200;

    /// <summary>The largest template CloudFormation accepts from S3.</summary>
    public const int S3BodyLimit = 1_000_000;

    [GeneratedRegex("^[A-Za-z0-9]{1,255}$")]
    private static partial Regex LogicalIdPattern();

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex SubVariable();

    /// <summary>Every problem of the template, in document order; <paramref name="size"/> is its size in bytes.</summary>
    public static IReadOnlyList<TemplateProblem> Check(JsonObject template, int size)
    {
        var problems = new List<TemplateProblem>();
        var parameters = template["Parameters"] as JsonObject ?? [];
        var resources = template["Resources"] as JsonObject ?? [];
        var conditions = template["Conditions"] as JsonObject ?? [];
        var outputs = template["Outputs"] as JsonObject ?? [];

        if (resources.Count == 0) problems.Add(new("/Resources", "A template needs at least one resource.", "E1001"));
        if (resources.Count > 500) problems.Add(new("/Resources", $"{resources.Count} resources; CloudFormation allows 500 per template.", "E3010"));
        if (parameters.Count > 200) problems.Add(new("/Parameters", $"{parameters.Count} parameters; CloudFormation allows 200.", "E2010"));
        if (outputs.Count > 200) problems.Add(new("/Outputs", $"{outputs.Count} outputs; CloudFormation allows 200.", "E6010"));
        if (size > S3BodyLimit) problems.Add(new("", $"The template is {size:N0} bytes; CloudFormation accepts at most {S3BodyLimit:N0}, even through S3.", "E1002"));

        foreach (var (section, entries) in new[] { ("Parameters", parameters), ("Resources", resources), ("Outputs", outputs) })
            foreach (var (id, _) in entries)
                if (!LogicalIdPattern().IsMatch(id)) problems.Add(new($"/{section}/{Escape(id)}", $"'{id}' is not a valid logical ID: use 1 to 255 letters and digits.", "E3006"));
        foreach (var (id, _) in parameters)
            if (resources.ContainsKey(id)) problems.Add(new($"/Resources/{Escape(id)}", $"'{id}' names both a parameter and a resource.", "E3007"));

        var edges = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var (id, node) in resources)
        {
            var deps = edges[id] = new SortedSet<string>(StringComparer.Ordinal);
            if (node is not JsonObject resource) continue;
            switch (resource["DependsOn"])
            {
                case JsonValue one:
                    AddDependsOn(one.GetValue<string>(), "/DependsOn");
                    break;
                case JsonArray many:
                    for (var i = 0; i < many.Count; i++) AddDependsOn(many[i]!.GetValue<string>(), $"/DependsOn/{i}");
                    break;
            }
            void AddDependsOn(string target, string where)
            {
                if (resources.ContainsKey(target)) deps.Add(target);
                else problems.Add(new($"/Resources/{Escape(id)}{where}", $"DependsOn names '{target}', which is not a resource of this template.", "E3005"));
            }
            Walk(resource["Properties"], $"/Resources/{Escape(id)}/Properties", deps);
        }
        Walk(outputs, "/Outputs", null);
        Walk(conditions, "/Conditions", null);

        FindCycles(edges, problems);
        return problems;

        void Walk(JsonNode? node, string pointer, SortedSet<string>? deps)
        {
            switch (node)
            {
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++) Walk(array[i], $"{pointer}/{i}", deps);
                    break;
                case JsonObject obj when obj.Count == 1 && obj.First() is var (key, value) && key is "Ref" or "Fn::GetAtt" or "Fn::Sub":
                    var at = $"{pointer}/{Escape(key)}";
                    if (key == "Ref" && value is JsonValue refValue && refValue.TryGetValue<string>(out var name))
                        Resolve(name, at, deps, allowParameters: true);
                    else if (key == "Fn::GetAtt")
                    {
                        var target = value switch
                        {
                            JsonArray { Count: 2 } pair => pair[0]?.GetValue<string>(),
                            JsonValue dotted when dotted.TryGetValue<string>(out var s) && s.Contains('.') => s[..s.IndexOf('.')],
                            _ => null,
                        };
                        if (target is null) problems.Add(new(at, "Fn::GetAtt takes [resource, attribute].", "E1010"));
                        else Resolve(target, at, deps, allowParameters: false);
                    }
                    else if (key == "Fn::Sub")
                    {
                        var (text, variables) = value switch
                        {
                            JsonValue v => (v.GetValue<string>(), (JsonObject?)null),
                            JsonArray { Count: 2 } a => (a[0]!.GetValue<string>(), a[1] as JsonObject),
                            _ => (null, null),
                        };
                        if (variables is not null) Walk(variables, $"{at}/1", deps);
                        if (text is null) { problems.Add(new(at, "Fn::Sub takes a string, or [string, {variables}].", "E1019")); break; }
                        foreach (Match match in SubVariable().Matches(text))
                        {
                            var variable = match.Groups[1].Value;
                            if (variable.StartsWith('!') || variables?.ContainsKey(variable) == true) continue;
                            var dot = variable.IndexOf('.');
                            Resolve(dot < 0 ? variable : variable[..dot], at, deps, allowParameters: dot < 0);
                        }
                    }
                    else Walk(value, at, deps);
                    break;
                case JsonObject obj:
                    foreach (var (key, value) in obj) Walk(value, $"{pointer}/{Escape(key)}", deps);
                    break;
            }
        }

        void Resolve(string name, string pointer, SortedSet<string>? deps, bool allowParameters)
        {
            if (resources.ContainsKey(name)) { deps?.Add(name); return; }
            if (allowParameters && (parameters.ContainsKey(name) || name.StartsWith("AWS::", StringComparison.Ordinal))) return;
            problems.Add(new(pointer, $"'{name}' is not a {(allowParameters ? "parameter, pseudo parameter or " : "")}resource of this template.", allowParameters ? "E1012" : "E1010"));
        }
    }

    static void FindCycles(Dictionary<string, SortedSet<string>> edges, List<TemplateProblem> problems)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
        var path = new List<string>();
        foreach (var id in edges.Keys) Visit(id);

        void Visit(string id)
        {
            if (state.TryGetValue(id, out var s))
            {
                if (s == 1)
                {
                    var cycle = path.Skip(path.IndexOf(id)).Append(id);
                    problems.Add(new($"/Resources/{Escape(id)}", $"Circular dependency: {string.Join(" -> ", cycle)}.", "E3004"));
                }
                return;
            }
            state[id] = 1;
            path.Add(id);
            foreach (var dep in edges[id]) Visit(dep);
            path.RemoveAt(path.Count - 1);
            state[id] = 2;
        }
    }

    /// <summary>Escapes a key for a JSON pointer (RFC 6901).</summary>
    public static string Escape(string key) => key.Replace("~", "~0").Replace("/", "~1");
}
