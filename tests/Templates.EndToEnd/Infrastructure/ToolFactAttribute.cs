namespace Templates.EndToEnd.Infrastructure;

/// <summary>
/// A fact that needs external tools. When one is missing it is reported as skipped, with the reason and the
/// command that installs it — unless CI is <c>true</c> and the tool is not one of <see cref="ExternalTools.OptionalInCi"/>:
/// then it runs, and the test fails on the missing tool (the test, or the fixture it uses, calls <see cref="ExternalTools.Require"/>).
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params Tool[] tools)
    {
        Tools = tools;
        if (ExternalTools.SkipReason(tools) is { } why) Skip = why;
    }

    /// <summary>The tools the test needs.</summary>
    public IReadOnlyList<Tool> Tools { get; }
}

/// <summary>A theory that needs external tools; skipped or failing like <see cref="ToolFactAttribute"/>.</summary>
public sealed class ToolTheoryAttribute : TheoryAttribute
{
    public ToolTheoryAttribute(params Tool[] tools)
    {
        Tools = tools;
        if (ExternalTools.SkipReason(tools) is { } why) Skip = why;
    }

    /// <summary>The tools the test needs.</summary>
    public IReadOnlyList<Tool> Tools { get; }
}
