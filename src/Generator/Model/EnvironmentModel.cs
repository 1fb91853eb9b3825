namespace Templates.Generation.Model;

/// <summary>One environment of an app with every override applied: what its stack is built from.</summary>
public sealed record EnvironmentModel
{
    /// <summary>The app.</summary>
    public required App App { get; init; }

    /// <summary>The environment as declared.</summary>
    public required Env Env { get; init; }

    /// <summary>The network in force.</summary>
    public required Network Network { get; init; }

    /// <summary>The service with the environment's overrides applied.</summary>
    public required FargateService Service { get; init; }

    /// <summary>The app's other services that run in this environment, in declaration order, with the environment's overrides applied.</summary>
    public IReadOnlyList<ServiceModel> Services { get; init; } = [];

    /// <summary>The load balancer with the environment's certificate.</summary>
    public required LoadBalancer LoadBalancer { get; init; }

    /// <summary>The scaling policy in force.</summary>
    public required Scaling Scaling { get; init; }

    /// <summary>The deployment strategy in force.</summary>
    public required Deployment Deployment { get; init; }

    /// <summary>The alarms in force.</summary>
    public required Alarms Alarms { get; init; }

    /// <summary>The load balancer's access logs in force, null for none: the environment's, else the app's, else on in production.</summary>
    public AccessLogs? AccessLogs =>
        (Env.AccessLogs ?? LoadBalancer.AccessLogs ?? (Env.IsProduction ? new AccessLogs() : null)) is { Enabled: true } logs ? logs : null;

    /// <summary>The new VPC's flow logs in force, null for none (or for an existing VPC): the network's, else on in production.</summary>
    public FlowLogs? FlowLogs =>
        Network is NewVpc vpc && (vpc.FlowLogs ?? (Env.IsProduction ? new FlowLogs() : null)) is { Enabled: true } logs ? logs : null;

    /// <summary>The environment's web ACL, if it has one.</summary>
    public WebAcl? WebAcl => Env.WebAcl;

    /// <summary>The IPv4 ranges that may reach the load balancer; empty for the whole internet.</summary>
    public IReadOnlyList<string> AllowedCidrs => Env.AllowedCidrs;

    /// <summary>The environment's DNS name and hosted zone, if it has one.</summary>
    public DnsName? Dns => Env.Dns;

    /// <summary>The environment's pipeline, if it has one.</summary>
    public Pipeline? Pipeline => Env.Pipeline;

    /// <summary>Whether the pipeline stops for a manual approval before deploying (on by default in production).</summary>
    public bool ManualApproval => Env.Pipeline?.ManualApproval ?? Env.IsProduction;

    /// <summary>
    /// With <see cref="StackLayout.StackPerService"/>, the service whose own stack this model builds; null for the environment's
    /// stack (and always with <see cref="StackLayout.OnePerEnvironment"/>).
    /// </summary>
    public ServiceModel? Part { get; init; }

    /// <summary>Whether the app's services each have a stack of their own (<see cref="StackLayout.StackPerService"/>).</summary>
    public bool SplitsServices => App.Stacks == StackLayout.StackPerService;

    /// <summary>The environment's stack's name: <c>app-env</c>.</summary>
    public string EnvironmentStackName => $"{App.Name}-{Env.Name}";

    /// <summary>The stack's name: <c>app-env</c>, or <c>app-env-service</c> for a service's own stack.</summary>
    public string StackName => Part is null ? EnvironmentStackName : $"{EnvironmentStackName}-{Part.Name}";

    /// <summary>The name of the template file: <c>app-env.template.json</c>.</summary>
    public string FileName => $"{StackName}.template.json";

    /// <summary>Applies an environment's overrides to its app.</summary>
    public static EnvironmentModel Resolve(App app, Env env)
    {
        var service = app.Service;
        if (env.Service is { } o)
        {
            service = Apply(service, o);
            if (o.HealthCheck is { } healthCheck) service = service with { HealthCheck = healthCheck };
        }
        var services = new List<ServiceModel>();
        foreach (var other in app.Services)
        {
            var overrides = env.Services.GetValueOrDefault(other.Name);
            if (overrides?.Enabled == false) continue;
            var resolved = overrides is null ? other : Apply(other, overrides);
            if (overrides?.HealthCheck is { } healthCheck && resolved is WebService web) resolved = web with { HealthCheck = healthCheck };
            services.Add(new ServiceModel(resolved, other is ScheduledJob ? null : overrides?.Tasks ?? env.Tasks, overrides));
        }

        // The sender address reaches the container as a variable of its own; a value written by hand under that name loses.
        if (app.Mail is { } mail)
            service = service with { EnvironmentVariables = Merge(service.EnvironmentVariables, new Dictionary<string, string> { [mail.EnvironmentVariable] = mail.Address }) };

        return new EnvironmentModel
        {
            App = app,
            Env = env,
            Network = env.Network ?? app.Network,
            Service = service,
            Services = services,
            LoadBalancer = env.Certificate is null ? app.LoadBalancer : app.LoadBalancer with { Certificate = env.Certificate },
            Scaling = env.Scaling ?? app.Scaling,
            Deployment = env.Deployment ?? app.Deployment,
            Alarms = env.Alarms ?? app.Alarms,
        };
    }

    // The settings every container shares; the kind's own (a health check) are applied by the caller.
    static T Apply<T>(T service, ServiceOverrides o) where T : ContainerTask => service with
    {
        Cpu = o.Cpu ?? service.Cpu,
        MemoryMiB = o.MemoryMiB ?? service.MemoryMiB,
        Image = o.ImageTag is null ? service.Image : service.Image with { Tag = o.ImageTag },
        EnvironmentVariables = Merge(service.EnvironmentVariables, o.EnvironmentVariables),
        Secrets = Merge(service.Secrets, o.Secrets),
        LogRetentionDays = o.LogRetentionDays ?? service.LogRetentionDays,
        EphemeralStorageGiB = o.EphemeralStorageGiB ?? service.EphemeralStorageGiB,
    };

    static Dictionary<string, T> Merge<T>(Dictionary<string, T> app, Dictionary<string, T> env)
    {
        if (env.Count == 0) return app;
        var merged = new Dictionary<string, T>(app, StringComparer.Ordinal);
        foreach (var (key, value) in env) merged[key] = value;
        return merged;
    }
}

/// <summary>One of the app's other services in an environment: its settings with the environment's overrides applied, and its task bounds there.</summary>
/// <param name="Service">The service, overrides applied.</param>
/// <param name="Tasks">The bounds it scales between (the environment's unless overridden); null for a scheduled job.</param>
/// <param name="Overrides">The environment's overrides of it, if any.</param>
public sealed record ServiceModel(AppService Service, TaskCount? Tasks, ServiceOverrides? Overrides)
{
    /// <summary>The service's name.</summary>
    public string Name => Service.Name;

    /// <summary>The start of its resources' logical IDs: the name in PascalCase.</summary>
    public string IdPrefix => Rules.Checks.ServiceIdPrefix(Service.Name);
}
