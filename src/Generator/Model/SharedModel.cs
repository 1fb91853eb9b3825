namespace Templates.Generation.Model;

/// <summary>
/// What exists once per account and region for an app (the SES identity, the ECR repository, the GitHub connection),
/// and the environments that share it. Declaring these in every environment's stack would fail from the second stack on
/// (AlreadyExists), so they live in one shared stack per account and region, deployed before the environments' stacks.
/// </summary>
public sealed record SharedModel
{
    /// <summary>The app.</summary>
    public required App App { get; init; }

    /// <summary>The account the environments are pinned to, if any.</summary>
    public required string? Account { get; init; }

    /// <summary>The region the environments are pinned to, if any.</summary>
    public required string? Region { get; init; }

    /// <summary>The environments served, in declaration order.</summary>
    public required IReadOnlyList<Env> Environments { get; init; }

    /// <summary>The stack's name: <c>app-shared</c>, or <c>app-shared-REGION</c> (<c>app-shared-ACCOUNT-REGION</c>) when the app spans several.</summary>
    public required string StackName { get; init; }

    /// <summary>The name of the template file.</summary>
    public string FileName => $"{StackName}.template.json";

    /// <summary>Whether the shared stack creates the ECR repository.</summary>
    public bool CreatesRepository => App.Repository is NewRepository;

    /// <summary>Whether the shared stack creates the GitHub connection: some environment has a pipeline and no existing connection is given.</summary>
    public bool CreatesConnection => App.Source is { ConnectionArn: null } && Environments.Any(e => e.Pipeline is not null);

    /// <summary>Whether the shared stack creates anything at all.</summary>
    public bool IsNeeded => App.Mail is not null || CreatesRepository || CreatesConnection;

    /// <summary>The shared stacks an app needs, one per account and region its environments are pinned to; none when nothing is shared.</summary>
    public static IReadOnlyList<SharedModel> Resolve(App app)
    {
        var groups = app.Environments.GroupBy(e => (e.Account, e.Region)).ToList();
        var accounts = groups.Select(g => g.Key.Account).Distinct().Count();
        var shared = new List<SharedModel>();
        foreach (var group in groups)
        {
            var model = new SharedModel
            {
                App = app,
                Account = group.Key.Account,
                Region = group.Key.Region,
                Environments = [.. group],
                StackName = Rules.Checks.SharedStackName(app.Name, group.Key.Account, group.Key.Region, groups.Count, accounts),
            };
            if (model.IsNeeded) shared.Add(model);
        }
        return shared;
    }

    /// <summary>The shared stack serving one environment, if the app needs one.</summary>
    public static SharedModel? For(App app, Env env) => Resolve(app).FirstOrDefault(s => s.Environments.Any(e => e.Name == env.Name));
}
