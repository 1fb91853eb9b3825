using Microsoft.CodeAnalysis;
using Templates.Rules;

namespace Templates.Analyzers;

/// <summary>The diagnostic descriptors, built from the shared rule catalog so that ID, title and severity are the generator's own.</summary>
internal static class Descriptors
{
    internal const string HelpRoot = "https://github.com/templates-dsl/templates/blob/main/docs/rules/";

    // IDs, categories and severities are literals so that release tracking (RS2000-RS2008) can read them;
    // a test checks that each matches the shared rule catalog.
    internal static readonly DiagnosticDescriptor TPL0003_FargateCpuMemory = new(
        "TPL0003", RuleCatalog.TPL0003_FargateCpuMemory.Title, "{0} {1}", "Templates.Compute", DiagnosticSeverity.Error,
        isEnabledByDefault: true, helpLinkUri: HelpRoot + "TPL0003.md");

    /// <summary>A diagnostic for a violation: its message, then its fix.</summary>
    internal static Diagnostic Report(DiagnosticDescriptor descriptor, Location location, Violation violation) =>
        Diagnostic.Create(descriptor, location, violation.Message, "Fix: " + violation.Fix);
}
