using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Templates.Generation.CloudFormation;
using static Templates.Generation.Validation.FindingIds;

namespace Templates.Generation.Validation;

public static partial class TemplateValidator
{
    /// <summary>The dependency graph: DependsOn and every Ref, Fn::GetAtt and Fn::Sub between resources.</summary>
    sealed partial class Run
    {
        /// <summary>Each resource's logical ID to the resources it depends on, explicitly or through a function.</summary>
        readonly Dictionary<string, SortedSet<string>> edges = new(StringComparer.Ordinal);

        void FindCycles()
        {
            var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
            var path = new List<string>();
            foreach (var id in edges.Keys) Visit(id);

            void Visit(string id)
            {
                if (state.TryGetValue(id, out var s))
                {
                    if (s == 1)
                    {
                        var cycle = path.Skip(path.IndexOf(id)).Append(id);
                        Add(E3004, $"/Resources/{Escape(id)}", $"Circular dependency: {string.Join(" -> ", cycle)}.");
                    }
                    return;
                }
                state[id] = 1;
                path.Add(id);
                if (edges.TryGetValue(id, out var next)) foreach (var dep in next) Visit(dep);
                path.RemoveAt(path.Count - 1);
                state[id] = 2;
            }
        }

        /// <summary>Whether <paramref name="from"/> depends on <paramref name="target"/>, directly or through other resources.</summary>
        bool Reaches(string from, string target)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>([from]);
            while (stack.TryPop(out var id))
            {
                if (!edges.TryGetValue(id, out var next)) continue;
                foreach (var dep in next)
                {
                    if (dep == target) return true;
                    if (seen.Add(dep)) stack.Push(dep);
                }
            }
            return false;
        }

        /// <summary>
        /// Ordering CloudFormation cannot infer, as a warning with the DependsOn to add. An internet gateway's attachment is
        /// needed before a public route through it, an Elastic IP in the VPC, a public NAT gateway and an internet-facing load
        /// balancer can be created, but nothing in their properties refers to it
        /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html, "When a DependsOn
        /// attribute is required"). An ECS service behind a load balancer needs its target group attached to the load balancer
        /// by a listener or listener rule first ("The target group … does not have an associated load balancer",
        /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ecs-service.html).
        /// </summary>
        void CheckOrdering()
        {
            // Each internet gateway attachment, by the internet gateway it attaches.
            var attachments = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (id, node) in resources)
                if (node is JsonObject r && AsString(r["Type"]) == "AWS::EC2::VPCGatewayAttachment" && ResourceOf(Member(r["Properties"], "InternetGatewayId")) is { } gateway)
                    attachments.TryAdd(id, gateway);
            foreach (var (id, node) in resources)
            {
                if (node is not JsonObject resource || resource["Properties"] is not JsonObject properties) continue;
                var type = AsString(resource["Type"]);
                if (attachments.Count > 0)
                {
                    IEnumerable<string>? needed = type switch
                    {
                        "AWS::EC2::Route" when ResourceOf(properties["GatewayId"]) is { } gateway && attachments.ContainsValue(gateway) =>
                            attachments.Where(a => a.Value == gateway).Select(a => a.Key),
                        "AWS::EC2::EIP" when AsString(properties["Domain"]) == "vpc" => attachments.Keys,
                        "AWS::EC2::NatGateway" when properties["ConnectivityType"] is null || AsString(properties["ConnectivityType"]) == "public" => attachments.Keys,
                        "AWS::ElasticLoadBalancingV2::LoadBalancer" when (properties["Scheme"] is null || AsString(properties["Scheme"]) == "internet-facing")
                            && AsString(properties["Type"]) is null or "application" or "network" => attachments.Keys,
                        _ => null,
                    };
                    if (needed is not null && needed.ToList() is { Count: > 0 } candidates && !candidates.Any(a => Reaches(id, a)))
                        Add(V1013, $"/Resources/{Escape(id)}", $"{id} ({type}) needs the internet gateway attached first, but depends on no attachment, directly or through what it refers to: CloudFormation may create it first, and it fails. Add \"DependsOn\": \"{candidates[0]}\".");
                }
                if (type == "AWS::ECS::Service" && properties["LoadBalancers"] is JsonArray balancers)
                    for (var i = 0; i < balancers.Count; i++)
                    {
                        if (ResourceOf(Member(balancers[i], "TargetGroupArn")) is not { } targetGroup) continue;
                        var attaching = resources.Where(r => r.Value is JsonObject o && AsString(o["Type"]) is { } t
                                && (t == "AWS::ElasticLoadBalancingV2::Listener" && Mentions(Member(o["Properties"], "DefaultActions"), targetGroup)
                                    || t == "AWS::ElasticLoadBalancingV2::ListenerRule" && Mentions(Member(o["Properties"], "Actions"), targetGroup)))
                            .Select(r => r.Key).Order(StringComparer.Ordinal).ToList();
                        if (attaching.Count > 0 && !attaching.Any(a => Reaches(id, a)))
                            Add(V1014, $"/Resources/{Escape(id)}", $"The service {id} uses the target group {targetGroup}, which {string.Join(" / ", attaching)} attaches to its load balancer, but depends on none of them: CloudFormation may create the service first, and ECS refuses a target group without a load balancer. Add \"DependsOn\": \"{attaching[0]}\".");
                    }
            }
        }

        /// <summary>The resource a Ref or Fn::GetAtt names, when it is one of this template.</summary>
        string? ResourceOf(JsonNode? node)
        {
            var name = AsFunction(node) switch
            {
                ("Ref", var v) => AsString(v),
                ("Fn::GetAtt", JsonArray { Count: 2 } pair) => AsString(pair[0]),
                ("Fn::GetAtt", JsonValue v) when AsString(v) is { } s && s.IndexOf('.') > 0 => s[..s.IndexOf('.')],
                _ => null,
            };
            return name is not null && resources.ContainsKey(name) ? name : null;
        }

        /// <summary>Whether a value refers to the resource anywhere inside (Ref, Fn::GetAtt).</summary>
        bool Mentions(JsonNode? node, string resource) => node switch
        {
            JsonObject o when ResourceOf(o) == resource => true,
            JsonObject o => o.Any(p => Mentions(p.Value, resource)),
            JsonArray a => a.Any(i => Mentions(i, resource)),
            _ => false,
        };
    }
}
