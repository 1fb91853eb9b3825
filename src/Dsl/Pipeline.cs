namespace Templates;

/// <summary>
/// The GitHub repository the pipelines build from, through an AWS CodeStar connection. The connection is created once
/// per account and region (in the shared stack, in PENDING state until someone completes it in the console), unless an
/// existing one is given.
/// </summary>
public sealed record GitHubSource
{
    /// <summary>The repository as <c>owner/name</c>, such as <c>example-org/flask-app</c>.</summary>
    public required string Repository { get; init; }

    /// <summary>The folder of the repository holding the Dockerfile, relative to its root (<c>.</c> for the root).</summary>
    public string BuildContext { get; init; } = ".";

    /// <summary>An existing, available connection's ARN; null creates one in the shared stack.</summary>
    public string? ConnectionArn { get; init; }
}

/// <summary>
/// The CI/CD pipeline of one environment: a push to <see cref="Branch"/> builds the image, tags it with the commit,
/// pushes it to ECR and rolls the environment's service forward (with its deployment strategy).
/// </summary>
public sealed record Pipeline
{
    /// <summary>The branch whose pushes deploy to the environment.</summary>
    public required string Branch { get; init; }

    /// <summary>Stop for a manual approval before deploying; null means on in production, off elsewhere.</summary>
    public bool? ManualApproval { get; init; }

    /// <summary>A fixed tag pushed besides the commit tag (such as the environment's name); null pushes the commit tag only. Needs a mutable repository.</summary>
    public string? AlsoTagAs { get; init; }

    /// <summary>The size of the build machine.</summary>
    public BuildCompute Compute { get; init; } = BuildCompute.Small;

    /// <summary>Minutes before a build is stopped (5 to 480).</summary>
    public int BuildTimeoutMinutes { get; init; } = 20;
}

/// <summary>CodeBuild machine sizes.</summary>
public enum BuildCompute
{
    /// <summary>2 vCPU, 3 GiB (BUILD_GENERAL1_SMALL).</summary>
    Small,

    /// <summary>4 vCPU, 7 GiB (BUILD_GENERAL1_MEDIUM).</summary>
    Medium,

    /// <summary>8 vCPU, 15 GiB (BUILD_GENERAL1_LARGE).</summary>
    Large,
}
