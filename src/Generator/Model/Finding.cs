using Templates.Rules;

namespace Templates.Generation.Model;

/// <summary>A rule broken by a definition: where (environments and setting), what is wrong and what to do.</summary>
public sealed record Finding(Rule Rule, Severity Severity, string App, IReadOnlyList<string> Environments, string Setting, string Message, string Fix)
{
    /// <summary>One line: <c>error TPL0003: flask-app [prod] Service.MemoryMiB: … Fix: …</c>.</summary>
    public override string ToString()
    {
        var where = Environments.Count == 0 ? App : $"{App} [{string.Join(", ", Environments)}]";
        return $"{(Severity == Severity.Error ? "error" : "warning")} {Rule.Id}: {where} {Setting}: {Message} Fix: {Fix}";
    }
}
