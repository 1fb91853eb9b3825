using Templates.Generation.CloudFormation;

namespace Templates.Tests;

/// <summary>
/// Logical IDs are a contract with every deployed stack: CloudFormation replaces a resource whose ID changes.
/// These lists may only grow; a rename here is a replacement in production.
/// </summary>
public class LogicalIdTests
{
    static readonly string[] Core =
    [
        "Vpc", "InternetGateway", "InternetGatewayAttachment", "PublicRouteTable", "PublicDefaultRoute",
        "PublicSubnet1", "PublicSubnet1RouteTableAssociation", "PublicSubnet2", "PublicSubnet2RouteTableAssociation",
        "ServiceSecurityGroup", "LoadBalancerSecurityGroup", "ServiceSecurityGroupIngressFromLoadBalancer",
        "LoadBalancer", "TargetGroup", "HttpsListener", "HttpListener",
        "LogGroup", "TaskExecutionRole", "TaskRole", "Cluster", "TaskDefinition", "Service",
        "ScalableTarget", "CpuScalingPolicy",
        "LoadBalancer5xxAlarm", "Target5xxAlarm", "ResponseTimeAlarm", "UnhealthyTasksAlarm", "CpuAlarm", "MemoryAlarm", "Dashboard",
    ];

    static readonly string[] Pipeline = ["ArtifactBucket", "ArtifactBucketPolicy", "BuildLogGroup", "BuildRole", "BuildProject", "PipelineRole", "Pipeline"];

    [Fact]
    public void Dev_resources_have_their_pinned_ids_in_a_fixed_order()
    {
        Assert.Equal([.. Core, .. Pipeline], Fixtures.View(Fixtures.Guide, "dev").Resources.Select(r => r.Key));
    }

    [Fact]
    public void Blue_green_and_the_pipeline_add_their_pinned_ids_without_renaming_the_core_ones()
    {
        var ids = Fixtures.View(Fixtures.Guide, "prod").Resources.Select(r => r.Key).ToHashSet();
        Assert.Superset(new HashSet<string>([.. Core, .. Pipeline, "AlternateTargetGroup", "ProductionListenerRule", "EcsInfrastructureRole"]), ids);
    }

    [Fact]
    public void Dns_and_the_requested_certificate_add_their_pinned_ids_without_renaming_the_core_ones()
    {
        var prod = Fixtures.View(Fixtures.Guide, "prod");
        Assert.Superset(new HashSet<string>([.. Core, .. Pipeline, "Certificate", "DnsRecord"]), prod.Resources.Select(r => r.Key).ToHashSet());
        Assert.Equal(["ImageTag", "ImageDigest", "CertificateArn", "DeletionProtection", "DomainName", "HostedZoneId"], prod.Parameters.Select(p => p.Key).Where(k => k != "GitHubConnectionArn"));
        Assert.Equal(["ImageByDigest", "RequestCertificate", "ElbAccountRegion", "ConnectionIsCodeConnections"], prod.Json["Conditions"]!.AsObject().Select(c => c.Key));
    }

    [Fact]
    public void Protection_adds_its_pinned_ids_without_renaming_the_core_ones()
    {
        var prod = Fixtures.View(Fixtures.Guide, "prod").Resources.Select(r => r.Key).ToHashSet();
        Assert.Superset(new HashSet<string>([.. Core, "FlowLogGroup", "FlowLogRole", "FlowLog", "AccessLogBucket", "AccessLogBucketPolicy", "WebAcl", "WebAclAssociation"]), prod);
        Assert.Equal(["ElbLogDeliveryAccounts"], Fixtures.View(Fixtures.Guide, "prod").Json["Mappings"]!.AsObject().Select(m => m.Key));
        Assert.Contains("AllowedAddresses", Fixtures.View(Fixtures.Guide, "staging").Resources.Select(r => r.Key));
    }

    [Fact]
    public void Shared_stack_resources_have_their_pinned_ids()
    {
        var shared = Assert.Single(Templates.Generation.Emitter.Generate([Fixtures.Guide]).SharedTemplates);
        Assert.Equal(["MailIdentity", "Repository", "GitHubConnection"], shared.Json["Resources"]!.AsObject().Select(r => r.Key));
    }

    [Fact]
    public void Private_networking_adds_zone_numbered_ids_without_renaming_the_public_ones()
    {
        var ids = Fixtures.View(Fixtures.Guide, "prod").Resources.Select(r => r.Key).ToHashSet();
        Assert.Superset(Core.ToHashSet(), ids);
        foreach (var zone in new[] { 1, 2, 3 })
        {
            Assert.Contains($"PrivateSubnet{zone}", ids);
            Assert.Contains($"NatGateway{zone}", ids);
            Assert.Contains($"NatGateway{zone}Address", ids);
            Assert.Contains($"PrivateRouteTable{zone}DefaultRoute", ids);
        }
    }

    [Fact]
    public void Adding_a_zone_keeps_every_existing_subnet_and_its_cidr()
    {
        var two = Fixtures.View(Fixtures.Minimal() with { Network = new NewVpc { AvailabilityZones = 2, TaskSubnets = TaskSubnets.Private } }, "dev");
        var three = Fixtures.View(Fixtures.Minimal() with { Network = new NewVpc { AvailabilityZones = 3, TaskSubnets = TaskSubnets.Private } }, "dev");
        foreach (var subnet in two.OfType("AWS::EC2::Subnet"))
            Assert.Equal(two.Properties(subnet).ToJsonString(), three.Properties(subnet).ToJsonString());
    }

    [Fact]
    public void Subnets_are_carved_from_the_vpc_range_without_overlap()
    {
        var view = Fixtures.View(Fixtures.Minimal() with { Network = new NewVpc { Cidr = "10.20.0.0/16", AvailabilityZones = 3, TaskSubnets = TaskSubnets.Private } }, "dev");
        var cidrs = view.OfType("AWS::EC2::Subnet").Select(s => (string)view.Properties(s)["CidrBlock"]!).ToList();
        Assert.Equal(["10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20", "10.20.128.0/20", "10.20.144.0/20", "10.20.160.0/20"], cidrs);
    }

    [Fact]
    public void Renaming_the_app_or_an_environment_keeps_logical_ids()
    {
        var a = Fixtures.View(Fixtures.Minimal(), "dev").Resources.Select(r => r.Key).ToList();
        var renamed = Fixtures.Minimal(new Env("qa") { Tasks = new TaskCount(1, 2) }) with { Name = "storefront" };
        Assert.Equal(a, Fixtures.View(renamed, "qa").Resources.Select(r => r.Key));
    }

    [Fact]
    public void Every_logical_id_constant_is_alphanumeric()
    {
        var constants = typeof(LogicalIds).GetFields().Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);
        Assert.All(constants, id => Assert.Matches("^[A-Za-z0-9]+$", id));
    }
}
