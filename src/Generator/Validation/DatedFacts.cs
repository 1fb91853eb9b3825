using System.Globalization;
using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using static Templates.Generation.Validation.FindingIds;
using static Templates.Generation.Validation.TemplateValidator;

namespace Templates.Generation.Validation;

/// <summary>
/// Checks whose answer changes with the date: a Lambda function's runtime against AWS's deprecation calendar
/// (<c>Schemas/lambda-runtimes.json</c>, produced by <c>tools/SchemaTool</c> with its source), and a resource type against
/// the services AWS has retired or closed to new customers (<c>Schemas/retired-services.json</c>, kept by hand, each entry
/// quoting its AWS page). The date is a parameter, so a test fixes it; the command line uses today's (UTC).
/// </summary>
public static class DatedFacts
{
    /// <summary>One runtime's dates: deprecated (no more patches), creation blocked, update blocked; and what replaces it.</summary>
    public sealed record RuntimeLifecycle(DateOnly Deprecated, DateOnly CreateBlock, DateOnly UpdateBlock, string? Successor);

    static readonly Lazy<IReadOnlyDictionary<string, RuntimeLifecycle>> runtimes = new(Load);

    /// <summary>The runtimes of the calendar, by identifier (<c>python3.9</c>).</summary>
    public static IReadOnlyDictionary<string, RuntimeLifecycle> Runtimes => runtimes.Value;

    /// <summary>Where the calendar comes from.</summary>
    public static string Source { get; private set; } = "";

    /// <summary>
    /// A retired or closing service: the types it covers (a prefix ending in <c>::</c>, or one type), when it closed to new
    /// customers and when its support ends (<see cref="Undated"/> where its page says so without a date), and the page.
    /// </summary>
    public sealed record RetiredService(string Service, IReadOnlyList<string> Types, DateOnly? Closed, DateOnly? EndOfSupport, string Source)
    {
        public bool Covers(string type) => Types.Any(t => t.EndsWith("::", StringComparison.Ordinal) ? type.StartsWith(t, StringComparison.Ordinal) : type == t);
    }

    /// <summary>Stands for "closed to new customers" or "discontinued" stated without a date: true on any day we judge.</summary>
    public static readonly DateOnly Undated = DateOnly.MinValue;

    static readonly Lazy<IReadOnlyList<RetiredService>> retired = new(LoadRetired);

    /// <summary>The services of the table.</summary>
    public static IReadOnlyList<RetiredService> RetiredServices => retired.Value;

    /// <summary>Adds the dated findings of <paramref name="template"/> as of <paramref name="today"/>.</summary>
    public static void Run(JsonObject template, List<TemplateProblem> problems, DateOnly today)
    {
        if (template["Resources"] is not JsonObject resources) return;
        foreach (var (id, node) in resources)
        {
            if (node is not JsonObject resource || AsString(resource["Type"]) is not { } type) continue;
            var at = $"/Resources/{Escape(id)}";
            if (Service(type, today) is { } retiredFinding)
            {
                // A type the registry no longer has is already "not a resource type" (E3008): say why, once.
                var unknown = problems.FindIndex(p => p.Id == E3008.Id && p.Pointer == at + "/Type");
                if (unknown >= 0 && retiredFinding.Id == V1020) problems.RemoveAt(unknown);
                if (unknown < 0 || retiredFinding.Id == V1020) problems.Add(retiredFinding.Id.At(at + "/Type", retiredFinding.Message));
            }
            if (type is not ("AWS::Lambda::Function" or "AWS::Serverless::Function")) continue;
            if (Member(resource["Properties"], "Runtime") is JsonValue value && AsString(value) is { } runtime && Runtime(runtime, today) is { } finding)
                problems.Add(finding.Id.At($"{at}/Properties/Runtime", finding.Message));
        }
        // SAM: a runtime every function without its own inherits.
        if (Member(Member(template["Globals"], "Function"), "Runtime") is JsonValue global && AsString(global) is { } shared && Runtime(shared, today) is { } inherited)
            problems.Add(inherited.Id.At("/Globals/Function/Runtime", inherited.Message));
    }

    /// <summary>
    /// What the table says of a resource type on a date: nothing; an error once its service's support has ended
    /// (CloudFormation can no longer create or update it); a warning while it is closed to new customers (only accounts that
    /// already use it can create it) or its end of support is announced.
    /// </summary>
    public static (FindingId Id, string Message)? Service(string type, DateOnly today)
    {
        if (RetiredServices.FirstOrDefault(s => s.Covers(type)) is not { } service) return null;
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var page = $" ({service.Source})";
        if (service.EndOfSupport is { } end && today >= end)
            return (V1020, $"{type}: {service.Service} {(end == Undated ? "is discontinued" : $"reached its end of support on {Day(end)}")}; its resources can no longer be created or updated.{page}");
        var ends = service.EndOfSupport is { } e ? $"; its support ends on {Day(e)}" : "";
        if (service.Closed is { } closed && today >= closed)
        {
            var since = closed == Undated ? "is no longer available to new customers" : $"has been closed to new customers since {Day(closed)}";
            return (V1021, $"{type}: {service.Service} {since}{ends}: only an account that already uses it can create this.{page}");
        }
        if (service.EndOfSupport is { } announced)
        {
            var closes = service.Closed is { } c ? $", closes to new customers on {Day(c)}," : "";
            return (V1021, $"{type}: {service.Service}{closes} ends its support on {Day(announced)}: plan its replacement.{page}");
        }
        return (V1021, $"{type}: {service.Service} closes to new customers on {Day(service.Closed!.Value)}.{page}");
    }

    /// <summary>What the calendar says of a runtime on a date: nothing, a warning (deprecated), or an error (creation or update blocked).</summary>
    public static (FindingId Id, string Message)? Runtime(string runtime, DateOnly today)
    {
        if (!Runtimes.TryGetValue(runtime, out var life)) return null;
        var instead = life.Successor is { } s ? $" Use {s}." : "";
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (today >= life.UpdateBlock)
            return (E2533, $"The Lambda runtime {runtime} is deprecated, and since {Day(life.UpdateBlock)} functions using it can be neither created nor updated: the stack fails.{instead}");
        if (today >= life.CreateBlock)
            return (E2531, $"The Lambda runtime {runtime} is deprecated, and since {Day(life.CreateBlock)} no function can be created with it (updates are blocked from {Day(life.UpdateBlock)}).{instead}");
        if (today >= life.Deprecated)
            return (W2531, $"The Lambda runtime {runtime} has been deprecated since {Day(life.Deprecated)} (no more security patches); creating functions with it is blocked from {Day(life.CreateBlock)}.{instead}");
        return null;
    }

    static IReadOnlyList<RetiredService> LoadRetired()
    {
        using var stream = typeof(DatedFacts).Assembly.GetManifestResourceStream("schemas/retired-services.json")
            ?? throw new InvalidOperationException("The embedded retired-services.json is missing.");
        static DateOnly? Date(JsonNode? n) => (string?)n switch
        {
            null => null,
            "undated" => Undated,
            var d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        return JsonNode.Parse(stream)!["services"]!.AsArray().Select(s => new RetiredService(
            (string)s!["service"]!, s["types"]!.AsArray().Select(t => (string)t!).ToList(), Date(s["closed"]), Date(s["endOfSupport"]), (string)s["source"]!)).ToList();
    }

    static IReadOnlyDictionary<string, RuntimeLifecycle> Load()
    {
        using var stream = typeof(DatedFacts).Assembly.GetManifestResourceStream("schemas/lambda-runtimes.json")
            ?? throw new InvalidOperationException("The embedded lambda-runtimes.json is missing.");
        var root = JsonNode.Parse(stream)!.AsObject();
        Source = (string?)root["source"] ?? "";
        static DateOnly Date(JsonNode? n) => DateOnly.ParseExact((string)n!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return root["runtimes"]!.AsObject().ToDictionary(r => r.Key,
            r => new RuntimeLifecycle(Date(r.Value!["deprecated"]), Date(r.Value["create-block"]), Date(r.Value["update-block"]), (string?)r.Value["successor"]),
            StringComparer.Ordinal);
    }
}
