using System;
using System.Collections.Generic;

namespace Templates.Rules;

// Access logs, flow logs, the web ACL and the IP allow-list (issue 13, items 1 to 3).
public static partial class Checks
{
    /// <summary>TPL0066: days an access log file is kept by the bucket's lifecycle rule (S3 expires objects after a positive number of days).</summary>
    public static Violation? AccessLogExpiration(int days) =>
        days >= 1 ? null
            : new(RuleCatalog.TPL0066_LogDelivery, $"AccessLogs.ExpirationDays is {days}; an S3 lifecycle rule expires objects after a positive number of days.",
                "Set ExpirationDays to 1 or more, for example 90.", "ExpirationDays");

    /// <summary>TPL0066: days the flow log group keeps its records (one of CloudWatch Logs' retention values).</summary>
    public static Violation? FlowLogRetention(int days)
    {
        if (Array.IndexOf(Retentions, days) >= 0) return null;
        var nearest = Retentions[0];
        foreach (var r in Retentions) if (Math.Abs(r - days) < Math.Abs(nearest - days)) nearest = r;
        return new(RuleCatalog.TPL0066_LogDelivery, $"FlowLogs.RetentionDays is {days}; CloudWatch Logs cannot keep logs for {days} days.",
            $"Set RetentionDays to one of {string.Join(", ", Retentions)} (nearest: {nearest}).", "RetentionDays");
    }

    /// <summary>The nearest retention CloudWatch Logs accepts, for a code fix.</summary>
    public static int NearestRetention(int days)
    {
        var nearest = Retentions[0];
        foreach (var r in Retentions) if (Math.Abs(r - days) < Math.Abs(nearest - days)) nearest = r;
        return nearest;
    }

    /// <summary>The fewest requests a WAF rate-based rule counts to (AWS::WAFv2::WebACL RateLimit minimum).</summary>
    public const int MinimumRateLimit = 10;

    /// <summary>The most requests a WAF rate-based rule counts to.</summary>
    public const int MaximumRateLimit = 2_000_000_000;

    static readonly int[] RateWindows = [60, 120, 300, 600];

    /// <summary>TPL0067: the rate-based rule's limit (10 to 2,000,000,000 requests per window).</summary>
    public static Violation? RateLimitRequests(int requests) =>
        requests is >= MinimumRateLimit and <= MaximumRateLimit ? null
            : new(RuleCatalog.TPL0067_WebAcl, $"WebAcl.RateLimitRequests is {requests}; AWS WAF counts a rate-based rule's limit from {MinimumRateLimit} to {MaximumRateLimit} requests per window.",
                $"Set RateLimitRequests to a value from {MinimumRateLimit} to {MaximumRateLimit}, for example 2000.", "RateLimitRequests");

    /// <summary>TPL0067: the rate-based rule's evaluation window (60, 120, 300 or 600 seconds).</summary>
    public static Violation? RateLimitWindow(int seconds) =>
        Array.IndexOf(RateWindows, seconds) >= 0 ? null
            : new(RuleCatalog.TPL0067_WebAcl, $"WebAcl.RateLimitWindowSeconds is {seconds}; AWS WAF evaluates a rate-based rule over 60, 120, 300 or 600 seconds.",
                "Set RateLimitWindowSeconds to 60, 120, 300 or 600 (300 is WAF's default).", "RateLimitWindowSeconds");

    /// <summary>The most ranges <c>AllowedCidrs</c> takes: one security group rule per range on each of two ports stays within the 60 inbound rules a group has by default.</summary>
    public const int MaximumAllowedCidrs = 30;

    /// <summary>
    /// TPL0068: the IPv4 ranges allowed to reach the load balancer: each <c>a.b.c.d/n</c> without host bits, not 0.0.0.0/0
    /// (which restricts nothing), none inside another, at most <see cref="MaximumAllowedCidrs"/>.
    /// </summary>
    public static Violation? AllowedCidrs(IReadOnlyList<string> cidrs)
    {
        var parsed = new List<(string Text, uint Address, int Prefix)>();
        foreach (var cidr in cidrs)
        {
            if (!TryParseCidr(cidr, out var address, out var prefix))
                return new(RuleCatalog.TPL0068_AllowedCidrs, $"AllowedCidrs holds '{cidr}', which is not an IPv4 CIDR block (the load balancer is IPv4 only).",
                    "Write each range as a.b.c.d/n, for example 203.0.113.0/24.");
            if (prefix == 0)
                return new(RuleCatalog.TPL0068_AllowedCidrs, $"AllowedCidrs holds '{cidr}', the whole internet: the list restricts nothing.",
                    "Remove it (an empty AllowedCidrs is the whole internet), or list the ranges that may connect.");
            var mask = uint.MaxValue << (32 - prefix);
            if ((address & ~mask) != 0)
                return new(RuleCatalog.TPL0068_AllowedCidrs, $"AllowedCidrs holds '{cidr}', which has host bits set: EC2 and WAF would apply it as {FormatAddress(address & mask)}/{prefix}.",
                    $"Write it as {FormatAddress(address & mask)}/{prefix}, or as {FormatAddress(address)}/32 for the one address.");
            foreach (var other in parsed)
            {
                var shorter = Math.Min(prefix, other.Prefix);
                var common = uint.MaxValue << (32 - shorter);
                if ((address & common) == (other.Address & common))
                    return new(RuleCatalog.TPL0068_AllowedCidrs,
                        other.Text == cidr ? $"AllowedCidrs holds '{cidr}' twice." : $"AllowedCidrs holds '{other.Text}' and '{cidr}', which overlap.",
                        other.Prefix <= prefix ? $"Remove '{cidr}': '{other.Text}' already allows it." : $"Remove '{other.Text}': '{cidr}' already allows it.");
            }
            parsed.Add((cidr, address, prefix));
        }
        if (cidrs.Count > MaximumAllowedCidrs)
            return new(RuleCatalog.TPL0068_AllowedCidrs, $"AllowedCidrs holds {cidrs.Count} ranges; the load balancer's security group takes one rule per range and port, within its 60 inbound rules.",
                $"Merge neighbouring ranges into wider ones to list at most {MaximumAllowedCidrs}.");
        return null;
    }

    /// <summary>TPL0069: a production load balancer that the whole internet reaches with nothing filtering requests.</summary>
    public static Violation? OpenWithoutWebAcl(bool hasWebAcl, int allowedCidrs, bool production) =>
        !production || hasWebAcl || allowedCidrs > 0 ? null
            : new(RuleCatalog.TPL0069_OpenWithoutWebAcl, "Production's load balancer is open to the whole internet and no web ACL filters its requests (injection, known exploits, bad IP addresses, floods reach the application).",
                "Add WebAcl = new WebAcl { Action = WafAction.Count } to the environment (count first, then block), restrict AllowedCidrs, or accept TPL0069 with the reason.", "WebAcl");
}
