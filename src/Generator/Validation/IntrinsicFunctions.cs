using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Templates.Generation.CloudFormation;
using static Templates.Generation.Validation.FindingIds;

namespace Templates.Generation.Validation;

public static partial class TemplateValidator
{
    static readonly HashSet<string> PseudoParameters =
        ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"];

    static readonly HashSet<string> Functions =
    [
        "Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If", "Fn::ImportValue", "Fn::GetAZs", "Fn::FindInMap",
        "Fn::Base64", "Fn::Cidr", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::GetStackOutput",
    ];

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex SubVariable();

    /// <summary>Intrinsic functions: each well-formed, naming a parameter, resource, attribute, mapping or condition that exists; the resources they refer to are the dependency graph's edges.</summary>
    sealed partial class Run
    {
        /// <summary>Walks a value, checking every intrinsic function in it; <paramref name="deps"/> collects the resources it refers to.</summary>
        void Walk(JsonNode? node, string pointer, SortedSet<string>? deps)
        {
            switch (node)
            {
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++) Walk(array[i], $"{pointer}/{i}", deps);
                    break;
                case JsonObject obj when AsFunction(obj) is var (name, value):
                    Function(name, value, $"{pointer}/{Escape(name)}", deps);
                    break;
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        if (key.StartsWith("Fn::", StringComparison.Ordinal) && !Functions.Contains(key))
                            Add(E1030, $"{pointer}/{Escape(key)}", $"'{key}' is not an intrinsic function.");
                        Walk(value, $"{pointer}/{Escape(key)}", deps);
                    }
                    break;
            }
        }

        void Function(string name, JsonNode? value, string at, SortedSet<string>? deps)
        {
            switch (name)
            {
                case "Ref":
                    if (AsString(value) is not { } target) Add(E1012, at, "Ref takes the name of a parameter, a pseudo parameter or a resource.");
                    else Resolve(target, at, deps, E1012);
                    break;
                case "Fn::GetAtt":
                    GetAtt(value, at, deps);
                    break;
                case "Fn::Sub":
                    Sub(value, at, deps);
                    break;
                case "Fn::Join":
                    if (value is not JsonArray { Count: 2 } join || AsString(join[0]) is null) Add(E1022, at, "Fn::Join takes [delimiter, [values…]].");
                    else if (join[1] is not JsonArray && AsFunction(join[1]) is null) Add(E1022, $"{at}/1", "The values of Fn::Join must be a list, or a function returning one.");
                    else Walk(join[1], $"{at}/1", deps);
                    break;
                case "Fn::Select":
                    if (value is not JsonArray { Count: 2 } select) { Add(E1017, at, "Fn::Select takes [index, [values…]]."); break; }
                    if (AsFunction(select[0]) is null && !IsIndex(select[0])) Add(E1017, $"{at}/0", $"The index of Fn::Select must be a non-negative integer, found {select[0]?.ToJsonString()}.");
                    if (select[1] is not JsonArray && AsFunction(select[1]) is null) Add(E1017, $"{at}/1", "The values of Fn::Select must be a list, or a function returning one.");
                    Walk(select[0], $"{at}/0", deps);
                    Walk(select[1], $"{at}/1", deps);
                    break;
                case "Fn::Split":
                    if (value is not JsonArray { Count: 2 } split || AsString(split[0]) is null) Add(E1018, at, "Fn::Split takes [delimiter, string].");
                    else Walk(split[1], $"{at}/1", deps);
                    break;
                case "Fn::If":
                    if (value is not JsonArray { Count: 3 } branches || AsString(branches[0]) is not { } condition) { Add(E1028, at, "Fn::If takes [condition name, value if true, value if false]."); break; }
                    if (!conditions.ContainsKey(condition)) Add(E8002, $"{at}/0", $"The condition '{condition}' is not declared in Conditions.");
                    Walk(branches[1], $"{at}/1", deps);
                    Walk(branches[2], $"{at}/2", deps);
                    break;
                case "Fn::ImportValue":
                    if (value is JsonArray or null || (value is JsonObject && AsFunction(value) is null)) Add(E1016, at, "Fn::ImportValue takes an export name: a string or a function returning one.");
                    else Walk(value, at, null);
                    break;
                case "Fn::GetAZs":
                    if (value is JsonArray or null || (value is JsonObject && AsFunction(value) is not ("Ref", _))) Add(E1015, at, "Fn::GetAZs takes a region name, \"\" for the stack's region, or a Ref.");
                    else Walk(value, at, deps);
                    break;
                case "Fn::FindInMap":
                    FindInMap(value, at, deps);
                    break;
                case "Fn::Base64":
                    if (value is JsonArray or null) Add(E1021, at, "Fn::Base64 takes a string, or a function returning one.");
                    else Walk(value, at, deps);
                    break;
                case "Fn::Cidr":
                    if (value is not JsonArray { Count: 3 } cidr) Add(E1024, at, "Fn::Cidr takes [ipBlock, count, cidrBits].");
                    else Walk(cidr, at, deps);
                    break;
                case "Fn::Equals" or "Fn::And" or "Fn::Or" or "Fn::Not":
                    Add(E8001, at, $"{name} is a condition function: use it in the Conditions section, and refer to the condition with Fn::If.");
                    break;
                case "Fn::Transform" or "Fn::Length" or "Fn::ToJsonString" or "Fn::GetStackOutput":
                    Walk(value, at, deps);
                    break;
                default:
                    Add(E1030, at, $"'{name}' is not an intrinsic function (Ref, Fn::GetAtt, Fn::Sub, Fn::Join, Fn::Select, Fn::Split, Fn::If, Fn::ImportValue, Fn::GetAZs, Fn::FindInMap, Fn::Base64, Fn::Cidr).");
                    Walk(value, at, deps);
                    break;
            }
        }

        static bool IsIndex(JsonNode? node) => node is JsonValue v
            && int.TryParse(v.GetValueKind() == JsonValueKind.Number ? v.ToJsonString() : AsString(v), NumberStyles.None, CultureInfo.InvariantCulture, out _);

        void Resolve(string name, string at, SortedSet<string>? deps, FindingId id)
        {
            if (resources.ContainsKey(name)) { deps?.Add(name); return; }
            if (parameters.ContainsKey(name) || PseudoParameters.Contains(name)) return;
            Add(id, at, $"'{name}' is not a parameter, pseudo parameter or resource of this template.");
        }

        void GetAtt(JsonNode? value, string at, SortedSet<string>? deps)
        {
            string? resource = null, attribute = null;
            switch (value)
            {
                case JsonArray { Count: 2 } pair when AsString(pair[0]) is { } r:
                    resource = r;
                    attribute = AsString(pair[1]);
                    if (attribute is null)
                    {
                        if (AsFunction(pair[1]) is ("Ref", _)) Walk(pair[1], $"{at}/1", deps);
                        else { Add(E1010, $"{at}/1", "The attribute of Fn::GetAtt must be a string or a Ref to a parameter."); return; }
                    }
                    break;
                case JsonValue dotted when AsString(dotted) is { } s && s.IndexOf('.') is > 0 and var dot:
                    resource = s[..dot];
                    attribute = s[(dot + 1)..];
                    break;
                default:
                    Add(E1010, at, "Fn::GetAtt takes [resource, attribute] or \"resource.attribute\".");
                    return;
            }
            Attribute(resource, attribute, at, deps, E1010);
        }

        void Attribute(string resource, string? attribute, string at, SortedSet<string>? deps, FindingId id)
        {
            if (!resources.ContainsKey(resource))
            {
                Add(id, at, $"'{resource}' is not a resource of this template.");
                return;
            }
            deps?.Add(resource);
            if (attribute is null || AsString(Member(resources[resource], "Type")) is not { } type) return;
            if (type.StartsWith("Custom::", StringComparison.Ordinal) || type is "AWS::CloudFormation::CustomResource" or "AWS::CloudFormation::Stack"
                || type.StartsWith("AWS::Serverless::", StringComparison.Ordinal)) return;
            if (schemas.Get(type) is not { } schema || schema.Attributes.Contains(attribute)) return;
            Add(id, at, schema.Attributes.Count == 0
                ? $"{type} has no attribute that Fn::GetAtt can read ('{attribute}')."
                : $"'{attribute}' is not an attribute of {type} ({string.Join(", ", schema.Attributes.Order(StringComparer.Ordinal))}).");
        }

        void Sub(JsonNode? value, string at, SortedSet<string>? deps)
        {
            var (text, variables) = value switch
            {
                JsonValue v => (AsString(v), (JsonObject?)null),
                JsonArray { Count: 2 } a when a[1] is JsonObject map => (AsString(a[0]), map),
                _ => (null, null),
            };
            if (text is null) { Add(E1019, at, "Fn::Sub takes a string, or [string, {variables}]."); return; }
            if (variables is not null)
                foreach (var (key, variable) in variables) Walk(variable, $"{at}/1/{Escape(key)}", deps);
            var textAt = variables is null ? at : $"{at}/0";
            foreach (Match match in SubVariable().Matches(text))
            {
                var variable = match.Groups[1].Value.Trim();
                if (variable.StartsWith('!') || variables?.ContainsKey(variable) == true) continue;
                var dot = variable.IndexOf('.');
                if (dot < 0)
                {
                    if (resources.ContainsKey(variable)) deps?.Add(variable);
                    else if (!parameters.ContainsKey(variable) && !PseudoParameters.Contains(variable))
                        Add(E1019, textAt, $"The variable ${{{variable}}} is not a parameter, pseudo parameter, resource or variable of this Fn::Sub.");
                }
                else if (!variable.StartsWith("AWS::", StringComparison.Ordinal))
                {
                    if (!resources.ContainsKey(variable[..dot]))
                        Add(E1019, textAt, $"The variable ${{{variable}}} names '{variable[..dot]}', which is not a resource of this template.");
                    else Attribute(variable[..dot], variable[(dot + 1)..], textAt, deps, E1019);
                }
                else Add(E1019, textAt, $"The variable ${{{variable}}} is not a pseudo parameter.");
            }
        }

        void FindInMap(JsonNode? value, string at, SortedSet<string>? deps)
        {
            if (value is not JsonArray { Count: 3 or 4 } args) { Add(E1011, at, "Fn::FindInMap takes [mapping, top-level key, second-level key]."); return; }
            for (var i = 0; i < args.Count; i++) Walk(args[i], $"{at}/{i}", deps);
            if (AsString(args[0]) is not { } map) return;
            if (mappings[map] is not JsonObject mapping) { Add(E1011, $"{at}/0", $"'{map}' is not a mapping of this template."); return; }
            if (args.Count == 4) return; // a default value (AWS::LanguageExtensions)
            if (AsString(args[1]) is { } key1)
            {
                if (mapping[key1] is not JsonObject level) { Add(E1011, $"{at}/1", $"The mapping '{map}' has no key '{key1}'."); return; }
                if (AsString(args[2]) is { } key2 && !level.ContainsKey(key2)) Add(E1011, $"{at}/2", $"The mapping '{map}' has no key '{key2}' under '{key1}'.");
            }
        }

        /// <summary>A condition: Fn::Equals, Fn::And, Fn::Or, Fn::Not, or {"Condition": name}.</summary>
        void WalkCondition(JsonNode? node, string at)
        {
            if (node is JsonObject { Count: 1 } obj && obj.GetAt(0) is var (key, value))
            {
                var where = $"{at}/{Escape(key)}";
                switch (key)
                {
                    case "Condition":
                        if (AsString(value) is not { } name || !conditions.ContainsKey(name)) Add(E8002, where, $"The condition {value?.ToJsonString()} is not declared in Conditions.");
                        return;
                    case "Fn::Equals":
                        if (value is not JsonArray { Count: 2 } pair) Add(E8001, where, "Fn::Equals takes [value, value].");
                        else Walk(pair, where, null);
                        return;
                    case "Fn::And" or "Fn::Or":
                        if (value is not JsonArray { Count: >= 2 and <= 10 } list) { Add(E8001, where, $"{key} takes a list of 2 to 10 conditions."); return; }
                        for (var i = 0; i < list.Count; i++) WalkCondition(list[i], $"{where}/{i}");
                        return;
                    case "Fn::Not":
                        if (value is not JsonArray { Count: 1 } one) { Add(E8001, where, "Fn::Not takes a list of one condition."); return; }
                        WalkCondition(one[0], $"{where}/0");
                        return;
                    case "Fn::FindInMap" or "Ref":
                        Walk(node, at, null);
                        return;
                }
                if (key.StartsWith("Fn::", StringComparison.Ordinal) && !Functions.Contains(key))
                {
                    Add(E1030, where, $"'{key}' is not an intrinsic function.");
                    return;
                }
            }
            Add(E8001, at, "A condition is Fn::Equals, Fn::And, Fn::Or, Fn::Not or {\"Condition\": name}.");
        }
    }
}
