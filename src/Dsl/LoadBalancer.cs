namespace Templates;

/// <summary>The internet-facing Application Load Balancer: HTTPS on 443, and what port 80 does.</summary>
public sealed record LoadBalancer
{
    /// <summary>The certificate the HTTPS listener presents. It becomes the <c>CertificateArn</c> stack parameter's default.</summary>
    public required Certificate Certificate { get; init; }

    /// <summary>The HTTPS listener's TLS policy; see <see cref="TlsPolicies"/>. CloudFormation's own default allows TLS 1.0, so one is always set.</summary>
    public string TlsPolicy { get; init; } = TlsPolicies.Recommended;

    /// <summary>What the load balancer does with plain HTTP on port 80.</summary>
    public HttpPort Http { get; init; } = HttpPort.RedirectToHttps;

    /// <summary>Seconds an idle connection is kept open, 1 to 4000.</summary>
    public int IdleTimeoutSeconds { get; init; } = 60;

    /// <summary>
    /// The <c>max-age</c>, in seconds, of the Strict-Transport-Security header the HTTPS listener adds to every response (browsers
    /// then use HTTPS only for that long); null is one year (31536000) in production and no header elsewhere, 0 no header.
    /// </summary>
    public int? HstsMaxAgeSeconds { get; init; }

    /// <summary>One year: the max-age production gets by default, and the least that browsers' HSTS preload lists accept.</summary>
    public const int DefaultHstsMaxAgeSeconds = 31_536_000;

    /// <summary>
    /// The access logs of every environment (an environment's <see cref="Env.AccessLogs"/> replaces it); null: on in production,
    /// off elsewhere.
    /// </summary>
    public AccessLogs? AccessLogs { get; init; }
}

/// <summary>What the load balancer does with plain HTTP on port 80.</summary>
public enum HttpPort
{
    /// <summary>Answer every HTTP request with a permanent (301) redirect to HTTPS.</summary>
    RedirectToHttps,

    /// <summary>No listener on port 80: plain HTTP is refused.</summary>
    Closed,

    /// <summary>Serve the application over plain HTTP as well. Traffic and cookies travel unencrypted; rule TPL0050 flags it.</summary>
    Forward,
}

/// <summary>The certificate of the HTTPS listener.</summary>
/// <param name="Arn">The certificate's ARN.</param>
public abstract record Certificate(string Arn);

/// <summary>A certificate of AWS Certificate Manager, in the load balancer's region (<c>arn:aws:acm:REGION:ACCOUNT:certificate/ID</c>). ACM renews it.</summary>
public sealed record AcmCertificate(string Arn) : Certificate(Arn);

/// <summary>
/// A server certificate uploaded to IAM (<c>arn:aws:iam::ACCOUNT:server-certificate/NAME</c>), such as the guide's self-signed one.
/// IAM does not renew it; use it only where ACM cannot serve.
/// </summary>
public sealed record IamServerCertificate(string Arn) : Certificate(Arn);

/// <summary>
/// A certificate that the stack requests from AWS Certificate Manager for the environment's <see cref="Env.Dns"/> name, validated
/// through DNS: CloudFormation writes the validation record into the environment's hosted zone, waits until ACM issues the
/// certificate, and ACM renews it for as long as the record stays. The environment must have <see cref="Env.Dns"/> (rule TPL0035).
/// It has no ARN in the definition (<see cref="Certificate.Arn"/> is empty): the stack's <c>CertificateArn</c> parameter defaults
/// to empty, which requests the certificate; passing an existing certificate's ARN there uses that one and requests none.
/// </summary>
public sealed record RequestedCertificate() : Certificate("");

/// <summary>ALB TLS security policies.</summary>
public static class TlsPolicies
{
    /// <summary>
    /// The default for new stacks: TLS 1.3 and 1.2, restricted ciphers, post-quantum key exchange, AWS's current recommendation and
    /// console default (rules catalog 1.11; https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
    /// </summary>
    public const string Recommended = Tls13_12_Res_PQ_2025_09;

    /// <summary>TLS 1.3 and 1.2.</summary>
    public const string Tls13_12_2021_06 = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    /// <summary>TLS 1.3 and 1.2 with restricted ciphers.</summary>
    public const string Tls13_12_Res_2021_06 = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06";

    /// <summary>TLS 1.3 and 1.2, restricted ciphers, post-quantum key exchange: AWS's current console default.</summary>
    public const string Tls13_12_Res_PQ_2025_09 = "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09";

    /// <summary>TLS 1.3 only.</summary>
    public const string Tls13_13_2021_06 = "ELBSecurityPolicy-TLS13-1-3-2021-06";
}
