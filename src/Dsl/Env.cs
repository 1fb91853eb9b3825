namespace Templates;

/// <summary>
/// One environment of an <see cref="App"/> (dev, staging, prod): its own stack, with its own task bounds
/// and any setting of the app overridden. A setting left null here takes the app's value.
/// </summary>
public sealed record Env
{
    /// <param name="name">The environment's name: lowercase letters, digits and hyphens, starting with a letter, at most 16 characters.</param>
    public Env(string name) => Name = name;

    /// <summary>The environment's name: given to the constructor, or replaced later (<c>Name = "…"</c> in the initializer, <c>dev with { Name = "…" }</c>).</summary>
    public string Name { get; init; }

    // Null until IsProduction is set: production-ness then follows the current Name, whatever syntax set it.
    // A record's `with` copies this field, so an explicit choice survives a copy and an implicit one is recomputed.
    readonly bool? _isProduction;

    /// <summary>
    /// Whether the environment gets production's checks and defaults (at least two tasks, no IAM certificates, deletion protection,
    /// logs kept when the stack is deleted, manual approval in its pipeline). Unless set, it follows <see cref="Name"/>: true for
    /// "prod" and "production", read when it is asked, so <c>dev with { Name = "prod" }</c> is production too.
    /// Set it to say so explicitly (<c>IsProduction = true</c> for "live"); an explicit value survives <c>with</c>.
    /// </summary>
    public bool IsProduction
    {
        get => Rules.Checks.IsProduction(Name, _isProduction);
        init => _isProduction = value;
    }

    /// <summary>The 12-digit AWS account the stack is meant for, if it is pinned; used to check ARNs.</summary>
    public string? Account { get; init; }

    /// <summary>The AWS region the stack is meant for (us-east-1, …), if it is pinned; used to check ARNs and in the printed deploy command.</summary>
    public string? Region { get; init; }

    /// <summary>The fewest and the most tasks the service may scale between.</summary>
    public required TaskCount Tasks { get; init; }

    /// <summary>Overrides <see cref="App.Scaling"/>.</summary>
    public Scaling? Scaling { get; init; }

    /// <summary>Overrides <see cref="App.Network"/>.</summary>
    public Network? Network { get; init; }

    /// <summary>Overrides the load balancer's certificate (a certificate lives in one region and account); <see cref="RequestedCertificate"/> requests one for <see cref="Dns"/>.</summary>
    public Certificate? Certificate { get; init; }

    /// <summary>The environment's DNS name and the Route 53 hosted zone it is in; null for none (the load balancer's own name serves).</summary>
    public DnsName? Dns { get; init; }

    /// <summary>Overrides <see cref="App.Deployment"/>.</summary>
    public Deployment? Deployment { get; init; }

    /// <summary>Overrides <see cref="App.Alarms"/>.</summary>
    public Alarms? Alarms { get; init; }

    /// <summary>The environment's CI/CD pipeline, building from <see cref="App.Source"/>; null for none.</summary>
    public Pipeline? Pipeline { get; init; }

    /// <summary>Overrides <see cref="LoadBalancer.AccessLogs"/>; when neither is set, production has access logs and the other environments do not.</summary>
    public AccessLogs? AccessLogs { get; init; }

    /// <summary>An AWS WAF web ACL in front of the load balancer; null for none (production open to the world without one is rule TPL0069).</summary>
    public WebAcl? WebAcl { get; init; }

    /// <summary>
    /// The IPv4 ranges (<c>a.b.c.d/n</c>) that may reach the load balancer, such as an office or VPN range; empty (the default) is
    /// the whole internet. Enforced by the load balancer's security group (one rule per range and port), or, with a
    /// <see cref="WebAcl"/>, by a web ACL rule that blocks every other address. At most 30 ranges, none overlapping (rule TPL0068).
    /// </summary>
    public List<string> AllowedCidrs { get; init; } = [];

    /// <summary>Overrides single settings of <see cref="App.Service"/>.</summary>
    public ServiceOverrides? Service { get; init; }

    /// <summary>Overrides single settings of the app's <see cref="App.Services"/>, by service name (turning one off: <c>Enabled = false</c>).</summary>
    public Dictionary<string, ServiceOverrides> Services { get; init; } = [];

    /// <summary>Rules deliberately accepted in this environment, each with its reason.</summary>
    public List<Accepted> Accept { get; init; } = [];
}

/// <summary>The bounds the service scales between.</summary>
/// <param name="Min">The fewest running tasks (the service starts with this many).</param>
/// <param name="Max">The most running tasks.</param>
public readonly record struct TaskCount(int Min, int Max);
