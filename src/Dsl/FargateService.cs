namespace Templates;

/// <summary>The application's container, run as an ECS service on Fargate.</summary>
public sealed record FargateService
{
    /// <summary>The container image.</summary>
    public required ContainerImage Image { get; init; }

    /// <summary>Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384 (1024 = one vCPU).</summary>
    public int Cpu { get; init; } = 256;

    /// <summary>Task memory in MiB; it must be allowed for <see cref="Cpu"/> (256 CPU: 512, 1024 or 2048; …).</summary>
    public int MemoryMiB { get; init; } = 512;

    /// <summary>The port the container listens on; the load balancer sends traffic to it.</summary>
    public required int Port { get; init; }

    /// <summary>Plain environment variables. Never put secrets here: use <see cref="Secrets"/>.</summary>
    public Dictionary<string, string> EnvironmentVariables { get; init; } = [];

    /// <summary>Environment variables whose values come from SSM Parameter Store or Secrets Manager when the task starts.</summary>
    public Dictionary<string, Secret> Secrets { get; init; } = [];

    /// <summary>How the load balancer decides that a task is healthy.</summary>
    public HealthCheck HealthCheck { get; init; } = new();

    /// <summary>Days the container's logs are kept: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653.</summary>
    public int LogRetentionDays { get; init; } = 30;

    /// <summary>Task ephemeral storage in GiB, 21 to 200; null keeps Fargate's default of 20 GiB.</summary>
    public int? EphemeralStorageGiB { get; init; }

    /// <summary>The processor architecture the image is built for.</summary>
    public CpuArchitecture Architecture { get; init; } = CpuArchitecture.X86_64;

    /// <summary>
    /// The user the container runs as: a name or UID, optionally with a group (<c>10001</c>, <c>10001:10001</c>, <c>app</c>);
    /// null runs the image's own <c>USER</c>. Root (<c>root</c>, <c>0</c>) is a warning in production (TPL0063).
    /// </summary>
    public string? User { get; init; }

    /// <summary>
    /// Whether the container's root file system is read-only (on by default): only <see cref="WritablePaths"/> can be written.
    /// Turning it off is a warning in production (TPL0063).
    /// </summary>
    public bool ReadOnlyRootFilesystem { get; init; } = true;

    /// <summary>
    /// The absolute paths the application writes to, each an empty scratch volume of the task's ephemeral storage (a bind
    /// mount), writable whatever <see cref="ReadOnlyRootFilesystem"/> says. ECS creates it owned by root with mode 0755 unless
    /// the image declares the same path as a <c>VOLUME</c>, whose owner and mode it then copies: a non-root <see cref="User"/>
    /// needs that <c>VOLUME</c> (the sample app's Dockerfile declares <c>/tmp</c>).
    /// </summary>
    public List<string> WritablePaths { get; init; } = ["/tmp"];
}

/// <summary>Settings of <see cref="FargateService"/> that one environment changes; null keeps the app's value.</summary>
public sealed record ServiceOverrides
{
    /// <summary>Overrides <see cref="FargateService.Cpu"/>.</summary>
    public int? Cpu { get; init; }

    /// <summary>Overrides <see cref="FargateService.MemoryMiB"/>.</summary>
    public int? MemoryMiB { get; init; }

    /// <summary>Overrides the default image tag of <see cref="FargateService.Image"/>.</summary>
    public string? ImageTag { get; init; }

    /// <summary>Added to, or replacing, the app's <see cref="FargateService.EnvironmentVariables"/>.</summary>
    public Dictionary<string, string> EnvironmentVariables { get; init; } = [];

    /// <summary>Added to, or replacing, the app's <see cref="FargateService.Secrets"/>.</summary>
    public Dictionary<string, Secret> Secrets { get; init; } = [];

    /// <summary>Overrides <see cref="FargateService.HealthCheck"/>.</summary>
    public HealthCheck? HealthCheck { get; init; }

    /// <summary>Overrides <see cref="FargateService.LogRetentionDays"/>.</summary>
    public int? LogRetentionDays { get; init; }

    /// <summary>Overrides <see cref="FargateService.EphemeralStorageGiB"/>.</summary>
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
