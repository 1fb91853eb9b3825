using Microsoft.CodeAnalysis;
using Templates.Rules;

namespace Templates.Analyzers;

/// <summary>
/// The diagnostic descriptors. IDs, titles and default severities are those of the shared rule catalog
/// (a test checks each against <see cref="RuleCatalog"/>); they are literals here so that release tracking
/// (RS2000–RS2008) can read them. The default severity is the development one; in a production environment
/// the analyzer reports the rule's production severity.
/// </summary>
internal static class Descriptors
{
    internal const string HelpRoot = "https://github.com/templates-dsl/templates/blob/main/docs/rules/";

    const string Naming = "Templates.Naming";
    const string Network = "Templates.Network";
    const string Compute = "Templates.Compute";
    const string Scaling = "Templates.Scaling";
    const string LoadBalancing = "Templates.LoadBalancing";
    const string Security = "Templates.Security";
    const string Deployment = "Templates.Deployment";
    const string Delivery = "Templates.Delivery";
    const string Definition = "Templates.Definition";
    const string Observability = "Templates.Observability";

    internal static readonly DiagnosticDescriptor TPL0001 = Create("TPL0001", Naming, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0002 = Create("TPL0002", Network, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0003 = Create("TPL0003", Compute, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0004 = Create("TPL0004", Compute, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0005 = Create("TPL0005", Scaling, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0006 = Create("TPL0006", Scaling, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0007 = Create("TPL0007", Scaling, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0008 = Create("TPL0008", Compute, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0009 = Create("TPL0009", LoadBalancing, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0010 = Create("TPL0010", LoadBalancing, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0011 = Create("TPL0011", LoadBalancing, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0012 = Create("TPL0012", Compute, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0013 = Create("TPL0013", Security, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0014 = Create("TPL0014", Security, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0015 = Create("TPL0015", Security, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0016 = Create("TPL0016", Security, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0017 = Create("TPL0017", Naming, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0018 = Create("TPL0018", Network, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0019 = Create("TPL0019", Network, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0020 = Create("TPL0020", Security, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0021 = Create("TPL0021", Deployment, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0022 = Create("TPL0022", Deployment, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0023 = Create("TPL0023", Compute, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0024 = Create("TPL0024", Naming, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0025 = Create("TPL0025", Deployment, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0026 = Create("TPL0026", Delivery, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0027 = Create("TPL0027", Delivery, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0028 = Create("TPL0028", Delivery, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0029 = Create("TPL0029", Delivery, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0030 = Create("TPL0030", Delivery, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0031 = Create("TPL0031", Deployment, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0032 = Create("TPL0032", Deployment, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0033 = Create("TPL0033", Delivery, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0034 = Create("TPL0034", Network, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0035 = Create("TPL0035", Security, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0036 = Create("TPL0036", Delivery, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0037 = Create("TPL0037", LoadBalancing, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0038 = Create("TPL0038", Deployment, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0039 = Create("TPL0039", Network, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0040 = Create("TPL0040", Definition, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0050 = Create("TPL0050", Security, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0060 = Create("TPL0060", Observability, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0061 = Create("TPL0061", Observability, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0062 = Create("TPL0062", Observability, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0063 = Create("TPL0063", Security, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0064 = Create("TPL0064", Compute, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0065 = Create("TPL0065", Security, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0066 = Create("TPL0066", Observability, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0067 = Create("TPL0067", Security, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0068 = Create("TPL0068", Security, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0069 = Create("TPL0069", Security, DiagnosticSeverity.Warning);
    internal static readonly DiagnosticDescriptor TPL0070 = Create("TPL0070", Naming, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0071 = Create("TPL0071", Definition, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0072 = Create("TPL0072", LoadBalancing, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0073 = Create("TPL0073", Compute, DiagnosticSeverity.Error);
    internal static readonly DiagnosticDescriptor TPL0074 = Create("TPL0074", Compute, DiagnosticSeverity.Error);

    internal static readonly DiagnosticDescriptor[] All =
    [
        TPL0001, TPL0002, TPL0003, TPL0004, TPL0005, TPL0006, TPL0007, TPL0008, TPL0009, TPL0010, TPL0011, TPL0012, TPL0013,
        TPL0014, TPL0015, TPL0016, TPL0017, TPL0018, TPL0019, TPL0020, TPL0021, TPL0022, TPL0023, TPL0024, TPL0025,
        TPL0026, TPL0027, TPL0028, TPL0029, TPL0030, TPL0031, TPL0032, TPL0033, TPL0034, TPL0035, TPL0036, TPL0037, TPL0038, TPL0039, TPL0040, TPL0050,
        TPL0060, TPL0061, TPL0062, TPL0063, TPL0064, TPL0065, TPL0066, TPL0067, TPL0068, TPL0069,
        TPL0070, TPL0071, TPL0072, TPL0073, TPL0074,
    ];

    static DiagnosticDescriptor Create(string id, string category, DiagnosticSeverity severity) => new(
        id, Title(id), "{0} {1}", category, severity, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");

    static string Title(string id)
    {
        foreach (var rule in RuleCatalog.All)
            if (rule.Id == id) return rule.Title;
        return id;
    }

    internal static DiagnosticDescriptor For(Rule rule)
    {
        foreach (var descriptor in All)
            if (descriptor.Id == rule.Id) return descriptor;
        throw new System.ArgumentException("No descriptor for " + rule.Id);
    }
}
