using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>The security groups of an environment's stack: who may reach the load balancer, and the load balancer alone the tasks.</summary>
internal static class SecurityGroupBuilder
{
    public static void Add(Template t, EnvironmentModel m, NetworkRefs network)
    {
        var port = m.Service.Port;
        // Who may connect: the whole internet, or, with AllowedCidrs and no web ACL, only those ranges (one rule per range and
        // port). With a web ACL the group stays open and the web ACL blocks every other address (ProtectionBuilder), so that the
        // requests it refuses are counted in its metrics.
        var restricted = m.AllowedCidrs.Count > 0 && m.WebAcl is null;
        var peers = restricted ? m.AllowedCidrs : ["0.0.0.0/0"];
        string From(string cidr) => restricted ? $"from {cidr}" : "from anywhere";
        var ingress = new JsonArray();
        foreach (var cidr in peers) ingress.Add((JsonNode)SecurityGroupRule($"HTTPS {From(cidr)}", 443, "CidrIp", cidr));
        foreach (var cidr in peers)
        {
            if (m.LoadBalancer.Http == HttpPort.RedirectToHttps)
                ingress.Add((JsonNode)SecurityGroupRule($"HTTP {From(cidr)}, only to be redirected to HTTPS", 80, "CidrIp", cidr));
            else if (m.LoadBalancer.Http == HttpPort.Forward)
                ingress.Add((JsonNode)SecurityGroupRule($"Plain HTTP {From(cidr)}", 80, "CidrIp", cidr));
        }
        // The load balancer may only talk to the tasks, on the container port. The tasks' group is created first and
        // its ingress rule is a resource of its own, so the two groups do not refer to each other in a cycle.
        t.AddResource(Ids.ServiceSecurityGroup, "AWS::EC2::SecurityGroup", new()
        {
            ["GroupDescription"] = $"{m.StackName} tasks: traffic from the load balancer only",
            ["VpcId"] = network.VpcId.DeepClone(),
            // Tasks call AWS APIs (ECR, CloudWatch Logs, SES, Secrets Manager) over HTTPS; nothing else leaves.
            ["SecurityGroupEgress"] = new JsonArray(SecurityGroupRule("HTTPS to AWS APIs and the internet", 443, "CidrIp", "0.0.0.0/0")),
            ["Tags"] = StackBuilder.NameTag("${AWS::StackName}-tasks"),
        });
        t.AddResource(Ids.LoadBalancerSecurityGroup, "AWS::EC2::SecurityGroup", new()
        {
            // The same description whoever may connect: GroupDescription is create-only, and a new one would replace the group
            // (and the tasks' ingress rule naming it) when AllowedCidrs is added or removed. The rules below say who may connect.
            ["GroupDescription"] = $"{m.StackName} load balancer: HTTPS from the internet",
            ["VpcId"] = network.VpcId.DeepClone(),
            ["SecurityGroupIngress"] = ingress,
            ["SecurityGroupEgress"] = new JsonArray(SecurityGroupRule("To the tasks on the container port", port, "DestinationSecurityGroupId", Fn.GetAtt(Ids.ServiceSecurityGroup, "GroupId"))),
            ["Tags"] = StackBuilder.NameTag("${AWS::StackName}-load-balancer"),
        });
        // An internet-facing load balancer is open to the world by design; port 80 is open only to answer with the redirect.
        if (m.LoadBalancer.Http == HttpPort.RedirectToHttps && !restricted)
            t.Get(Ids.LoadBalancerSecurityGroup).TradeOff(
                "Open to the internet on 443 (the service) and on 80 only so that the HTTP listener can answer with a 301 redirect to HTTPS; nothing is served over plain HTTP.",
                checkov: "CKV_AWS_260", cfnNag: "W2");
        t.AddResource(Ids.ServiceIngressFromLoadBalancer, "AWS::EC2::SecurityGroupIngress", StandaloneRule(Fn.GetAtt(Ids.ServiceSecurityGroup, "GroupId"),
            port, "SourceSecurityGroupId", Fn.GetAtt(Ids.LoadBalancerSecurityGroup, "GroupId"), "From the load balancer on the container port"));
    }

    /// <summary>A standalone rule (<c>AWS::EC2::SecurityGroupIngress</c> or <c>Egress</c>) of the group <paramref name="groupId"/>, TCP on one port.</summary>
    internal static JsonObject StandaloneRule(JsonNode groupId, int port, string peerKey, JsonNode peer, string description) => new()
    {
        ["GroupId"] = groupId,
        ["IpProtocol"] = "tcp",
        ["FromPort"] = port,
        ["ToPort"] = port,
        [peerKey] = peer,
        ["Description"] = description,
    };

    /// <summary>An inline rule of a security group, TCP on one port.</summary>
    internal static JsonObject SecurityGroupRule(string description, int port, string peerKey, JsonNode peer) => new()
    {
        ["IpProtocol"] = "tcp",
        ["FromPort"] = port,
        ["ToPort"] = port,
        [peerKey] = peer,
        ["Description"] = description,
    };
}
