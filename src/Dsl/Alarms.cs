namespace Templates;

/// <summary>
/// CloudWatch alarms on what users see (the load balancer's and the application's 5xx rate, the 99th percentile of the
/// response time, unhealthy tasks) and on the service's CPU and memory, with a dashboard of the same metrics. The
/// user-facing alarms are also the service's deployment alarms: a release that raises them is rolled back, for rolling
/// and blue/green deployments alike. Every environment gets them (<see cref="App.Alarms"/>, overridden by <see cref="Env.Alarms"/>).
/// </summary>
public sealed record Alarms
{
    /// <summary>
    /// The share of requests, in percent (1 to 100), answered 5xx by the load balancer itself (no healthy task, a task that
    /// did not answer) over three consecutive minutes that sets off the alarm.
    /// </summary>
    public int LoadBalancer5xxPercent { get; init; } = 5;

    /// <summary>The share of requests, in percent (1 to 100), answered 5xx by the application over three consecutive minutes that sets off the alarm.</summary>
    public int Target5xxPercent { get; init; } = 5;

    /// <summary>
    /// A minute with fewer requests than this is not judged by the 5xx alarms (one failed request of two is not an outage);
    /// at least 1.
    /// </summary>
    public int MinimumRequestsPerMinute { get; init; } = 10;

    /// <summary>The 99th percentile of the application's response time, in milliseconds, that sets off the alarm when exceeded for three consecutive minutes.</summary>
    public int ResponseTimeP99Milliseconds { get; init; } = 2000;

    /// <summary>The number of tasks failing the load balancer's health check for five consecutive minutes that sets off the alarm (at least 1).</summary>
    public int UnhealthyTasks { get; init; } = 1;

    /// <summary>The service's average CPU utilization, in percent (1 to 100), that sets off the alarm when exceeded for five consecutive minutes.</summary>
    public int CpuPercent { get; init; } = 90;

    /// <summary>The service's average memory utilization, in percent (1 to 100), that sets off the alarm when exceeded for five consecutive minutes.</summary>
    public int MemoryPercent { get; init; } = 90;

    /// <summary>
    /// Whether a deployment during which a user-facing alarm (5xx, response time) goes off is rolled back (ECS deployment
    /// alarms). On by default; turning it off in production is a warning (TPL0062).
    /// </summary>
    public bool RollbackOnAlarm { get; init; } = true;

    /// <summary>Whether the environment gets a CloudWatch dashboard with the alarms' metrics.</summary>
    public bool Dashboard { get; init; } = true;

    /// <summary>Where alarms are sent when they go off and when they recover; null sends nothing (they are still seen in the console and roll back deployments).</summary>
    public Alerts? Alerts { get; init; }
}

/// <summary>Where an environment's alarms are sent.</summary>
public abstract record Alerts;

/// <summary>
/// An SNS topic, created in the environment's stack, with an email subscription: SNS mails a confirmation link to the
/// address, and nothing is delivered until someone clicks it.
/// </summary>
/// <param name="Address">The address alarms are mailed to, such as ops@example.com.</param>
public sealed record EmailAlerts(string Address) : Alerts;
