using System;
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
/// whether production severities apply and which rules are deliberately accepted. An object written at app level
/// counts only for the environments that inherit the value it is about (an environment may replace the network, the
/// scaling, the deployment, the certificate and single settings of the service), with their severities and accepts,
/// as the generator judges it on each environment's resolved values.
/// </summary>
internal sealed class Reporter
{
    readonly OperationAnalysisContext _context;
    readonly DslSymbols _dsl;
    readonly HashSet<string> _accepted = new(StringComparer.Ordinal);

    // The members from the app down to the object (["Service", "HealthCheck"]); null when the object is not app-wide.
    readonly List<string>? _appPath;

    // A `with` expression's own diagnostics about values it inherits from a receiver written elsewhere are reported on it.
    readonly IWithOperation? _with;

    public Reporter(OperationAnalysisContext context, DslSymbols dsl, IOperation operation)
    {
        _context = context;
        _dsl = dsl;
        _with = operation as IWithOperation;
        var path = new List<string>();
        string? envMember = null;
        IOperation? env = null, app = null;
        for (var current = operation; current is not null; current = current.Parent)
        {
            if (env is null && app is null && current is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation member })
            {
                path.Insert(0, member.Property.Name);
                envMember = member.Property.Name;
            }
            // `Services = { … }` (a collection initializer) names its member without an assignment.
            if (env is null && app is null && current is IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation collection })
                path.Insert(0, collection.Property.Name);
            if (!IsObject(current)) continue;
            // One of the app's services: what lies below it is overridden through the environment's Services[name].
            if (env is null && app is null && dsl.ServiceKind(current.Type) is not null)
                path.Insert(0, ServiceMarker + (Init.Resolve(current)?.String("Name", null) ?? ""));
            if (env is null && app is null && dsl.Is(current.Type, dsl.Env)) current = env = Outermost(current);
            else if (app is null && dsl.Is(current.Type, dsl.App)) current = app = Outermost(current);
        }
        Env = env is null ? null : Init.Resolve(env);
        App = app is null ? null : Init.Resolve(app);
        if (Env is null && App is not null) _appPath = path;
        if (Env is not null) AddAccepted(Env);
        if (App is not null) AddAccepted(App);
        else if (env is not null)
        {
            // An environment written outside the app (a static field or property the app lists, directly or through `with`)
            // takes the rules accepted by every app of the file that lists it.
            var uses = AppsListing(env).ToList();
            var owners = uses.Select(u => u.App).ToList();
            Apps = owners;
            ListedOnlyThroughWith = uses.Count > 0 && uses.All(u => u.With is not null);
            // A value of such a field that every `with` replaces is never deployed: nothing is reported on it.
            _dead = ListedOnlyThroughWith && envMember is not null && operation != env && uses.All(u => Sets(u.With!, envMember));
            if (owners.Count > 0)
                foreach (var id in owners.Select(o => new HashSet<string>(AcceptedRules(o), StringComparer.Ordinal)).Aggregate((x, y) => { x.IntersectWith(y); return x; }))
                    _accepted.Add(id);
        }
        Production = Env is not null && IsProduction(Env);
        if (App is not null) Apps = [App];
    }

    /// <summary>The apps the object belongs to: the app it is written in, or the apps of the file that list the environment it is written in.</summary>
    public IReadOnlyList<Init> Apps { get; } = [];

    /// <summary>
    /// Whether the environment the object is written in is a field or property that the apps of the file list only through
    /// <c>with</c> (<c>Base with { Name = "prod" }</c>): it is never deployed itself, each <c>with</c> is judged instead.
    /// </summary>
    public bool ListedOnlyThroughWith { get; }

    readonly bool _dead;

    static bool Sets(IWithOperation with, string member) =>
        with.Initializer.Initializers.Any(i => i is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation p } && p.Property.Name == member);

    /// <summary>The apps of the same file whose initializers name the field or property <paramref name="env"/> initializes, and the <c>with</c> it is the receiver of, if any.</summary>
    IEnumerable<(Init App, IWithOperation? With)> AppsListing(IOperation env)
    {
        if (env.SemanticModel is not { } model) yield break;
        var declaration = env.Syntax.Ancestors().FirstOrDefault(n =>
            n is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax);
        if (declaration is null || model.GetDeclaredSymbol(declaration) is not { } member) yield break;
        foreach (var name in model.SyntaxTree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax>())
        {
            if (name.Identifier.ValueText != member.Name || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name).Symbol, member)) continue;
            foreach (var creation in name.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseObjectCreationExpressionSyntax>())
                if (model.GetOperation(creation) is IObjectCreationOperation app && _dsl.Is(app.Type, _dsl.App))
                {
                    yield return (Init.Of(app), model.GetOperation(name) is { } reference && Outermost(reference) is IWithOperation with && with != reference ? with : null);
                    break;
                }
        }
    }

    static bool IsObject(IOperation operation) => operation is IObjectCreationOperation or IWithOperation;

    /// <summary>The object a <c>with</c> chain finally makes: <c>new Env("a") { … } with { Name = "prod" }</c> is one environment, prod.</summary>
    internal static IOperation Outermost(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            var up = parent is IConversionOperation { IsImplicit: true } conversion ? conversion.Parent : parent;
            if (up is IWithOperation with && Constants.Unwrap(with.Operand) == operation) operation = with;
            else break;
        }
        return operation;
    }

    /// <summary>Whether the object is the receiver of a <c>with</c>: the outer expression is judged instead, with the values it replaces.</summary>
    internal static bool IsWithReceiver(IOperation operation) => Outermost(operation) != operation;

    /// <summary>The environment the object is written in, if any.</summary>
    public Init? Env { get; }

    /// <summary>The app the object is written in, if any.</summary>
    public Init? App { get; }

    /// <summary>Whether the object is in a production environment.</summary>
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

    /// <summary>The app's environments the analyzer can see; null when the list itself cannot be seen.</summary>
    internal List<Init>? Environments(Init app) =>
        app.KnownElements("Environments")?.Select(Init.Resolve).Where(e => e is not null && _dsl.Is(e.Type, _dsl.Env)).Select(e => e!).ToList();

    /// <summary>Whether an environment is production: the one decision the DSL makes too (<see cref="Checks.IsProduction"/>), on the name in force.</summary>
    internal static bool IsProduction(Init env)
    {
        var declared = env.Has("IsProduction") ? env.Bool("IsProduction", null) : null;
        if (env.Has("IsProduction") && declared is null) return false; // not a constant: production severities are not assumed
        return env.String("Name", null) is { } name ? Checks.IsProduction(name, declared) : declared == true;
    }

    /// <summary>
    /// Reports a violation unless its rule is accepted here. With a replacement, a code fix can replace <paramref name="value"/>
    /// by that C# expression. A rule that only concerns production (<paramref name="productionOnly"/>) is reported only there.
    /// <paramref name="setting"/> is the object's member the violation is about, when an environment may override that
    /// member alone (<c>LogRetentionDays</c>, <c>EnvironmentVariables[KEY]</c>, …); <paramref name="concerns"/> narrows
    /// an app-wide violation to the environments it is about.
    /// </summary>
    public void Report(Violation violation, Location location, IOperation? value = null, string? replacement = null, bool productionOnly = false,
        string? setting = null, Func<Init, bool>? concerns = null)
    {
        // The app's own members (its name, its list of environments) are judged once; what lies below counts per environment.
        if (_appPath is { Count: > 0 } && App is not null && Environments(App) is { } environments)
        {
            var path = setting is null ? _appPath : [.. _appPath, setting];
            var affected = environments.Where(e => !Overrides(e, path) && (concerns is null || concerns(e)) && (!productionOnly || IsProduction(e))).ToList();
            ReportFor(affected, violation, location, value, replacement);
            return;
        }
        if (concerns is not null && (Env is null || !concerns(Env))) return;
        if (productionOnly && !Production) return;
        Emit(violation, location, Production, value, replacement);
    }

    /// <summary>Reports a violation for some environments: those that do not accept its rule count, production severity if one of them is production.</summary>
    public void ReportFor(IEnumerable<Init> environments, Violation violation, Location location, IOperation? value = null, string? replacement = null)
    {
        var affected = environments.Where(e => !AcceptedRules(e).Contains(violation.Rule.Id)).ToList();
        if (affected.Count > 0) Emit(violation, location, affected.Any(IsProduction), value, replacement);
    }

    /// <summary>
    /// Whether an environment replaces the app-wide value at <paramref name="path"/> (members from the app down). An
    /// environment or override that cannot be seen whole counts as replacing it: the analyzer stays silent then.
    /// </summary>
    internal bool Overrides(Init env, IReadOnlyList<string> path)
    {
        if (path.Count == 0) return false;
        switch (path[0])
        {
            case "Network" or "Scaling" or "Deployment" or "Alarms":
                return env.MaySet(path[0]);
            case "LoadBalancer":
                return path.Count > 1 && path[1] == "Certificate" && env.MaySet("Certificate");
            case "Service" when path.Count > 1:
                if (!env.MaySet("Service")) return false;
                return OverridesMember(env.Object("Service"), path, 1);
            case "Services" when path.Count > 1 && path[1].StartsWith(ServiceMarker, StringComparison.Ordinal):
                // A service the environment turns off (or may: an override the analyzer cannot see) is not judged there.
                var name = path[1].Substring(ServiceMarker.Length);
                if (name.Length == 0) return env.MaySet("Services");
                var (o, unknown, running) = ServiceOverride(env, name);
                if (unknown || !running) return true;
                return path.Count > 2 && o is not null && OverridesMember(o, path, 2);
            default:
                return false;
        }
    }

    /// <summary>The marker, in a path from the app, of one of its services (<c>@api</c>): the name the environment's Services override it by.</summary>
    internal const string ServiceMarker = "@";

    /// <summary>
    /// An environment's override of the app's service <paramref name="name"/> (<c>Services = { ["api"] = new() { … } }</c>): the
    /// override if it has one, whether the analyzer cannot tell (an override or key it cannot see), and whether the service runs
    /// there (<c>Enabled = false</c> turns it off).
    /// </summary>
    internal static (Init? Override, bool Unknown, bool Running) ServiceOverride(Init env, string name)
    {
        if (!env.Has("Services")) return (null, !env.Complete, true);
        var value = Constants.Unwrap(env.Get("Services")!);
        if (value is ICollectionExpressionOperation { Elements.Length: 0 }) return (null, false, true);
        // A dictionary built elsewhere, or copied from one (new(other) { … }), holds entries the analyzer cannot see.
        if (value is not (IObjectOrCollectionInitializerOperation or IObjectCreationOperation { Arguments.Length: 0 })) return (null, true, true);
        Init? found = null;
        foreach (var (key, entry, _) in env.Entries("Services"))
        {
            if (key is null) return (null, true, true);
            if (key != name) continue;
            found = Init.Resolve(entry);
            if (found is null) return (null, true, true);
        }
        if (found is null) return (null, false, true);
        if (!found.Complete) return (found, true, true);
        if (!found.Has("Enabled")) return (found, false, true);
        var enabled = Constants.Unwrap(found.Get("Enabled")!).ConstantValue;
        if (!enabled.HasValue) return (found, true, true);
        return (found, false, enabled.Value is not false);
    }

    /// <summary>Whether the override <paramref name="service"/> replaces the member at <paramref name="path"/>[<paramref name="at"/>] (null: an override the analyzer cannot see).</summary>
    static bool OverridesMember(Init? service, IReadOnlyList<string> path, int at)
    {
        var member = path[at];
        var overridden = member switch
        {
            "Cpu" or "MemoryMiB" or "HealthCheck" or "LogRetentionDays" or "EphemeralStorageGiB" => member,
            "Image" when path.Count > at + 1 && path[at + 1] == "Tag" => "ImageTag",
            _ when member.StartsWith("EnvironmentVariables[", StringComparison.Ordinal) || member.StartsWith("Secrets[", StringComparison.Ordinal) => member,
            _ => null,
        };
        if (overridden is null) return false;
        if (service is null) return true;
        var bracket = overridden.IndexOf('[');
        if (bracket < 0) return service.MaySet(overridden);
        // A variable or secret is replaced key by key: EnvironmentVariables[KEY] is overridden when the override names KEY.
        var dictionary = overridden.Substring(0, bracket);
        var key = overridden.Substring(bracket + 1, overridden.Length - bracket - 2);
        if (!service.Complete) return true;
        if (service.Get(dictionary) is { } entries && Constants.Unwrap(entries) is not (IObjectOrCollectionInitializerOperation or IObjectCreationOperation)) return true;
        return service.Entries(dictionary).Any(e => e.Key is null || e.Key == key);
    }

    void Emit(Violation violation, Location location, bool production, IOperation? value, string? replacement)
    {
        // The services' name, reference and route rules cannot be accepted (the generator ignores the acceptance: ModelValidator.NotAcceptable).
        if (_dead || _accepted.Contains(violation.Rule.Id) && violation.Rule.Id is not ("TPL0070" or "TPL0071" or "TPL0072")) return;
        if (_with is not null && (location.SourceTree != _with.Syntax.SyntaxTree || !_with.Syntax.Span.Contains(location.SourceSpan)))
        {
            // The value came from the receiver, written elsewhere: the object this expression makes is still wrong.
            location = _with.Initializer.Syntax.GetLocation();
            value = null;
        }
        var severity = violation.Rule.SeverityFor(production) == Severity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
        var fixable = value is not null && replacement is not null;
        _context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.For(violation.Rule), location, severity,
            fixable ? [value!.Syntax.GetLocation()] : null,
            fixable ? ImmutableDictionary<string, string?>.Empty.Add(DefinitionAnalyzer.ReplacementKey, replacement) : null,
            violation.Message, "Fix: " + violation.Fix));
    }
}
