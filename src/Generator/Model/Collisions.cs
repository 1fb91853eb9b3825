using Templates.Generation.CloudFormation;
using Templates.Rules;

namespace Templates.Generation.Model;

/// <summary>
/// Rule TPL0001's collisions: names that two templates, stacks or account-level resources would share. Within one app
/// (<see cref="WithinApp"/>): two of its shared stacks (environments pinned to different regions or accounts, or pinned
/// beside unpinned ones) that create one resource name where they may meet. Across the apps of one run (<see cref="AcrossApps"/>):
/// two apps with one name, two templates with one file and stack name, and two apps' shared stacks creating one resource name.
/// </summary>
public static class Collisions
{
    /// <summary>The account-level names a shared stack creates.</summary>
    public static IEnumerable<(SharedResourceKind Kind, string Name)> ResourcesOf(SharedModel shared)
    {
        if (shared.CreatesRepository) yield return (SharedResourceKind.EcrRepository, shared.App.Service.Image.Repository);
        if (shared.App.Mail is { } mail) yield return (SharedResourceKind.SesIdentity, StackBuilder.MailIdentityName(mail));
        if (shared.CreatesConnection) yield return (SharedResourceKind.GitHubConnection, SharedStackBuilder.ConnectionName(shared.App.Name));
    }

    /// <summary>The place a shared stack deploys to, for the rule.</summary>
    public static SharedStackPlace PlaceOf(SharedModel shared) =>
        new(shared.App.Name, shared.StackName, shared.Account, shared.Region, [.. shared.Environments.Select(e => e.Name)]);

    /// <summary>Collisions between the shared stacks of one app.</summary>
    public static IEnumerable<Finding> WithinApp(App app)
    {
        // The more pinned stack first, so the finding points at the environments whose pin is missing.
        var shared = SharedModel.Resolve(app).OrderByDescending(s => (s.Region is null ? 0 : 2) + (s.Account is null ? 0 : 1)).ToList();
        for (var i = 0; i < shared.Count; i++)
            for (var j = i + 1; j < shared.Count; j++)
                foreach (var (kind, name) in ResourcesOf(shared[i]).Intersect(ResourcesOf(shared[j])))
                {
                    if (Checks.SharedResourceCollision(kind, name, PlaceOf(shared[i]), PlaceOf(shared[j])) is not { } v) continue;
                    var second = shared[j];
                    var setting = kind == SharedResourceKind.GitHubConnection ? "Source.ConnectionArn"
                        : second.Region is null && shared[i].Region is not null ? $"Environments[{second.Environments[0].Name}].Region"
                        : $"Environments[{second.Environments[0].Name}].Account";
                    yield return new Finding(v.Rule, v.Rule.Severity, app.Name, [.. second.Environments.Select(e => e.Name)], setting, v.Message, v.Fix);
                }
    }

    /// <summary>Collisions between the apps of one run (each app valid on its own).</summary>
    public static IEnumerable<Finding> AcrossApps(IReadOnlyList<App> apps)
    {
        var findings = new List<Finding>();
        var byName = new Dictionary<string, App>(StringComparer.Ordinal);
        foreach (var app in apps)
        {
            if (!byName.TryAdd(app.Name, app))
            {
                var v = Checks.DuplicateApp(app.Name);
                findings.Add(new Finding(v.Rule, v.Rule.Severity, app.Name, [], "App name", v.Message, v.Fix));
            }
        }
        var distinct = byName.Values.ToList();

        // Files and stacks: every environment's and every shared stack's, whichever environments are selected.
        var stacks = new Dictionary<string, (App App, string Place)>(StringComparer.Ordinal);
        foreach (var app in distinct)
        {
            var names = app.Environments.Select(e => ($"{app.Name}-{e.Name}", $"app {app.Name}, environment {e.Name}", $"Environments[{e.Name}]"))
                .Concat(SharedModel.Resolve(app).Select(s => (s.StackName, $"app {app.Name}, its shared stack", "App name")))
                // A service's own stack, with StackLayout.StackPerService: app-env-service.
                .Concat(app.Stacks != StackLayout.StackPerService ? [] : app.Environments.SelectMany(e => app.Services.Select(s =>
                    ($"{app.Name}-{e.Name}-{s.Name}", $"app {app.Name}, environment {e.Name}, service {s.Name}", $"Services[{s.Name}]"))));
            foreach (var (stack, place, setting) in names)
            {
                if (stacks.TryGetValue(stack, out var first))
                {
                    var v = Checks.DuplicateStack(stack, first.Place, place);
                    findings.Add(new Finding(v.Rule, v.Rule.Severity, app.Name, [], setting, v.Message, v.Fix));
                }
                else stacks[stack] = (app, place);
            }
        }

        // Account-level names created by two apps' shared stacks.
        var shared = distinct.SelectMany(SharedModel.Resolve).ToList();
        for (var i = 0; i < shared.Count; i++)
            for (var j = i + 1; j < shared.Count; j++)
            {
                if (shared[i].App == shared[j].App) continue;
                foreach (var (kind, name) in ResourcesOf(shared[i]).Intersect(ResourcesOf(shared[j])))
                {
                    if (Checks.SharedResourceCollision(kind, name, PlaceOf(shared[i]), PlaceOf(shared[j])) is not { } v) continue;
                    var setting = kind switch
                    {
                        SharedResourceKind.EcrRepository => "Repository",
                        SharedResourceKind.SesIdentity => "Mail.Address",
                        _ => "Source.ConnectionArn",
                    };
                    findings.Add(new Finding(v.Rule, v.Rule.Severity, shared[j].App.Name, [], setting, v.Message, v.Fix));
                }
            }
        return findings.Where(f => !byName[f.App].Accept.Any(a => a.RuleId == f.Rule.Id));
    }
}
