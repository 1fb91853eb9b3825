using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace Templates.Rules;

/// <summary>
/// The routes of web services sharing one Application Load Balancer listener: one listener rule each, with host-header and
/// path-pattern conditions, evaluated "in priority order, from the lowest value to the highest value", the first match
/// winning and the default rule last (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-rules.html).
/// </summary>
public static class ListenerRoutes
{
    /// <summary>Rules per load balancer, default rules excluded (Elastic Load Balancing quotas).</summary>
    public const int MaxRulesPerLoadBalancer = 100;

    /// <summary>"You can specify up to three comparison strings per condition and up to five per rule."</summary>
    public const int MaxValuesPerCondition = 3;

    /// <inheritdoc cref="MaxValuesPerCondition"/>
    public const int MaxValuesPerRule = 5;

    /// <summary>Condition wildcards per rule (Elastic Load Balancing quotas).</summary>
    public const int MaxWildcardsPerRule = 5;

    /// <summary>The priorities a rule may have (API_RulePriorityPair: 1 to 50000).</summary>
    public const int MinPriority = 1, MaxPriority = 50000;

    // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/add-rule.html: "Allowed characters are a-z, A-Z,
    // 0-9; the following special characters: _-.$/~"'@:+; &; and wildcards (* and ?)". & and ; are taken as allowed (the
    // page's punctuation is ambiguous there, and refusing a valid path is worse than AWS refusing it at deploy time).
    static readonly Regex PathCharacters = new(@"^[A-Za-z0-9_\-.$/~""'@:+&;*?]+$", RegexOptions.CultureInvariant);
    static readonly Regex HostCharacters = new(@"^[A-Za-z0-9\-_.*?]+$", RegexOptions.CultureInvariant);
    static readonly Regex Letters = new("^[A-Za-z]+$", RegexOptions.CultureInvariant);

    /// <summary>
    /// A path pattern: at most 128 characters, case sensitive, <c>*</c> for any run of characters and <c>?</c> for one,
    /// compared with the path only, never the query string
    /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-listenerrule-pathpatternconfig.html).
    /// </summary>
    public static (string Problem, string Fix)? PathPattern(string pattern)
    {
        if (pattern.Length == 0) return ("The path pattern is empty.", "Give a path such as /api/*.");
        if (pattern.Length > 128) return ($"The path pattern is {pattern.Length} characters long; a listener compares at most 128.", "Shorten it, ending it with * to match what follows.");
        // ? is a wildcard here, but followed by name=value it is a query string.
        var question = pattern.IndexOf('?');
        if (question >= 0 && pattern.IndexOf('=', question) > question || pattern.Contains("#"))
            return ($"'{pattern}' holds a query string or fragment; a path pattern is compared with the URL's path only.", "Route on the path alone (the query string needs a query-string condition).");
        if (!PathCharacters.IsMatch(pattern))
        {
            var bad = pattern.First(c => !PathCharacters.IsMatch(c.ToString()));
            return ($"'{pattern}' holds '{bad}', which a path pattern cannot: letters, digits, _-.$/~\"'@:+&; and the wildcards * and ? only.",
                bad == ' ' ? "Write the path URL-encoded as clients send it, without spaces." : "Remove it, or match it with the wildcard ?.");
        }
        return null;
    }

    /// <summary>
    /// A host name condition: at most 128 characters, case insensitive, <c>*</c> and <c>?</c> wildcards, at least one dot and
    /// only letters after the last (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_HostHeaderConditionConfig.html).
    /// </summary>
    public static (string Problem, string Fix)? HostHeader(string host)
    {
        if (host.Length == 0) return ("The host name is empty.", "Give a name such as api.example.com.");
        if (host.Length > 128) return ($"The host name is {host.Length} characters long; a listener compares at most 128.", "Use a shorter name, or a wildcard such as *.example.com.");
        if (host.Contains("://")) return ($"'{host}' is a URL; the host-header condition compares the host name only.", $"Write the host name alone, without a scheme, path or port: {host.Substring(host.IndexOf("://", StringComparison.Ordinal) + 3).Split('/', ':')[0]}.");
        if (host.Contains(":")) return ($"'{host}' holds a port; the host-header condition compares the name only.", $"Write {host.Substring(0, host.IndexOf(':'))}.");
        if (!HostCharacters.IsMatch(host))
            return ($"'{host}' holds characters a host-header condition cannot: letters, digits, - _ . and the wildcards * and ? only.", "Write the host name alone, without a scheme, path or port, such as api.example.com.");
        var dot = host.LastIndexOf('.');
        if (dot < 0) return ($"'{host}' has no dot; a host-header condition must include one.", $"Write the full name, such as {host}.example.com.");
        if (!Letters.IsMatch(host.Substring(dot + 1)))
            return ($"'{host}' ends in '{host.Substring(dot + 1)}'; only letters may follow the last dot.", "End the name with its top-level domain, such as .com.");
        return null;
    }

    /// <summary>A web service's route: host names (any host when empty) and path patterns (any path when empty).</summary>
    public sealed class RoutedService
    {
        /// <summary>Creates a route.</summary>
        public RoutedService(string service, IReadOnlyList<string> hosts, IReadOnlyList<string> paths, int priority)
        {
            Service = service;
            Hosts = hosts;
            Paths = paths;
            Priority = priority;
        }

        /// <summary>The service the route forwards to.</summary>
        public string Service { get; }

        /// <summary>Host names; empty for any.</summary>
        public IReadOnlyList<string> Hosts { get; }

        /// <summary>Path patterns; empty for any.</summary>
        public IReadOnlyList<string> Paths { get; }

        /// <summary>The rule's priority: lower is evaluated first.</summary>
        public int Priority { get; }
    }

    /// <summary>
    /// The priority a service's rule gets when none is given: derived from its name alone (FNV-1a), so that adding, removing
    /// or reordering other services never renumbers it. Renumbering is not only churn: two rules that swap priorities in one
    /// update fail with PriorityInUse (the CloudFormation property's own warning).
    /// </summary>
    public static int DefaultPriority(string service)
    {
        unchecked
        {
            var hash = 2166136261u;
            foreach (var c in service) { hash ^= c; hash *= 16777619u; }
            return (int)(hash % MaxPriority) + MinPriority;
        }
    }

    /// <summary>Whether every request <paramref name="later"/> matches is matched by <paramref name="earlier"/>.</summary>
    public static bool Covers(RoutedService earlier, RoutedService later) =>
        Covers(earlier.Hosts, later.Hosts, ignoreCase: true) && Covers(earlier.Paths, later.Paths, ignoreCase: false);

    // Every pattern of `later` (any when empty) is covered by a pattern of `earlier` (any when empty).
    static bool Covers(IReadOnlyList<string> earlier, IReadOnlyList<string> later, bool ignoreCase) =>
        earlier.Count == 0 || later.Count > 0 && later.All(l => earlier.Any(e => PatternCovers(e, l, ignoreCase)));

    /// <summary>
    /// Whether the glob <paramref name="general"/> matches every string the glob <paramref name="specific"/> does. Decided
    /// exactly for the shapes routes take: equal patterns, a literal, and a general pattern whose one <c>*</c> is last
    /// (<c>/api/*</c> covers <c>/api/v1/*</c> and <c>/api/users</c>); otherwise covering is not claimed.
    /// </summary>
    public static bool PatternCovers(string general, string specific, bool ignoreCase)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (string.Equals(general, specific, comparison)) return true;
        if (general == "*") return true;
        if (specific.IndexOfAny(['*', '?']) < 0) return Glob(general, ignoreCase).IsMatch(specific);
        var star = general.IndexOf('*');
        if (star == general.Length - 1 && general.IndexOf('?') < 0)
        {
            var prefix = general.Substring(0, star);
            var literalHead = specific.IndexOfAny(['*', '?']);
            return specific.Substring(0, literalHead).StartsWith(prefix, comparison);
        }
        return false;
    }

    static Regex Glob(string pattern, bool ignoreCase) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$",
            RegexOptions.CultureInvariant | RegexOptions.Singleline | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));

    /// <summary>
    /// The problems of a listener's routes taken together: two rules with one priority, a rule no request can reach because an
    /// earlier one takes all it would match, more conditions' values or wildcards than a rule holds, more rules than a load
    /// balancer holds. Each as (service, problem, fix).
    /// </summary>
    public static IEnumerable<(string Service, string Problem, string Fix)> Conflicts(IReadOnlyList<RoutedService> routes, int otherRules = 0)
    {
        foreach (var route in routes)
        {
            if (route.Hosts.Count > MaxValuesPerCondition || route.Paths.Count > MaxValuesPerCondition)
                yield return (route.Service, $"The route has {Math.Max(route.Hosts.Count, route.Paths.Count)} {(route.Hosts.Count > MaxValuesPerCondition ? "host names" : "path patterns")}; a listener rule compares at most {MaxValuesPerCondition} per condition.",
                    "Merge them with wildcards (/api/*), or split the service's traffic differently.");
            else if (route.Hosts.Count + route.Paths.Count > MaxValuesPerRule)
                yield return (route.Service, $"The route has {route.Hosts.Count + route.Paths.Count} host names and path patterns; a listener rule compares at most {MaxValuesPerRule}.", "Use fewer, with wildcards.");
            var wildcards = route.Hosts.Concat(route.Paths).Sum(p => p.Count(c => c is '*' or '?'));
            if (wildcards > MaxWildcardsPerRule)
                yield return (route.Service, $"The route's patterns hold {wildcards} wildcards; a listener rule allows {MaxWildcardsPerRule}.", "Use fewer wildcards: one trailing * covers everything below a path.");
            if (route.Priority is < MinPriority or > MaxPriority)
                yield return (route.Service, $"Priority {route.Priority} is outside {MinPriority}-{MaxPriority}.", "Give a priority from 1 (evaluated first) to 50000.");
        }
        foreach (var group in routes.GroupBy(r => r.Priority).Where(g => g.Count() > 1))
        {
            var names = group.Select(r => r.Service).OrderBy(n => n, StringComparer.Ordinal).ToList();
            foreach (var name in names.Skip(1))
                yield return (name, $"Its listener rule has priority {group.Key}, as {names[0]}'s does; a listener cannot hold two rules with one priority.",
                    $"Give {name} a Priority of its own (a free one: {FreePriority(routes, group.Key)}).");
        }
        var ordered = routes.OrderBy(r => r.Priority).ThenBy(r => r.Service, StringComparer.Ordinal).ToList();
        for (var i = 0; i < ordered.Count; i++)
            for (var j = i + 1; j < ordered.Count; j++)
                if (ordered[i].Priority != ordered[j].Priority && Covers(ordered[i], ordered[j]))
                    yield return (ordered[j].Service, Covers(ordered[j], ordered[i])
                            ? $"Its route is the same as {ordered[i].Service}'s, whose rule comes first (priority {ordered[i].Priority} before {ordered[j].Priority}): no request reaches it."
                            : $"Its route is inside {ordered[i].Service}'s, whose rule comes first (priority {ordered[i].Priority} before {ordered[j].Priority}): no request reaches it.",
                        $"Give {ordered[j].Service} a Priority below {ordered[i].Priority}, so the narrower route is tried first, or route the two apart.");
        if (routes.Count + otherRules > MaxRulesPerLoadBalancer)
            yield return (routes[routes.Count - 1].Service, $"The load balancer would hold {routes.Count + otherRules} listener rules; it holds at most {MaxRulesPerLoadBalancer} (default rules aside).",
                "Route several services' paths with fewer rules, or put some services behind a second load balancer.");
    }

    static int FreePriority(IReadOnlyList<RoutedService> routes, int near)
    {
        var taken = new HashSet<int>(routes.Select(r => r.Priority));
        for (var d = 1; d < MaxPriority; d++)
        {
            if (near + d <= MaxPriority && !taken.Contains(near + d)) return near + d;
            if (near - d >= MinPriority && !taken.Contains(near - d)) return near - d;
        }
        return near;
    }
}
