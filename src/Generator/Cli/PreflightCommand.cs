using System.CommandLine;
using Templates.Generation.Model;
using Templates.Generation.Preflight;
using Templates.Rules;

namespace Templates.Generation.Cli;

/// <summary>
/// <c>preflight [--env NAME]… [--region R] [--profile P]</c>: checks, with read-only AWS CLI calls, everything the stacks take for
/// granted of the account (certificate, hosted zone, secrets, SES identity, image, GitHub connection, Availability Zones, shared
/// stack) and prints one line per check, <c>PASS|WARN|FAIL check: detail</c>, with the commands that fix a failure. Exit code 0
/// when nothing fails, 1 when something does, 2 when the AWS CLI or valid credentials are missing.
/// </summary>
public static class PreflightCommand
{
    /// <summary>Exit code: the AWS CLI is missing, the credentials are missing or invalid, no region is known, or the command line is wrong.</summary>
    public const int CannotCheck = TemplatesCli.UsageError;

    /// <summary>The subcommand; <paramref name="cli"/> makes the AWS CLI for a profile (the <c>aws</c> process by default).</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr, IReadOnlyList<App> apps, Func<string?, IAwsCli>? cli = null)
    {
        var envOption = new Option<string[]>("--env", "-e")
        {
            Description = "Check only this environment (repeatable). All environments by default.",
            AllowMultipleArgumentsPerToken = false,
        };
        var regionOption = new Option<string?>("--region")
        {
            Description = "The region to check in, for every environment. Default: the environment's pinned Region, else the AWS CLI's default region.",
        };
        var profileOption = new Option<string?>("--profile")
        {
            Description = "The AWS CLI profile whose credentials are used (passed to every aws call).",
        };
        var command = new Command("preflight",
            "Checks, with read-only AWS CLI calls, that the account has what the stacks take for granted (certificate, hosted zone, secrets, SES identity, image, GitHub connection, Availability Zones, shared stack). Exit code 0: nothing failed; 1: something failed; 2: no AWS CLI or no valid credentials.")
        {
            envOption, regionOption, profileOption,
        };
        command.SetAction(parse =>
        {
            var profile = parse.GetValue(profileOption);
            var aws = (cli ?? (p => new ProcessAwsCli(p)))(profile);
            return RunAsync(apps, parse.GetValue(envOption) ?? [], parse.GetValue(regionOption), profile, aws, stdout, stderr).GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>One stack's checks, under a heading that says which stack, which environment and which region.</summary>
    public sealed record Group(string Heading, IReadOnlyList<CheckResult> Checks);

    /// <summary>Runs the checks and prints them; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<App> apps, IReadOnlyList<string> envs, string? region, string? profile, IAwsCli aws, TextWriter stdout, TextWriter stderr)
    {
        var known = apps.SelectMany(a => a.Environments.Select(e => e.Name)).Distinct().ToList();
        var unknown = envs.Where(e => !known.Contains(e)).ToList();
        if (unknown.Count > 0)
        {
            stderr.WriteLine($"error: no environment named {string.Join(", ", unknown.Select(u => $"'{u}'"))}. The definitions declare: {string.Join(", ", known)}.");
            return CannotCheck;
        }
        // The checks read the model; a definition the generator refuses would be checked against values it never deploys.
        var errors = apps.SelectMany(ModelValidator.Validate).Where(f => f.Severity == Severity.Error).ToList();
        if (errors.Count > 0)
        {
            foreach (var error in errors) stderr.WriteLine(error);
            stderr.WriteLine($"{errors.Count} error{(errors.Count == 1 ? "" : "s")} in the definitions: fix them first (dotnet run --project definitions lists them too).");
            return TemplatesCli.DefinitionErrors;
        }

        aws = new CachingAwsCli(aws);
        var withProfile = profile is null ? "" : $" --profile {profile}";
        AwsResult identity;
        try
        {
            identity = await aws.RunAsync(["sts", "get-caller-identity"]);
        }
        catch (AwsCliMissingException e)
        {
            stderr.WriteLine($"error: {e.Message}. Install the AWS CLI (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html) and put aws on PATH.");
            return CannotCheck;
        }
        if (identity.Json?["Account"]?.GetValue<string>() is not { } account)
        {
            stderr.WriteLine($"error: no valid AWS credentials{(profile is null ? "" : $" for profile {profile}")}: aws sts get-caller-identity{withProfile} failed: {identity.Error}. Configure them (aws configure{withProfile}) or choose a profile (--profile, AWS_PROFILE).");
            return CannotCheck;
        }

        var selected = apps.Select(app => (App: app, Envs: app.Environments.Where(e => envs.Count == 0 || envs.Contains(e.Name)).ToList())).Where(a => a.Envs.Count > 0).ToList();
        string? defaultRegion = null;
        if (region is null && selected.Any(a => a.Envs.Any(e => e.Region is null)))
        {
            defaultRegion = await DefaultRegionAsync(aws);
            if (defaultRegion is null)
            {
                stderr.WriteLine($"error: no region: pass --region, pin Region on the environments, or give the AWS CLI a default (aws configure set region REGION{withProfile}).");
                return CannotCheck;
            }
        }
        (string Region, string Source) RegionFor(string? pinned) =>
            region is not null ? (region, "--region") : pinned is not null ? (pinned, "pinned in the definition") : (defaultRegion!, "the AWS CLI's default");

        var checks = new PreflightChecks(aws, account);
        var groups = new List<Task<Group>>();
        foreach (var (app, appEnvs) in selected)
        {
            foreach (var shared in SharedModel.Resolve(app).Where(s => s.Environments.Any(appEnvs.Contains)))
            {
                var (r, source) = RegionFor(shared.Region);
                groups.Add(SharedGroupAsync(checks, shared, r, $"{shared.StackName} ({app.Name}, shared) in {r} ({source})"));
            }
            foreach (var env in appEnvs)
            {
                var model = EnvironmentModel.Resolve(app, env);
                var (r, source) = RegionFor(env.Region);
                groups.Add(EnvironmentGroupAsync(checks, model, SharedModel.For(app, env), r, $"{model.StackName} ({app.Name} [{env.Name}]) in {r} ({source})"));
            }
        }
        await Task.WhenAll(groups);

        stdout.WriteLine($"Preflight (read-only) for account {account} as {identity.Json?["Arn"]?.GetValue<string>() ?? "?"}{(profile is null ? "" : $", profile {profile}")}:");
        foreach (var group in groups.Select(g => g.Result))
        {
            stdout.WriteLine(group.Heading);
            foreach (var check in group.Checks)
            {
                stdout.WriteLine($"  {check}");
                foreach (var fix in check.Fix) stdout.WriteLine($"       {fix}");
            }
        }
        var all = groups.SelectMany(g => g.Result.Checks).ToList();
        int Count(CheckStatus s) => all.Count(c => c.Status == s);
        var failed = Count(CheckStatus.Fail);
        stdout.WriteLine($"{all.Count} checks: {Count(CheckStatus.Pass)} passed, {Count(CheckStatus.Warn)} warning{(Count(CheckStatus.Warn) == 1 ? "" : "s")}, {failed} failed.");
        if (failed > 0) stdout.WriteLine("Fix what failed before deploying: the first stack that meets it would fail (or its service would not start).");
        return failed > 0 ? TemplatesCli.DefinitionErrors : TemplatesCli.Success;
    }

    static async Task<Group> SharedGroupAsync(PreflightChecks checks, SharedModel shared, string region, string heading)
    {
        if (AccountMismatch(shared.Account, checks.Account) is { } mismatch) return new Group(heading, [mismatch]);
        var stack = checks.SharedStackAsync(shared, region);
        var mail = checks.MailAsync(shared, region);
        return new Group(heading, [await stack, .. await mail]);
    }

    static async Task<Group> EnvironmentGroupAsync(PreflightChecks checks, EnvironmentModel model, SharedModel? shared, string region, string heading)
    {
        if (AccountMismatch(model.Env.Account, checks.Account) is { } mismatch) return new Group(heading, [mismatch]);
        return new Group(heading, await checks.EnvironmentAsync(model, shared, region));
    }

    static CheckResult? AccountMismatch(string? pinned, string account) =>
        pinned is not null && pinned != account
            ? CheckResult.Failed("account", $"the stack is pinned to account {pinned}; the credentials are for {account}, so nothing else was checked.",
                $"run the preflight with credentials of {pinned}: --profile PROFILE")
            : null;

    /// <summary>The region the AWS CLI uses when none is given (<c>aws configure list</c>: environment, profile or config file); null when it has none.</summary>
    static async Task<string?> DefaultRegionAsync(IAwsCli aws)
    {
        var answer = await aws.RunAsync(["configure", "list"]);
        if (!answer.Succeeded) return null;
        foreach (var line in answer.StandardOutput.Split('\n'))
        {
            var columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (columns.Length >= 2 && columns[0] == "region" && columns[1] != "<not" && columns[1] != "<not set>") return columns[1];
        }
        return null;
    }
}
