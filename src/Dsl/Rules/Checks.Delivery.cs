using System;
using System.Text.RegularExpressions;

namespace Templates.Rules;

// The delivery rules (mail sender, pipeline, repository, blue/green): same shape as the others, pure functions over plain values.
public static partial class Checks
{
    // Rules catalog 1.7: a pragmatic address check (local part of the allowed characters, a DNS host name as the domain).
    const string DomainPattern = @"(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}";

    /// <summary>A DNS host name, anchored (rules catalog 1.7); also the AllowedPattern of the DomainName parameter.</summary>
    public const string HostNamePattern = "^" + DomainPattern + "$";
    static readonly Regex EmailPattern = new(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@" + DomainPattern + "$", RegexOptions.CultureInvariant);

    /// <summary>TPL0026: the SES sender address (rules catalog 1.7: SES accepts any string, so only this check catches a typo).</summary>
    public static Violation? MailSender(string address)
    {
        if (address.Length <= 254 && EmailPattern.IsMatch(address)) return null;
        return new(RuleCatalog.TPL0026_MailSender, $"'{address}' is not an email address SES can verify and send from.",
            "Set Mail.Address to a full address such as sender@example.com; choose SenderIdentity.Domain to verify its whole domain.");
    }

    static readonly Regex GitHubRepositoryPattern = new(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$", RegexOptions.CultureInvariant);

    /// <summary>TPL0027: the GitHub repository a pipeline builds from (the source action's <c>FullRepositoryId</c>).</summary>
    public static Violation? SourceRepository(string repository)
    {
        if (GitHubRepositoryPattern.IsMatch(repository) && !repository.EndsWith(".git", StringComparison.Ordinal)) return null;
        return new(RuleCatalog.TPL0027_SourceRepository, $"'{repository}' is not a GitHub repository as owner/name.",
            "Write it as the owner and the repository name, such as example-org/flask-app (no URL, no .git).");
    }

    /// <summary>A CodeStar (CodeConnections) connection ARN; also the AllowedPattern of the GitHubConnectionArn parameter.</summary>
    public const string ConnectionArnPatternText = @"^arn:aws[a-zA-Z-]*:(codestar-connections|codeconnections):[a-z0-9-]+:\d{12}:connection/[0-9a-f-]{36}$";

    static readonly Regex ConnectionArnPattern = new(ConnectionArnPatternText, RegexOptions.CultureInvariant);

    /// <summary>TPL0027: an existing CodeStar (CodeConnections) connection's ARN.</summary>
    public static Violation? ConnectionArn(string arn) =>
        ConnectionArnPattern.IsMatch(arn) ? null
            : new(RuleCatalog.TPL0027_SourceRepository, $"'{arn}' is not a CodeStar connection ARN.",
                "Copy it from the console (Developer Tools > Settings > Connections): arn:aws:codestar-connections:REGION:ACCOUNT:connection/ID, or leave ConnectionArn null to create one.");

    static readonly Regex BranchPattern = new(@"^(?!/)(?!.*//)(?!.*\.\.)(?!.*@\{)[^\s~^:?*\[\\]{1,255}(?<!/)(?<!\.lock)(?<!\.)$", RegexOptions.CultureInvariant);

    /// <summary>TPL0028: a branch name (Git's ref-name rules, which the push trigger's filter also follows).</summary>
    public static Violation? PipelineBranch(string branch) =>
        BranchPattern.IsMatch(branch) ? null
            : new(RuleCatalog.TPL0028_PipelineBranch, $"'{branch}' is not a Git branch name, so no push can ever trigger the pipeline.",
                "Name the branch the environment deploys from, such as main or develop (no spaces, '..', '~', '^', ':', '?', '*', '[' or '\\').");

    /// <summary>TPL0029: a pipeline needs the app's source repository.</summary>
    public static Violation PipelineWithoutSource() =>
        new(RuleCatalog.TPL0029_PipelineWithoutSource, "The environment declares a pipeline, but the app names no source repository to build from.",
            "Set Source = new GitHubSource { Repository = \"owner/name\" } on the app, or remove the environment's Pipeline.");

    /// <summary>TPL0030: an immutable repository accepts a tag once; a pipeline pushing the same extra tag on every build fails from the second build.</summary>
    public static Violation? ImmutableFixedTag(bool immutable, string? alsoTagAs) =>
        !immutable || alsoTagAs is null ? null
            : new(RuleCatalog.TPL0030_ImmutableFixedTag, $"The pipeline pushes the fixed tag '{alsoTagAs}' to a repository with immutable tags; the second build's push is rejected.",
                "Remove AlsoTagAs (the commit tag is unique), or make the repository's TagMutability Mutable.");

    /// <summary>TPL0031: blue/green bake time (ECS DeploymentConfiguration.BakeTimeInMinutes: 0 to 1440).</summary>
    public static Violation? BakeTime(int minutes) =>
        minutes is >= 0 and <= 1440 ? null
            : new(RuleCatalog.TPL0031_BlueGreenSettings, $"BakeTimeMinutes is {minutes}; ECS accepts 0 to 1440.",
                "Set BakeTimeMinutes between 0 and 1440 (10 to 60 leaves time to notice a bad release).");

    /// <summary>TPL0032: without bake time, the blue tasks stop as soon as traffic moved, so there is nothing to roll back to.</summary>
    public static Violation? ProductionBakeTime(int minutes) =>
        minutes > 0 ? null
            : new(RuleCatalog.TPL0032_NoBakeTime, "The blue/green deployment has no bake time: the old version stops the moment traffic moves, so a bad release cannot be rolled back quickly.",
                "Set BakeTimeMinutes to 10 or more in production.");

    /// <summary>TPL0033: the build timeout (CodeBuild TimeoutInMinutes: 5 to 480).</summary>
    public static Violation? BuildTimeout(int minutes) =>
        minutes is >= 5 and <= 480 ? null
            : new(RuleCatalog.TPL0033_DeliverySettings, $"BuildTimeoutMinutes is {minutes}; CodeBuild accepts 5 to 480.", "Set BuildTimeoutMinutes between 5 and 480.");

    /// <summary>TPL0033: how many images the repository keeps (an ECR lifecycle rule's countNumber, at least 1).</summary>
    public static Violation? KeepImages(int count) =>
        count is >= 1 and <= 10000 ? null
            : new(RuleCatalog.TPL0033_DeliverySettings, $"KeepImages is {count}; the lifecycle policy needs 1 to 10000 images to keep.",
                "Set KeepImages to how many images you may want to roll back to (30 is common).");

    /// <summary>A Docker image tag; also the AllowedPattern of the ImageTag parameter.</summary>
    public const string ImageTagPatternText = "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$";

    static readonly Regex ImageTagPattern = new(ImageTagPatternText, RegexOptions.CultureInvariant);

    /// <summary>TPL0033: the extra tag a pipeline pushes must be a Docker tag.</summary>
    public static Violation? ImageTag(string tag) =>
        ImageTagPattern.IsMatch(tag) ? null
            : new(RuleCatalog.TPL0036_ImageTag, $"'{tag}' is not a Docker image tag.",
                "Use letters, digits, '_', '.' and '-', starting with a letter, digit or '_', at most 128 characters.");
}
