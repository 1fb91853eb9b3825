using Microsoft.CodeAnalysis;

namespace Templates.Analyzers;

/// <summary>The DSL's types, resolved once per compilation.</summary>
internal sealed class DslSymbols
{
    DslSymbols(Compilation c, INamedTypeSymbol app)
    {
        App = app;
        Env = c.GetTypeByMetadataName("Templates.Env");
        NewVpc = c.GetTypeByMetadataName("Templates.NewVpc");
        ExistingVpc = c.GetTypeByMetadataName("Templates.ExistingVpc");
        FargateService = c.GetTypeByMetadataName("Templates.FargateService");
        ServiceOverrides = c.GetTypeByMetadataName("Templates.ServiceOverrides");
        HealthCheck = c.GetTypeByMetadataName("Templates.HealthCheck");
        LoadBalancer = c.GetTypeByMetadataName("Templates.LoadBalancer");
        AcmCertificate = c.GetTypeByMetadataName("Templates.AcmCertificate");
        IamServerCertificate = c.GetTypeByMetadataName("Templates.IamServerCertificate");
        ContainerImage = c.GetTypeByMetadataName("Templates.ContainerImage");
        Scaling = c.GetTypeByMetadataName("Templates.Scaling");
        RollingDeployment = c.GetTypeByMetadataName("Templates.RollingDeployment");
        TaskCount = c.GetTypeByMetadataName("Templates.TaskCount");
        Accepted = c.GetTypeByMetadataName("Templates.Accepted");
        MailSender = c.GetTypeByMetadataName("Templates.MailSender");
        GitHubSource = c.GetTypeByMetadataName("Templates.GitHubSource");
        Pipeline = c.GetTypeByMetadataName("Templates.Pipeline");
        NewRepository = c.GetTypeByMetadataName("Templates.NewRepository");
        BlueGreenDeployment = c.GetTypeByMetadataName("Templates.BlueGreenDeployment");
        DnsName = c.GetTypeByMetadataName("Templates.DnsName");
        RequestedCertificate = c.GetTypeByMetadataName("Templates.RequestedCertificate");
        Alarms = c.GetTypeByMetadataName("Templates.Alarms");
        EmailAlerts = c.GetTypeByMetadataName("Templates.EmailAlerts");
        AccessLogs = c.GetTypeByMetadataName("Templates.AccessLogs");
        FlowLogs = c.GetTypeByMetadataName("Templates.FlowLogs");
        WebAcl = c.GetTypeByMetadataName("Templates.WebAcl");
        AppService = c.GetTypeByMetadataName("Templates.AppService");
        WebService = c.GetTypeByMetadataName("Templates.WebService");
        BackendService = c.GetTypeByMetadataName("Templates.BackendService");
        Worker = c.GetTypeByMetadataName("Templates.Worker");
        ScheduledJob = c.GetTypeByMetadataName("Templates.ScheduledJob");
        WorkQueue = c.GetTypeByMetadataName("Templates.WorkQueue");
        Route = c.GetTypeByMetadataName("Templates.Route");
    }

    public INamedTypeSymbol App { get; }
    public INamedTypeSymbol? Env { get; }
    public INamedTypeSymbol? NewVpc { get; }
    public INamedTypeSymbol? ExistingVpc { get; }
    public INamedTypeSymbol? FargateService { get; }
    public INamedTypeSymbol? ServiceOverrides { get; }
    public INamedTypeSymbol? HealthCheck { get; }
    public INamedTypeSymbol? LoadBalancer { get; }
    public INamedTypeSymbol? AcmCertificate { get; }
    public INamedTypeSymbol? IamServerCertificate { get; }
    public INamedTypeSymbol? ContainerImage { get; }
    public INamedTypeSymbol? Scaling { get; }
    public INamedTypeSymbol? RollingDeployment { get; }
    public INamedTypeSymbol? TaskCount { get; }
    public INamedTypeSymbol? Accepted { get; }
    public INamedTypeSymbol? MailSender { get; }
    public INamedTypeSymbol? GitHubSource { get; }
    public INamedTypeSymbol? Pipeline { get; }
    public INamedTypeSymbol? NewRepository { get; }
    public INamedTypeSymbol? BlueGreenDeployment { get; }
    public INamedTypeSymbol? DnsName { get; }
    public INamedTypeSymbol? RequestedCertificate { get; }
    public INamedTypeSymbol? Alarms { get; }
    public INamedTypeSymbol? EmailAlerts { get; }
    public INamedTypeSymbol? AccessLogs { get; }
    public INamedTypeSymbol? FlowLogs { get; }
    public INamedTypeSymbol? WebAcl { get; }
    public INamedTypeSymbol? AppService { get; }
    public INamedTypeSymbol? WebService { get; }
    public INamedTypeSymbol? BackendService { get; }
    public INamedTypeSymbol? Worker { get; }
    public INamedTypeSymbol? ScheduledJob { get; }
    public INamedTypeSymbol? WorkQueue { get; }
    public INamedTypeSymbol? Route { get; }

    /// <summary>The kind of one of an app's services (<c>WebService</c>, <c>BackendService</c>, <c>Worker</c>, <c>ScheduledJob</c>), as the generator names it; null for any other type.</summary>
    public string? ServiceKind(ITypeSymbol? type) =>
        Is(type, WebService) ? "WebService" : Is(type, BackendService) ? "BackendService" : Is(type, Worker) ? "Worker" : Is(type, ScheduledJob) ? "ScheduledJob" : null;

    /// <summary>The DSL's symbols, or null when the compilation does not reference the DSL.</summary>
    public static DslSymbols? Resolve(Compilation compilation) =>
        compilation.GetTypeByMetadataName("Templates.App") is { } app ? new DslSymbols(compilation, app) : null;

    public bool Is(ITypeSymbol? type, INamedTypeSymbol? dslType) =>
        type is not null && dslType is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, dslType);

    /// <summary>Whether the type is declared in the DSL assembly (a cheap filter before the type switch).</summary>
    public bool IsDslType(INamedTypeSymbol type) => SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, App.ContainingAssembly);
}
