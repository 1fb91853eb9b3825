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

/// <summary>
/// A fact that runs a process in a private mount namespace as another user (Flask, root, unshare and setpriv): skipped with the
/// reason where the machine does not allow it (not root, no unshare or setpriv), failing instead under <c>CI=true</c> only when Flask is missing.
/// </summary>
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (ExternalTools.WhyUnavailable([Tool.Flask]) is { } why) { if (!ExternalTools.IsCi) Skip = why; }
        else if (Environment.UserName != "root") Skip = "needs root to make a private mount namespace and run the app as another user";
        else if (ExternalTools.FindOnPath("unshare") is null || ExternalTools.FindOnPath("setpriv") is null) Skip = "needs unshare(1) and setpriv(1) (util-linux)";
    }
}
