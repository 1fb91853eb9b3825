namespace Templates.Rules;

// This folder holds plain C# with no dependency beyond the base library, so that the Roslyn analyzers
// (netstandard2.0) can compile the same files: one rule, one ID, one message, at compile time and at run time.

/// <summary>How serious a finding is.</summary>
public enum Severity
{
    /// <summary>Worth fixing; the templates are still written.</summary>
    Warning,

    /// <summary>The stack would fail to deploy, the service would not work, or it is a serious security gap; nothing is written.</summary>
    Error,
}

/// <summary>A rule: its ID, a title, and its severity in a development and in a production environment.</summary>
public sealed class Rule
{
    /// <summary>Creates a rule.</summary>
    public Rule(string id, string title, Severity severity, Severity? productionSeverity = null)
    {
        Id = id;
        Title = title;
        Severity = severity;
        ProductionSeverity = productionSeverity ?? severity;
    }

    /// <summary>The rule's ID, such as <c>TPL0004</c>.</summary>
    public string Id { get; }

    /// <summary>A short title.</summary>
    public string Title { get; }

    /// <summary>The severity outside production.</summary>
    public Severity Severity { get; }

    /// <summary>The severity in a production environment.</summary>
    public Severity ProductionSeverity { get; }

    /// <summary>The severity in an environment.</summary>
    public Severity SeverityFor(bool production) => production ? ProductionSeverity : Severity;

    /// <inheritdoc/>
    public override string ToString() => Id;
}

/// <summary>What a rule found wrong with a value: what is wrong, and what to do.</summary>
public sealed class Violation
{
    /// <summary>Creates a violation.</summary>
    public Violation(Rule rule, string message, string fix, string? setting = null)
    {
        Rule = rule;
        Message = message;
        Fix = fix;
        Setting = setting;
    }

    /// <summary>
    /// For a rule judging several values of one object (CPU and memory, interval and timeout, Min and Max, …): the property
    /// whose value is wrong (<c>Cpu</c>, <c>TimeoutSeconds</c>, …), so both moments name it; null for a single-value rule.
    /// </summary>
    public string? Setting { get; }

    /// <summary>The rule that was broken.</summary>
    public Rule Rule { get; }

    /// <summary>What is wrong, in one sentence.</summary>
    public string Message { get; }

    /// <summary>What to do, in one sentence.</summary>
    public string Fix { get; }
}
