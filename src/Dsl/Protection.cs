namespace Templates;

/// <summary>
/// The load balancer's access logs: one line per request (client address, path, status, latencies) delivered every five
/// minutes to an S3 bucket the stack creates for them. Set on <see cref="LoadBalancer.AccessLogs"/> (every environment) or
/// <see cref="Env.AccessLogs"/>; when neither is set, production has them and the other environments do not.
/// </summary>
public sealed record AccessLogs
{
    /// <summary>Whether the load balancer writes access logs (<c>new AccessLogs { Enabled = false }</c> turns them off, in production too).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Days a log file is kept before the bucket's lifecycle rule deletes it, at least 1 (rule TPL0066).</summary>
    public int ExpirationDays { get; init; } = 90;
}

/// <summary>
/// VPC flow logs of a <see cref="NewVpc"/>: a record of the connections accepted and rejected at every network interface of
/// the VPC, in a CloudWatch Logs log group of the stack. When not set, production has them and the other environments do not.
/// An <see cref="ExistingVpc"/> has none from this stack: the VPC and its flow logs belong to whoever manages it.
/// </summary>
public sealed record FlowLogs
{
    /// <summary>Whether the VPC's traffic is recorded (<c>new FlowLogs { Enabled = false }</c> turns it off, in production too).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Which connections are recorded: all of them (the default), only those accepted, or only those rejected.</summary>
    public FlowLogTraffic TrafficType { get; init; } = FlowLogTraffic.All;

    /// <summary>Days the log group keeps the records: one of CloudWatch Logs' retention values (rule TPL0066).</summary>
    public int RetentionDays { get; init; } = 90;
}

/// <summary>Which connections a flow log records.</summary>
public enum FlowLogTraffic
{
    /// <summary>Accepted and rejected connections.</summary>
    All,

    /// <summary>Only connections the security groups and network ACLs accepted.</summary>
    Accept,

    /// <summary>Only connections they rejected.</summary>
    Reject,
}

/// <summary>
/// An AWS WAF web ACL on the load balancer (<see cref="Env.WebAcl"/>): three AWS managed rule groups (the core rule set, known
/// bad inputs, Amazon's IP reputation list) and a rate-based rule per client address. Each acts as <see cref="Action"/>
/// unless set on its own: <see cref="WafAction.Count"/> only counts what would be blocked (in the web ACL's CloudWatch
/// metrics), so a new web ACL can be watched before it blocks anyone.
/// </summary>
public sealed record WebAcl
{
    /// <summary>What every rule does with a matching request unless set on its own.</summary>
    public WafAction Action { get; init; } = WafAction.Block;

    /// <summary>AWSManagedRulesCommonRuleSet (OWASP-style attacks, oversized bodies); null takes <see cref="Action"/>.</summary>
    public WafAction? CommonRuleSet { get; init; }

    /// <summary>AWSManagedRulesKnownBadInputsRuleSet (request patterns known to exploit vulnerabilities, such as Log4j's); null takes <see cref="Action"/>.</summary>
    public WafAction? KnownBadInputs { get; init; }

    /// <summary>AWSManagedRulesAmazonIpReputationList (addresses Amazon's threat intelligence lists as bots and attackers); null takes <see cref="Action"/>.</summary>
    public WafAction? IpReputation { get; init; }

    /// <summary>The rate-based rule: a client address that sends more than <see cref="RateLimitRequests"/> in the window; null takes <see cref="Action"/>.</summary>
    public WafAction? RateLimit { get; init; }

    /// <summary>The requests one client address may send per <see cref="RateLimitWindowSeconds"/>, 10 to 2,000,000,000 (rule TPL0067).</summary>
    public int RateLimitRequests { get; init; } = 2000;

    /// <summary>The window the rate-based rule counts over, in seconds: 60, 120, 300 or 600 (rule TPL0067).</summary>
    public int RateLimitWindowSeconds { get; init; } = 300;
}

/// <summary>What a web ACL rule does with a request it matches.</summary>
public enum WafAction
{
    /// <summary>Answer 403 Forbidden.</summary>
    Block,

    /// <summary>Let it through and count it in the rule's CloudWatch metric.</summary>
    Count,
}
