using Templates.Rules;

namespace Templates.Generation.CloudFormation;

/// <summary>
/// A problem of a template: where (a JSON pointer), what, a finding ID (see <c>docs/validation.md</c>) and how serious.
/// Errors stop a template from being written; warnings are printed.
/// </summary>
public sealed record TemplateProblem(string Pointer, string Message, string Id, Severity Severity = Severity.Error)
{
    /// <summary>
    /// Where in the file the problem stands, when the pointer alone cannot tell (each occurrence of a repeated key shares one
    /// pointer); null to find it from the pointer.
    /// </summary>
    public Validation.Position? At { get; init; }

    /// <summary>Whether this problem stops the template.</summary>
    public bool IsError => Severity == Severity.Error;

    /// <inheritdoc/>
    public override string ToString() => $"{Pointer}: {Message} ({Id})";
}
