using System.Text.Json.Nodes;

namespace Templates.Generation.Validation;

public static partial class TemplateValidator
{
    /// <summary>The stand-in of a function known to return a list; its value is [what it is, the function].</summary>
    internal const string ListStandIn = "Fn::\u0001List";

    /// <summary>The stand-in of a function known to return one string, number or boolean.</summary>
    internal const string ScalarStandIn = "Fn::\u0001Scalar";

    /// <summary>
    /// The value types of intrinsic functions: what each returns, a list or one value (a string, or what CloudFormation
    /// converts a string to), where the template tells. Before a resource's properties meet their schema, every function
    /// whose result is known is replaced by a stand-in (<see cref="ListStandIn"/>, <see cref="ScalarStandIn"/>) that stays an
    /// intrinsic function for every keyword but <c>type</c>, which compares it with the type expected there (<see cref="CfnDialect"/>).
    /// Sources: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html (each
    /// function's "Return value") and parameters-section-structure.html (what a Ref to each parameter type returns).
    /// </summary>
    sealed partial class Run
    {
        /// <summary>A copy of <paramref name="node"/> with each function whose value type is known replaced by its stand-in.</summary>
        JsonNode? Typed(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o when AsFunction(o) is var (name, value):
                    if (ReturnsList(name, value) is not { } isList) return o.DeepClone();
                    return new JsonObject { [isList ? ListStandIn : ScalarStandIn] = new JsonArray(Describe(name, value), o.DeepClone()) };
                case JsonObject o:
                    var copy = new JsonObject();
                    foreach (var (key, child) in o) copy[key] = Typed(child);
                    return copy;
                case JsonArray a:
                    var list = new JsonArray();
                    foreach (var item in a) list.Add(Typed(item));
                    return list;
                default:
                    return node?.DeepClone();
            }
        }

        /// <summary>True when the function returns a list, false when one value, null when the template does not tell.</summary>
        bool? ReturnsList(string name, JsonNode? value)
        {
            switch (name)
            {
                case "Ref":
                    if (AsString(value) is not { } target) return null;
                    if (target == "AWS::NotificationARNs") return true;
                    if (target == "AWS::NoValue") return null;
                    if (PseudoParameters.Contains(target)) return false;
                    if (parameters[target] is JsonObject parameter) return AsString(parameter["Type"]) is { } type ? ParameterIsList(type) : null;
                    return resources.ContainsKey(target) ? false : null;
                case "Fn::GetAtt":
                    var (resource, attribute) = value switch
                    {
                        JsonArray { Count: 2 } pair => (AsString(pair[0]), AsString(pair[1])),
                        JsonValue dotted when AsString(dotted) is { } s && s.IndexOf('.') is > 0 and var dot => (s[..dot], s[(dot + 1)..]),
                        _ => (null, null),
                    };
                    if (resource is null || attribute is null || AsString(Member(resources[resource], "Type")) is not { } resourceType) return null;
                    if (resourceType.StartsWith("Custom::", StringComparison.Ordinal) || !schemas.IsKnownType(resourceType) || SchemaSet.IsModule(resourceType)) return null;
                    return schemas.Get(resourceType)?.AttributeIsList.TryGetValue(attribute, out var isList) == true ? isList : null;
                case "Fn::GetAZs" or "Fn::Split" or "Fn::Cidr":
                    return true;
                case "Fn::Join" or "Fn::Sub" or "Fn::Base64" or "Fn::ImportValue" or "Fn::Length" or "Fn::ToJsonString":
                    return false;
                case "Fn::Select":
                    // One item of the list: a string, unless the list is written out and holds lists or objects.
                    if (value is not JsonArray { Count: 2 } select) return null;
                    if (select[1] is JsonArray items) return items.All(i => i is JsonValue) ? false : null;
                    return AsFunction(select[1]) is (var inner, var innerValue) && inner is not "Fn::FindInMap" && ReturnsList(inner, innerValue) == true ? false : null;
                case "Fn::FindInMap":
                    return MappingValueIsList(value);
                default:
                    return null;
            }
        }

        /// <summary>What a Ref to a parameter of this type returns: a list for List&lt;…&gt;, CommaDelimitedList and their SSM forms.</summary>
        static bool ParameterIsList(string type)
        {
            if (type.StartsWith("AWS::SSM::Parameter::Value<", StringComparison.Ordinal) && type.EndsWith('>'))
                type = type["AWS::SSM::Parameter::Value<".Length..^1];
            return type == "CommaDelimitedList" || type.StartsWith("List<", StringComparison.Ordinal);
        }

        /// <summary>Fn::FindInMap's value: the one named by literal keys, or, when every value of the mapping is of one kind, that kind.</summary>
        bool? MappingValueIsList(JsonNode? value)
        {
            if (value is not JsonArray { Count: 3 } args || AsString(args[0]) is not { } name || mappings[name] is not JsonObject mapping) return null;
            if (AsString(args[1]) is { } key1 && AsString(args[2]) is { } key2)
                return Member(mapping[key1], key2) switch
                {
                    JsonArray => true,
                    JsonValue => false,
                    _ => null,
                };
            var kinds = mapping.Select(l => l.Value as JsonObject).SelectMany(l => l?.Select(v => v.Value) ?? [])
                .Select(v => v switch { JsonArray => (bool?)true, JsonValue => false, _ => null }).Distinct().ToList();
            return kinds.Count == 1 ? kinds[0] : null;
        }

        /// <summary>What the function is, for a message: "Ref to the parameter Subnets (List&lt;AWS::EC2::Subnet::Id&gt;)".</summary>
        string Describe(string name, JsonNode? value)
        {
            if (name == "Ref" && AsString(value) is { } target)
                return parameters[target] is JsonObject p ? $"Ref to the parameter {target} ({AsString(p["Type"])})"
                    : resources.ContainsKey(target) ? $"Ref to the resource {target}" : $"Ref to {target}";
            if (name == "Fn::GetAtt")
                return value is JsonArray { Count: 2 } pair ? $"Fn::GetAtt {AsString(pair[0])}.{AsString(pair[1])}" : $"Fn::GetAtt {AsString(value)}";
            return name;
        }
    }
}
