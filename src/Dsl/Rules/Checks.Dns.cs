using System;
using System.Text.RegularExpressions;

namespace Templates.Rules;

// The DNS rules (an environment's name in a Route 53 hosted zone, and the certificate ACM issues for it): pure functions over plain values.
public static partial class Checks
{
    // Rules catalog 1.7: an RFC 1123 host name (labels of letters, digits and inner hyphens, at most 63 each, 253 in all).
    static readonly Regex HostNameRegex = new(HostNamePattern, RegexOptions.CultureInvariant);
    static readonly Regex HostedZoneIdPattern = new("^Z[A-Z0-9]{1,32}$", RegexOptions.CultureInvariant);

    /// <summary>TPL0034: the environment's DNS name, which names the alias record and the requested certificate (ACM's DomainName is a host name).</summary>
    public static Violation? DnsName(string name)
    {
        if (HostNameRegex.IsMatch(name)) return null;
        var fix = name.EndsWith(".", StringComparison.Ordinal) && HostNameRegex.IsMatch(name.TrimEnd('.'))
            ? "Write the name without the trailing dot: " + name.TrimEnd('.') + "."
            : name.StartsWith("*.", StringComparison.Ordinal)
                ? "Give the one name the environment is reached at, such as app.example.com; a wildcard cannot be an alias record's only name."
                : "Set Dns.Name to a host name such as app.example.com (letters, digits and hyphens in dot-separated labels, no scheme, path or port).";
        return new(RuleCatalog.TPL0034_DnsSettings, $"'{name}' is not a DNS host name that Route 53 and ACM accept.", fix);
    }

    /// <summary>TPL0034: the hosted zone's ID (Route 53 IDs are Z and up to 32 uppercase letters and digits).</summary>
    public static Violation? HostedZoneId(string id)
    {
        if (HostedZoneIdPattern.IsMatch(id)) return null;
        const string prefix = "/hostedzone/";
        var fix = id.StartsWith(prefix, StringComparison.Ordinal) && HostedZoneIdPattern.IsMatch(id.Substring(prefix.Length))
            ? "Drop the '/hostedzone/' prefix: " + id.Substring(prefix.Length) + "."
            : "Copy the hosted zone's ID from Route 53 > Hosted zones (or `aws route53 list-hosted-zones-by-name`), such as Z0123456789ABCDEFGHIJ.";
        return new(RuleCatalog.TPL0034_DnsSettings, $"'{id}' is not a Route 53 hosted zone ID.", fix);
    }

    /// <summary>TPL0035: a requested certificate is issued for the environment's DNS name and validated in its hosted zone, so it needs <c>Dns</c>.</summary>
    public static Violation? RequestedCertificateWithoutDns(bool hasDns) =>
        hasDns ? null
            : new(RuleCatalog.TPL0035_RequestedCertificateWithoutDns, "The load balancer's certificate is a RequestedCertificate, but the environment has no Dns name to request it for and validate it in.",
                "Give the environment Dns = new DnsName { Name = \"app.example.com\", HostedZoneId = \"Z…\" }, or use an existing certificate (new AcmCertificate(\"arn:aws:acm:…\")).");
}
