namespace Templates.Generation.Diff;

/// <summary>What happened to a resource, a parameter, an output or a condition between the baseline and the template now.</summary>
public enum ChangeKind
{
    /// <summary>Only in the template now.</summary>
    Added,

    /// <summary>Only in the baseline: deploying deletes it.</summary>
    Removed,

    /// <summary>In both, different.</summary>
    Changed,
}

/// <summary>What deploying a changed resource does to it, from the mildest to the most disruptive.</summary>
public enum Effect
{
    /// <summary>Added or removed: no update effect.</summary>
    None,

    /// <summary>Updated in place: the same physical resource.</summary>
    InPlace,

    /// <summary>The ECS service is updated in place and starts a new deployment: its task definition changed, so new tasks replace the running ones.</summary>
    NewDeployment,

    /// <summary>May be replaced: a conditionally create-only property changed, or a create-only one whose new value depends on what cannot be resolved offline (a parameter, a condition, a resource that may be replaced).</summary>
    MayReplace,

    /// <summary>Replaced: a create-only property changed (CloudFormation creates a new resource, then deletes the old one).</summary>
    Replacement,
}

/// <summary>One top-level property (or resource attribute such as <c>Condition</c>) that differs.</summary>
/// <param name="Name">The property's name (<c>CidrBlock</c>), or <c>Type</c>, <c>Condition</c>, <c>DeletionPolicy</c>….</param>
/// <param name="Certain">False when its new value depends on what cannot be resolved offline, so it may turn out equal.</param>
/// <param name="Replaces">Whether this change replaces the resource: <see cref="Effect.Replacement"/> (create-only, certain) or <see cref="Effect.MayReplace"/>; <see cref="Effect.InPlace"/> otherwise.</param>
/// <param name="Because">Why its value changes when the template text of the property did not (<c>Vpc is replaced</c>), else null.</param>
public sealed record PropertyChange(string Name, bool Certain, Effect Replaces, string? Because = null);

/// <summary>One resource that is added, removed or changed.</summary>
public sealed record ResourceChange(string LogicalId, string Type, ChangeKind Kind, Effect Effect, IReadOnlyList<PropertyChange> Properties)
{
    /// <summary>Why losing this resource hurts (its data, its name, its address), when it is stateful; null otherwise.</summary>
    public string? Stateful { get; init; }

    /// <summary>Deploying would replace (or may replace) or delete a stateful resource: refused unless <c>--allow-replacement</c>.</summary>
    public bool Blocked => Stateful is not null && (Kind == ChangeKind.Removed || Effect is Effect.Replacement or Effect.MayReplace);
}

/// <summary>A parameter, output or condition that is added, removed or changed (<paramref name="Detail"/>: which of its fields).</summary>
public sealed record SectionChange(string Section, string Name, ChangeKind Kind, string? Detail = null);

/// <summary>A change that widens access or lowers protection (as <c>cdk diff --security-only</c> lists them).</summary>
public sealed record SecurityChange(string LogicalId, string Message);

/// <summary>The differences of one stack's template from its baseline.</summary>
/// <param name="Stack">The stack's name (<c>flask-app-prod</c>).</param>
/// <param name="Label">Which app and environment (<c>flask-app [prod]</c>, <c>flask-app, shared</c>).</param>
/// <param name="Baseline">Where the baseline template came from, or why there is none.</param>
/// <param name="BaselineFound">False when the baseline has no template for this stack: every resource is added.</param>
/// <param name="Resources">The resources added, removed or changed, in the order of the template now (the removed ones last).</param>
/// <param name="Sections">The parameters, conditions and outputs added, removed or changed.</param>
/// <param name="Security">The changes that widen access or lower protection.</param>
public sealed record StackDiff(string Stack, string Label, string Baseline, bool BaselineFound,
    IReadOnlyList<ResourceChange> Resources, IReadOnlyList<SectionChange> Sections, IReadOnlyList<SecurityChange> Security)
{
    /// <summary>Whether anything differs.</summary>
    public bool HasChanges => Resources.Count > 0 || Sections.Count > 0;

    /// <summary>The changes deploying would refuse (stateful resources replaced or removed).</summary>
    public IEnumerable<ResourceChange> Blocked => Resources.Where(r => r.Blocked);
}
