using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Templates.Rules;

namespace Templates.Analyzers;

// An app's several services (issue 14) at compile time: TPL0070-TPL0074 on the constants the analyzer sees, judged as the
// generator's ServiceValidator judges them (names once per app; references, routes and task bounds per environment, on the
// services that run there).
public sealed partial class DefinitionAnalyzer
{
    /// <summary>One element of <c>App.Services</c> as the analyzer sees it: its object (null: not seen), its kind and its name (null: not a constant).</summary>
    sealed class Declared(IOperation element, Init? init, string? kind, string? name)
    {
        public IOperation Element { get; } = element;
        public Init? Init { get; } = init;
        public string? Kind { get; } = kind;
        public string? Name { get; } = name;

        /// <summary>Whether the analyzer sees the service whole: its object, its kind and its name.</summary>
        public bool Seen => Init is not null && Kind is not null && Name is not null;

        /// <summary>Where to report something about the member: its assignment in the service, else the element.</summary>
        public Location Where(string member) => Init is not null ? Init.Where(member) : Element.Syntax.GetLocation();
    }

    /// <summary>The app's services, in order, when the list is written where the analyzer sees it; null otherwise.</summary>
    static List<Declared>? DeclaredServices(Init app, DslSymbols dsl)
    {
        if (app.KnownElements("Services") is not { } elements) return null;
        return [.. elements.Select(e =>
        {
            var init = Init.Resolve(e);
            return new Declared(e, init, dsl.ServiceKind(init?.Type ?? Constants.Unwrap(e).Type), init?.String("Name", null));
        })];
    }

    /// <summary>A WebService, BackendService, Worker or ScheduledJob: its container's settings, and its kind's own.</summary>
    static void AppService(Reporter r, Init s, string kind, DslSymbols dsl)
    {
        // The name where no app lists the service in its own initializer; an app judges the names it lists (with their collisions).
        if (r.App is null && s.String("Name", null) is { } name && Checks.ServiceName(name) is { } badName)
            r.Report(badName, s.Where("Name"), s.Get("Name"), Checks.SuggestedServiceName(name) is { } suggested ? Literal(suggested) : null);
        Service(r, s, overrides: false, appService: true);
        switch (kind)
        {
            case "WebService":
                WebRoute(r, s, dsl);
                break;
            case "Worker":
                // The queue's own settings are judged on the WorkQueue; with valid ones, only MessagesPerTask remains.
                if (s.Has("MessagesPerTask") && s.Int("MessagesPerTask", null) is { } messages)
                    foreach (var v in Checks.WorkQueue(30, 5, 4, 14, messages))
                        r.Report(v, s.Where("MessagesPerTask"));
                break;
            case "ScheduledJob":
                if (s.String("Schedule", null) is { } schedule && Checks.Schedule(schedule) is { } badSchedule)
                    r.Report(badSchedule, s.Where("Schedule"), s.Get("Schedule"), ScheduleExpressions.Suggested(schedule) is { } fixedSchedule ? Literal(fixedSchedule) : null);
                var timeout = s.Int("TimeoutMinutes", 60);
                var retries = s.Int("Retries", 0);
                foreach (var v in Checks.Job(timeout ?? 60, retries ?? 0))
                    if ((v.Setting == "TimeoutMinutes" ? timeout : retries) is not null) r.Report(v, s.Where(v.Setting!));
                break;
        }
    }

    /// <summary>TPL0074 on a worker's queue (SQS's limits, and a dead-letter queue that keeps messages longer than the queue).</summary>
    static void Queue(Reporter r, Init q)
    {
        var values = new Dictionary<string, int?>
        {
            ["VisibilityTimeoutSeconds"] = q.Int("VisibilityTimeoutSeconds", 30),
            ["MaxReceives"] = q.Int("MaxReceives", 5),
            ["RetentionDays"] = q.Int("RetentionDays", 4),
            ["DeadLetterRetentionDays"] = q.Int("DeadLetterRetentionDays", 14),
        };
        var retention = values["RetentionDays"];
        var deadLetter = values["DeadLetterRetentionDays"];
        foreach (var v in Checks.WorkQueue(values["VisibilityTimeoutSeconds"] ?? 30, values["MaxReceives"] ?? 5, retention ?? 4, deadLetter ?? 14, 100))
        {
            // The two retentions are judged together: a violation about either needs both.
            if (values[v.Setting!] is null || v.Setting is "RetentionDays" or "DeadLetterRetentionDays" && (retention is null || deadLetter is null)) continue;
            // A dead-letter queue keeping messages 14 days (SQS's longest) outlives any valid queue retention below 14.
            var fix = v.Setting == "DeadLetterRetentionDays" && q.Has("DeadLetterRetentionDays") && retention < 14 ? "14" : null;
            r.Report(v, q.Where(v.Setting!), q.Get(v.Setting!), fix);
        }
    }

    /// <summary>The host names and path patterns of a route expression (null: a list the analyzer cannot see).</summary>
    sealed class RouteSeen(List<IOperation>? hosts, List<IOperation>? paths)
    {
        public List<IOperation>? Hosts { get; } = hosts;
        public List<IOperation>? Paths { get; } = paths;
    }

    /// <summary>
    /// A route as written: <c>new Route { Hosts = […], Paths = […] }</c>, <c>Route.Path(…)</c>, <c>Route.Host(…)</c>,
    /// <c>.AndPath(…)</c>, <c>x with { … }</c>, or a static field or property of the same file holding one of these.
    /// </summary>
    static RouteSeen? RouteOf(IOperation? value, DslSymbols dsl, int depth = 0)
    {
        if (value is null || depth > 8) return null;
        value = Constants.Unwrap(value);
        switch (value)
        {
            case IObjectCreationOperation or IWithOperation when dsl.Is(value.Type, dsl.Route) && Init.Resolve(value) is { } route:
                return new RouteSeen(route.KnownElements("Hosts"), route.KnownElements("Paths"));
            case IInvocationOperation call when dsl.Is(call.TargetMethod.ContainingType, dsl.Route):
                var arguments = ParamsElements(call);
                switch (call.TargetMethod.Name)
                {
                    case "Path" when call.Instance is null: return new RouteSeen([], arguments);
                    case "Host" when call.Instance is null: return new RouteSeen(arguments, []);
                    case "AndPath" when RouteOf(call.Instance, dsl, depth + 1) is { } receiver:
                        return new RouteSeen(receiver.Hosts, receiver.Paths is null || arguments is null ? null : [.. receiver.Paths, .. arguments]);
                    default: return null;
                }
            case IFieldReferenceOperation { Field: { IsReadOnly: true } field } reference:
                return RouteOf(Init.Declared(reference, field), dsl, depth + 1);
            case IPropertyReferenceOperation { Property: { SetMethod: null, Parameters.Length: 0 } property } reference:
                return RouteOf(Init.Declared(reference, property), dsl, depth + 1);
            default:
                return null;
        }
    }

    /// <summary>The values given to a <c>params</c> parameter one by one (<c>Route.Path("/a", "/b")</c>); null for an array passed whole.</summary>
    static List<IOperation>? ParamsElements(IInvocationOperation call)
    {
        if (call.Arguments.Length != 1) return null;
        var argument = call.Arguments[0];
        if (argument.ArgumentKind != ArgumentKind.ParamArray) return null;
        return Constants.Unwrap(argument.Value) is IArrayCreationOperation { Initializer: { } values } ? [.. values.ElementValues.Select(Constants.Unwrap)] : null;
    }

    /// <summary>TPL0072 on one web service's route: each host name and path pattern as a listener rule takes it, and a route with neither.</summary>
    static void WebRoute(Reporter r, Init web, DslSymbols dsl)
    {
        if (RouteOf(web.Get("Route"), dsl) is not { } route) return;
        foreach (var (values, host) in new[] { (route.Hosts, true), (route.Paths, false) })
            foreach (var value in values ?? [])
                if (Constants.String(value) is { } text && Checks.RouteValue(host, text) is { } bad)
                    r.Report(bad, value.Syntax.GetLocation());
        if (route.Hosts is { Count: 0 } && route.Paths is { Count: 0 } && web.String("Name", null) is { } name && Checks.EmptyRoute(name, 0, 0) is { } empty)
            r.Report(empty, web.Where("Route"));
    }

    /// <summary>
    /// The listener rules of the web services that run in an environment, when the analyzer sees every one whole and valid
    /// (a malformed pattern cannot be compared, as at emit time); null otherwise.
    /// </summary>
    static List<(Declared Service, ListenerRoutes.RoutedService Route)>? Routes(IEnumerable<Declared> running, DslSymbols dsl)
    {
        var routes = new List<(Declared, ListenerRoutes.RoutedService)>();
        foreach (var web in running.Where(s => s.Kind == "WebService"))
        {
            if (RouteOf(web.Init!.Get("Route"), dsl) is not { Hosts: { } hosts, Paths: { } paths }) return null;
            var hostValues = hosts.Select(Constants.String).ToList();
            var pathValues = paths.Select(Constants.String).ToList();
            if (hostValues.Any(h => h is null || Checks.RouteValue(true, h) is not null) || pathValues.Any(p => p is null || Checks.RouteValue(false, p) is not null)) return null;
            if (Checks.EmptyRoute(web.Name!, hostValues.Count, pathValues.Count) is not null) return null;
            int? priority = null;
            if (web.Init.Has("Priority") && !IsNullConstant(web.Init.Get("Priority")!) && (priority = Constants.Int32(web.Init.Get("Priority")!)) is null) return null;
            routes.Add((web, new ListenerRoutes.RoutedService(web.Name!, hostValues!, pathValues!, Checks.RoutePriority(web.Name!, priority))));
        }
        return routes;
    }

    /// <summary>
    /// The app's services taken together: their names (TPL0070, once for the app), and per environment the services that run
    /// there: the names they call and let send (TPL0071), and the listener's routes (TPL0072), reported for the environments
    /// they concern. References and routes need every service seen whole, with valid names (so does the generator).
    /// </summary>
    static void AppServices(Reporter r, Init app, DslSymbols dsl)
    {
        var services = DeclaredServices(app, dsl);
        if (services is null) return;
        var appName = app.String("Name", null);
        var span = app.Operation.Syntax;
        bool Here(Location location) => location.SourceTree == span.SyntaxTree && span.Span.Contains(location.SourceSpan);

        var names = services.Select(s => s.Name).ToList();
        var badNames = false;
        foreach (var service in services)
        {
            if (service.Name is not { } name || Checks.ServiceName(name) is not { } bad) continue;
            badNames = true;
            // A service written elsewhere (a field the app lists) reports its own name.
            if (!Here(service.Where("Name"))) continue;
            var suggested = Checks.SuggestedServiceName(name);
            var free = suggested is not null && suggested != appName && !names.Contains(suggested);
            r.Report(bad, service.Where("Name"), service.Init?.Get("Name"), free ? Literal(suggested!) : null);
        }
        if (appName is not null && names.All(n => n is not null))
        {
            // The collisions come in the services' order, each on the later service.
            var next = 0;
            foreach (var (name, violation) in Checks.ServiceNameCollisions(appName, names!))
            {
                while (names[next] != name) next++;
                badNames = true;
                r.Report(violation, services[next].Where("Name"));
                next++;
            }
        }
        if (badNames || !services.All(s => s.Seen) || r.Environments(app) is not { Count: > 0 } environments) return;

        var declared = new Dictionary<string, Declared>(StringComparer.Ordinal);
        foreach (var service in services) if (!declared.ContainsKey(service.Name!)) declared[service.Name!] = service;
        var found = new List<(Location Location, Violation Violation, List<Init> Environments)>();
        void Add(Init env, Violation v, Location location)
        {
            var same = found.FindIndex(f => f.Location.Equals(location) && f.Violation.Message == v.Message);
            if (same < 0) found.Add((location, v, [env]));
            else found[same].Environments.Add(env);
        }

        foreach (var env in environments)
        {
            var running = new List<Declared>();
            var seen = true;
            foreach (var service in services)
            {
                var (_, unknown, runs) = Reporter.ServiceOverride(env, service.Name!);
                seen &= !unknown;
                if (runs) running.Add(service);
            }
            if (!seen) continue;
            var runningNames = new HashSet<string>(running.Select(s => s.Name!), StringComparer.Ordinal);

            void Calls(Init caller, string callerName, bool job)
            {
                if (caller.KnownElements("Calls") is not { } calls) return;
                if (job)
                {
                    if (calls.Count > 0) Add(env, Checks.JobCalls(callerName), caller.Where("Calls"));
                    return;
                }
                foreach (var call in calls)
                    if (Constants.String(call) is { } called
                        && Checks.CalledService(callerName, called, declared.TryGetValue(called, out var target) ? target.Kind : null, runningNames.Contains(called)) is { } v)
                        Add(env, v, call.Syntax.GetLocation());
            }
            foreach (var service in running)
            {
                Calls(service.Init!, service.Name!, service.Kind == "ScheduledJob");
                if (service.Kind == "Worker" && appName is not null)
                    foreach (var sender in service.Init!.KnownElements("SentBy") ?? [])
                        if (Constants.String(sender) is { } name && name != appName && !declared.ContainsKey(name))
                            Add(env, Checks.UnknownSender(service.Name!, name, appName), sender.Syntax.GetLocation());
            }
            if (Init.Resolve(app.Get("Service")) is { } main) Calls(main, "The app's Service", job: false);

            // The listener: the blue/green production rule's priority, then the routes together.
            if (Routes(running, dsl) is not { Count: > 0 } routes) continue;
            var own = env.Has("Deployment") && !IsNullConstant(env.Get("Deployment")!);
            if (!env.Has("Deployment") && !env.Complete) continue; // an environment the analyzer cannot see whole
            var deployment = own ? env.Get("Deployment") : app.Get("Deployment");
            var blueGreen = deployment is not null && dsl.Is(Constants.Unwrap(deployment).Type, dsl.BlueGreenDeployment);
            if (deployment is not null && !blueGreen && !dsl.Is(Constants.Unwrap(deployment).Type, dsl.RollingDeployment)) continue;
            var last = routes.Where(x => blueGreen && x.Route.Priority == ListenerRoutes.MaxPriority).ToList();
            foreach (var (web, route) in last)
                Add(env, new Violation(RuleCatalog.TPL0072_Route, $"Priority {route.Priority} is the blue/green production rule's of the app's own Service, which comes after every service's route.",
                    $"Give {route.Service} a Priority below {ListenerRoutes.MaxPriority}."), web.Where("Priority"));
            if (last.Count > 0) continue;
            foreach (var (service, violation) in Checks.RouteConflicts([.. routes.Select(x => x.Route)]))
            {
                var web = routes.First(x => x.Route.Service == service).Service;
                var aboutPriority = violation.Message.StartsWith("Priority", StringComparison.Ordinal) || violation.Message.Contains("priority");
                Add(env, violation, web.Where(aboutPriority && web.Init!.Has("Priority") ? "Priority" : "Route"));
            }
        }
        foreach (var (location, violation, envs) in found) r.ReportFor(envs, violation, location);
    }

    /// <summary>The key of the environment's <c>Services</c> entry an override is (<c>""</c>: not a constant); null when it is none (the app's Service's override, or one written alone).</summary>
    static string? EntryKey(IOperation o)
    {
        var parent = o.Parent;
        while (parent is IConversionOperation) parent = parent.Parent;
        return parent switch
        {
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: 1 } indexer } => Constants.String(indexer.Arguments[0].Value) ?? "",
            IArgumentOperation { Parent: IInvocationOperation { Arguments.Length: 2 } add } => Constants.String(add.Arguments[0].Value) ?? "",
            _ => null,
        };
    }

    /// <summary>The override a health check is written in (<c>new ServiceOverrides { HealthCheck = new() { … } }</c>), if any.</summary>
    static Init? OverrideHolding(IOperation healthCheck, DslSymbols dsl)
    {
        var parent = healthCheck.Parent;
        while (parent is IConversionOperation) parent = parent.Parent;
        if (parent is not ISimpleAssignmentOperation { Parent: IObjectOrCollectionInitializerOperation { Parent: IObjectCreationOperation holder } }) return null;
        return dsl.Is(holder.Type, dsl.ServiceOverrides) ? Init.Of(holder) : null;
    }

    /// <summary>
    /// Whether the values of an environment's override of one of the app's services are judged, as at emit time: not when it
    /// turns the service off (<c>Enabled = false</c>), nor when the app has no such service (TPL0071 says so), nor, for what
    /// only a web service has (<paramref name="webOnly"/>: its health check), when the service is of another kind.
    /// </summary>
    static bool OverrideJudged(Reporter r, Init o, DslSymbols dsl, bool webOnly)
    {
        if (EntryKey(o.Operation) is not { } key) return true;
        if (o.Has("Enabled") && Constants.Boolean(o.Get("Enabled")!) == false) return false;
        if (key.Length == 0 || r.Apps.Count == 0) return true;
        foreach (var app in r.Apps)
        {
            if (DeclaredServices(app, dsl) is not { } services || !services.All(s => s.Seen)) return true;
            if (services.FirstOrDefault(s => s.Name == key) is { } service && (!webOnly || service.Kind == "WebService")) return true;
        }
        return false;
    }

    /// <summary>
    /// An environment's overrides of the app's services: a name that is none of them (TPL0071), task bounds for a scheduled job
    /// (TPL0071), a task size the override makes invalid (TPL0003), a worker that may scale to no task (TPL0074), and in
    /// production the image tag 'latest' (TPL0022) on the services that run there.
    /// </summary>
    static void ServiceOverrides(Reporter r, Init env, DslSymbols dsl, bool mainLatestAtName)
    {
        var envName = env.String("Name", null);
        var reported = new HashSet<(Location, string)>();
        void Report(Violation v, Location location)
        {
            if (reported.Add((location, v.Message))) r.Report(v, location);
        }
        if (mainLatestAtName) reported.Add((env.Where("Name"), Checks.ImageTagInProduction("latest")!.Message));
        foreach (var app in r.Apps)
        {
            if (DeclaredServices(app, dsl) is not { } services || !services.All(s => s.Seen)) continue;
            var names = services.Select(s => s.Name!).ToList();
            // The generator judges nothing per environment while a name is wrong.
            if (names.Any(n => Checks.ServiceName(n) is not null) || app.String("Name", null) is not { } appName || Checks.ServiceNameCollisions(appName, names).Any()) continue;
            foreach (var (key, value, syntax) in env.Entries("Services"))
            {
                if (key is null) continue;
                var service = services.FirstOrDefault(s => s.Name == key);
                if (service is null)
                {
                    if (envName is not null) Report(Checks.UnknownOverride(envName, key), syntax.GetLocation());
                    continue;
                }
                if (Init.Resolve(value) is not { } o) continue;
                if (service.Kind == "ScheduledJob" && o.Has("Tasks") && !IsNullConstant(o.Get("Tasks")!)) Report(Checks.JobTasks(key), o.Where("Tasks"));
                if ((o.Has("Cpu") || o.Has("MemoryMiB")) && FargateSize(env, service.Init, alone: false, appService: true, key) is { } size && Same(size.Culprit, o))
                    ReportSize(r, size);
            }

            foreach (var service in services)
            {
                var (o, unknown, running) = Reporter.ServiceOverride(env, service.Name!);
                if (unknown || !running) continue;
                if (service.Kind == "Worker")
                {
                    // The bounds in force: the override's, else the environment's.
                    var tasks = o is not null && o.Has("Tasks") ? (IsNullConstant(o.Get("Tasks")!) ? env.Object("Tasks") : o.Object("Tasks")) : env.Object("Tasks");
                    if (tasks is not null && tasks.Int("Min", null) is { } min && tasks.Int("Max", null) is { } max && Checks.TaskBounds(min, max) is null
                        && Checks.WorkerMinTasks(service.Name!, min) is { } none)
                        Report(none, tasks.Where("Min"));
                }
                if (r.Production)
                {
                    var overridden = o is not null && o.Has("ImageTag") && !IsNullConstant(o.Get("ImageTag")!);
                    var tag = overridden ? o!.String("ImageTag", null) : BaseImageTag(service.Init, dsl);
                    if (tag is not null && Checks.ImageTagInProduction(tag) is { } latest) Report(latest, overridden ? o!.Where("ImageTag") : env.Where("Name"));
                }
            }
        }
    }
}
