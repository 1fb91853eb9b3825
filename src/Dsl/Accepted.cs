namespace Templates;

/// <summary>
/// A rule deliberately accepted, with the reason: its findings are not reported, neither by the analyzers while the
/// definition is typed nor by the generator at run time. Put it on the environment it concerns, or on the app.
/// </summary>
/// <param name="RuleId">The rule's ID, such as <c>TPL0015</c>.</param>
/// <param name="Reason">Why it is right here; reviewers read it.</param>
public sealed record Accepted(string RuleId, string Reason);
