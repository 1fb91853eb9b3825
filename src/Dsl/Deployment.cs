namespace Templates;

/// <summary>How a new version of the service replaces the running one.</summary>
public abstract record Deployment
{
    /// <summary>Seconds ECS ignores failing load balancer health checks of a new task while it starts.</summary>
    public int HealthCheckGracePeriodSeconds { get; init; } = 60;

    /// <summary>Seconds the load balancer lets requests in flight finish on a task it deregisters (0 to 3600).</summary>
    public int DeregistrationDelaySeconds { get; init; } = 30;
}

/// <summary>
/// A zero-downtime rolling deployment: new tasks start next to the old ones (up to <see cref="MaximumPercent"/>),
/// old ones stop only when the new ones are healthy (never below <see cref="MinimumHealthyPercent"/>), and a
/// failing deployment is rolled back by the circuit breaker.
/// </summary>
public sealed record RollingDeployment : Deployment
{
    /// <summary>The lowest share of the desired tasks kept running during a deployment; 100 means no capacity is lost.</summary>
    public int MinimumHealthyPercent { get; init; } = 100;

    /// <summary>The highest share of the desired tasks running during a deployment; above 100 so new tasks can start first.</summary>
    public int MaximumPercent { get; init; } = 200;

    /// <summary>Roll back automatically when new tasks keep failing to become healthy.</summary>
    public bool RollbackOnFailure { get; init; } = true;
}

/// <summary>
/// An ECS-native blue/green deployment: the new version (green) starts in full next to the running one (blue) in a second
/// target group, production traffic moves to it at once through the load balancer's production listener rule, and blue is
/// kept for <see cref="BakeTimeMinutes"/> so a failing deployment can roll straight back.
/// </summary>
public sealed record BlueGreenDeployment : Deployment
{
    /// <summary>Minutes the old version is kept after traffic moved, ready for rollback (0 to 1440).</summary>
    public int BakeTimeMinutes { get; init; } = 10;

    /// <summary>Roll back automatically when new tasks keep failing to become healthy.</summary>
    public bool RollbackOnFailure { get; init; } = true;
}
