using System.Globalization;
using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using static Templates.Generation.Validation.FindingIds;
using static Templates.Generation.Validation.TemplateValidator;

namespace Templates.Generation.Validation;

/// <summary>
/// Checks whose answer changes with the date: a Lambda function's runtime against AWS's deprecation calendar
/// (<c>Schemas/lambda-runtimes.json</c>, produced by <c>tools/SchemaTool</c> with its source). The date is a parameter, so a
/// test fixes it; the command line uses today's (UTC).
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

    /// <summary>Adds the dated findings of <paramref name="template"/> as of <paramref name="today"/>.</summary>
    public static void Run(JsonObject template, List<TemplateProblem> problems, DateOnly today)
    {
        if (template["Resources"] is not JsonObject resources) return;
        foreach (var (id, node) in resources)
        {
            if (node is not JsonObject resource || AsString(resource["Type"]) != "AWS::Lambda::Function") continue;
            if (resource["Properties"]?["Runtime"] is not JsonValue value || AsString(value) is not { } runtime) continue;
            if (Runtime(runtime, today) is { } finding) problems.Add(finding.Id.At($"/Resources/{Escape(id)}/Properties/Runtime", finding.Message));
        }
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
