using System.Text.Json.Nodes;

namespace Templates.Generation.Diff;

/// <summary>
/// Rewrites a template value into a form two templates of one stack can be compared in: references become tokens
/// (<c>Ref</c> of a resource, a parameter or a pseudo parameter, <c>Fn::GetAtt</c>), <c>Fn::Sub</c> and <c>Fn::Join</c> become one
/// concatenation of literal text and tokens (so <c>{"Fn::Sub": "${AWS::StackName}-x"}</c> equals the <c>Fn::Join</c> that spells the
/// same string), and <c>Fn::If</c> a token naming its condition. On the side of the template now, a token is marked new
/// (certainly or maybe) when what it names changes at deploy time: a resource that is replaced, an attribute whose property
/// changes, a parameter whose default changed, a condition whose definition changed.
/// </summary>
sealed class Normalizer
{
    internal const string RefKey = "\u0001ref", ParamKey = "\u0001param", PseudoKey = "\u0001pseudo", GetAttKey = "\u0001getatt",
        ConcatKey = "\u0001concat", IfKey = "\u0001if", NewKey = "\u0001new", Certain = "certain", Maybe = "maybe";

    readonly JsonObject resources;
    readonly JsonObject parameters;
    readonly IReadOnlyDictionary<string, ResourceStatus>? statuses;
    readonly IReadOnlySet<string> changedParameters;
    readonly IReadOnlySet<string> changedConditions;

    /// <summary>A normalizer for one side; <paramref name="statuses"/> and the changed sets are given for the template now only.</summary>
    public Normalizer(JsonObject template, IReadOnlyDictionary<string, ResourceStatus>? statuses = null,
        IReadOnlySet<string>? changedParameters = null, IReadOnlySet<string>? changedConditions = null)
    {
        resources = template["Resources"] as JsonObject ?? [];
        parameters = template["Parameters"] as JsonObject ?? [];
        this.statuses = statuses;
        this.changedParameters = changedParameters ?? new HashSet<string>();
        this.changedConditions = changedConditions ?? new HashSet<string>();
    }

    public JsonNode? Normalize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o when o.Count == 1:
                var (key, value) = o.First();
                switch (key)
                {
                    case "Ref" when value is JsonValue v && v.TryGetValue<string>(out var name): return Reference(name);
                    case "Fn::GetAtt": return GetAtt(value);
                    case "Fn::Sub": return Sub(value);
                    case "Fn::Join" when value is JsonArray { Count: 2 } join && join[0] is JsonValue d && d.TryGetValue<string>(out var delimiter) && join[1] is JsonArray parts:
                        var list = new List<JsonNode?>();
                        for (var i = 0; i < parts.Count; i++)
                        {
                            if (i > 0) list.Add(delimiter);
                            list.Add(Normalize(parts[i]));
                        }
                        return Concat(list);
                    case "Fn::If" when value is JsonArray { Count: 3 } branches && branches[0] is JsonValue c && c.TryGetValue<string>(out var condition):
                        var result = new JsonObject { [IfKey] = condition, ["then"] = Normalize(branches[1]), ["else"] = Normalize(branches[2]) };
                        if (statuses is not null && changedConditions.Contains(condition)) result[NewKey] = Maybe;
                        return result;
                }
                return new JsonObject { [key] = Normalize(value) };
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (k, v) in o) copy[k] = Normalize(v);
                return copy;
            case JsonArray a:
                return new JsonArray([.. a.Select(Normalize)]);
            default:
                return node?.DeepClone();
        }
    }

    JsonNode Reference(string name)
    {
        if (name.StartsWith("AWS::", StringComparison.Ordinal)) return new JsonObject { [PseudoKey] = name };
        if (parameters.ContainsKey(name))
        {
            var token = new JsonObject { [ParamKey] = name };
            if (statuses is not null && changedParameters.Contains(name)) token[NewKey] = Maybe;
            return token;
        }
        if (resources.ContainsKey(name))
        {
            var token = new JsonObject { [RefKey] = name };
            if (statuses?.GetValueOrDefault(name) is { Replace: not Effect.None } status)
                token[NewKey] = status.Replace == Effect.Replacement ? Certain : Maybe;
            return token;
        }
        return new JsonObject { ["Ref"] = name };
    }

    JsonNode GetAtt(JsonNode? value)
    {
        string? resource = null, attribute = null;
        if (value is JsonArray { Count: 2 } pair && pair[0] is JsonValue r && r.TryGetValue<string>(out var rs) && pair[1] is JsonValue at && at.TryGetValue<string>(out var ats))
            (resource, attribute) = (rs, ats);
        else if (value is JsonValue s && s.TryGetValue<string>(out var dotted) && dotted.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot)
            (resource, attribute) = (dotted[..dot], dotted[(dot + 1)..]);
        if (resource is null || attribute is null) return new JsonObject { ["Fn::GetAtt"] = Normalize(value) };
        var token = new JsonObject { [GetAttKey] = $"{resource}.{attribute}" };
        if (statuses?.GetValueOrDefault(resource) is { } status)
        {
            // An attribute that mirrors a property (a VPC's CidrBlock) changes when that property does; any other (an ARN, an ID,
            // a DNS name) is the resource's own and changes when it is replaced.
            var property = attribute.Split('.')[0];
            var mirrors = resources[resource]?["Properties"] is JsonObject props && props.ContainsKey(property);
            if (mirrors && status.ChangedProperties.TryGetValue(property, out var certain)) token[NewKey] = certain ? Certain : Maybe;
            else if (!mirrors && status.Replace != Effect.None) token[NewKey] = status.Replace == Effect.Replacement ? Certain : Maybe;
        }
        return token;
    }

    JsonNode? Sub(JsonNode? value)
    {
        string? text = null;
        JsonObject? variables = null;
        if (value is JsonValue v && v.TryGetValue<string>(out var s)) text = s;
        else if (value is JsonArray { Count: 2 } a && a[0] is JsonValue t && t.TryGetValue<string>(out var ts) && a[1] is JsonObject vars) (text, variables) = (ts, vars);
        if (text is null) return new JsonObject { ["Fn::Sub"] = Normalize(value) };
        var parts = new List<JsonNode?>();
        var literal = new System.Text.StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf("${", i, StringComparison.Ordinal);
            var close = open < 0 ? -1 : text.IndexOf('}', open);
            if (open < 0 || close < 0)
            {
                literal.Append(text, i, text.Length - i);
                break;
            }
            literal.Append(text, i, open - i);
            var name = text[(open + 2)..close];
            if (name.StartsWith('!')) literal.Append("${").Append(name, 1, name.Length - 1).Append('}');
            else
            {
                parts.Add(literal.ToString());
                literal.Clear();
                name = name.Trim();
                if (variables is not null && variables.ContainsKey(name)) parts.Add(Normalize(variables[name]));
                else if (name.Contains('.', StringComparison.Ordinal) && !name.StartsWith("AWS::", StringComparison.Ordinal)) parts.Add(GetAtt(JsonValue.Create(name)));
                else parts.Add(Reference(name));
            }
            i = close + 1;
        }
        parts.Add(literal.ToString());
        return Concat(parts);
    }

    static JsonNode? Concat(List<JsonNode?> parts)
    {
        var flat = new List<JsonNode?>();
        var text = new System.Text.StringBuilder();
        void Flush()
        {
            if (text.Length > 0) flat.Add(JsonValue.Create(text.ToString()));
            text.Clear();
        }
        void Add(JsonNode? part)
        {
            if (part is JsonValue v && v.TryGetValue<string>(out var s)) text.Append(s);
            else if (part is JsonObject o && o.Count == 1 && o[ConcatKey] is JsonArray inner) foreach (var p in inner) Add(p?.DeepClone());
            else
            {
                Flush();
                flat.Add(part);
            }
        }
        foreach (var part in parts) Add(part);
        Flush();
        return flat.Count switch
        {
            0 => JsonValue.Create(""),
            1 => flat[0],
            _ => new JsonObject { [ConcatKey] = new JsonArray([.. flat]) },
        };
    }

    /// <summary>
    /// Whether two normalized values differ, and if so whether certainly: a difference is uncertain when it lies under an
    /// <c>Fn::If</c> (the other branch may be the one in force) or involves a parameter, a value marked maybe-new, or an
    /// intrinsic this comparison does not resolve (<c>Fn::ImportValue</c>, <c>Fn::FindInMap</c>, a <c>Ref</c> to nothing known).
    /// Different literal text around the same tokens is taken as different values.
    /// </summary>
    public static (bool Differs, bool Certain) Compare(JsonNode? a, JsonNode? b, bool uncertain = false)
    {
        if (JsonNode.DeepEquals(a, b)) return (false, true);
        if (a is JsonObject oa && b is JsonObject ob && oa.Count == ob.Count && oa.All(p => ob.ContainsKey(p.Key)) && !IsToken(oa))
        {
            var inIf = uncertain || oa.ContainsKey(IfKey);
            var certain = true;
            foreach (var (key, value) in oa)
            {
                var (differs, c) = Compare(value, ob[key], inIf);
                if (differs && !c) certain = false;
            }
            return (true, certain);
        }
        if (a is JsonArray aa && b is JsonArray ab && aa.Count == ab.Count)
        {
            var certain = true;
            for (var i = 0; i < aa.Count; i++)
            {
                var (differs, c) = Compare(aa[i], ab[i], uncertain);
                if (differs && !c) certain = false;
            }
            return (true, certain);
        }
        return (true, !uncertain && !Unresolved(a) && !Unresolved(b));
    }

    static bool IsToken(JsonObject o) => o.ContainsKey(RefKey) || o.ContainsKey(ParamKey) || o.ContainsKey(PseudoKey) || o.ContainsKey(GetAttKey);

    /// <summary>Whether a normalized value holds something whose deploy-time value is not known here.</summary>
    internal static bool Unresolved(JsonNode? node) => node switch
    {
        JsonObject o => o.ContainsKey(ParamKey) || o.ContainsKey(IfKey) || o.ContainsKey("Ref") || o.ContainsKey("Fn::ImportValue") || o.ContainsKey("Fn::FindInMap")
            || (o[NewKey] is JsonValue n && n.TryGetValue<string>(out var s) && s == Maybe) || o.Any(p => Unresolved(p.Value)),
        JsonArray a => a.Any(Unresolved),
        _ => false,
    };

    /// <summary>What in a normalized value is marked new: <c>(name, certain)</c> for the resources, parameters and conditions it names.</summary>
    internal static IEnumerable<(string Name, string Kind, bool Certain)> Marked(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                if (o[NewKey] is JsonValue n && n.TryGetValue<string>(out var mark))
                {
                    var certain = mark == Certain;
                    if (o[RefKey] is JsonValue r) yield return ((string)r!, "ref", certain);
                    else if (o[GetAttKey] is JsonValue g) yield return ((string)g!, "getatt", certain);
                    else if (o[ParamKey] is JsonValue p) yield return ((string)p!, "param", certain);
                    else if (o[IfKey] is JsonValue c) yield return ((string)c!, "if", certain);
                }
                foreach (var (_, value) in o)
                    foreach (var m in Marked(value)) yield return m;
                break;
            case JsonArray a:
                foreach (var item in a)
                    foreach (var m in Marked(item)) yield return m;
                break;
        }
    }
}

/// <summary>What the diff knows of one resource of the template now: whether it is replaced, and which of its properties change.</summary>
sealed record ResourceStatus(Effect Replace, IReadOnlyDictionary<string, bool> ChangedProperties)
{
    public bool SameAs(ResourceStatus? other) =>
        other is not null && Replace == other.Replace && ChangedProperties.Count == other.ChangedProperties.Count
        && ChangedProperties.All(p => other.ChangedProperties.TryGetValue(p.Key, out var c) && c == p.Value);
}
