using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Templates.Rules;

namespace Templates.Analyzers;

/// <summary>
/// Runs the shared rules (<see cref="Checks"/>) on the constants of every DSL object the engineer writes, in the
/// context it is written in: the environment it belongs to (production is stricter) and the rules the app or the
/// environment deliberately accepts (<c>Accept = { new Accepted("TPL0015", "…") }</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class DefinitionAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The key, in a diagnostic's properties, of the C# expression that fixes it; the value to replace is the diagnostic's first additional location.</summary>
    public const string ReplacementKey = "Replacement";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.All);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            // Resolve the DSL once per compilation; a compilation that does not reference it costs nothing more.
            if (DslSymbols.Resolve(start.Compilation) is not { } dsl) return;
            start.RegisterOperationAction(c => AnalyzeObject(c, dsl), OperationKind.ObjectCreation, OperationKind.With);
            start.RegisterOperationAction(c => AnalyzeInvocation(c, dsl), OperationKind.Invocation);
        });
    }

    static void AnalyzeInvocation(OperationAnalysisContext context, DslSymbols dsl)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.TargetMethod.ContainingType is { } owner && dsl.IsDslType(owner) && invocation.TargetMethod.IsStatic)
            NullArguments(new Reporter(context, dsl, invocation), invocation.TargetMethod.Name, invocation.Arguments);
        if (invocation.TargetMethod.Name != "FromEcr" || !dsl.Is(invocation.TargetMethod.ContainingType, dsl.ContainerImage) || invocation.Arguments.Length == 0) return;
        var reporter = new Reporter(context, dsl, invocation);
        var argument = invocation.Arguments.First(a => a.Parameter?.Ordinal == 0);
        CheckRepository(reporter, argument.Value, argument.Syntax.GetLocation());
        if (invocation.Arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 1 && a.ArgumentKind != ArgumentKind.DefaultValue) is { } tag)
            CheckTag(reporter, tag.Value, tag.Syntax.GetLocation());
    }

    static void CheckTag(Reporter r, IOperation value, Location location)
    {
        // An environment's ImageTag replaces the app's tag: the app's counts only where it is inherited.
        if (Constants.String(value) is { } tag && Checks.ImageTag(tag) is { } v) r.Report(v, location, setting: "Tag");
    }

    static void CheckRepository(Reporter r, IOperation value, Location location)
    {
        if (Constants.String(value) is not { } name || Checks.EcrRepositoryName(name) is not { } v) return;
        var lower = name.ToLowerInvariant();
        r.Report(v, location, value, lower != name && Checks.EcrRepositoryName(lower) is null ? Literal(lower) : null);
    }

    static void AnalyzeObject(OperationAnalysisContext context, DslSymbols dsl)
    {
        var operation = context.Operation;
        if (operation.Type is not INamedTypeSymbol type || !dsl.IsDslType(type)) return;
        // A constant null where the DSL wants a value (TPL0040), whatever becomes of the object.
        if (operation is IObjectCreationOperation creation) NullMembers(new Reporter(context, dsl, operation), type, creation);
        // `x with { … }` is judged as the object it makes (x's known values, the initializer's replacing them); the receiver
        // of a `with` is not judged on its own when it is written inline, since only the outer object is ever used.
        if (Reporter.IsWithReceiver(operation) || Init.Resolve(operation) is not { } init) return;
        var r = new Reporter(context, dsl, operation);

        if (dsl.Is(type, dsl.App)) App(r, init, dsl);
        else if (dsl.Is(type, dsl.Env) && !r.ListedOnlyThroughWith) Env(r, init, dsl);
        else if (dsl.Is(type, dsl.NewVpc)) NewVpc(r, init);
        else if (dsl.Is(type, dsl.ExistingVpc)) ExistingVpc(r, init);
        else if (dsl.Is(type, dsl.FargateService)) Service(r, init, overrides: false);
        else if (dsl.ServiceKind(type) is { } kind) AppService(r, init, kind, dsl);
        else if (dsl.Is(type, dsl.WorkQueue)) Queue(r, init);
        else if (dsl.Is(type, dsl.ServiceOverrides) && OverrideJudged(r, init, dsl, webOnly: false)) Service(r, init, overrides: true);
        else if (dsl.Is(type, dsl.HealthCheck) && (OverrideHolding(operation, dsl) is not { } holder || OverrideJudged(r, holder, dsl, webOnly: true))) HealthCheck(r, init);
        else if (dsl.Is(type, dsl.LoadBalancer)) LoadBalancer(r, init, dsl);
        else if (dsl.Is(type, dsl.AcmCertificate)) Certificate(r, init, acm: true);
        else if (dsl.Is(type, dsl.IamServerCertificate)) Certificate(r, init, acm: false);
        else if (dsl.Is(type, dsl.ContainerImage))
        {
            if (init.Get("Repository") is { } repo) CheckRepository(r, repo, init.Where("Repository"));
            if (init.Get("Tag") is { } tag) CheckTag(r, tag, init.Where("Tag"));
        }
        else if (dsl.Is(type, dsl.Scaling)) Scaling(r, init);
        else if (dsl.Is(type, dsl.RollingDeployment)) Rolling(r, init);
        else if (dsl.Is(type, dsl.TaskCount)) Tasks(r, init);
        else if (dsl.Is(type, dsl.MailSender)) Mail(r, init);
        else if (dsl.Is(type, dsl.GitHubSource)) Source(r, init);
        else if (dsl.Is(type, dsl.Pipeline)) Pipeline(r, init, dsl);
        else if (dsl.Is(type, dsl.NewRepository)) Repository(r, init);
        else if (dsl.Is(type, dsl.BlueGreenDeployment)) BlueGreen(r, init);
        else if (dsl.Is(type, dsl.DnsName)) Dns(r, init);
        else if (dsl.Is(type, dsl.Alarms)) Alarms(r, init);
        else if (dsl.Is(type, dsl.AccessLogs) || dsl.Is(type, dsl.FlowLogs) || dsl.Is(type, dsl.WebAcl)) Protection(r, init, type, dsl);
        else if (dsl.Is(type, dsl.EmailAlerts) && init.String("Address", null) is { } address && Checks.AlertAddress(address) is { } badAddress)
            r.Report(badAddress, init.Where("Address"));
    }

    /// <summary>The container's user and writable paths (TPL0064) and, in production, root or a writable root file system (TPL0063).</summary>
    static void Hardening(Reporter r, Init s)
    {
        if (s.Has("User") && s.String("User", null) is { } user && Checks.ContainerUser(user) is { } badUser) r.Report(badUser, s.Where("User"));
        if (s.KnownElements("WritablePaths") is { } elements)
        {
            var paths = elements.Select(Constants.String).ToList();
            if (paths.All(p => p is not null) && Checks.WritablePaths(paths!) is { } badPaths) r.Report(badPaths, s.Where("WritablePaths"));
        }
        // Root: an explicit root user (not a missing one, which the analyzer cannot tell from one set elsewhere), or the root file system made writable.
        if (s.Has("User") && s.String("User", null) is { } root && Checks.RunsAsRoot(root) && Checks.ContainerHardening(root, true, production: true) is { } asRoot)
            r.Report(asRoot, s.Where("User"), productionOnly: true);
        if (s.Has("ReadOnlyRootFilesystem") && s.Bool("ReadOnlyRootFilesystem", null) == false && Checks.ContainerHardening("10001", false, production: true) is { } writable)
            r.Report(writable, s.Where("ReadOnlyRootFilesystem"), s.Get("ReadOnlyRootFilesystem"), "true", productionOnly: true);
    }

    /// <summary>Access-log expiry and flow-log retention (TPL0066) when they are on, and the web ACL's rate limit (TPL0067).</summary>
    static void Protection(Reporter r, Init o, INamedTypeSymbol type, DslSymbols dsl)
    {
        // Turned off, the other settings are not judged (as at emit time); an Enabled the analyzer cannot see silences it.
        var enabled = !o.Has("Enabled") || o.Bool("Enabled", null) == true;
        if (dsl.Is(type, dsl.AccessLogs) && enabled && o.Has("ExpirationDays") && o.Int("ExpirationDays", null) is { } days && Checks.AccessLogExpiration(days) is { } badDays)
            r.Report(badDays, o.Where("ExpirationDays"), o.Get("ExpirationDays"), "90");
        if (dsl.Is(type, dsl.FlowLogs) && enabled && o.Has("RetentionDays") && o.Int("RetentionDays", null) is { } retention && Checks.FlowLogRetention(retention) is { } badRetention)
            r.Report(badRetention, o.Where("RetentionDays"), o.Get("RetentionDays"), Number(Checks.NearestRetention(retention)));
        if (dsl.Is(type, dsl.WebAcl))
        {
            if (o.Has("RateLimitRequests") && o.Int("RateLimitRequests", null) is { } requests && Checks.RateLimitRequests(requests) is { } badRequests)
                r.Report(badRequests, o.Where("RateLimitRequests"), o.Get("RateLimitRequests"), Number(Math.Min(Checks.MaximumRateLimit, Math.Max(Checks.MinimumRateLimit, requests))));
            if (o.Has("RateLimitWindowSeconds") && o.Int("RateLimitWindowSeconds", null) is { } window && Checks.RateLimitWindow(window) is { } badWindow)
                r.Report(badWindow, o.Where("RateLimitWindowSeconds"), o.Get("RateLimitWindowSeconds"), "300");
        }
    }

    /// <summary>
    /// An environment's allowed ranges (TPL0068, when every one is a constant) and, in production, the whole internet with no
    /// web ACL (TPL0069: only when the analyzer sees that neither a web ACL nor a range is set).
    /// </summary>
    static void Exposure(Reporter r, Init env)
    {
        var cidrs = env.KnownElements("AllowedCidrs");
        if (cidrs is { Count: > 0 })
        {
            var values = cidrs.Select(Constants.String).ToList();
            if (values.All(v => v is not null) && Checks.AllowedCidrs(values!) is { } badCidrs) r.Report(badCidrs, env.Where("AllowedCidrs"));
        }
        if (!r.Production) return;
        var noWebAcl = env.Has("WebAcl") ? IsNullConstant(env.Get("WebAcl")!) : env.Complete;
        var noCidrs = env.Has("AllowedCidrs") ? cidrs is { Count: 0 } : env.Complete;
        if (noWebAcl && noCidrs && Checks.OpenWithoutWebAcl(false, 0, production: true) is { } open)
            r.Report(open, env.Has("WebAcl") ? env.Where("WebAcl") : env.Where("Name"));
    }

    /// <summary>The alarms' thresholds (TPL0060, each fixed to its default) and, in production, rollback on alarm (TPL0062).</summary>
    static void Alarms(Reporter r, Init a)
    {
        // The same checks as Checks.AlarmThresholds, one setting at a time: a value the analyzer cannot see is not judged.
        foreach (var (name, fallback, percent) in new[]
        {
            ("LoadBalancer5xxPercent", 5, true), ("Target5xxPercent", 5, true), ("MinimumRequestsPerMinute", 10, false),
            ("ResponseTimeP99Milliseconds", 2000, false), ("UnhealthyTasks", 1, false), ("CpuPercent", 90, true), ("MemoryPercent", 90, true),
        })
        {
            if (!a.Has(name) || a.Int(name, null) is not { } value) continue;
            if ((percent ? Checks.AlarmPercent(name, value) : Checks.AlarmCount(name, value)) is { } v)
                r.Report(v, a.Where(name), a.Get(name), Number(fallback));
        }
        if (a.Has("RollbackOnAlarm") && a.Bool("RollbackOnAlarm", null) is { } rollback && Checks.AlarmRollback(rollback, production: true) is { } noRollback)
            r.Report(noRollback, a.Where("RollbackOnAlarm"), a.Get("RollbackOnAlarm"), "true", productionOnly: true);
    }

    static void Dns(Reporter r, Init dns)
    {
        if (dns.String("Name", null) is { } name && Checks.DnsName(name) is { } badName)
            r.Report(badName, dns.Where("Name"), dns.Get("Name"), name.EndsWith(".", StringComparison.Ordinal) && Checks.DnsName(name.TrimEnd('.')) is null ? Literal(name.TrimEnd('.')) : null);
        if (dns.String("HostedZoneId", null) is { } zone && Checks.HostedZoneId(zone) is { } badZone)
        {
            const string prefix = "/hostedzone/";
            var stripped = zone.StartsWith(prefix, StringComparison.Ordinal) ? zone.Substring(prefix.Length) : null;
            r.Report(badZone, dns.Where("HostedZoneId"), dns.Get("HostedZoneId"), stripped is not null && Checks.HostedZoneId(stripped) is null ? Literal(stripped) : null);
        }
    }

    static void Mail(Reporter r, Init mail)
    {
        if (mail.String("Address", null) is { } address && Checks.MailSender(address) is { } v) r.Report(v, mail.Where("Address"));
    }

    static void Source(Reporter r, Init source)
    {
        if (source.String("Repository", null) is { } repository && Checks.SourceRepository(repository) is { } v) r.Report(v, source.Where("Repository"));
        if (source.Has("ConnectionArn") && source.String("ConnectionArn", null) is { } arn && Checks.ConnectionArn(arn) is { } badArn) r.Report(badArn, source.Where("ConnectionArn"));
    }

    static void Pipeline(Reporter r, Init pipeline, DslSymbols dsl)
    {
        if (pipeline.String("Branch", null) is { } branch && Checks.PipelineBranch(branch) is { } badBranch) r.Report(badBranch, pipeline.Where("Branch"));
        if (pipeline.Int("BuildTimeoutMinutes", 20) is { } timeout && Checks.BuildTimeout(timeout) is { } badTimeout)
            r.Report(badTimeout, pipeline.Where("BuildTimeoutMinutes"), pipeline.Get("BuildTimeoutMinutes"), Number(Math.Min(480, Math.Max(5, timeout))));
        var tag = pipeline.Has("AlsoTagAs") ? pipeline.String("AlsoTagAs", null) : null;
        if (tag is not null && Checks.ImageTag(tag) is { } badTag) r.Report(badTag, pipeline.Where("AlsoTagAs"));
        // The app decides what the pipeline builds from and pushes to: the app the environment is written in, or the apps
        // of the file that list it when it is written as a field.
        foreach (var app in r.Apps)
        {
            if (!app.MaySet("Source")) r.Report(Checks.PipelineWithoutSource(), pipeline.Operation.Syntax.GetLocation());
            if (tag is not null && app.Creation_("Repository") is { } repository && dsl.Is(repository.Type, dsl.NewRepository))
            {
                var mutability = Init.Of(repository).EnumName("TagMutability");
                var immutable = !Init.Of(repository).Has("TagMutability") || mutability == "Immutable";
                if ((mutability is not null || !Init.Of(repository).Has("TagMutability")) && Checks.ImmutableFixedTag(immutable, tag) is { } fixedTag)
                    r.Report(fixedTag, pipeline.Where("AlsoTagAs"));
            }
        }
    }

    static void Repository(Reporter r, Init repository)
    {
        if (repository.Has("KeepImages") && repository.Int("KeepImages", null) is { } keep && Checks.KeepImages(keep) is { } v)
            r.Report(v, repository.Where("KeepImages"), repository.Get("KeepImages"), "30");
    }

    static void BlueGreen(Reporter r, Init d)
    {
        if (d.Int("BakeTimeMinutes", 10) is { } bake)
        {
            if (Checks.BakeTime(bake) is { } v) r.Report(v, d.Where("BakeTimeMinutes"), d.Get("BakeTimeMinutes"), Number(Math.Min(1440, Math.Max(0, bake))));
            else if (Checks.ProductionBakeTime(bake) is { } none) r.Report(none, d.Where("BakeTimeMinutes"), d.Get("BakeTimeMinutes"), "10", productionOnly: true);
        }
        DeploymentTiming(r, d);
    }

    static void DeploymentTiming(Reporter r, Init d)
    {
        if (d.Int("HealthCheckGracePeriodSeconds", 60) is { } grace && d.Int("DeregistrationDelaySeconds", 30) is { } delay && Checks.DeploymentTiming(grace, delay) is { } timing)
            r.Report(timing, d.Where(timing.Setting!));
    }

    static void App(Reporter r, Init app, DslSymbols dsl)
    {
        if (app.String("Name", null) is { } name && Checks.AppName(name) is { } v) r.Report(v, app.Where("Name"));
        // An app whose environment list is written here and empty has no stack to write (as the generator finds).
        if (app.KnownElements("Environments") is { Count: 0 }) r.Report(Checks.NoEnvironment(), app.Where("Environments"));
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var envInit in r.Environments(app) ?? [])
        {
            if (envInit.String("Name", null) is { } envName && !seen.Add(envName))
                r.Report(Checks.DuplicateEnvironment(envName)!, envInit.Where("Name"));
        }
        SharedStackCollisions(r, app, dsl);
        AppServices(r, app, dsl);
    }

    /// <summary>
    /// TPL0001 within one app, as the generator judges it: the app's shared stacks (one per pinned account and region) that
    /// create one account-level name where they may meet. Only when every name, region, account and resource name is a constant.
    /// </summary>
    static void SharedStackCollisions(Reporter r, Init app, DslSymbols dsl)
    {
        if (app.String("Name", null) is not { } appName) return;
        var environments = new List<(string Name, string? Account, string? Region, bool Pipeline, Init Init)>();
        foreach (var element in app.Elements("Environments"))
        {
            // An environment written inline, or a field/property or `with` the analyzer can read in this file; else nothing is known.
            if (!dsl.Is(Constants.Unwrap(element).Type, dsl.Env) || Init.Resolve(element) is not { } e) return;
            if (e.String("Name", null) is not { } envName) return;
            string? region = null, account = null;
            if (e.Has("Region") && !IsNullConstant(e.Get("Region")!) && (region = e.String("Region", null)) is null) return;
            if (e.Has("Account") && !IsNullConstant(e.Get("Account")!) && (account = e.String("Account", null)) is null) return;
            environments.Add((envName, account, region, e.Has("Pipeline") && !IsNullConstant(e.Get("Pipeline")!), e));
        }
        var groups = environments.GroupBy(e => (e.Account, e.Region)).ToList();
        if (groups.Count < 2) return;
        var accounts = groups.Select(g => g.Key.Account).Distinct().Count();

        // What the app's shared stacks create, as far as constants show it.
        // Each read inline, or through a field, property or `with` of this file (Init.Resolve), as the environments are.
        string? repository = null, identity = null;
        if (app.Get("Repository") is { } repo && dsl.Is(Constants.Unwrap(repo).Type, dsl.NewRepository) && Init.Resolve(app.Get("Service")) is { } service)
            repository = ImageRepository(service.Get("Image"), dsl);
        if (Init.Resolve(app.Get("Mail")) is { } mail && mail.String("Address", null) is { } address)
            identity = mail.EnumName("Identity") == "Domain" ? address.Substring(address.LastIndexOf('@') + 1) : address;
        var source = Init.Resolve(app.Get("Source"));
        var connection = source is not null && (!source.Has("ConnectionArn") || IsNullConstant(source.Get("ConnectionArn")!));

        var places = groups
            .Select(g => (Group: g, Place: new SharedStackPlace(appName, Checks.SharedStackName(appName, g.Key.Account, g.Key.Region, groups.Count, accounts), g.Key.Account, g.Key.Region, g.Select(e => e.Name).ToList())))
            .OrderByDescending(p => (p.Group.Key.Region is null ? 0 : 2) + (p.Group.Key.Account is null ? 0 : 1))
            .ToList();
        for (var i = 0; i < places.Count; i++)
            for (var j = i + 1; j < places.Count; j++)
            {
                var (first, second) = (places[i], places[j]);
                var unpinned = second.Group.First().Init;
                var pin = unpinned.Where("Name");
                if (repository is not null && Checks.SharedResourceCollision(SharedResourceKind.EcrRepository, repository, first.Place, second.Place) is { } ecr)
                    r.Report(ecr, pin);
                if (identity is not null && Checks.SharedResourceCollision(SharedResourceKind.SesIdentity, identity, first.Place, second.Place) is { } ses)
                    r.Report(ses, pin);
                if (connection && first.Group.Any(e => e.Pipeline) && second.Group.Any(e => e.Pipeline)
                    && Checks.SharedResourceCollision(SharedResourceKind.GitHubConnection, Checks.ConnectionName(appName), first.Place, second.Place) is { } github)
                    r.Report(github, app.Where("Source"));
            }
    }

    /// <summary>The constant repository name of <c>ContainerImage.FromEcr("…")</c> or <c>new ContainerImage("…")</c>.</summary>
    static string? ImageRepository(IOperation? image, DslSymbols dsl)
    {
        if (image is null) return null;
        IEnumerable<IArgumentOperation> arguments = Constants.Unwrap(image) switch
        {
            IInvocationOperation call when call.TargetMethod.Name == "FromEcr" => call.Arguments,
            IObjectCreationOperation create when dsl.Is(create.Type, dsl.ContainerImage) => create.Arguments,
            _ => [],
        };
        return arguments.FirstOrDefault(a => a.Parameter?.Ordinal == 0) is { } repository ? Constants.String(repository.Value) : null;
    }

    static void Env(Reporter r, Init env, DslSymbols dsl)
    {
        if (env.String("Name", null) is { } name && Checks.EnvironmentName(name) is { } badName) r.Report(badName, env.Where("Name"));
        var region = env.String("Region", null);
        var account = env.String("Account", null);
        if (region is not null && Checks.Region(region) is { } badRegion) r.Report(badRegion, env.Where("Region"));
        if (account is not null && Checks.Account(account) is { } badAccount) r.Report(badAccount, env.Where("Account"));

        if (r.Production && env.Object("Tasks") is { } tasksInit && tasksInit.Int("Min", null) is { } min && Checks.ProductionMinTasks(min) is { } few)
            r.Report(few, tasksInit.Where("Min"), tasksInit.Get("Min"), "2");

        if (env.Creation_("Certificate") is { } certificate)
        {
            if (dsl.Is(certificate.Type, dsl.IamServerCertificate)) r.Report(Checks.IamCertificateInUse(), env.Where("Certificate"));
            else if (dsl.Is(certificate.Type, dsl.RequestedCertificate) && Checks.RequestedCertificateWithoutDns(env.Has("Dns")) is { } noDns)
                r.Report(noDns, env.Where("Certificate"));
            else if (Init.Of(certificate).String("Arn", null) is { } arn && Checks.CertificateLocation(arn, region, account) is { } elsewhere)
                r.Report(elsewhere, env.Where("Certificate"));
        }
        else if ((region is not null || account is not null) && r.App is { } app && app.Creation_("LoadBalancer") is { } lb
                 && Init.Of(lb).Creation_("Certificate") is { } inherited && dsl.Is(inherited.Type, dsl.AcmCertificate)
                 && Init.Of(inherited).String("Arn", null) is { } inheritedArn && Checks.CertificateLocation(inheritedArn, region, account) is { } elsewhere)
        {
            r.Report(elsewhere, env.Where(region is not null ? "Region" : "Account"));
        }

        // The task size in force: the override's Cpu and MemoryMiB, else the app's. A wrong value the override wrote is
        // reported here; one the app wrote is reported on the app, for the environments that inherit it.
        var baseService = r.App?.Object("Service");
        var overrides = env.Object("Service");
        if (overrides is not null && (overrides.Has("Cpu") || overrides.Has("MemoryMiB")) && FargateSize(env, baseService, alone: false) is { } size
            && Same(size.Culprit, overrides))
            ReportSize(r, size);

        BlueGreenIncompatibilities(r, env, dsl);
        Exposure(r, env);

        var mainLatestAtName = false;
        if (r.Production && (overrides is null || overrides.Complete))
        {
            string? tag = overrides?.Has("ImageTag") == true ? overrides.String("ImageTag", null) : BaseImageTag(baseService, dsl);
            if (tag is not null && Checks.ImageTagInProduction(tag) is { } latest)
            {
                mainLatestAtName = overrides?.Has("ImageTag") != true;
                r.Report(latest, overrides?.Has("ImageTag") == true ? overrides.Where("ImageTag") : env.Where("Name"));
            }
        }
        ServiceOverrides(r, env, dsl, mainLatestAtName);
    }

    /// <summary>TPL0038, per environment: the settings in force (its own, else the app's) that break after a blue/green swap.</summary>
    static void BlueGreenIncompatibilities(Reporter r, Init env, DslSymbols dsl)
    {
        var deployment = env.Creation_("Deployment") ?? r.App?.Creation_("Deployment");
        if (deployment is null || !dsl.Is(deployment.Type, dsl.BlueGreenDeployment)) return;
        if (r.App?.Creation_("LoadBalancer") is { } lb && Init.Of(lb).EnumName("Http") == "Forward")
            r.Report(Checks.BlueGreenHttpForward(), env.Where("Name"));
        var scaling = env.Creation_("Scaling") ?? r.App?.Creation_("Scaling");
        if (scaling is not null && Init.Of(scaling).Has("RequestsPerTarget"))
            r.Report(Checks.BlueGreenRequestCount(), env.Where("Name"));
    }

    /// <summary>The app's default image tag, when it is a constant: <c>ContainerImage.FromEcr("repo")</c> means "latest".</summary>
    static string? BaseImageTag(Init? service, DslSymbols dsl)
    {
        if (service?.Get("Image") is not { } image) return null;
        image = Constants.Unwrap(image);
        IEnumerable<IArgumentOperation> arguments = image switch
        {
            IInvocationOperation call when call.TargetMethod.Name == "FromEcr" => call.Arguments,
            IObjectCreationOperation create when dsl.Is(create.Type, dsl.ContainerImage) => create.Arguments,
            _ => [],
        };
        var tag = arguments.FirstOrDefault(a => a.Parameter?.Name == "tag" || a.Parameter?.Name == "Tag");
        if (tag is null) return null;
        return tag.ArgumentKind == ArgumentKind.DefaultValue ? "latest" : Constants.String(tag.Value);
    }

    /// <summary>The type and member a factory's parameter sets (as the generator names them): <c>Secret.FromSsm(name)</c> sets SsmParameter.Name.</summary>
    static string? FactoryTarget(string method, IParameterSymbol parameter) => method switch
    {
        "FromEcr" => "ContainerImage." + Capitalize(parameter.Name),
        "FromSsm" => "SsmParameter.Name",
        "FromSecretsManager" => "SecretsManagerSecret.Name",
        _ => null,
    };

    /// <summary>TPL0040: a constant null passed to a DSL factory for a parameter that is not nullable (<c>ContainerImage.FromEcr(null!)</c>).</summary>
    static void NullArguments(Reporter r, string method, IEnumerable<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
            if (argument.Parameter is { } parameter && argument.ArgumentKind != ArgumentKind.DefaultValue && IsNullConstant(argument.Value)
                && parameter.Type.IsReferenceType && parameter.NullableAnnotation == NullableAnnotation.NotAnnotated && FactoryTarget(method, parameter) is { } target)
                r.Report(Checks.MissingValue(target), argument.Syntax.GetLocation());
    }

    /// <summary>TPL0040: a constant null given to a constructor parameter or a property that is not nullable (<c>new AcmCertificate(null!)</c>, <c>Address = null!</c>).</summary>
    static void NullMembers(Reporter r, INamedTypeSymbol type, IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
            if (argument.Parameter is { } parameter && argument.ArgumentKind != ArgumentKind.DefaultValue && IsNullConstant(argument.Value)
                && parameter.Type.IsReferenceType && parameter.NullableAnnotation == NullableAnnotation.NotAnnotated)
                r.Report(Checks.MissingValue($"{type.Name}.{Capitalize(parameter.Name)}"), argument.Syntax.GetLocation());
        if (creation.Initializer is null) return;
        foreach (var initializer in creation.Initializer.Initializers)
            if (initializer is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: var property } } assignment && IsNullConstant(assignment.Value)
                && property.Type.IsReferenceType && property.NullableAnnotation == NullableAnnotation.NotAnnotated)
                r.Report(Checks.MissingValue($"{type.Name}.{property.Name}"), assignment.Syntax.GetLocation());
    }

    static bool IsNullConstant(IOperation value)
    {
        var constant = Constants.Unwrap(value).ConstantValue;
        return constant.HasValue && constant.Value is null;
    }

    static string Capitalize(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name.Substring(1);

    static void NewVpc(Reporter r, Init vpc)
    {
        if (vpc.Int("AvailabilityZones", 2) is { } zones && Checks.AvailabilityZones(zones) is { } v)
            r.Report(v, vpc.Where("AvailabilityZones"), vpc.Get("AvailabilityZones"), zones < 2 ? "2" : "6");
        if (vpc.String("Cidr", "10.0.0.0/16") is { } cidr)
        {
            if (Checks.VpcCidr(cidr) is { } badCidr) r.Report(badCidr, vpc.Where("Cidr"));
            else if (Checks.LoadBalancerSubnetSize(cidr) is { } small)
                r.Report(small, vpc.Where("Cidr"), vpc.Get("Cidr"), Checks.SuggestedLoadBalancerCidr(cidr) is { } wider ? Literal(wider) : null);
        }
    }

    static void ExistingVpc(Reporter r, Init vpc)
    {
        if (vpc.String("VpcId", null) is { } id && Checks.VpcId(id) is { } badVpc) r.Report(badVpc, vpc.Where("VpcId"));
        foreach (var list in new[] { "PublicSubnetIds", "PrivateSubnetIds" })
        {
            var subnets = vpc.Elements(list).ToList();
            foreach (var subnet in subnets)
                if (Constants.String(subnet) is { } subnetId && Checks.SubnetId(subnetId) is { } bad) r.Report(bad, subnet.Syntax.GetLocation());
            if (subnets.Count > 0 && (list == "PublicSubnetIds" || vpc.EnumName("TaskSubnets") == "Private") && Checks.SubnetCount(list, subnets.Count) is { } few)
                r.Report(few, vpc.Where(list));
        }
    }

    /// <summary>
    /// The settings every container has (<see cref="Checks"/> on the task size, storage, port, logs, variables, user and paths),
    /// on the app's Service, one of its Services (<paramref name="appService"/>), or an environment's override of either.
    /// </summary>
    static void Service(Reporter r, Init s, bool overrides, bool appService = false)
    {
        var name = appService ? s.String("Name", null) : null;
        if (!overrides) Hardening(r, s);
        if (!overrides)
        {
            // The app's task size counts for each environment with the values in force there (an environment may replace
            // Cpu, MemoryMiB or both); seen alone when no environment can be seen.
            var environments = r.App is not null && r.Env is null ? r.Environments(r.App) : null;
            if (environments is null)
            {
                if (FargateSize(null, s, alone: true) is { } size) ReportSize(r, size);
            }
            else
            {
                foreach (var group in environments.Select(e => (Env: e, Size: FargateSize(e, s, alone: false, appService, name)))
                             .Where(x => x.Size is { } size && Same(size.Culprit, s)).GroupBy(x => x.Size!.Violation.Message))
                {
                    var size = group.First().Size!;
                    r.ReportFor(group.Select(x => x.Env), size.Violation, s.Where(size.Setting), s.Get(size.Setting), size.Replacement);
                }
            }
        }
        else if (r.Env is null && s.Has("Cpu") && s.Has("MemoryMiB") && FargateSize(null, s, alone: true) is { } size)
        {
            ReportSize(r, size);
        }
        if (s.Has("EphemeralStorageGiB") && s.Int("EphemeralStorageGiB", null) is { } storage && Checks.EphemeralStorage(storage) is { } badStorage)
            r.Report(badStorage, s.Where("EphemeralStorageGiB"), s.Get("EphemeralStorageGiB"), Number(Math.Min(200, Math.Max(21, storage))), setting: "EphemeralStorageGiB");
        if (!overrides && s.Int("Port", null) is { } port && Checks.ContainerPort(port) is { } badPort) r.Report(badPort, s.Where("Port"));
        if (s.Has("LogRetentionDays") && s.Int("LogRetentionDays", null) is { } days && Checks.LogRetention(days) is { } badDays)
            r.Report(badDays, s.Where("LogRetentionDays"), s.Get("LogRetentionDays"), Number(NearestRetention(days)), setting: "LogRetentionDays");
        foreach (var (key, value, syntax) in s.Entries("EnvironmentVariables"))
        {
            if (key is null) continue;
            if (Checks.VariableName(key) is { } badKey) r.Report(badKey, syntax.GetLocation(), setting: $"EnvironmentVariables[{key}]");
            if (Constants.String(value) is { } text && Checks.PlainEnvironmentVariable(key, text) is { } secret)
                r.Report(secret, syntax.GetLocation(), setting: $"EnvironmentVariables[{key}]");
        }
        if (overrides && s.Has("ImageTag") && s.String("ImageTag", null) is { } tag && Checks.ImageTag(tag) is { } badTag) r.Report(badTag, s.Where("ImageTag"));
        foreach (var (key, _, syntax) in s.Entries("Secrets"))
            if (key is not null && Checks.VariableName(key) is { } badKey) r.Report(badKey, syntax.GetLocation(), setting: $"Secrets[{key}]");
    }

    /// <summary>A task size Fargate does not offer, the object that wrote the wrong value, which member, and the fix.</summary>
    sealed class Size(Violation violation, Init culprit, string setting, string? replacement)
    {
        public Violation Violation { get; } = violation;
        public Init Culprit { get; } = culprit;
        public string Setting { get; } = setting;
        public string? Replacement { get; } = replacement;
    }

    /// <summary>
    /// The task size in force in an environment (its override's Cpu and MemoryMiB, else the app's <paramref name="service"/>'s),
    /// judged by TPL0003; with <paramref name="alone"/>, missing values take the DSL's defaults. Null when it is fine or not
    /// a compile-time constant.
    /// </summary>
    static Size? FargateSize(Init? env, Init? service, bool alone, bool appService = false, string? name = null)
    {
        Init? overrides = null;
        if (env is not null && !appService && env.MaySet("Service"))
        {
            overrides = env.Object("Service");
            if (overrides is null || !overrides.Complete) return null; // overrides the analyzer cannot see
        }
        else if (env is not null && appService)
        {
            // One of the app's services: its override is the environment's Services[name]; turned off there, it is not judged.
            if (name is null) { if (env.MaySet("Services")) return null; }
            else
            {
                var (o, unknown, running) = Reporter.ServiceOverride(env, name);
                if (unknown || !running) return null;
                overrides = o;
            }
        }
        // The object whose value is in force for a member: the override's when it sets it, else the app's service (null: unseen).
        Init? From(string member) => overrides is not null && overrides.Has(member) ? overrides : service;
        var cpuFrom = From("Cpu");
        var memoryFrom = From("MemoryMiB");
        int? cpu = cpuFrom is not null ? cpuFrom.Int("Cpu", 256) : alone ? 256 : null;
        int? memory = memoryFrom is not null ? memoryFrom.Int("MemoryMiB", 512) : alone ? 512 : null;
        if (cpu is not { } c || memory is not { } m || Checks.FargateCpuMemory(c, m) is not { } v) return null;
        var culprit = v.Setting == "Cpu" ? cpuFrom : memoryFrom;
        if (culprit is null) return null;
        var replacement = v.Setting == "MemoryMiB" && culprit.Has("MemoryMiB") && Checks.NearestFargateMemory(c, m) is { } nearest ? Number(nearest) : null;
        return new Size(v, culprit, v.Setting!, replacement);
    }

    static bool Same(Init? a, Init? b) => a is not null && b is not null && a.Operation.Syntax == b.Operation.Syntax;

    static void ReportSize(Reporter r, Size size) =>
        r.Report(size.Violation, size.Culprit.Where(size.Setting), size.Culprit.Get(size.Setting), size.Replacement);

    static int NearestRetention(int days)
    {
        int[] allowed = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
        return allowed.OrderBy(a => Math.Abs(a - days)).First();
    }

    static void HealthCheck(Reporter r, Init hc)
    {
        if (hc.String("Path", "/") is { } path && Checks.HealthCheckPath(path) is { } badPath)
            r.Report(badPath, hc.Where("Path"), hc.Get("Path"), Checks.HealthCheckPath("/" + path) is null ? Literal("/" + path) : null);
        if (hc.Int("IntervalSeconds", 15) is { } interval && hc.Int("TimeoutSeconds", 5) is { } timeout
            && hc.Int("HealthyThreshold", 2) is { } healthy && hc.Int("UnhealthyThreshold", 3) is { } unhealthy
            && Checks.HealthCheckTiming(interval, timeout, healthy, unhealthy) is { } badTiming)
        {
            // Point at the setting that is wrong; offer a fix when the interval is simply too short.
            var at = badTiming.Setting == "IntervalSeconds" && interval <= timeout && interval is >= 5 and <= 300 && !hc.Has("IntervalSeconds") ? "TimeoutSeconds" : badTiming.Setting!;
            var fix = at == "IntervalSeconds" && interval <= timeout && timeout + 5 <= 300 ? Number(timeout + 5) : null;
            r.Report(badTiming, hc.Where(at), hc.Get(at), fix);
        }
        if (hc.String("SuccessCodes", "200") is { } codes && Checks.HealthCheckCodes(codes) is { } badCodes) r.Report(badCodes, hc.Where("SuccessCodes"));
    }

    static void LoadBalancer(Reporter r, Init lb, DslSymbols dsl)
    {
        if (lb.String("TlsPolicy", "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09") is { } policy && Checks.TlsPolicy(policy) is { } badPolicy)
            r.Report(badPolicy, lb.Where("TlsPolicy"), lb.Get("TlsPolicy"), "TlsPolicies.Recommended");
        if (lb.EnumName("Http") == "Forward") r.Report(Checks.HttpWithoutRedirect(), lb.Where("Http"), lb.Get("Http"), "HttpPort.RedirectToHttps");
        if (lb.Has("HstsMaxAgeSeconds") && lb.Int("HstsMaxAgeSeconds", null) is { } hsts && Checks.HstsMaxAge(hsts) is { } badHsts)
            r.Report(badHsts, lb.Where("HstsMaxAgeSeconds"), lb.Get("HstsMaxAgeSeconds"), "31536000");
        if (lb.Has("IdleTimeoutSeconds") && lb.Int("IdleTimeoutSeconds", null) is { } idle && Checks.IdleTimeout(idle) is { } badIdle)
            r.Report(badIdle, lb.Where("IdleTimeoutSeconds"), lb.Get("IdleTimeoutSeconds"), Number(Math.Min(4000, Math.Max(1, idle))));
        if (lb.Creation_("Certificate") is { } certificate && dsl.Is(certificate.Type, dsl.IamServerCertificate))
            r.Report(Checks.IamCertificateInUse(), lb.Where("Certificate"), setting: "Certificate");
        if (lb.Creation_("Certificate") is { } requested && dsl.Is(requested.Type, dsl.RequestedCertificate))
            r.Report(Checks.RequestedCertificateWithoutDns(false)!, lb.Where("Certificate"), setting: "Certificate", concerns: e => !e.MaySet("Dns"));
    }

    static void Certificate(Reporter r, Init certificate, bool acm)
    {
        if (certificate.String("Arn", null) is not { } arn) return;
        var v = acm ? Checks.AcmCertificateArn(arn) : Checks.IamCertificateArn(arn);
        if (v is not null) r.Report(v, certificate.Where("Arn"));
    }

    static void Scaling(Reporter r, Init s)
    {
        if (s.Int("CpuTargetPercent", 60) is { } cpu && Checks.UtilizationTarget("CpuTargetPercent", cpu) is { } badCpu)
            r.Report(badCpu, s.Where("CpuTargetPercent"), s.Get("CpuTargetPercent"), s.Has("CpuTargetPercent") ? "60" : null);
        if (s.Has("MemoryTargetPercent") && s.Int("MemoryTargetPercent", null) is { } memory && Checks.UtilizationTarget("MemoryTargetPercent", memory) is { } badMemory)
            r.Report(badMemory, s.Where("MemoryTargetPercent"), s.Get("MemoryTargetPercent"), "70");
        if (s.Has("RequestsPerTarget") && s.Int("RequestsPerTarget", null) is { } requests && Checks.RequestsTarget(requests) is { } badRequests)
            r.Report(badRequests, s.Where("RequestsPerTarget"));
        foreach (var name in new[] { "ScaleInCooldownSeconds", "ScaleOutCooldownSeconds" })
            if (s.Has(name) && s.Int(name, null) is { } cooldown && Checks.Cooldown(name, cooldown) is { } badCooldown)
                r.Report(badCooldown, s.Where(name), s.Get(name), "0");
    }

    static void Rolling(Reporter r, Init d)
    {
        if (d.Int("MinimumHealthyPercent", 100) is { } min && d.Int("MaximumPercent", 200) is { } max && Checks.RollingDeployment(min, max) is { } v)
        {
            var at = v.Setting!;
            r.Report(v, d.Where(at), d.Get(at), at == "MinimumHealthyPercent" ? "100" : "200");
        }
        DeploymentTiming(r, d);
    }

    static void Tasks(Reporter r, Init tasks)
    {
        if (tasks.Int("Min", null) is { } min && tasks.Int("Max", null) is { } max && Checks.TaskBounds(min, max) is { } v)
            r.Report(v, tasks.Where(v.Setting!), min > max && min >= 0 && max >= 1 ? tasks.Get("Min") : null, min > max && min >= 0 && max >= 1 ? Number(max) : null);
    }

    static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    static string Literal(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);
}
