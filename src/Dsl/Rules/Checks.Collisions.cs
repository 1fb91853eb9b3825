using System;
using System.Collections.Generic;
using System.Linq;

namespace Templates.Rules;

/// <summary>Where a shared stack deploys: the app, the stack, the environments it serves and what they pin.</summary>
public sealed class SharedStackPlace
{
    /// <summary>Creates a place.</summary>
    public SharedStackPlace(string app, string stackName, string? account, string? region, IReadOnlyList<string> environments)
    {
        App = app;
        StackName = stackName;
        Account = account;
        Region = region;
        Environments = environments;
    }

    /// <summary>The app's name.</summary>
    public string App { get; }

    /// <summary>The shared stack's name.</summary>
    public string StackName { get; }

    /// <summary>The account its environments pin, or null: the account of whatever credentials deploy it.</summary>
    public string? Account { get; }

    /// <summary>The region its environments pin, or null: the AWS CLI's default region where it is deployed.</summary>
    public string? Region { get; }

    /// <summary>The environments it serves.</summary>
    public IReadOnlyList<string> Environments { get; }

    internal string Describe() =>
        $"{App} [{string.Join(", ", Environments)}], " + (Region is null ? "no Region: the AWS CLI's default region" : $"Region {Region}")
        + (Account is null ? "" : $", Account {Account}");
}

/// <summary>An account-level resource a shared stack creates, by its physical name.</summary>
public enum SharedResourceKind
{
    /// <summary>The ECR repository (<c>NewRepository</c>), named after the image's repository; unique per account and region.</summary>
    EcrRepository,

    /// <summary>The SES identity (<c>Mail</c>): the sender address or its domain; unique per account and region.</summary>
    SesIdentity,

    /// <summary>The GitHub connection: <c>&lt;app&gt;-github</c>; connections are global, so the name is unique per account, across regions.</summary>
    GitHubConnection,
}

// Collisions: names that two stacks, files or resources would share (rule TPL0001). Pure functions, as the other rules.
public static partial class Checks
{
    /// <summary>
    /// The name of an app's shared stack serving the environments pinned to <paramref name="account"/> and
    /// <paramref name="region"/>: <c>app-shared</c> when the app has one group of environments, else suffixed with the
    /// region (<c>default</c> for an unpinned one), and with the account too when the groups span several accounts.
    /// </summary>
    public static string SharedStackName(string app, string? account, string? region, int groups, int accounts) =>
        groups == 1 ? $"{app}-shared"
        : accounts == 1 ? $"{app}-shared-{region ?? "default"}"
        : $"{app}-shared-{account ?? "default"}-{region ?? "default"}";

    /// <summary>The GitHub connection's name: <c>&lt;app&gt;-github</c>, cut to the 32 characters CodeStar allows.</summary>
    public static string ConnectionName(string app)
    {
        var name = app + "-github";
        return name.Length <= 32 ? name : name.Substring(0, 32).TrimEnd('-');
    }

    /// <summary>TPL0001: an environment named like one of the app's shared stacks (<c>shared</c>, <c>shared-default</c>, <c>shared-us-east-1</c>…).</summary>
    public static Violation? ReservedEnvironmentName(string name)
    {
        const string prefix = "shared-";
        var rest = name.StartsWith(prefix, StringComparison.Ordinal) ? name.Substring(prefix.Length) : null;
        if (name != "shared" && rest != "default" && (rest is null || !RegionPattern.IsMatch(rest))) return null;
        return new(RuleCatalog.TPL0001_Name,
            $"The environment name '{name}' is the name of a shared stack (<app>-{name}): its template would overwrite the shared stack's file and deploy over that stack.",
            "Give the environment a name that is neither 'shared', 'shared-default' nor 'shared-' followed by a region, such as 'common' or 'ops'.");
    }

    /// <summary>TPL0001: two apps of one run with one name write the same files and stacks.</summary>
    public static Violation DuplicateApp(string name) =>
        new(RuleCatalog.TPL0001_Name,
            $"Two apps are named '{name}'; their stacks and files (<app>-<env>, {name}-shared) and their GitHub connection would overwrite each other's.",
            "Give every app of the definitions its own name.");

    /// <summary>TPL0001: two templates of one run with one file name (and so one stack name): the second overwrites the first.</summary>
    public static Violation DuplicateStack(string stackName, string first, string second) =>
        new(RuleCatalog.TPL0001_Name,
            $"The stack {stackName} ({stackName}.template.json) comes from both {first} and {second}: the second template overwrites the first, and both deploy as one stack.",
            "Rename one app or environment: stack names join them with '-', so app 'a' with environment 'b-c' and app 'a-b' with environment 'c' meet.");

    /// <summary>
    /// TPL0001: two shared stacks that both create one account-level resource name, in what is or may be the same account
    /// (and region, for the regional kinds): the second stack to deploy fails with AlreadyExists. An unpinned account or
    /// region (null) is whatever the deploying credentials and the AWS CLI's default region are, so it may be any pinned one;
    /// two unpinned ones are the same. Null when the two cannot meet.
    /// </summary>
    public static Violation? SharedResourceCollision(SharedResourceKind kind, string name, SharedStackPlace first, SharedStackPlace second)
    {
        var accountWide = kind == SharedResourceKind.GitHubConnection;
        var account = Meet(first.Account, second.Account);
        var region = accountWide ? Meeting.Same : Meet(first.Region, second.Region);
        if (account == Meeting.Never || region == Meeting.Never) return null;

        var what = kind switch
        {
            SharedResourceKind.EcrRepository => $"the ECR repository '{name}'",
            SharedResourceKind.SesIdentity => $"the SES identity '{name}'",
            _ => $"the GitHub connection '{name}'",
        };
        var scope = accountWide ? "account (connections are global: one name per account, across regions)" : "account and region";
        var definite = account == Meeting.Same && region == Meeting.Same;
        var message = $"The shared stacks {first.StackName} ({first.Describe()}) and {second.StackName} ({second.Describe()}) both create {what}, "
            + (definite
                ? $"in the same {scope}: the second to deploy fails with AlreadyExists."
                : $"and may deploy to the same {scope}, since {(region == Meeting.Maybe ? "an unpinned Region is whatever region the AWS CLI is set to" : "an unpinned Account is whatever account the credentials belong to")}: then the second fails with AlreadyExists.");

        string fix;
        if (first.App == second.App)
        {
            fix = kind == SharedResourceKind.GitHubConnection
                ? "Create the connection once (one serves every region) and set Source.ConnectionArn to its ARN; the shared stacks then create none."
                : $"Pin {(region == Meeting.Maybe ? "Region" : "Account")} on every environment of {first.App}: environments pinned alike share one shared stack, and different pins cannot collide.";
        }
        else
        {
            fix = kind switch
            {
                SharedResourceKind.EcrRepository => $"Let one app create the repository: give {second.App} Repository = new ExistingRepository() (it then uses {first.App}'s), or another image repository name; or pin the apps to different regions or accounts.",
                SharedResourceKind.SesIdentity => $"Give {second.App} another sender address, or pin the apps to different regions or accounts (Env.Region, Env.Account).",
                _ => $"Set Source.ConnectionArn of {second.App} to {first.App}'s connection (one connection serves every repository the GitHub app may read), or give the apps names that differ within their first 25 characters.",
            };
        }
        return new(RuleCatalog.TPL0001_Name, message, fix);
    }

    enum Meeting { Never, Maybe, Same }

    static Meeting Meet(string? a, string? b) =>
        a is null && b is null ? Meeting.Same
        : a is null || b is null ? Meeting.Maybe
        : a == b ? Meeting.Same : Meeting.Never;

    /// <summary>TPL0040: a required value that is null (typically read from an unset environment variable or a missing configuration key).</summary>
    /// <param name="what">The value, such as <c>MailSender.Address</c> or <c>an element of ExistingVpc.PublicSubnetIds</c>.</param>
    public static Violation MissingValue(string what) =>
        new(RuleCatalog.TPL0040_MissingValue,
            $"{what} is null: there is no value to check or to write into the template.",
            "Give it a value; when it is read from an environment variable or a configuration file, make sure that is set where the definitions run (Environment.GetEnvironmentVariable returns null for an unset variable).");
}
