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

    /// <summary>The stack's name: <c>app-env</c>.</summary>
    public string StackName => $"{App.Name}-{Env.Name}";

    /// <summary>The name of the template file: <c>app-env.template.json</c>.</summary>
    public string FileName => $"{StackName}.template.json";

    /// <summary>Applies an environment's overrides to its app.</summary>
    public static EnvironmentModel Resolve(App app, Env env)
    {
        var service = app.Service;
        if (env.Service is { } o)
        {
            service = service with
            {
                Cpu = o.Cpu ?? service.Cpu,
                MemoryMiB = o.MemoryMiB ?? service.MemoryMiB,
                Image = o.ImageTag is null ? service.Image : service.Image with { Tag = o.ImageTag },
                EnvironmentVariables = Merge(service.EnvironmentVariables, o.EnvironmentVariables),
                Secrets = Merge(service.Secrets, o.Secrets),
                HealthCheck = o.HealthCheck ?? service.HealthCheck,
                LogRetentionDays = o.LogRetentionDays ?? service.LogRetentionDays,
                EphemeralStorageGiB = o.EphemeralStorageGiB ?? service.EphemeralStorageGiB,
            };
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
            LoadBalancer = env.Certificate is null ? app.LoadBalancer : app.LoadBalancer with { Certificate = env.Certificate },
            Scaling = env.Scaling ?? app.Scaling,
            Deployment = env.Deployment ?? app.Deployment,
            Alarms = env.Alarms ?? app.Alarms,
        };
    }

    static Dictionary<string, T> Merge<T>(Dictionary<string, T> app, Dictionary<string, T> env)
    {
        if (env.Count == 0) return app;
        var merged = new Dictionary<string, T>(app, StringComparer.Ordinal);
        foreach (var (key, value) in env) merged[key] = value;
        return merged;
    }
}
