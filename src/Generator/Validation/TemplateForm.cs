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
    static readonly HashSet<string> Sections =
        ["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs", "Hooks"];

    static readonly HashSet<string> ResourceAttributes =
        ["Type", "Properties", "DependsOn", "Condition", "Metadata", "DeletionPolicy", "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy", "Version"];

    static readonly HashSet<string> ParameterAttributes =
        ["Type", "Default", "AllowedValues", "AllowedPattern", "MinLength", "MaxLength", "MinValue", "MaxValue", "Description", "ConstraintDescription", "NoEcho"];

    static readonly HashSet<string> AwsParameterTypes =
    [
        "AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id", "AWS::EC2::Instance::Id", "AWS::EC2::KeyPair::KeyName",
        "AWS::EC2::SecurityGroup::GroupName", "AWS::EC2::SecurityGroup::Id", "AWS::EC2::Subnet::Id", "AWS::EC2::Volume::Id",
        "AWS::EC2::VPC::Id", "AWS::Route53::HostedZone::Id",
    ];

    [GeneratedRegex("^[A-Za-z0-9]{1,255}$")]
    private static partial Regex LogicalIdPattern();

    /// <summary>
    /// The resource types that hold data (cfn-lint 1.51.0's StatefulResources.json through <c>tools/SchemaTool</c>, less the
    /// types CloudFormation deletes only when empty): their DeletionPolicy and UpdateReplacePolicy should be said, not left to
    /// the default, Delete (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html).
    /// </summary>
    static readonly Lazy<HashSet<string>> StatefulTypes = new(() =>
    {
        using var stream = typeof(TemplateValidator).Assembly.GetManifestResourceStream("schemas/stateful-resources.txt")
            ?? throw new InvalidOperationException("The embedded stateful-resources.txt is missing.");
        using var reader = new StreamReader(stream);
        var types = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0) types.Add(line);
        return types;
    });

    /// <summary>The template's form: its sections, limits and logical IDs, parameters, mappings, resources' attributes and outputs.</summary>
    sealed partial class Run
    {
        void CheckSections()
        {
            foreach (var (key, value) in template)
            {
                if (!Sections.Contains(key) && !(key == "Globals" && LanguageExtensions.IsServerless(template)))
                {
                    Add(E1001, $"/{Escape(key)}", $"'{key}' is not a section of a CloudFormation template (sections: {string.Join(", ", Sections.Order())}).");
                    continue;
                }
                if (key is "Parameters" or "Resources" or "Outputs" or "Mappings" or "Conditions" or "Metadata" or "Rules" && value is not JsonObject)
                    Add(E1001, $"/{key}", $"The {key} section must be an object.");
            }
            if (template.TryGetPropertyValue("AWSTemplateFormatVersion", out var version) && AsString(version) != "2010-09-09")
                Add(E1005, "/AWSTemplateFormatVersion", $"AWSTemplateFormatVersion is {version?.ToJsonString() ?? "null"}; the only version is \"2010-09-09\".");
            if (template.TryGetPropertyValue("Description", out var description))
            {
                if (AsString(description) is not { } text) Add(E1003, "/Description", "The Description must be a string.");
                else if (System.Text.Encoding.UTF8.GetByteCount(text) > 1024) Add(E1003, "/Description", "The Description is longer than 1,024 bytes.");
            }
            if (template["Resources"] is not JsonObject { Count: > 0 }) Add(E1001, "/Resources", "A template needs at least one resource.");
            if (resources.Count > 500) Add(E3010, "/Resources", $"{resources.Count} resources; CloudFormation allows 500 per template.");
            if (parameters.Count > 200) Add(E2010, "/Parameters", $"{parameters.Count} parameters; CloudFormation allows 200.");
            if (outputs.Count > 200) Add(E6010, "/Outputs", $"{outputs.Count} outputs; CloudFormation allows 200.");
            if (mappings.Count > 200) Add(E7010, "/Mappings", $"{mappings.Count} mappings; CloudFormation allows 200.");
            if (size > S3BodyLimit)
                Add(E1002, "", $"The template is {size.ToString("N0", CultureInfo.InvariantCulture)} bytes; CloudFormation accepts at most {S3BodyLimit:N0}, even through S3.");
            else if (size > InlineBodyLimit)
                Add(V1001, "", $"The template is {size.ToString("N0", CultureInfo.InvariantCulture)} bytes, over the {InlineBodyLimit:N0} bytes that can be sent inline: deploy it through S3 (aws cloudformation deploy --s3-bucket …).");

            foreach (var (section, entries) in new[] { ("Parameters", parameters), ("Resources", resources), ("Outputs", outputs), ("Mappings", mappings) })
                foreach (var (id, _) in entries)
                    if (!LogicalIdPattern().IsMatch(id) && !(section == "Resources" && id.StartsWith("Fn::ForEach::", StringComparison.Ordinal)))
                        Add(E3006, $"/{section}/{Escape(id)}", $"'{id}' is not a valid logical ID: use 1 to 255 letters and digits.");
            foreach (var (id, _) in parameters)
                if (resources.ContainsKey(id)) Add(E3007, $"/Resources/{Escape(id)}", $"'{id}' names both a parameter and a resource.");
        }

        void CheckParameters()
        {
            foreach (var (name, node) in parameters)
            {
                var at = $"/Parameters/{Escape(name)}";
                if (node is not JsonObject parameter) { Add(E2001, at, $"The parameter '{name}' must be an object with a Type."); continue; }
                foreach (var (key, _) in parameter)
                    if (!ParameterAttributes.Contains(key)) Add(E2001, $"{at}/{Escape(key)}", $"'{key}' is not an attribute of a parameter.");
                if (!parameter.ContainsKey("Type")) { Add(E2001, at, $"The parameter '{name}' has no Type."); continue; }
                var type = AsString(parameter["Type"]);
                if (type is null || !IsParameterType(type))
                    Add(E2002, $"{at}/Type", $"{parameter["Type"]?.ToJsonString() ?? "null"} is not a parameter type (String, Number, List<Number>, CommaDelimitedList, an AWS-specific type such as AWS::EC2::VPC::Id, or AWS::SSM::Parameter::Value<…>).");
            }
        }

        static bool IsParameterType(string type)
        {
            if (type is "String" or "Number" or "List<Number>" or "CommaDelimitedList" or "AWS::SSM::Parameter::Name") return true;
            if (AwsParameterTypes.Contains(type)) return true;
            if (type.StartsWith("List<", StringComparison.Ordinal) && type.EndsWith('>')) return AwsParameterTypes.Contains(type[5..^1]);
            if (type.StartsWith("AWS::SSM::Parameter::Value<", StringComparison.Ordinal) && type.EndsWith('>'))
            {
                var inner = type["AWS::SSM::Parameter::Value<".Length..^1];
                return inner is "String" or "List<String>" or "CommaDelimitedList" || IsParameterType(inner);
            }
            return false;
        }

        void CheckMappings()
        {
            foreach (var (name, node) in mappings)
            {
                if (node is not JsonObject map || map.Count == 0) { Add(E7001, $"/Mappings/{Escape(name)}", $"The mapping '{name}' must be an object of top-level keys."); continue; }
                foreach (var (key, level) in map)
                    if (level is not JsonObject) Add(E7001, $"/Mappings/{Escape(name)}/{Escape(key)}", $"The key '{key}' of mapping '{name}' must hold an object of second-level keys.");
            }
        }

        void CheckResources()
        {
            foreach (var (id, node) in resources)
            {
                var at = $"/Resources/{Escape(id)}";
                var deps = edges[id] = new SortedSet<string>(StringComparer.Ordinal);
                if (node is not JsonObject resource) { Add(E3001, at, $"The resource '{id}' must be an object with a Type."); continue; }
                foreach (var (key, _) in resource)
                    if (!ResourceAttributes.Contains(key)) Add(E3001, $"{at}/{Escape(key)}", $"'{key}' is not an attribute of a resource (Type, Properties, DependsOn, Condition, Metadata, DeletionPolicy, UpdateReplacePolicy, CreationPolicy, UpdatePolicy).");
                var type = AsString(resource["Type"]);
                if (type is null) Add(E3001, at, $"The resource '{id}' has no Type.");
                else if (!schemas.IsKnownType(type) && !(transformed && type.StartsWith("AWS::Serverless::", StringComparison.Ordinal)))
                    Add(E3008, $"{at}/Type", $"'{type}' is not a CloudFormation resource type.");

                switch (resource["DependsOn"])
                {
                    case null: break;
                    case JsonArray many:
                        for (var i = 0; i < many.Count; i++) DependsOn(many[i], $"{at}/DependsOn/{i}");
                        break;
                    case var one: DependsOn(one, $"{at}/DependsOn"); break;
                }
                void DependsOn(JsonNode? target, string where)
                {
                    if (AsString(target) is not { } name) Add(E3005, where, "DependsOn takes a resource's logical ID, or a list of them.");
                    else if (resources.ContainsKey(name)) deps.Add(name);
                    else Add(E3005, where, $"DependsOn names '{name}', which is not a resource of this template.");
                }

                if (resource["Condition"] is { } condition && (AsString(condition) is not { } conditionName || !conditions.ContainsKey(conditionName)))
                    Add(E8002, $"{at}/Condition", $"The condition {condition.ToJsonString()} is not declared in Conditions.");
                foreach (var policy in new[] { "DeletionPolicy", "UpdateReplacePolicy" })
                    if (resource[policy] is JsonValue value && AsString(value) is not ("Delete" or "Retain" or "Snapshot" or "RetainExceptOnCreate"))
                        Add(E3035, $"{at}/{policy}", $"{policy} is {value.ToJsonString()}; use Delete, Retain, RetainExceptOnCreate or Snapshot.");
                // An RDS cluster, and an RDS instance outside a cluster, default to Snapshot: they are not deleted unnoticed
                // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
                var snapshotByDefault = type is "AWS::RDS::DBCluster" || (type is "AWS::RDS::DBInstance" && Member(resource["Properties"], "DBClusterIdentifier") is null);
                if (type is not null && !snapshotByDefault && StatefulTypes.Value.Contains(type)
                    && new[] { "DeletionPolicy", "UpdateReplacePolicy" }.Where(p => !resource.ContainsKey(p)).ToList() is { Count: > 0 } missing)
                    Add(W3011, at, $"{id} ({type}) holds data, and has no {string.Join(" or ", missing)}: CloudFormation deletes it when it is removed or replaced. Set {string.Join(" and ", missing)} to \"Retain\" to keep the data, or to \"Delete\" to say losing it is intended.");

                var properties = resource["Properties"];
                if (properties is not null && properties is not JsonObject)
                {
                    Add(E3001, $"{at}/Properties", "Properties must be an object.");
                    continue;
                }
                Walk(properties, $"{at}/Properties", deps);
                if (resource["CreationPolicy"] is { } creation) Walk(creation, $"{at}/CreationPolicy", deps);
                if (resource["UpdatePolicy"] is { } update) Walk(update, $"{at}/UpdatePolicy", deps);
                if (type is not null) CheckProperties(type, (JsonObject?)properties, at, hasProperties: properties is not null);
            }
        }

        void CheckOutputs()
        {
            var exports = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, node) in outputs)
            {
                var at = $"/Outputs/{Escape(name)}";
                if (node is not JsonObject output || !output.ContainsKey("Value")) { Add(E6001, at, $"The output '{name}' must be an object with a Value."); continue; }
                foreach (var (key, _) in output)
                    if (key is not ("Value" or "Description" or "Export" or "Condition")) Add(E6001, $"{at}/{Escape(key)}", $"'{key}' is not an attribute of an output (Value, Description, Export, Condition).");
                Walk(output["Value"], $"{at}/Value", null);
                if (output["Export"] is { } export)
                {
                    if (export is not JsonObject e || !e.ContainsKey("Name")) Add(E6001, $"{at}/Export", "Export must be an object with a Name.");
                    else
                    {
                        Walk(e["Name"], $"{at}/Export/Name", null);
                        if (AsString(e["Name"]) is { } exportName && !exports.TryAdd(exportName, name))
                            Add(E6001, $"{at}/Export/Name", $"The export name '{exportName}' is also exported by output '{exports[exportName]}'.");
                    }
                }
                if (output["Condition"] is { } condition && (AsString(condition) is not { } conditionName || !conditions.ContainsKey(conditionName)))
                    Add(E8002, $"{at}/Condition", $"The condition {condition.ToJsonString()} is not declared in Conditions.");
            }
        }
    }
}
