using Templates.Rules;

namespace Templates.Generation.Model;

/// <summary>
/// Runs every rule on every environment of an app, on the values in force after overrides, so that values that
/// came from variables or configuration (which the analyzers cannot see) are checked too.
/// </summary>
public static class ModelValidator
{
    /// <summary>All findings, in declaration order; a finding that several environments share is reported once, naming them all.</summary>
    public static IReadOnlyList<Finding> Validate(App app)
    {
        // A null where a value is required stops the other rules, which read the values (TPL0040; it cannot be accepted).
        var missing = MissingValues.Find(app);
        if (missing.Count > 0) return missing;

        var raw = new List<Finding>();
        var appName = app.Name;

        if (Checks.AppName(app.Name) is { } badName) raw.Add(Make(badName, false, null, "App name", appName));
        if (app.Environments.Count == 0) raw.Add(Make(Checks.NoEnvironment(), false, null, "Environments", appName));
        // Not acceptable: the services' resources rest on names that hold (see NotAcceptable).
        raw.AddRange(ServiceValidator.ValidateNames(app));
        // The per-environment rules need names they can tell apart.
        if (raw.Any(f => f.Rule == RuleCatalog.TPL0070_ServiceName)) return raw;

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var env in app.Environments)
        {
            if (!seen.Add(env.Name)) raw.Add(Make(Checks.DuplicateEnvironment(env.Name)!, false, env.Name, "Environments", appName));
            var accepted = app.Accept.Concat(env.Accept).Select(a => a.RuleId).ToHashSet(StringComparer.Ordinal);
            raw.AddRange(ValidateEnvironment(EnvironmentModel.Resolve(app, env)).Where(f => !accepted.Contains(f.Rule.Id) || NotAcceptable.Contains(f.Rule)));
        }

        // Judged whatever else is wrong, as the analyzer judges them (a property test holds the two moments to the same IDs).
        var acceptedByApp = app.Accept.Select(a => a.RuleId).ToHashSet(StringComparer.Ordinal);
        raw.AddRange(Collisions.WithinApp(app).Where(f => !acceptedByApp.Contains(f.Rule.Id)));

        // Merge what several environments share (a bad app-level value is one mistake, not three).
        var merged = new List<Finding>();
        foreach (var finding in raw)
        {
            var twin = merged.FindIndex(f => f.Rule == finding.Rule && f.Severity == finding.Severity && f.Setting == finding.Setting && f.Message == finding.Message && f.Fix == finding.Fix);
            if (twin < 0) merged.Add(finding);
            else merged[twin] = merged[twin] with { Environments = [.. merged[twin].Environments.Concat(finding.Environments).Distinct()] };
        }
        return merged;
    }

    /// <summary>
    /// Rules an <see cref="Accepted"/> does not silence at emit time, besides TPL0040: the stack's services are built from
    /// their names, references and routes, and a definition breaking them cannot be built at all (a duplicate name, a call to a
    /// worker as if it were a backend, a listener rule without a condition).
    /// </summary>
    static readonly HashSet<Rule> NotAcceptable = [RuleCatalog.TPL0070_ServiceName, RuleCatalog.TPL0071_ServiceReference, RuleCatalog.TPL0072_Route];

    static Finding Make(Violation v, bool production, string? env, string setting, string app) =>
        new(v.Rule, v.Rule.SeverityFor(production), app, env is null ? [] : [env], setting, v.Message, v.Fix);

    /// <summary>The findings for one environment.</summary>
    public static IEnumerable<Finding> ValidateEnvironment(EnvironmentModel m)
    {
        var env = m.Env;
        var o = env.Service;
        var findings = new List<Finding>();
        void Report(Violation? violation, string setting)
        {
            if (violation is not null) findings.Add(Make(violation, env.IsProduction, env.Name, setting, m.App.Name));
        }
        // A rule over several values of one object names the value that is wrong (Violation.Setting) under the object's path.
        void ReportIn(Violation? violation, string objectSetting) =>
            Report(violation, violation?.Setting is { } member ? $"{objectSetting}.{member}" : objectSetting);
        // The setting named in a finding is where the value was written: the environment's override, or the app.
        string Service(string name, bool overridden) => overridden ? $"Environments[{env.Name}].Service.{name}" : $"Service.{name}";
        string Whole(string section, bool overridden) => overridden ? $"Environments[{env.Name}].{section}" : section;

        Report(Checks.EnvironmentName(env.Name), $"Environments[{env.Name}]");
        if (env.Region is not null) Report(Checks.Region(env.Region), $"Environments[{env.Name}].Region");
        if (env.Account is not null) Report(Checks.Account(env.Account), $"Environments[{env.Name}].Account");

        var networkSetting = Whole("Network", env.Network is not null);
        switch (m.Network)
        {
            case NewVpc vpc:
                Report(Checks.AvailabilityZones(vpc.AvailabilityZones), networkSetting + ".AvailabilityZones");
                Report(Checks.VpcCidr(vpc.Cidr), networkSetting + ".Cidr");
                Report(Checks.LoadBalancerSubnetSize(vpc.Cidr), networkSetting + ".Cidr");
                if (vpc.FlowLogs is { Enabled: true } flowLogs) Report(Checks.FlowLogRetention(flowLogs.RetentionDays), networkSetting + ".FlowLogs.RetentionDays");
                break;
            case ExistingVpc existing:
                if (existing.VpcId is not null) Report(Checks.VpcId(existing.VpcId), networkSetting + ".VpcId");
                foreach (var id in existing.PublicSubnetIds) Report(Checks.SubnetId(id), networkSetting + ".PublicSubnetIds");
                foreach (var id in existing.PrivateSubnetIds) Report(Checks.SubnetId(id), networkSetting + ".PrivateSubnetIds");
                if (existing.PublicSubnetIds.Count > 0) Report(Checks.SubnetCount(networkSetting + ".PublicSubnetIds", existing.PublicSubnetIds.Count), networkSetting + ".PublicSubnetIds");
                if (existing.TaskSubnets == TaskSubnets.Private && existing.PrivateSubnetIds.Count > 0)
                    Report(Checks.SubnetCount(networkSetting + ".PrivateSubnetIds", existing.PrivateSubnetIds.Count), networkSetting + ".PrivateSubnetIds");
                break;
        }

        findings.AddRange(ValidateContainer(m, m.Service, o, "Service", $"Environments[{env.Name}].Service"));
        findings.AddRange(ValidateHealthCheck(m, m.Service.HealthCheck, Service("HealthCheck", o?.HealthCheck is not null)));
        findings.AddRange(ServiceValidator.ValidateServices(m));

        var lb = m.LoadBalancer;
        var certSetting = env.Certificate is not null ? $"Environments[{env.Name}].Certificate" : "LoadBalancer.Certificate";
        switch (lb.Certificate)
        {
            case AcmCertificate acm:
                Report(Checks.AcmCertificateArn(acm.Arn), certSetting);
                Report(Checks.CertificateLocation(acm.Arn, env.Region, env.Account), certSetting);
                break;
            case IamServerCertificate iam:
                Report(Checks.IamCertificateArn(iam.Arn), certSetting);
                Report(Checks.IamCertificateInUse(), certSetting);
                break;
            case RequestedCertificate:
                // No ARN to check: the stack requests it for the environment's DNS name.
                Report(Checks.RequestedCertificateWithoutDns(env.Dns is not null), certSetting);
                break;
        }
        if (env.Dns is { } dns)
        {
            Report(Checks.DnsName(dns.Name), $"Environments[{env.Name}].Dns.Name");
            Report(Checks.HostedZoneId(dns.HostedZoneId), $"Environments[{env.Name}].Dns.HostedZoneId");
        }
        Report(Checks.TlsPolicy(lb.TlsPolicy), "LoadBalancer.TlsPolicy");
        if (lb.Http == HttpPort.Forward) Report(Checks.HttpWithoutRedirect(), "LoadBalancer.Http");
        Report(Checks.IdleTimeout(lb.IdleTimeoutSeconds), "LoadBalancer.IdleTimeoutSeconds");
        if (lb.HstsMaxAgeSeconds is { } hsts) Report(Checks.HstsMaxAge(hsts), "LoadBalancer.HstsMaxAgeSeconds");
        // The access logs in force (the environment's replace the app's); one turned off is not judged.
        if ((env.AccessLogs ?? lb.AccessLogs) is { Enabled: true } accessLogs)
            Report(Checks.AccessLogExpiration(accessLogs.ExpirationDays), (env.AccessLogs is not null ? $"Environments[{env.Name}]" : "LoadBalancer") + ".AccessLogs.ExpirationDays");
        if (env.WebAcl is { } webAcl)
        {
            Report(Checks.RateLimitRequests(webAcl.RateLimitRequests), $"Environments[{env.Name}].WebAcl.RateLimitRequests");
            Report(Checks.RateLimitWindow(webAcl.RateLimitWindowSeconds), $"Environments[{env.Name}].WebAcl.RateLimitWindowSeconds");
        }
        Report(Checks.AllowedCidrs(env.AllowedCidrs), $"Environments[{env.Name}].AllowedCidrs");
        Report(Checks.OpenWithoutWebAcl(env.WebAcl is not null, env.AllowedCidrs.Count, env.IsProduction), $"Environments[{env.Name}].WebAcl");
        if (m.Deployment is BlueGreenDeployment)
        {
            if (lb.Http == HttpPort.Forward) Report(Checks.BlueGreenHttpForward(), "LoadBalancer.Http");
            if (m.Scaling.RequestsPerTarget is not null) Report(Checks.BlueGreenRequestCount(), Whole("Scaling", env.Scaling is not null) + ".RequestsPerTarget");
        }

        var tasksSetting = $"Environments[{env.Name}].Tasks";
        ReportIn(Checks.TaskBounds(env.Tasks.Min, env.Tasks.Max), tasksSetting);
        if (env.IsProduction) Report(Checks.ProductionMinTasks(env.Tasks.Min), tasksSetting + ".Min");

        var scalingSetting = Whole("Scaling", env.Scaling is not null);
        var sc = m.Scaling;
        Report(Checks.UtilizationTarget("CpuTargetPercent", sc.CpuTargetPercent), scalingSetting + ".CpuTargetPercent");
        if (sc.MemoryTargetPercent is { } memory) Report(Checks.UtilizationTarget("MemoryTargetPercent", memory), scalingSetting + ".MemoryTargetPercent");
        if (sc.RequestsPerTarget is { } requests) Report(Checks.RequestsTarget(requests), scalingSetting + ".RequestsPerTarget");
        Report(Checks.Cooldown("ScaleInCooldownSeconds", sc.ScaleInCooldownSeconds), scalingSetting + ".ScaleInCooldownSeconds");
        Report(Checks.Cooldown("ScaleOutCooldownSeconds", sc.ScaleOutCooldownSeconds), scalingSetting + ".ScaleOutCooldownSeconds");

        var alarmsSetting = Whole("Alarms", env.Alarms is not null);
        var al = m.Alarms;
        foreach (var threshold in Checks.AlarmThresholds(al.LoadBalancer5xxPercent, al.Target5xxPercent, al.MinimumRequestsPerMinute,
                     al.ResponseTimeP99Milliseconds, al.UnhealthyTasks, al.CpuPercent, al.MemoryPercent))
            Report(threshold, alarmsSetting + "." + threshold.Setting);
        if (al.Alerts is EmailAlerts email) Report(Checks.AlertAddress(email.Address), alarmsSetting + ".Alerts.Address");
        Report(Checks.AlarmRollback(al.RollbackOnAlarm, env.IsProduction), alarmsSetting + ".RollbackOnAlarm");

        if (m.App.Mail is { } mail)
        {
            Report(Checks.MailSender(mail.Address), "Mail.Address");
            Report(Checks.VariableName(mail.EnvironmentVariable), "Mail.EnvironmentVariable");
        }
        if (m.App.Repository is NewRepository repository) Report(Checks.KeepImages(repository.KeepImages), "Repository.KeepImages");
        if (m.App.Source is { } source)
        {
            Report(Checks.SourceRepository(source.Repository), "Source.Repository");
            if (source.ConnectionArn is { } connection) Report(Checks.ConnectionArn(connection), "Source.ConnectionArn");
        }
        if (env.Pipeline is { } pipeline)
        {
            var pipelineSetting = $"Environments[{env.Name}].Pipeline";
            if (m.App.Source is null) Report(Checks.PipelineWithoutSource(), pipelineSetting);
            Report(Checks.PipelineBranch(pipeline.Branch), pipelineSetting + ".Branch");
            Report(Checks.BuildTimeout(pipeline.BuildTimeoutMinutes), pipelineSetting + ".BuildTimeoutMinutes");
            if (pipeline.AlsoTagAs is { } tag)
            {
                Report(Checks.ImageTag(tag), pipelineSetting + ".AlsoTagAs");
                Report(Checks.ImmutableFixedTag(m.App.Repository is NewRepository { TagMutability: TagMutability.Immutable }, tag), pipelineSetting + ".AlsoTagAs");
            }
        }

        var deploymentSetting = Whole("Deployment", env.Deployment is not null);
        ReportIn(Checks.DeploymentTiming(m.Deployment.HealthCheckGracePeriodSeconds, m.Deployment.DeregistrationDelaySeconds), deploymentSetting);
        if (m.Deployment is RollingDeployment rolling) ReportIn(Checks.RollingDeployment(rolling.MinimumHealthyPercent, rolling.MaximumPercent), deploymentSetting);
        if (m.Deployment is BlueGreenDeployment blueGreen)
        {
            Report(Checks.BakeTime(blueGreen.BakeTimeMinutes), deploymentSetting + ".BakeTimeMinutes");
            if (env.IsProduction) Report(Checks.ProductionBakeTime(blueGreen.BakeTimeMinutes), deploymentSetting + ".BakeTimeMinutes");
        }
        return findings;
    }

    /// <summary>
    /// The findings on one container's settings (the app's Service or one of its Services) after the environment's overrides
    /// <paramref name="o"/>: a setting is named under <paramref name="appPath"/> where the app wrote it, or under
    /// <paramref name="envPath"/> where the environment overrode it.
    /// </summary>
    internal static List<Finding> ValidateContainer(EnvironmentModel m, ContainerTask s, ServiceOverrides? o, string appPath, string envPath)
    {
        var env = m.Env;
        var findings = new List<Finding>();
        void Report(Violation? violation, string setting)
        {
            if (violation is not null) findings.Add(Make(violation, env.IsProduction, env.Name, setting, m.App.Name));
        }
        string Service(string name, bool overridden) => overridden ? $"{envPath}.{name}" : $"{appPath}.{name}";

        Report(Checks.EcrRepositoryName(s.Image.Repository), $"{appPath}.Image");
        if (Checks.FargateCpuMemory(s.Cpu, s.MemoryMiB) is { } size)
            Report(size, Service(size.Setting!, size.Setting == "Cpu" ? o?.Cpu is not null : o?.MemoryMiB is not null));
        if (s.EphemeralStorageGiB is { } storage) Report(Checks.EphemeralStorage(storage), Service("EphemeralStorageGiB", o?.EphemeralStorageGiB is not null));
        if (PortOf(s) is { } port) Report(Checks.ContainerPort(port), $"{appPath}.Port");
        if (s.User is { } user) Report(Checks.ContainerUser(user), $"{appPath}.User");
        Report(Checks.WritablePaths(s.WritablePaths), $"{appPath}.WritablePaths");
        if (Checks.ContainerHardening(s.User, s.ReadOnlyRootFilesystem, env.IsProduction) is { } hardening) Report(hardening, $"{appPath}." + hardening.Setting);
        Report(Checks.LogRetention(s.LogRetentionDays), Service("LogRetentionDays", o?.LogRetentionDays is not null));
        foreach (var (name, value) in s.EnvironmentVariables.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var setting = Service("EnvironmentVariables", o?.EnvironmentVariables.ContainsKey(name) == true) + $"[{name}]";
            Report(Checks.VariableName(name), setting);
            Report(Checks.PlainEnvironmentVariable(name, value), setting);
        }
        foreach (var name in s.Secrets.Keys.Order(StringComparer.Ordinal))
            Report(Checks.VariableName(name), Service("Secrets", o?.Secrets.ContainsKey(name) == true) + $"[{name}]");
        var tagSetting = Service(o?.ImageTag is not null ? "ImageTag" : "Image", o?.ImageTag is not null);
        Report(Checks.ImageTag(s.Image.Tag), tagSetting);
        if (env.IsProduction) Report(Checks.ImageTagInProduction(s.Image.Tag), tagSetting);

        return findings;
    }

    /// <summary>The findings on a target group's health check, named under <paramref name="setting"/>.</summary>
    internal static IEnumerable<Finding> ValidateHealthCheck(EnvironmentModel m, HealthCheck hc, string setting)
    {
        if (Checks.HealthCheckPath(hc.Path) is { } path) yield return Make(path, m, setting + ".Path");
        if (Checks.HealthCheckTiming(hc.IntervalSeconds, hc.TimeoutSeconds, hc.HealthyThreshold, hc.UnhealthyThreshold) is { } timing)
            yield return Make(timing, m, timing.Setting is { } member ? $"{setting}.{member}" : setting);
        if (Checks.HealthCheckCodes(hc.SuccessCodes) is { } codes) yield return Make(codes, m, setting + ".SuccessCodes");
    }

    /// <summary>The port a container listens on, for those that have one.</summary>
    internal static int? PortOf(ContainerTask s) => s switch
    {
        FargateService f => f.Port,
        WebService w => w.Port,
        BackendService b => b.Port,
        _ => null,
    };

    internal static Finding Make(Violation v, EnvironmentModel m, string setting) => Make(v, m.Env.IsProduction, m.Env.Name, setting, m.App.Name);
}
