using Templates.Generation.CloudFormation;

namespace Templates.Tests;

/// <summary>How the network options expand.</summary>
public class NetworkTests
{
    [Fact]
    public void An_existing_vpc_becomes_typed_parameters_with_the_definition_as_defaults()
    {
        var app = Fixtures.Minimal() with
        {
            Network = new ExistingVpc { VpcId = "vpc-0123456789abcdef0", PublicSubnetIds = ["subnet-aaaaaaaa", "subnet-bbbbbbbb"] },
        };
        var view = Fixtures.View(app, "dev");
        Assert.Equal("AWS::EC2::VPC::Id", (string?)view.Parameters[LogicalIds.VpcIdParameter]!["Type"]);
        Assert.Equal("vpc-0123456789abcdef0", (string?)view.Parameters[LogicalIds.VpcIdParameter]!["Default"]);
        Assert.Equal("List<AWS::EC2::Subnet::Id>", (string?)view.Parameters[LogicalIds.PublicSubnetIdsParameter]!["Type"]);
        Assert.Equal("subnet-aaaaaaaa,subnet-bbbbbbbb", (string?)view.Parameters[LogicalIds.PublicSubnetIdsParameter]!["Default"]);
        Assert.Empty(view.OfType("AWS::EC2::VPC"));
        Assert.Empty(view.OfType("AWS::EC2::Subnet"));
        Assert.Equal(LogicalIds.PublicSubnetIdsParameter, (string?)view.Properties(LogicalIds.LoadBalancer)["Subnets"]!["Ref"]);
        var awsvpc = view.Properties(LogicalIds.Service)["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
        Assert.Equal("ENABLED", (string?)awsvpc["AssignPublicIp"]);
        Assert.Equal(LogicalIds.VpcIdParameter, (string?)view.Properties(LogicalIds.TargetGroup)["VpcId"]!["Ref"]);
    }

    [Fact]
    public void An_existing_vpc_with_private_tasks_takes_their_subnets_as_a_parameter()
    {
        var app = Fixtures.Minimal() with { Network = new ExistingVpc { TaskSubnets = TaskSubnets.Private } };
        var view = Fixtures.View(app, "dev");
        Assert.Null(view.Parameters[LogicalIds.VpcIdParameter]!["Default"]);
        var awsvpc = view.Properties(LogicalIds.Service)["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
        Assert.Equal("DISABLED", (string?)awsvpc["AssignPublicIp"]);
        Assert.Equal(LogicalIds.PrivateSubnetIdsParameter, (string?)awsvpc["Subnets"]!["Ref"]);
    }

    [Theory]
    [InlineData(NatGateways.OnePerZone, 3)]
    [InlineData(NatGateways.Single, 1)]
    public void Nat_gateways_per_zone_or_shared(NatGateways nat, int expected)
    {
        var app = Fixtures.Minimal() with { Network = new NewVpc { AvailabilityZones = 3, TaskSubnets = TaskSubnets.Private, NatGateways = nat } };
        var view = Fixtures.View(app, "dev");
        Assert.Equal(expected, view.OfType("AWS::EC2::NatGateway").Count());
        Assert.Equal(expected, view.OfType("AWS::EC2::EIP").Count());
        Assert.Equal(3, view.OfType("AWS::EC2::Subnet").Count(s => s.StartsWith("Private")));
    }

    [Fact]
    public void Closing_port_80_removes_the_http_listener_and_its_ingress()
    {
        var app = Fixtures.Minimal() with { LoadBalancer = Fixtures.Minimal().LoadBalancer with { Http = HttpPort.Closed } };
        var view = Fixtures.View(app, "dev");
        Assert.DoesNotContain(LogicalIds.HttpListener, view.Resources.Select(r => r.Key));
        Assert.Equal([443], view.Properties(LogicalIds.LoadBalancerSecurityGroup)["SecurityGroupIngress"]!.AsArray().Select(r => (int)r!["FromPort"]!));
    }

    [Fact]
    public void Request_count_tracking_labels_the_load_balancer_and_target_group()
    {
        var app = Fixtures.Minimal() with { Scaling = new Scaling { RequestsPerTarget = 1000 } };
        var policy = Fixtures.View(app, "dev").Properties(LogicalIds.RequestCountScalingPolicy);
        Assert.Equal("${LoadBalancer.LoadBalancerFullName}/${TargetGroup.TargetGroupFullName}",
            (string?)policy["TargetTrackingScalingPolicyConfiguration"]!["PredefinedMetricSpecification"]!["ResourceLabel"]!["Fn::Sub"]);
    }

    [Fact]
    public void Secrets_manager_secrets_are_granted_by_name_with_the_random_suffix()
    {
        var app = Fixtures.Minimal() with { Service = Fixtures.Minimal().Service with { Secrets = new() { ["API_TOKEN"] = Secret.FromSecretsManager("shop/api") } } };
        var view = Fixtures.View(app, "dev");
        var statement = view.Properties(LogicalIds.ExecutionRole)["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray().Single(s => (string?)s!["Sid"] == "ReadSecrets")!;
        Assert.Equal("arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:shop/api-??????", (string?)statement["Resource"]![0]!["Fn::Sub"]);
    }
}
