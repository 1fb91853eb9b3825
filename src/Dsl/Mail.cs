namespace Templates;

/// <summary>
/// The address the application sends mail from, through Amazon SES. Its SES identity is created once per account and
/// region (in the shared stack), the task role may send only as that identity, and the address reaches the container
/// as an environment variable.
/// </summary>
public sealed record MailSender
{
    /// <summary>The From address, such as <c>sender@example.com</c>.</summary>
    public required string Address { get; init; }

    /// <summary>What SES verifies: the address itself (a link mailed to it), or its whole domain (Easy DKIM records in DNS).</summary>
    public SenderIdentity Identity { get; init; } = SenderIdentity.EmailAddress;

    /// <summary>The environment variable that carries <see cref="Address"/> into the container.</summary>
    public string EnvironmentVariable { get; init; } = "MAIL_SENDER";
}

/// <summary>What SES verifies before the application may send.</summary>
public enum SenderIdentity
{
    /// <summary>The address only: SES mails a verification link to it, which someone must click.</summary>
    EmailAddress,

    /// <summary>The address's domain, with Easy DKIM: three CNAME records must be published in the domain's DNS.</summary>
    Domain,
}
