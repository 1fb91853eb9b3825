using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Templates.Rules;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>
/// The subnets and VPC the rest of the stack is placed in, whichever way the network was declared, and the gateway
/// attachment an internet-facing resource of a new VPC must wait for (null for an existing VPC, whose gateway is attached).
/// </summary>
internal sealed record NetworkRefs(JsonNode VpcId, JsonNode PublicSubnets, JsonNode TaskSubnets, bool TasksArePublic, string? InternetGatewayAttachment = null);

/// <summary>The network concern of an environment's stack: a new VPC with its subnets, routes and gateways, or an existing VPC's parameters.</summary>
internal static class NetworkBuilder
{
    /// <summary>Adds the VPC (or the parameters naming an existing one) and returns where the rest of the stack goes.</summary>
    public static NetworkRefs Add(Template t, EnvironmentModel m) => m.Network switch
    {
        NewVpc vpc => AddNewVpc(t, vpc),
        ExistingVpc existing => AddExistingVpc(t, existing),
        _ => throw new NotSupportedException($"Unknown network kind {m.Network.GetType().Name}."),
    };

    static NetworkRefs AddNewVpc(Template t, NewVpc vpc)
    {
        Checks.TryParseCidr(vpc.Cidr, out var address, out var prefix);
        // Sixteen equal blocks: public subnets take the first ones, private subnets start at the ninth, so adding a
        // zone later never moves an existing subnet (a moved CIDR would replace the subnet and everything in it).
        var subnetPrefix = prefix + 4;
        var blockSize = 1u << (32 - subnetPrefix);
        string Block(int index) => $"{Checks.FormatAddress(address + (uint)index * blockSize)}/{subnetPrefix}";

        t.AddResource(Ids.Vpc, "AWS::EC2::VPC", new()
        {
            ["CidrBlock"] = vpc.Cidr,
            ["EnableDnsHostnames"] = true,
            ["EnableDnsSupport"] = true,
            ["Tags"] = StackBuilder.NameTag("${AWS::StackName}"),
        });
        t.AddResource(Ids.InternetGateway, "AWS::EC2::InternetGateway", new() { ["Tags"] = StackBuilder.NameTag("${AWS::StackName}") });
        t.AddResource(Ids.InternetGatewayAttachment, "AWS::EC2::VPCGatewayAttachment", new()
        {
            ["InternetGatewayId"] = Fn.Ref(Ids.InternetGateway),
            ["VpcId"] = Fn.Ref(Ids.Vpc),
        });
        t.AddResource(Ids.PublicRouteTable, "AWS::EC2::RouteTable", new()
        {
            ["VpcId"] = Fn.Ref(Ids.Vpc),
            ["Tags"] = StackBuilder.NameTag("${AWS::StackName}-public"),
        });
        // The route needs the gateway attached, which no Ref expresses.
        t.AddResource(Ids.PublicDefaultRoute, "AWS::EC2::Route", new()
        {
            ["RouteTableId"] = Fn.Ref(Ids.PublicRouteTable),
            ["DestinationCidrBlock"] = "0.0.0.0/0",
            ["GatewayId"] = Fn.Ref(Ids.InternetGateway),
        }).DependsOn(Ids.InternetGatewayAttachment);

        var publicSubnets = new JsonArray();
        for (var zone = 1; zone <= vpc.AvailabilityZones; zone++)
        {
            t.AddResource(Ids.PublicSubnet(zone), "AWS::EC2::Subnet", new()
            {
                ["VpcId"] = Fn.Ref(Ids.Vpc),
                ["AvailabilityZone"] = Fn.Select(zone - 1, Fn.GetAZs()),
                ["CidrBlock"] = Block(zone - 1),
                // Load balancer nodes get public addresses regardless; tasks get one only through AssignPublicIp.
                ["MapPublicIpOnLaunch"] = false,
                ["Tags"] = StackBuilder.NameTag($"${{AWS::StackName}}-public-{zone}"),
            });
            t.AddResource(Ids.PublicSubnetRouteTableAssociation(zone), "AWS::EC2::SubnetRouteTableAssociation", new()
            {
                ["RouteTableId"] = Fn.Ref(Ids.PublicRouteTable),
                ["SubnetId"] = Fn.Ref(Ids.PublicSubnet(zone)),
            });
            publicSubnets.Add((JsonNode)Fn.Ref(Ids.PublicSubnet(zone)));
        }

        if (vpc.TaskSubnets == TaskSubnets.Public)
            return new NetworkRefs(Fn.Ref(Ids.Vpc), publicSubnets, publicSubnets.DeepClone(), TasksArePublic: true, Ids.InternetGatewayAttachment);

        var privateSubnets = new JsonArray();
        var natZones = vpc.NatGateways == NatGateways.OnePerZone ? vpc.AvailabilityZones : 1;
        for (var zone = 1; zone <= natZones; zone++)
        {
            t.AddResource(Ids.NatGatewayAddress(zone), "AWS::EC2::EIP", new()
            {
                ["Domain"] = "vpc",
                ["Tags"] = StackBuilder.NameTag($"${{AWS::StackName}}-nat-{zone}"),
            }).DependsOn(Ids.InternetGatewayAttachment);
            t.AddResource(Ids.NatGateway(zone), "AWS::EC2::NatGateway", new()
            {
                ["AllocationId"] = Fn.GetAtt(Ids.NatGatewayAddress(zone), "AllocationId"),
                ["SubnetId"] = Fn.Ref(Ids.PublicSubnet(zone)),
                ["Tags"] = StackBuilder.NameTag($"${{AWS::StackName}}-nat-{zone}"),
            });
        }
        for (var zone = 1; zone <= vpc.AvailabilityZones; zone++)
        {
            t.AddResource(Ids.PrivateSubnet(zone), "AWS::EC2::Subnet", new()
            {
                ["VpcId"] = Fn.Ref(Ids.Vpc),
                ["AvailabilityZone"] = Fn.Select(zone - 1, Fn.GetAZs()),
                ["CidrBlock"] = Block(8 + zone - 1),
                ["MapPublicIpOnLaunch"] = false,
                ["Tags"] = StackBuilder.NameTag($"${{AWS::StackName}}-private-{zone}"),
            });
            t.AddResource(Ids.PrivateRouteTable(zone), "AWS::EC2::RouteTable", new()
            {
                ["VpcId"] = Fn.Ref(Ids.Vpc),
                ["Tags"] = StackBuilder.NameTag($"${{AWS::StackName}}-private-{zone}"),
            });
            t.AddResource(Ids.PrivateDefaultRoute(zone), "AWS::EC2::Route", new()
            {
                ["RouteTableId"] = Fn.Ref(Ids.PrivateRouteTable(zone)),
                ["DestinationCidrBlock"] = "0.0.0.0/0",
                ["NatGatewayId"] = Fn.Ref(Ids.NatGateway(Math.Min(zone, natZones))),
            });
            t.AddResource(Ids.PrivateSubnetRouteTableAssociation(zone), "AWS::EC2::SubnetRouteTableAssociation", new()
            {
                ["RouteTableId"] = Fn.Ref(Ids.PrivateRouteTable(zone)),
                ["SubnetId"] = Fn.Ref(Ids.PrivateSubnet(zone)),
            });
            privateSubnets.Add((JsonNode)Fn.Ref(Ids.PrivateSubnet(zone)));
        }
        return new NetworkRefs(Fn.Ref(Ids.Vpc), publicSubnets, privateSubnets, TasksArePublic: false, Ids.InternetGatewayAttachment);
    }

    static NetworkRefs AddExistingVpc(Template t, ExistingVpc existing)
    {
        t.AddParameter(Ids.VpcIdParameter, "AWS::EC2::VPC::Id", "The existing VPC to run in.", existing.VpcId);
        t.AddParameter(Ids.PublicSubnetIdsParameter, "List<AWS::EC2::Subnet::Id>",
            "Public subnets of that VPC, one in each of at least two Availability Zones, for the load balancer"
            + (existing.TaskSubnets == TaskSubnets.Public ? " and the tasks." : "."),
            existing.PublicSubnetIds.Count > 0 ? string.Join(",", existing.PublicSubnetIds) : null);
        if (existing.TaskSubnets == TaskSubnets.Public)
            return new NetworkRefs(Fn.Ref(Ids.VpcIdParameter), Fn.Ref(Ids.PublicSubnetIdsParameter), Fn.Ref(Ids.PublicSubnetIdsParameter), TasksArePublic: true);
        t.AddParameter(Ids.PrivateSubnetIdsParameter, "List<AWS::EC2::Subnet::Id>",
            "Private subnets of that VPC, in at least two Availability Zones, that reach the internet through NAT, for the tasks.",
            existing.PrivateSubnetIds.Count > 0 ? string.Join(",", existing.PrivateSubnetIds) : null);
        return new NetworkRefs(Fn.Ref(Ids.VpcIdParameter), Fn.Ref(Ids.PublicSubnetIdsParameter), Fn.Ref(Ids.PrivateSubnetIdsParameter), TasksArePublic: false);
    }
}
