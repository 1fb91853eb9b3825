using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Templates.Rules;

namespace Templates.Analyzers;

/// <summary>
/// Reports violations found on one DSL object, in its context: the environment and app it is written in decide
/// whether production severities apply and which rules are deliberately accepted.
/// </summary>
internal sealed class Reporter
{
    readonly OperationAnalysisContext _context;
    readonly DslSymbols _dsl;
    readonly HashSet<string> _accepted = new(System.StringComparer.Ordinal);

    // The app's settings that an environment may replace whole: an object written under one of them counts only for the
    // environments that inherit it, with their production severities and their accepted rules.
    static readonly string[] Overridable = ["Network", "Scaling", "Deployment"];

    readonly string? _appMember;

    public Reporter(OperationAnalysisContext context, DslSymbols dsl, IOperation operation)
    {
        _context = context;
        _dsl = dsl;
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (Env is null && App is null && current is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation member }
                && current.Parent?.Parent is IObjectCreationOperation owner && dsl.Is(owner.Type, dsl.App))
                _appMember = member.Property.Name;
            if (current is not IObjectCreationOperation creation) continue;
            if (Env is null && dsl.Is(creation.Type, dsl.Env)) Env = Init.Of(creation);
            else if (App is null && dsl.Is(creation.Type, dsl.App)) App = Init.Of(creation);
        }
        if (Env is not null) AddAccepted(Env);
        if (App is not null) AddAccepted(App);
        Production = Env is not null ? IsProduction(Env) : App is not null && Environments(App).Any(IsProduction);
    }

    /// <summary>The environment the object is written in, if any.</summary>
    public Init? Env { get; }

    /// <summary>The app the object is written in, if any.</summary>
    public Init? App { get; }

    /// <summary>Whether production severities apply: the object is in a production environment, or is app-wide in an app that has one.</summary>
    public bool Production { get; }

    void AddAccepted(Init owner)
    {
        foreach (var ruleId in AcceptedRules(owner)) _accepted.Add(ruleId);
    }

    IEnumerable<string> AcceptedRules(Init owner)
    {
        foreach (var element in owner.Elements("Accept"))
            if (element is IObjectCreationOperation accepted && _dsl.Is(accepted.Type, _dsl.Accepted) && Init.Of(accepted).String("RuleId", null) is { } id)
                yield return id;
    }

    IEnumerable<Init> Environments(Init app) =>
        app.Elements("Environments").OfType<IObjectCreationOperation>().Where(e => _dsl.Is(e.Type, _dsl.Env)).Select(Init.Of);

    internal static bool IsProduction(Init env) =>
        env.Has("IsProduction") ? env.Bool("IsProduction", null) == true : env.String("Name", null) is "prod" or "production";

    /// <summary>
    /// Reports a violation unless its rule is accepted here. With a replacement, a code fix can replace <paramref name="value"/>
    /// by that C# expression. A rule that only concerns production (<paramref name="productionOnly"/>) is reported only there.
    /// </summary>
    public void Report(Violation violation, Location location, IOperation? value = null, string? replacement = null, bool productionOnly = false)
    {
        if (Env is null && _appMember is not null && System.Array.IndexOf(Overridable, _appMember) >= 0)
        {
            ReportForInheritingEnvironments(violation, location, _appMember, productionOnly ? IsProduction : null, value, replacement);
            return;
        }
        if (productionOnly && !Production) return;
        Report(violation, location, Production, value, replacement);
    }

    void Report(Violation violation, Location location, bool production, IOperation? value, string? replacement)
    {
        if (_accepted.Contains(violation.Rule.Id)) return;
        var severity = violation.Rule.SeverityFor(production) == Severity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
        var fixable = value is not null && replacement is not null;
        _context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.For(violation.Rule), location, severity,
            fixable ? [value!.Syntax.GetLocation()] : null,
            fixable ? ImmutableDictionary<string, string?>.Empty.Add(DefinitionAnalyzer.ReplacementKey, replacement) : null,
            violation.Message, "Fix: " + violation.Fix));
    }

    /// <summary>
    /// Reports an app-wide setting that environments may override (<paramref name="overriddenBy"/>): only the environments
    /// that inherit it and do not accept the rule count (narrowed by <paramref name="concerns"/>, when given, to those the
    /// violation is about), and production severity applies if one of them is production.
    /// </summary>
    public void ReportForInheritingEnvironments(Violation violation, Location location, string overriddenBy, System.Func<Init, bool>? concerns = null,
        IOperation? value = null, string? replacement = null)
    {
        if (_accepted.Contains(violation.Rule.Id)) return;
        var environments = App is null ? [] : Environments(App).ToList();
        if (environments.Count == 0)
        {
            // Nothing to inherit it yet: judge the object alone, as the generator will in each environment.
            if (concerns is null) Report(violation, location, Production, value, replacement);
            return;
        }
        var affected = environments.Where(e => !e.Has(overriddenBy) && (concerns is null || concerns(e)) && !AcceptedRules(e).Contains(violation.Rule.Id)).ToList();
        if (affected.Count > 0) Report(violation, location, affected.Any(IsProduction), value, replacement);
    }
}
