namespace Templates;

/// <summary>The application's container, run as an ECS service on Fargate: the load balancer's default target.</summary>
public sealed record FargateService : ContainerTask
{
    /// <summary>The port the container listens on; the load balancer sends traffic to it.</summary>
    public required int Port { get; init; }

    /// <summary>How the load balancer decides that a task is healthy.</summary>
    public HealthCheck HealthCheck { get; init; } = new();
}

/// <summary>Settings of a service (<see cref="App.Service"/> or one of <see cref="App.Services"/>) that one environment changes; null keeps the app's value.</summary>
public sealed record ServiceOverrides
{
    /// <summary>For one of <see cref="App.Services"/>: whether it runs in this environment (null: it does). The app's own <see cref="App.Service"/> always runs.</summary>
    public bool? Enabled { get; init; }

    /// <summary>For one of <see cref="App.Services"/> (not a scheduled job): the fewest and the most tasks it scales between here; null takes <see cref="Env.Tasks"/>.</summary>
    public TaskCount? Tasks { get; init; }

    /// <summary>Overrides <see cref="ContainerTask.Cpu"/>.</summary>
    public int? Cpu { get; init; }

    /// <summary>Overrides <see cref="ContainerTask.MemoryMiB"/>.</summary>
    public int? MemoryMiB { get; init; }

    /// <summary>Overrides the default image tag of <see cref="ContainerTask.Image"/>.</summary>
    public string? ImageTag { get; init; }

    /// <summary>Added to, or replacing, the app's <see cref="ContainerTask.EnvironmentVariables"/>.</summary>
    public Dictionary<string, string> EnvironmentVariables { get; init; } = [];

    /// <summary>Added to, or replacing, the app's <see cref="ContainerTask.Secrets"/>.</summary>
    public Dictionary<string, Secret> Secrets { get; init; } = [];

    /// <summary>Overrides <see cref="FargateService.HealthCheck"/>.</summary>
    public HealthCheck? HealthCheck { get; init; }

    /// <summary>Overrides <see cref="ContainerTask.LogRetentionDays"/>.</summary>
    public int? LogRetentionDays { get; init; }

    /// <summary>Overrides <see cref="ContainerTask.EphemeralStorageGiB"/>.</summary>
    public int? EphemeralStorageGiB { get; init; }
}

/// <summary>The processor architecture of the task.</summary>
public enum CpuArchitecture
{
    /// <summary>Intel/AMD 64-bit.</summary>
    X86_64,

    /// <summary>AWS Graviton (ARM 64-bit): cheaper per vCPU; the image must be built for linux/arm64.</summary>
    Arm64,
}

/// <summary>A container image in an ECR repository of the stack's own account and region.</summary>
/// <param name="Repository">The repository's name (lowercase, may be namespaced: <c>team/app</c>).</param>
/// <param name="Tag">The tag deployed by default. It becomes the <c>ImageTag</c> stack parameter, so a pipeline can roll the service forward without editing the template.</param>
public sealed record ContainerImage(string Repository, string Tag = "latest")
{
    /// <summary>An image from the ECR repository named <paramref name="repository"/> in the stack's account and region.</summary>
    public static ContainerImage FromEcr(string repository, string tag = "latest") => new(repository, tag);
}

/// <summary>A secret injected into the container as an environment variable when the task starts.</summary>
public abstract record Secret
{
    /// <summary>A parameter of SSM Parameter Store in the stack's account and region, by name (<c>/app/db-password</c>).</summary>
    public static Secret FromSsm(string parameterName) => new SsmParameter(parameterName);

    /// <summary>A secret of Secrets Manager in the stack's account and region, by name (<c>app/api-key</c>).</summary>
    public static Secret FromSecretsManager(string secretName) => new SecretsManagerSecret(secretName);
}

/// <summary>A parameter of SSM Parameter Store, by name.</summary>
public sealed record SsmParameter(string Name) : Secret;

/// <summary>A secret of Secrets Manager, by name.</summary>
public sealed record SecretsManagerSecret(string Name) : Secret;

/// <summary>The target group's health check: how the load balancer decides that a task can take traffic.</summary>
public sealed record HealthCheck
{
    /// <summary>The path requested; it must begin with <c>/</c>.</summary>
    public string Path { get; init; } = "/";

    /// <summary>Seconds between checks, 5 to 300; must be greater than <see cref="TimeoutSeconds"/>.</summary>
    public int IntervalSeconds { get; init; } = 15;

    /// <summary>Seconds to wait for an answer, 2 to 120.</summary>
    public int TimeoutSeconds { get; init; } = 5;

    /// <summary>Consecutive successes before a task counts as healthy, 2 to 10.</summary>
    public int HealthyThreshold { get; init; } = 2;

    /// <summary>Consecutive failures before a task counts as unhealthy, 2 to 10.</summary>
    public int UnhealthyThreshold { get; init; } = 3;

    /// <summary>HTTP codes that count as success: <c>200</c>, <c>200,204</c> or <c>200-299</c>, within 200–499.</summary>
    public string SuccessCodes { get; init; } = "200";
}
