namespace Templates;

/// <summary>Where the application runs.</summary>
public abstract record Network;

/// <summary>
/// A new VPC spanning several Availability Zones: a public subnet per zone for the load balancer and,
/// when tasks are private, a private subnet per zone behind NAT gateways.
/// Availability Zones are chosen at deploy time with <c>Fn::GetAZs</c>, so the template works in any region.
/// </summary>
public sealed record NewVpc : Network
{
    /// <summary>
    /// The VPC's IPv4 range, from /16 to /23. Subnets are carved from it: sixteen equal blocks (prefix + 4), public ones first,
    /// private ones from the ninth. A /24 would give the load balancer /28 subnets, smaller than the /27 it needs (rule TPL0039).
    /// </summary>
    public string Cidr { get; init; } = "10.0.0.0/16";

    /// <summary>How many Availability Zones the subnets span: at least two (the load balancer requires it), at most six.</summary>
    public int AvailabilityZones { get; init; } = 2;

    /// <summary>Where the tasks run.</summary>
    public TaskSubnets TaskSubnets { get; init; } = TaskSubnets.Public;

    /// <summary>With <see cref="TaskSubnets.Private"/>: one NAT gateway per zone (survives a zone failure) or a single shared one (cheaper).</summary>
    public NatGateways NatGateways { get; init; } = NatGateways.OnePerZone;

    /// <summary>The VPC's flow logs to CloudWatch Logs; null: on in production (all traffic, kept 90 days), off elsewhere.</summary>
    public FlowLogs? FlowLogs { get; init; }
}

/// <summary>
/// An existing VPC, such as the account's default VPC. Its identifiers become stack parameters of the
/// AWS-specific types (<c>AWS::EC2::VPC::Id</c>, <c>List&lt;AWS::EC2::Subnet::Id&gt;</c>), with the values given here as defaults.
/// </summary>
public sealed record ExistingVpc : Network
{
    /// <summary>The VPC's id (vpc-…), the default of the <c>VpcId</c> parameter; null leaves the parameter without a default.</summary>
    public string? VpcId { get; init; }

    /// <summary>Public subnets in at least two Availability Zones for the load balancer, the default of the <c>PublicSubnetIds</c> parameter.</summary>
    public IReadOnlyList<string> PublicSubnetIds { get; init; } = [];

    /// <summary>Where the tasks run. With <see cref="TaskSubnets.Public"/> they share the public subnets and get a public IP (the default VPC has no NAT).</summary>
    public TaskSubnets TaskSubnets { get; init; } = TaskSubnets.Public;

    /// <summary>With <see cref="TaskSubnets.Private"/>: private subnets that reach the internet through NAT, the default of the <c>PrivateSubnetIds</c> parameter.</summary>
    public IReadOnlyList<string> PrivateSubnetIds { get; init; } = [];
}

/// <summary>Where the tasks run.</summary>
public enum TaskSubnets
{
    /// <summary>In the public subnets, with a public IP to pull the image and send mail (the guide's setup; no NAT cost).</summary>
    Public,

    /// <summary>In private subnets without a public IP, reaching out through NAT gateways.</summary>
    Private,
}

/// <summary>How many NAT gateways serve the private subnets.</summary>
public enum NatGateways
{
    /// <summary>One per Availability Zone: a zone failure leaves the other zones connected.</summary>
    OnePerZone,

    /// <summary>One shared gateway in the first zone: cheaper, but a single point of failure.</summary>
    Single,
}
