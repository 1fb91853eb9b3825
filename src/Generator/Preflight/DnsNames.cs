namespace Templates.Generation.Preflight;

/// <summary>How certificate names and hosted zones relate to a host name.</summary>
public static class DnsNames
{
    /// <summary>
    /// Whether a certificate name (a domain name or subject alternative name) covers <paramref name="host"/>: the same name, or a
    /// wildcard <c>*.example.com</c> covering exactly one label in its place (<c>www.example.com</c>, but neither
    /// <c>example.com</c> nor <c>a.b.example.com</c>). Case-insensitive; a trailing dot is ignored.
    /// </summary>
    /// <remarks>ACM: "The asterisk (*) can protect only one subdomain level"
    /// (https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate-characteristics.html), as RFC 6125 6.4.3 has it for clients.</remarks>
    public static bool Covers(string certificateName, string host)
    {
        var name = Normalize(certificateName);
        var target = Normalize(host);
        if (name.Length == 0 || target.Length == 0) return false;
        if (!name.StartsWith("*.", StringComparison.Ordinal)) return name == target;
        var firstDot = target.IndexOf('.', StringComparison.Ordinal);
        return firstDot > 0 && target[(firstDot + 1)..] == name[2..];
    }

    /// <summary>Whether <paramref name="host"/> belongs in the zone <paramref name="zone"/>: the zone's own name or a name under it.</summary>
    public static bool InZone(string host, string zone)
    {
        var target = Normalize(host);
        var apex = Normalize(zone);
        if (target.Length == 0 || apex.Length == 0) return false;
        return target == apex || target.EndsWith("." + apex, StringComparison.Ordinal);
    }

    static string Normalize(string name) => name.Trim().TrimEnd('.').ToLowerInvariant();
}
