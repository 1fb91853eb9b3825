using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Templates.Generation.Diff;

/// <summary>The diff of every stack, as text for a terminal, Markdown for a pull-request comment, or JSON.</summary>
public static class DiffReport
{
    /// <summary>The effect in words.</summary>
    public static string Words(Effect effect) => effect switch
    {
        Effect.InPlace => "in place",
        Effect.NewDeployment => "new deployment",
        Effect.MayReplace => "may replace",
        Effect.Replacement => "replacement",
        _ => "",
    };

    static string What(ResourceChange r) => r.Kind switch
    {
        ChangeKind.Added => "added",
        ChangeKind.Removed => "removed",
        _ => Words(r.Effect),
    };

    static string Sign(ChangeKind kind) => kind switch { ChangeKind.Added => "+", ChangeKind.Removed => "-", _ => "~" };

    /// <summary>The changed properties in words: <c>Cpu, Memory (create-only)</c>, <c>VpcId (Vpc is replaced; create-only)</c>.</summary>
    public static string Details(ResourceChange r)
    {
        if (r.Kind != ChangeKind.Changed) return "";
        return string.Join(", ", r.Properties.Select(p =>
        {
            var notes = new List<string>();
            if (p.Because is not null) notes.Add(p.Because);
            if (p.Replaces == Effect.Replacement) notes.Add(p.Name is "Type" or "Condition" ? "replaces" : "create-only");
            else if (p.Replaces == Effect.MayReplace) notes.Add(p.Name == "Condition" ? "may create or delete" : p.Certain ? "conditionally create-only" : "create-only, if its value changes");
            else if (!p.Certain) notes.Add("may change");
            return notes.Count == 0 ? p.Name : $"{p.Name} ({string.Join("; ", notes)})";
        }));
    }

    static string Section(SectionChange s) =>
        $"{s.Section} {s.Name} {s.Kind.ToString().ToLowerInvariant()}{(s.Detail is { Length: > 0 } d ? $": {d}" : "")}";

    /// <summary>The one-line summary of all stacks.</summary>
    public static string Summary(IReadOnlyList<StackDiff> diffs)
    {
        var changed = diffs.Count(d => d.HasChanges);
        var resources = diffs.SelectMany(d => d.Resources).ToList();
        int Count(Func<ResourceChange, bool> f) => resources.Count(f);
        var parts = new List<string>
        {
            $"{diffs.Count} stack{(diffs.Count == 1 ? "" : "s")}: {changed} changed",
        };
        var counts = new[]
        {
            (Count(r => r.Kind == ChangeKind.Added), "added"),
            (Count(r => r.Kind == ChangeKind.Removed), "removed"),
            (Count(r => r.Effect == Effect.InPlace), "in place"),
            (Count(r => r.Effect == Effect.NewDeployment), "new deployment"),
            (Count(r => r.Effect == Effect.MayReplace), "may replace"),
            (Count(r => r.Effect == Effect.Replacement), "replacement"),
            (diffs.Sum(d => d.Security.Count), "security-relevant change"),
            (Count(r => r.Blocked), "blocked"),
        }.Where(c => c.Item1 > 0).Select(c => $"{c.Item1} {c.Item2}{(c.Item1 > 1 && c.Item2 is "new deployment" or "replacement" or "security-relevant change" ? "s" : "")}");
        var rest = string.Join(", ", counts);
        return parts[0] + (rest.Length > 0 ? $"; {rest}" : "") + ".";
    }

    /// <summary>Text, grouped by stack, one line per resource; ANSI colours when <paramref name="color"/>.</summary>
    public static string Text(IReadOnlyList<StackDiff> diffs, bool color)
    {
        string Paint(string text, string code) => color ? $"\u001b[{code}m{text}\u001b[0m" : text;
        var output = new StringBuilder();
        foreach (var diff in diffs)
        {
            var heading = $"{diff.Stack} ({diff.Label}) against {diff.Baseline}";
            output.Append(Paint(heading, "1")).Append(diff.HasChanges ? ":" : ": no changes").Append('\n');
            if (!diff.HasChanges) continue;
            var idWidth = diff.Resources.Select(r => r.LogicalId.Length).DefaultIfEmpty(0).Max();
            var typeWidth = diff.Resources.Select(r => r.Type.Length).DefaultIfEmpty(0).Max();
            var whatWidth = diff.Resources.Select(r => What(r).Length).DefaultIfEmpty(0).Max();
            foreach (var r in diff.Resources)
            {
                var what = What(r).PadRight(whatWidth);
                var code = r.Kind switch
                {
                    ChangeKind.Added => "32",
                    ChangeKind.Removed => "31",
                    _ => r.Effect switch { Effect.Replacement => "31;1", Effect.MayReplace => "33;1", Effect.NewDeployment => "36", _ => "33" },
                };
                var line = $"  {Sign(r.Kind)} {r.LogicalId.PadRight(idWidth)}  {r.Type.PadRight(typeWidth)}  {Paint(what, code)}";
                var details = Details(r);
                if (details.Length > 0) line += "  " + details;
                if (r.Blocked) line += "  " + Paint("BLOCKED: stateful", "31;1");
                output.Append(line.TrimEnd()).Append('\n');
            }
            foreach (var s in diff.Sections) output.Append("  ").Append(Section(s)).Append('\n');
            foreach (var s in diff.Security) output.Append("  ").Append(Paint("security", "35;1")).Append($" {s.LogicalId}: {s.Message}").Append('\n');
        }
        output.Append(Summary(diffs)).Append('\n');
        AppendBlocked(output, diffs, (text, bold) => bold ? Paint(text, "31;1") : text);
        return output.ToString();
    }

    static void AppendBlocked(StringBuilder output, IReadOnlyList<StackDiff> diffs, Func<string, bool, string> paint)
    {
        var blocked = diffs.SelectMany(d => d.Blocked.Select(r => (d.Stack, Resource: r))).ToList();
        if (blocked.Count == 0) return;
        output.Append(paint($"Blocked: {blocked.Count} stateful resource{(blocked.Count == 1 ? "" : "s")} would be replaced or removed:", true)).Append('\n');
        foreach (var (stack, r) in blocked)
            output.Append($"  {stack} {r.LogicalId} ({r.Type}) {(r.Kind == ChangeKind.Removed ? "would be removed" : r.Effect == Effect.Replacement ? "would be replaced" : "may be replaced")}: {r.Stateful}.").Append('\n');
        output.Append("Keep the create-only values, make the change as a new resource (or environment) beside the old one, or pass --allow-replacement to accept it.").Append('\n');
    }

    static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    /// <summary>Markdown for a pull-request comment: a table per changed stack.</summary>
    public static string Markdown(IReadOnlyList<StackDiff> diffs)
    {
        var output = new StringBuilder();
        output.Append("## Infrastructure diff\n\n").Append(Summary(diffs)).Append("\n\n");
        foreach (var diff in diffs)
        {
            output.Append($"### `{diff.Stack}` ({Cell(diff.Label)})\n\nAgainst {Cell(diff.Baseline)}");
            if (!diff.HasChanges)
            {
                output.Append(": no changes.\n\n");
                continue;
            }
            output.Append(".\n\n");
            if (diff.Resources.Count > 0)
            {
                output.Append("| | Resource | Type | Effect | Properties |\n|---|---|---|---|---|\n");
                foreach (var r in diff.Resources)
                {
                    var what = What(r);
                    if (r.Effect is Effect.Replacement or Effect.MayReplace) what = $"**{what}**";
                    if (r.Blocked) what += " ⛔ stateful";
                    output.Append($"| {Sign(r.Kind)} | `{r.LogicalId}` | `{r.Type}` | {what} | {Cell(Details(r))} |\n");
                }
                output.Append('\n');
            }
            foreach (var s in diff.Sections) output.Append($"- {Cell(Section(s))}\n");
            foreach (var s in diff.Security) output.Append($"- **security** `{s.LogicalId}`: {Cell(s.Message)}\n");
            if (diff.Sections.Count + diff.Security.Count > 0) output.Append('\n');
        }
        AppendBlocked(output, diffs, (text, bold) => bold ? $"**{text}**" : text);
        return output.ToString();
    }

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>JSON: every stack with its resources, sections and security changes, and whether deploying is blocked.</summary>
    public static string Json(IReadOnlyList<StackDiff> diffs, bool allowReplacement)
    {
        var stacks = new JsonArray();
        foreach (var diff in diffs)
        {
            var resources = new JsonArray();
            foreach (var r in diff.Resources)
            {
                var entry = new JsonObject
                {
                    ["logicalId"] = r.LogicalId,
                    ["type"] = r.Type,
                    ["change"] = r.Kind.ToString().ToLowerInvariant(),
                };
                if (r.Kind == ChangeKind.Changed)
                {
                    entry["effect"] = Words(r.Effect);
                    entry["properties"] = new JsonArray([.. r.Properties.Select(p =>
                    {
                        var property = new JsonObject { ["name"] = p.Name, ["certain"] = p.Certain, ["effect"] = Words(p.Replaces) };
                        if (p.Because is not null) property["because"] = p.Because;
                        return (JsonNode)property;
                    })]);
                }
                if (r.Stateful is not null) entry["stateful"] = r.Stateful;
                entry["blocked"] = r.Blocked;
                resources.Add((JsonNode)entry);
            }
            stacks.Add((JsonNode)new JsonObject
            {
                ["stack"] = diff.Stack,
                ["label"] = diff.Label,
                ["baseline"] = diff.Baseline,
                ["baselineFound"] = diff.BaselineFound,
                ["changed"] = diff.HasChanges,
                ["resources"] = resources,
                ["sections"] = new JsonArray([.. diff.Sections.Select(s =>
                {
                    var entry = new JsonObject { ["section"] = s.Section, ["name"] = s.Name, ["change"] = s.Kind.ToString().ToLowerInvariant() };
                    if (s.Detail is not null) entry["detail"] = s.Detail;
                    return (JsonNode)entry;
                })]),
                ["security"] = new JsonArray([.. diff.Security.Select(s => (JsonNode)new JsonObject { ["logicalId"] = s.LogicalId, ["message"] = s.Message })]),
            });
        }
        var blocked = diffs.Any(d => d.Blocked.Any());
        return new JsonObject
        {
            ["summary"] = Summary(diffs),
            ["blocked"] = blocked,
            ["allowReplacement"] = allowReplacement,
            ["stacks"] = stacks,
        }.ToJsonString(Indented);
    }
}
