using System.Text.Json.Nodes;

namespace Templates.Generation.CloudFormation;

/// <summary>
/// A CloudFormation template under construction. Sections and entries keep the order they were added in,
/// so the same additions always write the same bytes.
/// </summary>
public sealed class Template
{
    /// <summary>Creates an empty template with a description.</summary>
    public Template(string description) => Description = description;

    /// <summary>The template's description (at most 1,024 bytes).</summary>
    public string Description { get; }


    /// <summary>Parameters by logical ID.</summary>
    public JsonObject Parameters { get; } = [];

    /// <summary>Mappings by name.</summary>
    public JsonObject Mappings { get; } = [];

    /// <summary>Conditions by name.</summary>
    public JsonObject Conditions { get; } = [];

    /// <summary>Resources by logical ID.</summary>
    public JsonObject Resources { get; } = [];

    /// <summary>Outputs by logical ID.</summary>
    public JsonObject Outputs { get; } = [];

    /// <summary>Adds a parameter.</summary>
    public JsonObject AddParameter(string id, string type, string description, JsonNode? defaultValue = null, string? allowedPattern = null, string? constraintDescription = null)
    {
        var parameter = new JsonObject { ["Type"] = type, ["Description"] = description };
        if (defaultValue is not null) parameter["Default"] = defaultValue;
        if (allowedPattern is not null) parameter["AllowedPattern"] = allowedPattern;
        if (constraintDescription is not null) parameter["ConstraintDescription"] = constraintDescription;
        Add(Parameters, "parameter", id, parameter);
        return parameter;
    }

    /// <summary>Adds a resource and returns it, so that policies, dependencies and metadata can be set on it.</summary>
    public Resource AddResource(string id, string type, JsonObject properties)
    {
        var resource = new JsonObject { ["Type"] = type, ["Properties"] = properties };
        Add(Resources, "resource", id, resource);
        return new Resource(id, resource);
    }

    /// <summary>A resource added before, to set its policies, dependencies or metadata after the fact.</summary>
    public Resource Get(string id) => new(id, Resources[id] as JsonObject ?? throw new InvalidOperationException($"The template has no resource '{id}'."));

    /// <summary>Adds an output.</summary>
    public void AddOutput(string id, string description, JsonNode value)
    {
        var output = new JsonObject { ["Description"] = description, ["Value"] = value };
        Add(Outputs, "output", id, output);
    }

    static void Add(JsonObject section, string kind, string id, JsonObject entry)
    {
        if (section.ContainsKey(id)) throw new InvalidOperationException($"The template already has a {kind} '{id}'.");
        section[id] = entry;
    }

    /// <summary>The whole template as one JSON object, sections in CloudFormation's customary order.</summary>
    public JsonObject ToJson()
    {
        var root = new JsonObject { ["AWSTemplateFormatVersion"] = "2010-09-09", ["Description"] = Description };
        if (Parameters.Count > 0) root["Parameters"] = Parameters.DeepClone();
        if (Mappings.Count > 0) root["Mappings"] = Mappings.DeepClone();
        if (Conditions.Count > 0) root["Conditions"] = Conditions.DeepClone();
        root["Resources"] = Resources.DeepClone();
        if (Outputs.Count > 0) root["Outputs"] = Outputs.DeepClone();
        return root;
    }
}

/// <summary>A resource of a <see cref="Template"/>.</summary>
public sealed class Resource(string id, JsonObject json)
{
    /// <summary>The resource's logical ID.</summary>
    public string Id { get; } = id;

    /// <summary>The resource's JSON.</summary>
    public JsonObject Json { get; } = json;

    /// <summary>The resource's properties.</summary>
    public JsonObject Properties => (JsonObject)Json["Properties"]!;

    /// <summary>Adds explicit dependencies, for ordering that no <c>Ref</c> or <c>GetAtt</c> implies.</summary>
    public Resource DependsOn(params string[] ids)
    {
        // Added to the dependencies already set, in order, each once.
        if (Json["DependsOn"] is { } previous)
            ids = [.. (previous is JsonArray list ? list.Select(n => n!.GetValue<string>()) : [previous.GetValue<string>()]).Concat(ids).Distinct(StringComparer.Ordinal)];
        Json["DependsOn"] = ids.Length == 1 ? JsonValue.Create(ids[0]) : new JsonArray([.. ids.Select(i => JsonValue.Create(i))]);
        return this;
    }

    /// <summary>Sets <c>DeletionPolicy</c> and <c>UpdateReplacePolicy</c> together (cfn-lint W3011 wants both).</summary>
    public Resource Retention(string policy)
    {
        Json["DeletionPolicy"] = policy;
        Json["UpdateReplacePolicy"] = policy;
        return this;
    }

    /// <summary>Creates the resource only when the named condition of the template's Conditions section holds.</summary>
    public Resource When(string condition)
    {
        Json["Condition"] = condition;
        return this;
    }

    /// <summary>Tells cfn-lint to skip rules on this resource. Use only where cfn-lint is provably wrong, and say why where it is called.</summary>
    public Resource IgnoreCfnLint(params string[] rules)
    {
        Metadata["cfn-lint"] = new JsonObject { ["config"] = new JsonObject { ["ignore_checks"] = new JsonArray([.. rules.Select(r => JsonValue.Create(r))]) } };
        return this;
    }

    /// <summary>
    /// Records a deliberate trade-off where security scanners read it: the reason is added to <c>Metadata.TradeOffs</c> (one entry
    /// per decision, in the order recorded), and, for each of the scanners' own checks it answers, a suppression with the same
    /// reason (Checkov's <c>checkov.skip</c>, cfn_nag's <c>cfn_nag.rules_to_suppress</c>), so a scan reports the decision instead of
    /// a finding. A decision no CloudFormation check of either scanner reports is recorded with its reason alone.
    /// </summary>
    public Resource TradeOff(string reason, string? checkov = null, string? cfnNag = null) =>
        TradeOff(reason, checkovIds: checkov is null ? [] : [checkov], cfnNagIds: cfnNag is null ? [] : [cfnNag]);

    /// <inheritdoc cref="TradeOff(string, string?, string?)"/>
    public Resource TradeOff(string reason, string[] checkovIds, string[] cfnNagIds)
    {
        var metadata = Metadata;
        List(metadata, "TradeOffs").Add((JsonNode)JsonValue.Create(reason));
        foreach (var id in checkovIds)
            List(Section(metadata, "checkov"), "skip").Add((JsonNode)new JsonObject { ["id"] = id, ["comment"] = reason });
        foreach (var id in cfnNagIds)
            List(Section(metadata, "cfn_nag"), "rules_to_suppress").Add((JsonNode)new JsonObject { ["id"] = id, ["reason"] = reason });
        return this;

        static JsonObject Section(JsonObject parent, string key) => parent[key] as JsonObject ?? (JsonObject)(parent[key] = new JsonObject());
        static JsonArray List(JsonObject parent, string key) => parent[key] as JsonArray ?? (JsonArray)(parent[key] = new JsonArray());
    }

    JsonObject Metadata => Json["Metadata"] as JsonObject ?? (JsonObject)(Json["Metadata"] = new JsonObject());
}
