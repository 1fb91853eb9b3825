using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>The scaling concern: the scalable target between the environment's bounds and its target-tracking policies.</summary>
internal static class ScalingBuilder
{
    public static void Add(Template t, EnvironmentModel m)
    {
        t.AddResource(Ids.ScalableTarget, "AWS::ApplicationAutoScaling::ScalableTarget", new()
        {
            ["ServiceNamespace"] = "ecs",
            ["ScalableDimension"] = "ecs:service:DesiredCount",
            // Ref on a service is its ARN; the resource ID wants the service's name.
            ["ResourceId"] = Fn.Sub($"service/${{{Ids.Cluster}}}/${{{Ids.Service}.Name}}"),
            ["MinCapacity"] = m.Env.Tasks.Min,
            ["MaxCapacity"] = m.Env.Tasks.Max,
        });
        var sc = m.Scaling;
        AddTracking(t, Ids.CpuScalingPolicy, Ids.ScalableTarget, "cpu", "ECSServiceAverageCPUUtilization", sc.CpuTargetPercent, sc, null);
        if (sc.MemoryTargetPercent is { } memory)
            AddTracking(t, Ids.MemoryScalingPolicy, Ids.ScalableTarget, "memory", "ECSServiceAverageMemoryUtilization", memory, sc, null);
        if (sc.RequestsPerTarget is { } requests)
            AddTracking(t, Ids.RequestCountScalingPolicy, Ids.ScalableTarget, "requests", "ALBRequestCountPerTarget", requests, sc,
                Fn.Sub($"${{{Ids.LoadBalancer}.LoadBalancerFullName}}/${{{Ids.TargetGroup}.TargetGroupFullName}}"));
    }

    /// <summary>A target-tracking policy on a predefined metric, for the scalable target <paramref name="targetId"/>, named <c>STACK-NAME</c>.</summary>
    internal static void AddTracking(Template t, string id, string targetId, string name, string metric, int target, Scaling sc, JsonNode? resourceLabel)
    {
        var metricSpec = new JsonObject { ["PredefinedMetricType"] = metric };
        if (resourceLabel is not null) metricSpec["ResourceLabel"] = resourceLabel;
        t.AddResource(id, "AWS::ApplicationAutoScaling::ScalingPolicy", new()
        {
            ["PolicyName"] = Fn.Sub($"${{AWS::StackName}}-{name}"),
            ["PolicyType"] = "TargetTrackingScaling",
            ["ScalingTargetId"] = Fn.Ref(targetId),
            ["TargetTrackingScalingPolicyConfiguration"] = new JsonObject
            {
                ["PredefinedMetricSpecification"] = metricSpec,
                ["TargetValue"] = target,
                ["ScaleInCooldown"] = sc.ScaleInCooldownSeconds,
                ["ScaleOutCooldown"] = sc.ScaleOutCooldownSeconds,
            },
        });
    }
}
