using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Templates.Generation.CloudFormation;
using static Templates.Generation.Validation.FindingIds;

namespace Templates.Generation.Validation;

/// <summary>
/// Validates a CloudFormation JSON template, ours or anyone's: its sections and format version, parameters, logical IDs,
/// every intrinsic function (well-formed, naming things that exist), every resource's type and <c>Properties</c> against
/// the resource provider schemas, dependency cycles, CloudFormation's limits, and the checks cfn-lint misses
/// (<see cref="ServiceChecks"/>). One pass over the template; schemas are built once per type and process.
/// </summary>
public static partial class TemplateValidator
{
    /// <summary>The largest template body <c>aws cloudformation deploy</c> sends inline; a larger one must go through S3.</summary>
    public const int InlineBodyLimit = 51_200;

    /// <summary>The largest template CloudFormation accepts from S3.</summary>
    public const int S3BodyLimit = 1_000_000;

    static readonly HashSet<string> Sections =
        ["AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs", "Hooks"];

    static readonly HashSet<string> ResourceAttributes =
        ["Type", "Properties", "DependsOn", "Condition", "Metadata", "DeletionPolicy", "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy", "Version"];

    static readonly HashSet<string> ParameterAttributes =
        ["Type", "Default", "AllowedValues", "AllowedPattern", "MinLength", "MaxLength", "MinValue", "MaxValue", "Description", "ConstraintDescription", "NoEcho"];

    static readonly HashSet<string> PseudoParameters =
        ["AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix"];

    static readonly HashSet<string> AwsParameterTypes =
    [
        "AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id", "AWS::EC2::Instance::Id", "AWS::EC2::KeyPair::KeyName",
        "AWS::EC2::SecurityGroup::GroupName", "AWS::EC2::SecurityGroup::Id", "AWS::EC2::Subnet::Id", "AWS::EC2::Volume::Id",
        "AWS::EC2::VPC::Id", "AWS::Route53::HostedZone::Id",
    ];

    static readonly HashSet<string> Functions =
    [
        "Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::If", "Fn::ImportValue", "Fn::GetAZs", "Fn::FindInMap",
        "Fn::Base64", "Fn::Cidr", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::GetStackOutput",
    ];

    [GeneratedRegex("^[A-Za-z0-9]{1,255}$")]
    private static partial Regex LogicalIdPattern();

    [GeneratedRegex(@"\$\{([^}]*)\}")]
    private static partial Regex SubVariable();

    /// <summary>
    /// Validates a template given as its bytes. Throws <see cref="JsonException"/> when they are not a JSON object. A key
    /// repeated in one object is reported (E0000, at each occurrence, as cfn-lint 1.51 does: <c>Duplicate found 'KEY' (line N)</c>)
    /// and the template is not validated further: which of the values CloudFormation would take is not for us to guess.
    /// </summary>
    public static IReadOnlyList<TemplateProblem> Validate(ReadOnlySpan<byte> bytes, SchemaSet? schemas = null)
    {
        var duplicates = DuplicateKeys(bytes);
        if (duplicates.Count > 0) return duplicates;
        var node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }) as JsonObject
            ?? throw new JsonException("The template is not a JSON object.");
        return Validate(node, bytes.Length, schemas);
    }

    /// <summary>Every occurrence of a key that appears more than once in one object, in file order. Throws <see cref="JsonException"/> on malformed JSON.</summary>
    public static IReadOnlyList<TemplateProblem> DuplicateKeys(ReadOnlySpan<byte> bytes)
    {
        var found = new List<(long Offset, string Pointer, string Key)>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        // One frame per open object or array: its pointer, and for an object the offsets of each key; for an array the next index.
        var frames = new Stack<(string Pointer, Dictionary<string, List<long>>? Keys, int Index)>();
        string? key = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    key = reader.GetString()!;
                    var keys = frames.Peek().Keys!;
                    if (!keys.TryGetValue(key, out var offsets)) keys[key] = offsets = [];
                    offsets.Add(reader.TokenStartIndex);
                    continue;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    var pointer = frames.Count == 0 ? "" : frames.Peek().Pointer + "/" + ChildSegment(frames, key);
                    frames.Push((pointer, reader.TokenType == JsonTokenType.StartObject ? new Dictionary<string, List<long>>(StringComparer.Ordinal) : null, 0));
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    var frame = frames.Pop();
                    if (frame.Keys is not null)
                        foreach (var (name, at) in frame.Keys)
                            if (at.Count > 1) found.AddRange(at.Select(o => (o, $"{frame.Pointer}/{Escape(name)}", name)));
                    break;
                default:
                    if (frames.Count > 0) ChildSegment(frames, key);
                    break;
            }
            key = null;
        }
        if (found.Count == 0) return [];
        var lineStarts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] == (byte)'\n') lineStarts.Add(i + 1);
        var text = bytes.ToArray();
        return [.. found.OrderBy(f => f.Offset).Select(f =>
        {
            var line = lineStarts.BinarySearch(f.Offset);
            if (line < 0) line = ~line - 1;
            return E0000.At(f.Pointer, string.Create(CultureInfo.InvariantCulture, $"Duplicate found '{f.Key}' (line {line + 1})")) with
            {
                At = new Position(line + 1, System.Text.Encoding.UTF8.GetCharCount(text, (int)lineStarts[line], (int)(f.Offset - lineStarts[line])) + 1),
            };
        })];
    }

    /// <summary>The pointer segment of the next value in the innermost frame: the pending key in an object, the next index in an array.</summary>
    static string ChildSegment(Stack<(string Pointer, Dictionary<string, List<long>>? Keys, int Index)> frames, string? key)
    {
        var top = frames.Pop();
        string segment;
        if (top.Keys is not null) segment = Escape(key!);
        else
        {
            segment = top.Index.ToString(CultureInfo.InvariantCulture);
            top.Index++;
        }
        frames.Push(top);
        return segment;
    }

    /// <summary>
    /// Every problem of the template; <paramref name="size"/> is its size in bytes, <paramref name="schemas"/> the resource
    /// schemas (the embedded set when null), and <paramref name="today"/> the date the dated checks
    /// (<see cref="DatedFacts"/>) judge by (today, UTC, when null).
    /// </summary>
    public static IReadOnlyList<TemplateProblem> Validate(JsonObject template, int size, SchemaSet? schemas = null, DateOnly? today = null)
    {
        // AWS::LanguageExtensions runs before CloudFormation reads the template: check what its Fn::ForEach loops expand to.
        if (LanguageExtensions.Expand(template) is not { } expanded)
            return [W1032.At("/Transform", "An Fn::ForEach loops over a value known only at deploy time (a list parameter without a default): the template is not checked.")];
        return new Run(expanded, size, schemas ?? SchemaSet.Embedded, today ?? DateOnly.FromDateTime(DateTime.UtcNow)).Go();
    }

    /// <summary>Escapes a key for a JSON pointer (RFC 6901).</summary>
    public static string Escape(string key) => key.Replace("~", "~0").Replace("/", "~1");

    /// <summary>The one function of an intrinsic-function object, or null.</summary>
    internal static (string Name, JsonNode? Value)? AsFunction(JsonNode? node)
    {
        if (node is not JsonObject { Count: 1 } obj) return null;
        var (key, value) = obj.First();
        return key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal) ? (key, value) : null;
    }

    internal static string? AsString(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    static readonly EvaluationOptions FlagOutput = new() { OutputFormat = OutputFormat.Flag };
    static readonly EvaluationOptions DetailedOutput = new() { OutputFormat = OutputFormat.Hierarchical };

    sealed class Run(JsonObject template, int size, SchemaSet schemas, DateOnly today)
    {
        readonly List<TemplateProblem> problems = [];
        readonly JsonObject parameters = template["Parameters"] as JsonObject ?? [];
        readonly JsonObject resources = template["Resources"] as JsonObject ?? [];
        readonly JsonObject conditions = template["Conditions"] as JsonObject ?? [];
        readonly JsonObject mappings = template["Mappings"] as JsonObject ?? [];
        readonly JsonObject outputs = template["Outputs"] as JsonObject ?? [];
        readonly Dictionary<string, SortedSet<string>> edges = new(StringComparer.Ordinal);
        readonly bool transformed = template.ContainsKey("Transform");

        public IReadOnlyList<TemplateProblem> Go()
        {
            CheckSections();
            CheckParameters();
            CheckMappings();
            foreach (var (name, condition) in conditions) WalkCondition(condition, $"/Conditions/{Escape(name)}");
            CheckResources();
            CheckOutputs();
            FindCycles();
            ServiceChecks.Run(template, problems);
            DatedFacts.Run(template, problems, today);
            return problems;
        }

        void Add(FindingId id, string pointer, string message) => problems.Add(id.At(pointer, message));

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

        // ---- intrinsic functions ---------------------------------------------------------------------------------------

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
            if (attribute is null || AsString(resources[resource]?["Type"]) is not { } type) return;
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
            if (node is JsonObject { Count: 1 } obj && obj.First() is var (key, value))
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

        void FindCycles()
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
                        Add(E3004, $"/Resources/{Escape(id)}", $"Circular dependency: {string.Join(" -> ", cycle)}.");
                    }
                    return;
                }
                state[id] = 1;
                path.Add(id);
                if (edges.TryGetValue(id, out var next)) foreach (var dep in next) Visit(dep);
                path.RemoveAt(path.Count - 1);
                state[id] = 2;
            }
        }

        // ---- resource schemas ------------------------------------------------------------------------------------------

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
                var instance = branch == 0 ? properties : Choose(properties, branch);
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
                    // A value that is not of its form (an ARN, an ID) fails the property's pattern too: the form says more.
                    if (keyword == "pattern" && errors.Keys.Any(k => IdFormats.FindingOf(k) is not null)) continue;
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

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
internal sealed partial class JsonNodeContext : System.Text.Json.Serialization.JsonSerializerContext;
