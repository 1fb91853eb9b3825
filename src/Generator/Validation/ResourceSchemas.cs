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
    static readonly EvaluationOptions FlagOutput = new() { OutputFormat = OutputFormat.Flag };
    static readonly EvaluationOptions DetailedOutput = new() { OutputFormat = OutputFormat.Hierarchical };

    /// <summary>Each resource's Properties against its type's provider schema (<see cref="SchemaSet"/>), every Fn::If branch checked.</summary>
    sealed partial class Run
    {
        void CheckProperties(string type, JsonObject? properties, string at, bool hasProperties)
        {
            if (type.StartsWith("Custom::", StringComparison.Ordinal) || type.StartsWith("AWS::Serverless::", StringComparison.Ordinal) || SchemaSet.IsModule(type)) return;
            var schema = schemas.Get(type);
            if (schema is null)
            {
                if (schemas.IsKnownType(type))
                    Add(W3000, $"{at}/Type", $"The properties of {type} are not checked: the loaded schema set has no schema for it (validate --schemas DIR|ZIP checks every type).");
                return;
            }
            properties ??= [];
            // Fn::If: each branch is checked. Evaluating every combination would be exponential; taking all first
            // branches, then all second branches, checks every branch once.
            var variants = ContainsIf(properties) ? new[] { 1, 2 } : [0];
            var seen = new HashSet<(string, string)>();
            foreach (var branch in variants)
            {
                // Functions whose value type is known become stand-ins that "type" checks (ValueTypes.cs).
                var instance = Typed(branch == 0 ? properties : Choose(properties, branch));
                var element = JsonSerializer.SerializeToElement(instance, JsonNodeContext.Default.JsonNode);
                // The flag format answers "valid?" without building the output tree; only a failure is evaluated again in detail.
                if (schema.Schema.Evaluate(element, FlagOutput).IsValid) continue;
                var results = schema.Schema.Evaluate(element, DetailedOutput);
                foreach (var (location, id, message) in Failures(results, type))
                {
                    var pointer = at + "/Properties" + Original(properties, location, branch);
                    if (location.Length == 0 && !hasProperties) pointer = at;
                    if (seen.Add((pointer, message))) Add(id, pointer, message);
                }
            }
        }

        static string Unescape(string segment) => segment.Replace("~1", "/").Replace("~0", "~");

        static bool ContainsIf(JsonNode? node) => node switch
        {
            JsonObject o when AsFunction(o) is ("Fn::If", _) => true,
            JsonObject o => o.Any(p => ContainsIf(p.Value)),
            JsonArray a => a.Any(ContainsIf),
            _ => false,
        };

        /// <summary>A copy with every Fn::If replaced by its first (1) or second (2) branch, and AWS::NoValue removed.</summary>
        static JsonNode? Choose(JsonNode? node, int branch)
        {
            switch (node)
            {
                case JsonObject o when AsFunction(o) is ("Fn::If", JsonArray { Count: 3 } args):
                    return Choose(args[branch], branch);
                case JsonObject o when AsFunction(o) is not null:
                    return o.DeepClone();
                case JsonObject o:
                    var copy = new JsonObject();
                    foreach (var (key, value) in o)
                        if (Choose(value, branch) is var chosen && !IsNoValue(chosen)) copy[key] = chosen;
                    return copy;
                case JsonArray a:
                    var list = new JsonArray();
                    foreach (var item in a)
                        if (Choose(item, branch) is var chosen && !IsNoValue(chosen)) list.Add(chosen);
                    return list;
                default:
                    return node?.DeepClone();
            }
        }

        static bool IsNoValue(JsonNode? node) => AsFunction(node) is ("Ref", var v) && AsString(v) == "AWS::NoValue";

        /// <summary>
        /// Maps a location in a branch-chosen copy back to the template, through the Fn::If objects it went through
        /// (in a copy every Fn::If took <paramref name="branch"/>). List indexes after a removed AWS::NoValue item are approximate.
        /// </summary>
        static string Original(JsonNode? root, string location, int branch)
        {
            var result = new System.Text.StringBuilder();
            var node = root;
            var segments = location.Length == 0 ? [] : location[1..].Split('/');
            for (var i = 0; ; i++)
            {
                while (branch > 0 && AsFunction(node) is ("Fn::If", JsonArray { Count: 3 } args))
                {
                    result.Append("/Fn::If/").Append(branch);
                    node = args[branch];
                }
                if (i == segments.Length) break;
                result.Append('/').Append(segments[i]);
                var key = Unescape(segments[i]);
                node = node switch
                {
                    JsonObject o => o[key],
                    JsonArray a when int.TryParse(key, out var index) && index < a.Count => a[index],
                    _ => null,
                };
            }
            return result.ToString();
        }

        /// <summary>
        /// The failures worth reporting from JsonSchema.Net's hierarchical output: the leaf assertions. A failed
        /// <c>oneOf</c>/<c>anyOf</c>/<c>not</c> is reported once where it failed, not with every branch's complaints.
        /// </summary>
        static IEnumerable<(string Location, FindingId Id, string Message)> Failures(EvaluationResults node, string type)
        {
            if (node.IsValid) yield break;
            var location = node.InstanceLocation.ToString();
            var path = node.EvaluationPath.ToString();
            var combinators = new List<string>();
            if (node.Errors is { } errors)
                foreach (var (keyword, error) in errors)
                {
                    var id = keyword switch
                    {
                        "type" => E3012,
                        "required" => E3003,
                        "enum" or "const" => E3030,
                        "pattern" => E3031,
                        "minLength" or "maxLength" => E3033,
                        "minItems" or "maxItems" or "minProperties" or "maxProperties" => E3032,
                        "minimum" or "maximum" or "exclusiveMinimum" or "exclusiveMaximum" or "multipleOf" => E3034,
                        "uniqueItems" => E3037,
                        "oneOf" or "anyOf" or "not" or "dependencies" or "propertyNames" or "requiredXor" => E3014,
                        "requiredOr" => E3058,
                        "dependentExcluded" => E3020,
                        "dependentRequired" => E3021,
                        "" when path.EndsWith("/additionalProperties", StringComparison.Ordinal) => E3002,
                        _ => IdFormats.FindingOf(keyword),
                    };
                    if (keyword is "oneOf" or "anyOf" or "not") combinators.Add("/" + keyword);
                    if (id is null) continue;
                    var message = id == E3002
                        ? $"'{Unescape(location[(location.LastIndexOf('/') + 1)..])}' is not a property of {type}{Where(location[..location.LastIndexOf('/')])}."
                        : keyword is "requiredXor" or "requiredOr" or "dependentExcluded" or "dependentRequired" ? $"{Label(location)}{error}"
                        : id == E3014 ? $"The value{Where(location)} {(keyword == "not" ? "has a shape that is not allowed" : keyword == "oneOf" ? "must match exactly one of the allowed shapes" : "matches none of the allowed shapes")} ({error.TrimEnd('.')})."
                        : $"{Label(location)}{error}";
                    yield return (location, id, message);
                }
            if (node.Details is null) yield break;
            foreach (var detail in node.Details)
            {
                if (detail.IsValid) continue;
                var detailPath = detail.EvaluationPath.ToString();
                if (combinators.Any(c => detailPath.StartsWith(path + c, StringComparison.Ordinal))) continue;
                foreach (var failure in Failures(detail, type)) yield return failure;
            }
        }

        static string Where(string location) => location.Length == 0 ? "" : $" at {location[1..].Replace('/', '.')}";

        static string Label(string location) => location.Length == 0 ? "" : $"{location[1..].Replace('/', '.')}: ";
    }
}
