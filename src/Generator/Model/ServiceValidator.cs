using Templates.Rules;

namespace Templates.Generation.Model;

/// <summary>The rules on an app's other services (<see cref="App.Services"/>): their names, once per app, and per environment their settings, references and routes.</summary>
public static class ServiceValidator
{
    /// <summary>TPL0070 on every service name, judged once for the app.</summary>
    public static IEnumerable<Finding> ValidateNames(App app)
    {
        var findings = new List<Finding>();
        var names = app.Services.Select(s => s.Name).ToList();
        foreach (var name in names.Distinct())
            if (Checks.ServiceName(name) is { } bad) findings.Add(AppFinding(app, bad, $"Services[{name}]"));
        foreach (var (name, violation) in Checks.ServiceNameCollisions(app.Name, names))
            findings.Add(AppFinding(app, violation, $"Services[{name}]"));
        return findings;
    }

    static Finding AppFinding(App app, Violation v, string setting) => new(v.Rule, v.Rule.Severity, app.Name, [], setting, v.Message, v.Fix);

    /// <summary>The findings on the app's other services in one environment.</summary>
    public static IEnumerable<Finding> ValidateServices(EnvironmentModel m)
    {
        var env = m.Env;
        var app = m.App;
        var findings = new List<Finding>();
        void Report(Violation? v, string setting)
        {
            if (v is not null) findings.Add(ModelValidator.Make(v, m, setting));
        }
        string Path(string service) => $"Services[{service}]";
        string EnvPath(string service) => $"Environments[{env.Name}].Services[{service}]";

        var declared = app.Services.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var name in env.Services.Keys.Order(StringComparer.Ordinal))
        {
            if (!declared.ContainsKey(name)) Report(Checks.UnknownOverride(env.Name, name), EnvPath(name));
            else if (declared[name] is ScheduledJob && env.Services[name].Tasks is not null) Report(Checks.JobTasks(name), EnvPath(name) + ".Tasks");
        }

        var running = m.Services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var sm in m.Services)
        {
            var s = sm.Service;
            var o = sm.Overrides;
            findings.AddRange(ModelValidator.ValidateContainer(m, s, o, Path(s.Name), EnvPath(s.Name)));
            if (sm.Tasks is { } tasks)
            {
                var tasksSetting = o?.Tasks is not null ? EnvPath(s.Name) + ".Tasks" : $"Environments[{env.Name}].Tasks";
                var bounds = Checks.TaskBounds(tasks.Min, tasks.Max);
                Report(bounds, bounds?.Setting is { } member ? $"{tasksSetting}.{member}" : tasksSetting);
                if (bounds is null && s is Worker worker) Report(Checks.WorkerMinTasks(worker.Name, tasks.Min), tasksSetting + ".Min");
            }

            if (m.SplitsServices && env.Pipeline is not null && s.BuildContext is not null && s is not ScheduledJob)
                Report(Checks.PipelineAcrossStacks(env.Name, s.Name), Path(s.Name) + ".BuildContext");

            foreach (var called in s.Calls)
            {
                if (s is ScheduledJob)
                {
                    Report(Checks.JobCalls(s.Name), Path(s.Name) + ".Calls");
                    break;
                }
                var kind = declared.TryGetValue(called, out var target) ? target.GetType().Name : null;
                Report(Checks.CalledService(s.Name, called, kind, running.ContainsKey(called)), Path(s.Name) + ".Calls");
            }

            switch (s)
            {
                case WebService web:
                    findings.AddRange(ModelValidator.ValidateHealthCheck(m, web.HealthCheck,
                        (o?.HealthCheck is not null ? EnvPath(s.Name) : Path(s.Name)) + ".HealthCheck"));
                    Report(Checks.EmptyRoute(web.Name, web.Route.Hosts.Count, web.Route.Paths.Count), Path(s.Name) + ".Route");
                    foreach (var host in web.Route.Hosts) Report(Checks.RouteValue(true, host), Path(s.Name) + ".Route.Hosts");
                    foreach (var path in web.Route.Paths) Report(Checks.RouteValue(false, path), Path(s.Name) + ".Route.Paths");
                    break;
                case Worker worker:
                    foreach (var v in Checks.WorkQueue(worker.Queue.VisibilityTimeoutSeconds, worker.Queue.MaxReceives, worker.Queue.RetentionDays,
                                 worker.Queue.DeadLetterRetentionDays, worker.MessagesPerTask))
                        Report(v, v.Setting == nameof(Worker.MessagesPerTask) ? Path(s.Name) + ".MessagesPerTask" : Path(s.Name) + ".Queue." + v.Setting);
                    foreach (var sender in worker.SentBy)
                        if (sender != app.Name && !declared.ContainsKey(sender)) Report(Checks.UnknownSender(worker.Name, sender, app.Name), Path(s.Name) + ".SentBy");
                    break;
                case ScheduledJob job:
                    Report(Checks.Schedule(job.Schedule), Path(s.Name) + ".Schedule");
                    foreach (var v in Checks.Job(job.TimeoutMinutes, job.Retries)) Report(v, Path(s.Name) + "." + v.Setting);
                    break;
            }
        }
        foreach (var call in m.Service.Calls)
        {
            var kind = declared.TryGetValue(call, out var target) ? target.GetType().Name : null;
            Report(Checks.CalledService($"The app's Service", call, kind, running.ContainsKey(call)), "Service.Calls");
        }

        if (m.Deployment is BlueGreenDeployment)
            foreach (var route in Routes(m).Where(r => r.Priority == ListenerRoutes.MaxPriority))
                Report(new Violation(RuleCatalog.TPL0072_Route, $"Priority {route.Priority} is the blue/green production rule's of the app's own Service, which comes after every service's route.",
                    $"Give {route.Service} a Priority below {ListenerRoutes.MaxPriority}."), Path(route.Service) + ".Priority");

        // The listener's rules together; only when every route is valid on its own (a malformed pattern cannot be compared).
        var routes = Routes(m);
        if (routes.Count > 0 && findings.All(f => f.Rule != RuleCatalog.TPL0072_Route))
            foreach (var (service, violation) in Checks.RouteConflicts(routes))
                Report(violation, Path(service) + (violation.Message.StartsWith("Priority", StringComparison.Ordinal) || violation.Message.StartsWith("Its listener rule has priority", StringComparison.Ordinal) ? ".Priority" : ".Route"));
        return findings;
    }

    /// <summary>The listener rules of the environment's web services, with their priorities.</summary>
    public static IReadOnlyList<ListenerRoutes.RoutedService> Routes(EnvironmentModel m) =>
        [.. m.Services.Select(s => s.Service).OfType<WebService>()
            .Select(w => new ListenerRoutes.RoutedService(w.Name, w.Route.Hosts, w.Route.Paths, Checks.RoutePriority(w.Name, w.Priority)))];
}
