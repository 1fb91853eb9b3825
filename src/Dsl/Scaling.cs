namespace Templates;

/// <summary>
/// Target-tracking auto scaling of the service's task count. CPU tracking is always on; memory and
/// request-count tracking are added when their targets are set. The bounds are per environment (<see cref="Env.Tasks"/>).
/// </summary>
public sealed record Scaling
{
    /// <summary>The average CPU utilization, in percent, the service is kept at (1 to 100).</summary>
    public int CpuTargetPercent { get; init; } = 60;

    /// <summary>The average memory utilization, in percent, to track as well; null tracks none.</summary>
    public int? MemoryTargetPercent { get; init; }

    /// <summary>Requests per task per minute to track as well (<c>ALBRequestCountPerTarget</c>); null tracks none.</summary>
    public int? RequestsPerTarget { get; init; }

    /// <summary>Seconds after a scale-in before the next scale-in.</summary>
    public int ScaleInCooldownSeconds { get; init; } = 300;

    /// <summary>Seconds after a scale-out before the next scale-out.</summary>
    public int ScaleOutCooldownSeconds { get; init; } = 60;
}
