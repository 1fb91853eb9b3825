namespace Templates;

/// <summary>
/// The DNS name an environment is reached at, in a Route 53 hosted zone of the stack's account. The stack writes an alias
/// record (A) from the name to the load balancer, and a <see cref="RequestedCertificate"/> is requested for this name and
/// validated through this zone. Names differ per environment (dev.flask.example.com, flask.example.com).
/// </summary>
public sealed record DnsName
{
    /// <summary>The host name, such as <c>flask.example.com</c>: without a trailing dot, inside the hosted zone's domain.</summary>
    public required string Name { get; init; }

    /// <summary>The ID of the public hosted zone that holds <see cref="Name"/>, such as <c>Z0123456789ABCDEFGHIJ</c> (without <c>/hostedzone/</c>).</summary>
    public required string HostedZoneId { get; init; }
}
