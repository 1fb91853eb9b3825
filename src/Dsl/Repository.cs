namespace Templates;

/// <summary>The ECR repository named by <see cref="ContainerTask.Image"/>: created by the shared stack, or one that already exists.</summary>
public abstract record ImageRepository;

/// <summary>
/// A repository created once per account and region, in the shared stack: images scanned on push, old images expired,
/// and tags mutable or not.
/// </summary>
public sealed record NewRepository : ImageRepository
{
    /// <summary>Scan every pushed image for known vulnerabilities.</summary>
    public bool ScanOnPush { get; init; } = true;

    /// <summary>Whether a tag, once pushed, may be moved to another image.</summary>
    public TagMutability TagMutability { get; init; } = TagMutability.Immutable;

    /// <summary>How many images are kept; older ones are expired by a lifecycle policy (1 to 10,000).</summary>
    public int KeepImages { get; init; } = 30;
}

/// <summary>A repository that exists already (pushed to by hand, or owned by another stack); nothing is created.</summary>
public sealed record ExistingRepository : ImageRepository;

/// <summary>Whether image tags can be overwritten.</summary>
public enum TagMutability
{
    /// <summary>A tag can be pushed again and then names another image (<c>latest</c>).</summary>
    Mutable,

    /// <summary>A tag names one image forever: what was tested is what runs. A pipeline then pushes commit tags only.</summary>
    Immutable,
}
