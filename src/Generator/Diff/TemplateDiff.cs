using System.Text.Json.Nodes;

namespace Templates.Generation.Diff;

/// <summary>
/// Compares a stack's template now with its baseline, offline: per resource (by logical ID) added, removed or changed, with
/// the properties that change and the effect of deploying it. A change of a create-only property (the resource provider
/// schema's <c>createOnlyProperties</c>) replaces the resource; a conditionally create-only one, or a create-only one whose
/// new value depends on a parameter, a condition or a resource that may be replaced, may. A replaced resource carries its
/// replacement on: every property that references it (<c>Ref</c>, or <c>Fn::GetAtt</c> of an attribute of its own) changes, and
/// replaces the referencing resource in turn when that property is create-only (a VPC replaced replaces its subnets, whose
/// <c>VpcId</c> is create-only), until nothing more changes. An ECS service whose task definition changes starts a new
/// deployment.
/// </summary>
public static class TemplateDiff
{
    /// <summary>
    /// The ECS service's properties whose update starts a new deployment (new tasks replace the running ones): the ECS API
    /// reference's UpdateService request says "This parameter triggers a new service deployment" of <c>taskDefinition</c>,
    /// <c>networkConfiguration</c> and <c>vpcLatticeConfigurations</c>, and lists load balancers among the parameters whose update
    /// "starts new tasks with the new configuration" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html).
    /// </summary>
    static readonly HashSet<string> DeploymentProperties = ["TaskDefinition", "NetworkConfiguration", "VpcLatticeConfigurations", "LoadBalancers"];

    static readonly string[] Attributes = ["Condition", "DeletionPolicy", "UpdateReplacePolicy", "DependsOn", "Metadata", "UpdatePolicy", "CreationPolicy"];

    /// <summary>The differences of <paramref name="after"/> from <paramref name="before"/> (null: the baseline has no such stack).</summary>
    public static StackDiff Compare(string stack, string label, string baseline, JsonObject? before, JsonObject after)
    {
        var found = before is not null;
        before ??= [];
        var oldResources = before["Resources"] as JsonObject ?? [];
        var newResources = after["Resources"] as JsonObject ?? [];

        var sections = new List<SectionChange>();
        var changedParameters = Section(sections, "Parameters", "parameter", before, after, raw: true)
            .Where(c => c.Kind != ChangeKind.Changed || c.Detail?.Contains("Default", StringComparison.Ordinal) == true).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var changedConditions = Section(sections, "Conditions", "condition", before, after, raw: true).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        var oldSide = new Normalizer(before);
        var statuses = new Dictionary<string, ResourceStatus>(StringComparer.Ordinal);
        List<ResourceChange> changes = [];
        // Replacements carry on through references: recompute until no resource's status changes (a few rounds: the depth of the graph).
        for (var round = 0; round < 64; round++)
        {
            var newSide = new Normalizer(after, statuses, changedParameters, changedConditions);
            changes = [];
            var next = new Dictionary<string, ResourceStatus>(StringComparer.Ordinal);
            foreach (var (id, node) in newResources)
            {
                if (node is not JsonObject resource) continue;
                var type = Validation.TemplateValidator.AsString(resource["Type"]) ?? "";
                if (oldResources[id] is not JsonObject old)
                {
                    changes.Add(new ResourceChange(id, type, ChangeKind.Added, Effect.None, []) { Stateful = StatefulResources.Reason(type) });
                    continue;
                }
                var change = CompareResource(id, old, resource, oldSide, newSide, changedConditions);
                if (change is null) continue;
                changes.Add(change);
                next[id] = new ResourceStatus(change.Effect is Effect.Replacement or Effect.MayReplace ? change.Effect : Effect.None,
                    change.Properties.ToDictionary(p => p.Name, p => p.Certain, StringComparer.Ordinal));
            }
            var stable = next.Count == statuses.Count && next.All(p => p.Value.SameAs(statuses.GetValueOrDefault(p.Key)));
            statuses = next;
            if (stable) break;
        }
        foreach (var (id, node) in oldResources)
            if (!newResources.ContainsKey(id) && node is JsonObject old)
            {
                var type = Validation.TemplateValidator.AsString(old["Type"]) ?? "";
                changes.Add(new ResourceChange(id, type, ChangeKind.Removed, Effect.None, []) { Stateful = StatefulResources.Reason(type) });
            }

        var finalSide = new Normalizer(after, statuses, changedParameters, changedConditions);
        Section(sections, "Outputs", "output", before, after, raw: false, oldSide, finalSide);
        sections.Sort((a, b) => Order(a.Section).CompareTo(Order(b.Section)));

        var security = new List<SecurityChange>();
        foreach (var (id, node) in newResources)
            if (node is JsonObject resource)
                security.AddRange(SecurityScan.Compare(id, oldResources[id] as JsonObject, resource));

        return new StackDiff(stack, label, baseline, found, changes, sections, security);

        static int Order(string section) => section switch { "parameter" => 0, "condition" => 1, _ => 2 };
    }

    static ResourceChange? CompareResource(string id, JsonObject old, JsonObject resource, Normalizer oldSide, Normalizer newSide, IReadOnlySet<string> changedConditions)
    {
        var type = Validation.TemplateValidator.AsString(resource["Type"]) ?? "";
        var properties = new List<PropertyChange>();
        if (Validation.TemplateValidator.AsString(old["Type"]) != type)
            properties.Add(new PropertyChange("Type", true, Effect.Replacement, $"was {Validation.TemplateValidator.AsString(old["Type"])}"));

        var oldProps = old["Properties"] as JsonObject ?? [];
        var newProps = resource["Properties"] as JsonObject ?? [];
        var createOnly = properties.Count == 0 ? CreateOnlyProperties.For(type) : null;
        foreach (var name in newProps.Select(p => p.Key).Concat(oldProps.Select(p => p.Key).Where(k => !newProps.ContainsKey(k))))
        {
            var before = oldSide.Normalize(oldProps[name]);
            var after = newSide.Normalize(newProps[name]);
            if (!oldProps.ContainsKey(name)) before = null;
            if (!newProps.ContainsKey(name)) after = null;
            var (differs, certain) = Normalizer.Compare(before, after);
            if (!differs) continue;
            var (effect, _) = createOnly?.Judge(name, before, after) ?? (Effect.InPlace, null);
            // The text is the same: the value changes because of what it references.
            var because = JsonNode.DeepEquals(oldProps[name], newProps[name]) ? Because(after) : null;
            properties.Add(new PropertyChange(name, certain, effect, because));
        }

        foreach (var attribute in Attributes)
        {
            if (JsonNode.DeepEquals(old[attribute], resource[attribute]))
            {
                if (attribute == "Condition" && Validation.TemplateValidator.AsString(resource[attribute]) is { } condition && changedConditions.Contains(condition))
                    properties.Add(new PropertyChange("Condition", false, Effect.MayReplace, $"condition {condition} changed: the resource may be created or deleted"));
                continue;
            }
            properties.Add(attribute == "Condition"
                ? new PropertyChange("Condition", false, Effect.MayReplace, "the resource may be created or deleted")
                : new PropertyChange(attribute, true, Effect.InPlace));
        }
        if (properties.Count == 0) return null;

        var worst = properties.Max(p => p.Replaces);
        if (worst == Effect.InPlace && type == "AWS::ECS::Service" && properties.Any(p => DeploymentProperties.Contains(p.Name))) worst = Effect.NewDeployment;
        return new ResourceChange(id, type, ChangeKind.Changed, worst, properties) { Stateful = StatefulResources.Reason(type) };
    }

    static string? Because(JsonNode? after)
    {
        var reasons = Normalizer.Marked(after).Distinct().Select(m => m.Kind switch
        {
            "ref" => $"{m.Name} {(m.Certain ? "is" : "may be")} replaced",
            "getatt" => $"{m.Name} {(m.Certain ? "changes" : "may change")}",
            // aws cloudformation deploy passes UsePreviousValue for every parameter not overridden: a new default reaches an
            // existing stack only when the value is passed.
            "param" => $"parameter {m.Name}'s default changed, used if passed",
            _ => $"condition {m.Name} changed",
        }).Distinct().ToList();
        return reasons.Count == 0 ? null : string.Join(", ", reasons);
    }

    /// <summary>Adds the changes of one section (parameters, conditions, outputs) and returns them.</summary>
    static List<SectionChange> Section(List<SectionChange> into, string section, string label, JsonObject before, JsonObject after, bool raw,
        Normalizer? oldSide = null, Normalizer? newSide = null)
    {
        var olds = before[section] as JsonObject ?? [];
        var news = after[section] as JsonObject ?? [];
        var found = new List<SectionChange>();
        foreach (var (name, value) in news)
        {
            if (!olds.TryGetPropertyValue(name, out var old))
            {
                found.Add(new SectionChange(label, name, ChangeKind.Added));
                continue;
            }
            if (raw)
            {
                if (JsonNode.DeepEquals(old, value)) continue;
                string? detail = null;
                if (old is JsonObject o && value is JsonObject n)
                    detail = string.Join(", ", n.Select(p => p.Key).Union(o.Select(p => p.Key)).Where(k => !JsonNode.DeepEquals(o[k], n[k])));
                found.Add(new SectionChange(label, name, ChangeKind.Changed, detail));
            }
            else
            {
                var (differs, certain) = Normalizer.Compare(oldSide!.Normalize(old), newSide!.Normalize(value));
                if (!differs) continue;
                var because = JsonNode.DeepEquals(old, value) ? Because(newSide.Normalize(value)) : null;
                found.Add(new SectionChange(label, name, ChangeKind.Changed, because ?? (certain ? null : "may change")));
            }
        }
        foreach (var (name, _) in olds)
            if (!news.ContainsKey(name)) found.Add(new SectionChange(label, name, ChangeKind.Removed));
        into.AddRange(found);
        return found;
    }
}
