using System.Globalization;
using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>The load balancer concern: the Application Load Balancer, its target groups, certificate, listeners and DNS record.</summary>
internal static class LoadBalancerBuilder
{
    public static void Add(Template t, EnvironmentModel m, NetworkRefs network)
    {
        var attributes = new JsonArray(
            Attribute("idle_timeout.timeout_seconds", m.LoadBalancer.IdleTimeoutSeconds.ToString(CultureInfo.InvariantCulture)),
            Attribute("routing.http.drop_invalid_header_fields.enabled", "true"));
        // Production's load balancer is protected from deletion, but only once the stack exists: a protected load balancer
        // cannot be deleted by the rollback of a failed first create, which then ends in ROLLBACK_FAILED. So the attribute
        // follows a parameter, false by default, that the printed deploy command sets to true when the stack already exists.
        if (m.Env.IsProduction) attributes.Add((JsonNode)Attribute("deletion_protection.enabled", Fn.Ref(Ids.DeletionProtectionParameter)));
        foreach (var attribute in ProtectionBuilder.AccessLogAttributes(m)) attributes.Add((JsonNode)attribute);

        var loadBalancer = t.AddResource(Ids.LoadBalancer, "AWS::ElasticLoadBalancingV2::LoadBalancer", new()
        {
            ["Type"] = "application",
            ["Scheme"] = "internet-facing",
            ["IpAddressType"] = "ipv4",
            ["Subnets"] = network.PublicSubnets.DeepClone(),
            ["SecurityGroups"] = new JsonArray(Fn.GetAtt(Ids.LoadBalancerSecurityGroup, "GroupId")),
            ["LoadBalancerAttributes"] = attributes,
        });
        // An internet-facing load balancer needs the VPC's internet gateway attached, which no Ref expresses: without the
        // dependency creation fails at random with "VPC has no internet gateway", and deletion can detach the gateway first
        // (DependsOn attribute, "When a DependsOn attribute is required": https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html).
        if (network.InternetGatewayAttachment is { } attachment) loadBalancer.DependsOn(attachment);
        // ELB checks that it may write to the access-log bucket when the attribute is set: the bucket policy must be in place
        // first, which no Ref expresses ("Access Denied for bucket" otherwise).
        if (m.AccessLogs is not null) loadBalancer.DependsOn(Ids.AccessLogBucketPolicy);
        t.AddResource(Ids.TargetGroup, "AWS::ElasticLoadBalancingV2::TargetGroup", TargetGroupProperties(m, network, m.Service.HealthCheck, m.Service.Port));
        if (m.Deployment is BlueGreenDeployment)
            t.AddResource(Ids.AlternateTargetGroup, "AWS::ElasticLoadBalancingV2::TargetGroup", TargetGroupProperties(m, network, m.Service.HealthCheck, m.Service.Port));

        JsonNode certificateArn = Fn.Ref(Ids.CertificateArnParameter);
        if (m.LoadBalancer.Certificate is RequestedCertificate)
        {
            // With HostedZoneId in DomainValidationOptions, CloudFormation writes ACM's validation CNAME into the zone itself and
            // the resource completes once the certificate is issued; ACM renews it while the record stays. Requested only when no
            // ARN was passed, so the listener always has exactly one certificate (the If below picks the same one).
            t.AddResource(Ids.Certificate, "AWS::CertificateManager::Certificate", new()
            {
                ["DomainName"] = Fn.Ref(Ids.DomainNameParameter),
                ["ValidationMethod"] = "DNS",
                ["DomainValidationOptions"] = new JsonArray(new JsonObject
                {
                    ["DomainName"] = Fn.Ref(Ids.DomainNameParameter),
                    ["HostedZoneId"] = Fn.Ref(Ids.HostedZoneIdParameter),
                }),
                ["Tags"] = StackBuilder.NameTag("${AWS::StackName}"),
            }).When(Ids.RequestCertificateCondition);
            certificateArn = Fn.If(Ids.RequestCertificateCondition, Fn.Ref(Ids.Certificate), Fn.Ref(Ids.CertificateArnParameter));
        }
        var https = t.AddResource(Ids.HttpsListener, "AWS::ElasticLoadBalancingV2::Listener", new()
        {
            ["LoadBalancerArn"] = Fn.Ref(Ids.LoadBalancer),
            ["Port"] = 443,
            ["Protocol"] = "HTTPS",
            ["SslPolicy"] = m.LoadBalancer.TlsPolicy,
            ["Certificates"] = new JsonArray(new JsonObject { ["CertificateArn"] = certificateArn }),
            // HSTS: the load balancer adds the header to every HTTPS response, replacing one the application sent
            // (listener attribute routing.http.response.strict_transport_security.header_value; "HTTP header modification for your
            // Application Load Balancer": https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html).
            // Not on the HTTP listener: a browser ignores the header over plain HTTP, and that listener only redirects.
            ["DefaultActions"] = new JsonArray(m.Deployment is BlueGreenDeployment
                // With blue/green, either target group may be the empty one after a deployment: the default action must never
                // forward to one of them. The production rule below matches every request, so this answer is never seen while it exists.
                ? new JsonObject
                {
                    ["Type"] = "fixed-response",
                    ["FixedResponseConfig"] = new JsonObject { ["StatusCode"] = "503", ["ContentType"] = "text/plain", ["MessageBody"] = "Service unavailable" },
                }
                : new JsonObject { ["Type"] = "forward", ["TargetGroupArn"] = Fn.Ref(Ids.TargetGroup) }),
        });
        if (HstsMaxAge(m) is { } maxAge)
            https.Properties["ListenerAttributes"] = new JsonArray(
                Attribute("routing.http.response.strict_transport_security.header_value", $"max-age={maxAge.ToString(CultureInfo.InvariantCulture)}"));
        if (m.Deployment is BlueGreenDeployment)
        {
            // The production listener rule ECS shifts traffic with: it matches every request and forwards by weight to both
            // target groups; ECS moves the weights from blue to green and back. It also attaches the alternate target group to
            // the load balancer, which ECS needs before it registers green tasks there.
            // After the first deployment ECS owns the weights (green may now hold 100): a stack update that rewrote this rule
            // would reset 100/0 and send all traffic to a group that may be empty. So nothing here depends on any setting of the
            // definition: its properties are the same for every blue/green environment (a test changes every setting of prod
            // and checks the rule stays byte-identical). https://docs.aws.amazon.com/AmazonECS/latest/developerguide/blue-green-deployment-how-it-works.html
            t.AddResource(Ids.ProductionListenerRule, "AWS::ElasticLoadBalancingV2::ListenerRule", new()
            {
                ["ListenerArn"] = Fn.Ref(Ids.HttpsListener),
                // First when it is the listener's one rule; last when the app's web services have rules of their own, which it
                // would otherwise take every request from (its condition matches every path). Only the priority then differs.
                ["Priority"] = m.Services.Any(s => s.Service is WebService) ? Rules.ListenerRoutes.MaxPriority : 1,
                ["Conditions"] = new JsonArray(new JsonObject
                {
                    ["Field"] = "path-pattern",
                    ["PathPatternConfig"] = new JsonObject { ["Values"] = new JsonArray("/*") },
                }),
                ["Actions"] = new JsonArray(new JsonObject
                {
                    ["Type"] = "forward",
                    ["ForwardConfig"] = new JsonObject
                    {
                        ["TargetGroups"] = new JsonArray(
                            new JsonObject { ["TargetGroupArn"] = Fn.Ref(Ids.TargetGroup), ["Weight"] = 100 },
                            new JsonObject { ["TargetGroupArn"] = Fn.Ref(Ids.AlternateTargetGroup), ["Weight"] = 0 }),
                    },
                }),
            });
        }
        if (m.LoadBalancer.Certificate is IamServerCertificate)
        {
            // cfn-lint 1.51 types Listener.Certificates[].CertificateArn as an ACM ARN, so an IAM server-certificate ARN in the
            // parameter's default draws W1030 (E1159 when literal). It is provably wrong: the ELBv2 API takes any certificate
            // ARN and the ALB guide documents IAM server certificates (cfn-lint issue #4551, rules catalog 1.12).
            https.IgnoreCfnLint("W1030", "E1159");
        }

        if (m.LoadBalancer.Http != HttpPort.Closed)
        {
            var action = m.LoadBalancer.Http == HttpPort.RedirectToHttps
                ? new JsonObject
                {
                    ["Type"] = "redirect",
                    ["RedirectConfig"] = new JsonObject { ["Protocol"] = "HTTPS", ["Port"] = "443", ["StatusCode"] = "HTTP_301" },
                }
                : new JsonObject { ["Type"] = "forward", ["TargetGroupArn"] = Fn.Ref(Ids.TargetGroup) };
            t.AddResource(Ids.HttpListener, "AWS::ElasticLoadBalancingV2::Listener", new()
            {
                ["LoadBalancerArn"] = Fn.Ref(Ids.LoadBalancer),
                ["Port"] = 80,
                ["Protocol"] = "HTTP",
                ["DefaultActions"] = new JsonArray(action),
            });
        }

        if (m.Dns is not null)
        {
            // An alias (no TTL, free of query charges, follows the load balancer's addresses); A only, as the load balancer is
            // IPv4. Evaluating target health lets Route 53 answer for another record of the name when this one has no healthy target.
            t.AddResource(Ids.DnsRecord, "AWS::Route53::RecordSet", new()
            {
                ["HostedZoneId"] = Fn.Ref(Ids.HostedZoneIdParameter),
                ["Name"] = Fn.Ref(Ids.DomainNameParameter),
                ["Type"] = "A",
                ["AliasTarget"] = new JsonObject
                {
                    ["DNSName"] = Fn.GetAtt(Ids.LoadBalancer, "DNSName"),
                    ["HostedZoneId"] = Fn.GetAtt(Ids.LoadBalancer, "CanonicalHostedZoneID"),
                    ["EvaluateTargetHealth"] = true,
                },
            });
        }
    }

    /// <summary>A target group of Fargate tasks on <paramref name="port"/>, checked by <paramref name="hc"/>.</summary>
    internal static JsonObject TargetGroupProperties(EnvironmentModel m, NetworkRefs network, HealthCheck hc, int port)
    {
        return new JsonObject
        {
            // Fargate tasks use awsvpc networking, which registers tasks by IP; the default "instance" would never see a target.
            ["TargetType"] = "ip",
            ["Protocol"] = "HTTP",
            ["Port"] = port,
            ["VpcId"] = network.VpcId.DeepClone(),
            ["HealthCheckEnabled"] = true,
            ["HealthCheckProtocol"] = "HTTP",
            ["HealthCheckPath"] = hc.Path,
            ["HealthCheckIntervalSeconds"] = hc.IntervalSeconds,
            ["HealthCheckTimeoutSeconds"] = hc.TimeoutSeconds,
            ["HealthyThresholdCount"] = hc.HealthyThreshold,
            ["UnhealthyThresholdCount"] = hc.UnhealthyThreshold,
            ["Matcher"] = new JsonObject { ["HttpCode"] = hc.SuccessCodes },
            ["TargetGroupAttributes"] = new JsonArray(
                Attribute("deregistration_delay.timeout_seconds", m.Deployment.DeregistrationDelaySeconds.ToString(CultureInfo.InvariantCulture))),
        };
    }

    /// <summary>The HSTS max-age in force: the definition's, else one year in production and none elsewhere; null for no header.</summary>
    internal static int? HstsMaxAge(EnvironmentModel m) =>
        (m.LoadBalancer.HstsMaxAgeSeconds ?? (m.Env.IsProduction ? LoadBalancer.DefaultHstsMaxAgeSeconds : 0)) is var age and > 0 ? age : null;

    internal static JsonObject Attribute(string key, JsonNode value) => new() { ["Key"] = key, ["Value"] = value };
}
