using System.Text.Json.Nodes;
using Templates.Generation;
using Templates.Generation.Diff;

namespace Templates.Tests;

/// <summary>
/// Logical IDs are a contract: every DSL setting of the guide's definition is changed one at a time, the four stacks are emitted
/// and diffed against the guide's, and (1) no stateful resource's logical ID changes (none removed while one of its type is
/// added), (2) the resources <c>diff</c> reports replaced (and "may replace") are exactly the ones listed here, which follow from
/// the resource provider schemas' create-only properties (cited per case), and (3) every reported replacement names a
/// property that cfn-lint's copy of the schema lists as create-only.
/// </summary>
public sealed class DiffContractTests
{
    static App Guide => Fixtures.Guide;

    static App WithEnv(string name, Func<Env, Env> change) => Guide with { Environments = [.. Guide.Environments.Select(e => e.Name == name ? change(e) : e)] };

    static App WithProd(Func<Env, Env> change) => WithEnv("prod", change);

    /// <summary>Every setting, changed one at a time (each change valid on its own).</summary>
    internal static readonly Dictionary<string, Func<App>> Changes = new()
    {
        // App-wide (dev inherits them; staging and prod override the network and prod the service size).
        ["Network.Cidr"] = () => Guide with { Network = new NewVpc { Cidr = "10.9.0.0/16", AvailabilityZones = 2, TaskSubnets = TaskSubnets.Public } },
        ["Network.AvailabilityZones"] = () => Guide with { Network = new NewVpc { Cidr = "10.0.0.0/16", AvailabilityZones = 3, TaskSubnets = TaskSubnets.Public } },
        ["Network.TaskSubnets"] = () => Guide with { Network = new NewVpc { Cidr = "10.0.0.0/16", AvailabilityZones = 2, TaskSubnets = TaskSubnets.Private } },
        ["Service.Cpu/MemoryMiB"] = () => Guide with { Service = Guide.Service with { Cpu = 512, MemoryMiB = 1024 } },
        ["Service.Port"] = () => Guide with { Service = Guide.Service with { Port = 8000 } },
        ["Service.Image.Tag"] = () => Guide with { Service = Guide.Service with { Image = ContainerImage.FromEcr("flask-app", "2.0.0") } },
        ["Service.EnvironmentVariables"] = () => Guide with { Service = Guide.Service with { EnvironmentVariables = new() { ["FLASK_ENV"] = "staging" } } },
        ["Service.Secrets"] = () => Guide with { Service = Guide.Service with { Secrets = new() { ["FLASK_SECRET_KEY"] = Secret.FromSsm("/flask-app/other-key") } } },
        ["Service.HealthCheck"] = () => Guide with { Service = Guide.Service with { HealthCheck = new HealthCheck { Path = "/ready", IntervalSeconds = 30, TimeoutSeconds = 10 } } },
        ["Service.LogRetentionDays"] = () => Guide with { Service = Guide.Service with { LogRetentionDays = 60 } },
        ["Service.EphemeralStorageGiB"] = () => Guide with { Service = Guide.Service with { EphemeralStorageGiB = 40 } },
        ["Service.Architecture"] = () => Guide with { Service = Guide.Service with { Architecture = CpuArchitecture.Arm64 } },
        ["LoadBalancer.TlsPolicy"] = () => Guide with { LoadBalancer = Guide.LoadBalancer with { TlsPolicy = TlsPolicies.Tls13_13_2021_06 } },
        ["LoadBalancer.IdleTimeoutSeconds"] = () => Guide with { LoadBalancer = Guide.LoadBalancer with { IdleTimeoutSeconds = 120 } },
        ["Mail.Address"] = () => Guide with { Mail = Guide.Mail! with { Address = "noreply@example.com" } },
        ["Repository.TagMutability/KeepImages/ScanOnPush"] = () => Guide with { Repository = new NewRepository { TagMutability = TagMutability.Mutable, KeepImages = 10, ScanOnPush = false } },
        ["Source.Repository"] = () => Guide with { Source = Guide.Source! with { Repository = "example-org/other" } },
        ["Scaling"] = () => Guide with { Scaling = new Scaling { CpuTargetPercent = 40, ScaleInCooldownSeconds = 600, ScaleOutCooldownSeconds = 30 } },
        ["Deployment (rolling)"] = () => Guide with { Deployment = new RollingDeployment { MinimumHealthyPercent = 100, MaximumPercent = 150, HealthCheckGracePeriodSeconds = 120 } },
        // Per environment.
        ["prod.Tasks"] = () => WithProd(e => e with { Tasks = new TaskCount(3, 12) }),
        ["prod.Service.Cpu/MemoryMiB"] = () => WithProd(e => e with { Service = e.Service! with { Cpu = 1024, MemoryMiB = 2048 } }),
        ["prod.Service.ImageTag"] = () => WithProd(e => e with { Service = e.Service! with { ImageTag = "2.0.0" } }),
        ["prod.Network.Cidr"] = () => WithProd(e => e with { Network = (NewVpc)e.Network! with { Cidr = "10.20.0.0/16" } }),
        ["prod.Network.NatGateways"] = () => WithProd(e => e with { Network = (NewVpc)e.Network! with { NatGateways = NatGateways.Single } }),
        ["prod.Dns.Name"] = () => WithProd(e => e with { Dns = e.Dns! with { Name = "www.example.com" } }),
        ["prod.Certificate"] = () => WithProd(e => e with { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:746109777700:certificate/6c1e7f1a-1b2c-4d3e-8f90-0a1b2c3d4e5f") }),
        ["prod.Deployment.BakeTimeMinutes"] = () => WithProd(e => e with { Deployment = new BlueGreenDeployment { BakeTimeMinutes = 30 } }),
        ["prod.Pipeline"] = () => WithProd(e => e with { Pipeline = new Pipeline { Branch = "release", ManualApproval = false, Compute = BuildCompute.Medium } }),
        ["staging.Network.NatGateways"] = () => WithEnv("staging", e => e with { Network = (NewVpc)e.Network! with { NatGateways = NatGateways.OnePerZone } }),
        ["dev.Service.LogRetentionDays"] = () => WithEnv("dev", e => e with { Service = e.Service! with { LogRetentionDays = 14 } }),
        // Protection: ranges and web ACLs come and go, and the logs' retention changes, without replacing what holds state or
        // the load balancer's security group (its description does not follow who may connect).
        ["dev.AllowedCidrs"] = () => WithEnv("dev", e => e with { AllowedCidrs = ["203.0.113.0/24", "198.51.100.0/24"] }),
        ["dev.AllowedCidrs (none)"] = () => WithEnv("dev", e => e with { AllowedCidrs = [] }),
        ["staging.WebAcl (none)"] = () => WithEnv("staging", e => e with { WebAcl = null }),
        ["prod.WebAcl"] = () => WithProd(e => e with { WebAcl = new WebAcl { Action = WafAction.Block, RateLimitRequests = 500 } }),
        ["prod.AccessLogs"] = () => WithProd(e => e with { AccessLogs = new AccessLogs { ExpirationDays = 365 } }),
        ["prod.Network.FlowLogs"] = () => WithProd(e => e with { Network = (NewVpc)e.Network! with { FlowLogs = new FlowLogs { RetentionDays = 365, TrafficType = FlowLogTraffic.Reject } } }),
    };

    public static TheoryData<string> Settings => [.. Changes.Keys];

    internal static IReadOnlyList<StackDiff> Diff(App before, App after)
    {
        var old = Emitter.Generate([before]);
        var now = Emitter.Generate([after]);
        Assert.False(now.HasErrors, string.Join("\n", now.Findings));
        var baseline = old.Files.ToDictionary(f => f.FileName, f => f.Json);
        return [.. now.Files.Select(f => TemplateDiff.Compare(f.FileName, "", "guide", baseline.GetValueOrDefault(f.FileName), f.Json))];
    }

    static string[] Ids(string stack, params string[] ids) => [.. ids.Select(id => $"{stack}/{id}")];

    /// <summary>
    /// A new VPC CIDR: the VPC (CidrBlock is create-only), and everything whose create-only VpcId, SubnetId, RouteTableId,
    /// GroupId or SourceSecurityGroupId names a replaced resource (AWS::EC2::Subnet, RouteTable, VPCGatewayAttachment, Route,
    /// SubnetRouteTableAssociation, NatGateway, SecurityGroup, SecurityGroupIngress, ElasticLoadBalancingV2::TargetGroup).
    /// Not the load balancer (Subnets and SecurityGroups update in place), not the EIPs (no VPC property).
    /// </summary>
    static string[] NetworkReplaced(string stack, int zones, bool privateSubnets, bool blueGreen, bool flowLog = false)
    {
        var ids = new List<string> { "Vpc", "InternetGatewayAttachment", "PublicRouteTable", "PublicDefaultRoute" };
        for (var i = 1; i <= zones; i++) ids.AddRange([$"PublicSubnet{i}", $"PublicSubnet{i}RouteTableAssociation"]);
        if (privateSubnets)
        {
            for (var i = 1; i <= zones; i++) ids.Add($"NatGateway{i}");
            for (var i = 1; i <= zones; i++) ids.AddRange([$"PrivateSubnet{i}", $"PrivateRouteTable{i}", $"PrivateRouteTable{i}DefaultRoute", $"PrivateSubnet{i}RouteTableAssociation"]);
        }
        ids.AddRange(["ServiceSecurityGroup", "LoadBalancerSecurityGroup", "ServiceSecurityGroupIngressFromLoadBalancer", "TargetGroup"]);
        if (blueGreen) ids.Add("AlternateTargetGroup");
        // A flow log's ResourceId (the VPC) is create-only.
        if (flowLog) ids.Add("FlowLog");
        return Ids(stack, [.. ids]);
    }

    static readonly string[] AllTaskDefinitions = [.. Ids("dev", "TaskDefinition"), .. Ids("staging", "TaskDefinition"), .. Ids("prod", "TaskDefinition")];

    /// <summary>What each change replaces (certainly) and may replace, as <c>env/LogicalId</c>.</summary>
    static readonly Dictionary<string, (string[] Replaced, string[] MayReplace)> Expected = new()
    {
        ["Network.Cidr"] = (NetworkReplaced("dev", zones: 2, privateSubnets: false, blueGreen: false), []),
        // Subnets are carved as sixteen equal blocks whatever the zone count: the existing ones keep their CIDR; a third is added.
        ["Network.AvailabilityZones"] = ([], []),
        ["Network.TaskSubnets"] = ([], []),
        // AWS::ECS::TaskDefinition: Cpu, Memory, ContainerDefinitions, EphemeralStorage, RuntimePlatform are create-only.
        ["Service.Cpu/MemoryMiB"] = ([.. Ids("dev", "TaskDefinition"), .. Ids("staging", "TaskDefinition")], []),
        // TargetGroup Port, SecurityGroupIngress FromPort/ToPort, the container's port mapping: create-only.
        ["Service.Port"] = ([.. Ids("dev", "ServiceSecurityGroupIngressFromLoadBalancer", "TargetGroup", "TaskDefinition"),
            .. Ids("staging", "ServiceSecurityGroupIngressFromLoadBalancer", "TargetGroup", "TaskDefinition"),
            .. Ids("prod", "ServiceSecurityGroupIngressFromLoadBalancer", "TargetGroup", "AlternateTargetGroup", "TaskDefinition")], []),
        // The image tag is the ImageTag parameter's default: an update keeps the previous value unless it is passed ("may").
        ["Service.Image.Tag"] = ([], [.. Ids("dev", "TaskDefinition"), .. Ids("staging", "TaskDefinition")]),
        ["Service.EnvironmentVariables"] = (AllTaskDefinitions, []),
        ["Service.Secrets"] = (AllTaskDefinitions, []),
        // The target group's health check and the log group's retention update in place.
        ["Service.HealthCheck"] = ([], []),
        ["Service.LogRetentionDays"] = ([], []),
        ["Service.EphemeralStorageGiB"] = (AllTaskDefinitions, []),
        ["Service.Architecture"] = (AllTaskDefinitions, []),
        ["LoadBalancer.TlsPolicy"] = ([], []),
        ["LoadBalancer.IdleTimeoutSeconds"] = ([], []),
        // AWS::SES::EmailIdentity: EmailIdentity is create-only; the tasks get the new MAIL_SENDER.
        ["Mail.Address"] = ([.. Ids("shared", "MailIdentity"), .. AllTaskDefinitions], []),
        ["Repository.TagMutability/KeepImages/ScanOnPush"] = ([], []),
        ["Source.Repository"] = ([], []),
        ["Scaling"] = ([], []),
        ["Deployment (rolling)"] = ([], []),
        ["prod.Tasks"] = ([], []),
        ["prod.Service.Cpu/MemoryMiB"] = (Ids("prod", "TaskDefinition"), []),
        ["prod.Service.ImageTag"] = ([], Ids("prod", "TaskDefinition")),
        ["prod.Network.Cidr"] = (NetworkReplaced("prod", zones: 3, privateSubnets: true, blueGreen: true, flowLog: true), []),
        ["prod.Network.NatGateways"] = ([], []),
        // The name is the DomainName parameter's default: AWS::Route53::RecordSet Name and the certificate's DomainName are
        // create-only, but an update keeps the parameter's previous value unless it is passed.
        ["prod.Dns.Name"] = ([], Ids("prod", "Certificate", "DnsRecord")),
        ["prod.Certificate"] = ([], []),
        ["prod.Deployment.BakeTimeMinutes"] = ([], []),
        ["prod.Pipeline"] = ([], []),
        ["staging.Network.NatGateways"] = ([], []),
        ["dev.Service.LogRetentionDays"] = ([], []),
        ["dev.AllowedCidrs"] = ([], []),
        ["dev.AllowedCidrs (none)"] = ([], []),
        ["staging.WebAcl (none)"] = ([], []),
        ["prod.WebAcl"] = ([], []),
        ["prod.AccessLogs"] = ([], []),
        // A flow log's TrafficType is create-only: the flow log (not its log group) is replaced.
        ["prod.Network.FlowLogs"] = (Ids("prod", "FlowLog"), []),
    };

    [Fact]
    public void Every_change_has_its_expectation()
    {
        Assert.Equal(Changes.Keys.Order(), Expected.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(Settings))]
    public void No_stateful_logical_id_moves_and_the_replacements_are_the_ones_the_schemas_imply(string setting)
    {
        var diffs = Diff(Guide, Changes[setting]());
        Assert.Contains(diffs, d => d.HasChanges);

        foreach (var diff in diffs)
        {
            var removed = diff.Resources.Where(r => r.Kind == ChangeKind.Removed && r.Stateful is not null).ToList();
            var added = diff.Resources.Where(r => r.Kind == ChangeKind.Added && r.Stateful is not null).ToList();
            var moved = removed.Where(r => added.Any(a => a.Type == r.Type)).ToList();
            Assert.True(moved.Count == 0, $"{setting}: in {diff.Stack}, stateful {string.Join(", ", moved.Select(r => $"{r.LogicalId} ({r.Type})"))} removed while {string.Join(", ", added.Select(a => a.LogicalId))} added: a logical ID changed.");
        }

        string Name(StackDiff d, ResourceChange r) => $"{d.Stack.Replace("flask-app-", "", StringComparison.Ordinal).Replace(".template.json", "", StringComparison.Ordinal)}/{r.LogicalId}";
        var replaced = diffs.SelectMany(d => d.Resources.Where(r => r.Effect == Effect.Replacement).Select(r => Name(d, r))).Order().ToList();
        var mayReplace = diffs.SelectMany(d => d.Resources.Where(r => r.Effect == Effect.MayReplace).Select(r => Name(d, r))).Order().ToList();
        var (expectedReplaced, expectedMay) = Expected[setting];
        Assert.Equal(expectedReplaced.Order(), replaced);
        Assert.Equal(expectedMay.Order(), mayReplace);
    }
}
