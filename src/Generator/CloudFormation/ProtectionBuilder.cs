using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>
/// The protection concern: the load balancer's access-log bucket, the new VPC's flow logs, and the web ACL (with the IP
/// allow-list when the environment has one). The load balancer's security group enforces the allow-list when there is no
/// web ACL (<see cref="SecurityGroupBuilder"/>).
/// </summary>
internal static class ProtectionBuilder
{
    /// <summary>The key prefix the load balancer writes its access logs under (ELB adds <c>/AWSLogs/ACCOUNT/…</c>).</summary>
    public const string AccessLogPrefix = "load-balancer";

    /// <summary>The principal of ELB log delivery in the regions that opened in August 2022 or later.</summary>
    public const string LogDeliveryServicePrincipal = "logdelivery.elasticloadbalancing.amazonaws.com";

    /// <summary>
    /// The Elastic Load Balancing account of each region available before August 2022, which writes the access logs there
    /// ("Enable access logs for your Application Load Balancer", step 2, "Attach a policy to your S3 bucket":
    /// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html). In those regions the bucket
    /// policy must name that account; in the regions opened since, the service principal above.
    /// </summary>
    public static readonly IReadOnlyList<(string Region, string Account)> ElbAccounts =
    [
        ("us-east-1", "127311923021"), ("us-east-2", "033677994240"), ("us-west-1", "027434742980"), ("us-west-2", "797873946194"),
        ("af-south-1", "098369216593"), ("ap-east-1", "754344448648"), ("ap-southeast-3", "589379963580"), ("ap-south-1", "718504428378"),
        ("ap-northeast-3", "383597477331"), ("ap-northeast-2", "600734575887"), ("ap-southeast-1", "114774131450"), ("ap-southeast-2", "783225319266"),
        ("ap-northeast-1", "582318560864"), ("ca-central-1", "985666609251"), ("eu-central-1", "054676820928"), ("eu-west-1", "156460612806"),
        ("eu-west-2", "652711504416"), ("eu-south-1", "635631232127"), ("eu-west-3", "009996457667"), ("eu-north-1", "897822967062"),
        ("me-south-1", "076674570225"), ("sa-east-1", "507241528517"),
        ("us-gov-west-1", "048591011584"), ("us-gov-east-1", "190560391635"), ("cn-north-1", "638102146993"), ("cn-northwest-1", "037604701340"),
    ];

    /// <summary>
    /// The regions opened since, where AWS documents only the log-delivery service principal (cfn-lint 1.51.0's region list,
    /// commercial partition, less the regions above). They are in the mapping too, marked <see cref="ServicePrincipalMarker"/>:
    /// CloudFormation resolves an <c>Fn::FindInMap</c> even in the branch of an <c>Fn::If</c> it does not take, and fails the stack
    /// on a key the mapping lacks ("If Fn::FindInMap cannot resolve a key and value at runtime, an error will prevent the stack from
    /// being created"; aws-cloudformation/aws-cloudformation-templates#271). A region not listed at all, opened after this list,
    /// fails the same way, loudly at create, rather than writing a policy for the wrong principal.
    /// </summary>
    public static readonly IReadOnlyList<string> ServicePrincipalRegions =
    [
        "ap-east-2", "ap-south-2", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ca-west-1",
        "eu-central-2", "eu-south-2", "il-central-1", "me-central-1", "mx-central-1",
    ];

    /// <summary>The mapping's value for a region whose logs the service principal writes.</summary>
    public const string ServicePrincipalMarker = "service-principal";

    /// <summary>The access-log bucket and its policy, when the environment has access logs; the load balancer's attributes name it.</summary>
    public static void AddAccessLogBucket(Template t, EnvironmentModel m)
    {
        if (m.AccessLogs is not { } logs) return;

        // One template for every region: a mapping of every region to the ELB account that writes the logs there, or to the
        // marker of the regions opened since August 2022, where AWS documents only the log-delivery service principal; the
        // condition reads the mapping (a condition may use Fn::FindInMap), so the principal's Fn::FindInMap resolves in every
        // listed region whichever branch is taken.
        var mapping = new JsonObject();
        foreach (var (region, account) in ElbAccounts) mapping[region] = new JsonObject { ["Account"] = account };
        foreach (var region in ServicePrincipalRegions) mapping[region] = new JsonObject { ["Account"] = ServicePrincipalMarker };
        t.Mappings[Ids.ElbLogDeliveryAccountsMapping] = mapping;
        t.Conditions[Ids.ElbAccountRegionCondition] = new JsonObject
        {
            ["Fn::Not"] = new JsonArray(Fn.EqualsTo(ElbAccountOfRegion(), ServicePrincipalMarker)),
        };

        // SSE-S3, as a private bucket of these stacks always is: ALB access logs support only S3-managed keys ("Enable access
        // logs for your Application Load Balancer", step 1, bucket requirements).
        t.AddResource(Ids.AccessLogBucket, "AWS::S3::Bucket", StackBuilder.PrivateBucket(new()
        {
            ["LifecycleConfiguration"] = new JsonObject
            {
                ["Rules"] = new JsonArray(new JsonObject
                {
                    ["Id"] = "expire-access-logs",
                    ["Status"] = "Enabled",
                    ["ExpirationInDays"] = logs.ExpirationDays,
                }),
            },
            ["Tags"] = StackBuilder.NameTag("${AWS::StackName}-access-logs"),
        // The logs are a record to keep, and CloudFormation cannot delete a bucket that holds objects: deleting the stack
        // leaves the bucket (its lifecycle rule still empties it), instead of failing with BucketNotEmpty.
        })).Retention("Retain")
            // No CloudFormation check of either scanner reports SSE-S3 (Checkov's CKV_AWS_145 is Terraform only): the reason alone.
            .TradeOff("Encrypted with S3-managed keys (SSE-S3), not a customer managed KMS key: Application Load Balancer access logs support only SSE-S3 (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html).")
            .TradeOff("No server access logs and no versioning: the bucket holds the load balancer's access logs, written only by Elastic Load Balancing's log delivery and expired by the lifecycle rule; logging it would need yet another bucket, and versions of log files that are never rewritten keep nothing more.",
                checkovIds: ["CKV_AWS_18", "CKV_AWS_21"], cfnNagIds: ["W35"]);

        t.AddResource(Ids.AccessLogBucketPolicy, "AWS::S3::BucketPolicy", new()
        {
            ["Bucket"] = Fn.Ref(Ids.AccessLogBucket),
            ["PolicyDocument"] = new JsonObject
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new JsonArray(
                    StackBuilder.DenyInsecureTransport(Ids.AccessLogBucket),
                    new JsonObject
                    {
                        ["Sid"] = "LoadBalancerLogDelivery",
                        ["Effect"] = "Allow",
                        ["Principal"] = Fn.If(Ids.ElbAccountRegionCondition,
                            new JsonObject
                            {
                                ["AWS"] = new JsonObject
                                {
                                    ["Fn::Sub"] = new JsonArray("arn:${AWS::Partition}:iam::${ElbAccount}:root", new JsonObject
                                    {
                                        ["ElbAccount"] = ElbAccountOfRegion(),
                                    }),
                                },
                            },
                            new JsonObject { ["Service"] = LogDeliveryServicePrincipal }),
                        ["Action"] = "s3:PutObject",
                        // Only under the prefix, for this account's load balancers: ELB writes bucket/prefix/AWSLogs/ACCOUNT/….
                        ["Resource"] = Fn.Sub($"${{{Ids.AccessLogBucket}.Arn}}/{AccessLogPrefix}/AWSLogs/${{AWS::AccountId}}/*"),
                    }),
            },
        });
    }

    /// <summary>The load balancer attributes that turn its access logs on, empty when it has none.</summary>
    public static IEnumerable<JsonObject> AccessLogAttributes(EnvironmentModel m) => m.AccessLogs is null ? [] :
    [
        LoadBalancerBuilder.Attribute("access_logs.s3.enabled", "true"),
        LoadBalancerBuilder.Attribute("access_logs.s3.bucket", Fn.Ref(Ids.AccessLogBucket)),
        LoadBalancerBuilder.Attribute("access_logs.s3.prefix", AccessLogPrefix),
    ];

    /// <summary>The new VPC's flow logs to CloudWatch Logs: a log group, the role VPC Flow Logs publishes as, and the flow log.</summary>
    public static void AddFlowLogs(Template t, EnvironmentModel m)
    {
        if (m.FlowLogs is not { } flowLogs) return;
        t.AddResource(Ids.FlowLogGroup, "AWS::Logs::LogGroup", new()
        {
            ["RetentionInDays"] = flowLogs.RetentionDays,
        }).Retention(m.Env.IsProduction ? "Retain" : "Delete")
            .TradeOff(ServiceBuilder.LogGroupKeyTradeOff, checkovIds: [ServiceBuilder.LogGroupKmsCheckov], cfnNagIds: [ServiceBuilder.LogGroupKmsCfnNag]);
        t.AddResource(Ids.FlowLogRole, "AWS::IAM::Role", new()
        {
            ["Description"] = $"{m.StackName}: lets VPC Flow Logs publish the VPC's flow log to its log group",
            // "IAM role for publishing flow logs to CloudWatch Logs" (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html):
            // the trust policy names vpc-flow-logs.amazonaws.com, with aws:SourceAccount and aws:SourceArn (the account's flow
            // logs in the region) against the confused deputy.
            ["AssumeRolePolicyDocument"] = new JsonObject
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new JsonArray(new JsonObject
                {
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["Service"] = "vpc-flow-logs.amazonaws.com" },
                    ["Action"] = "sts:AssumeRole",
                    ["Condition"] = new JsonObject
                    {
                        ["StringEquals"] = new JsonObject { ["aws:SourceAccount"] = Fn.Ref("AWS::AccountId") },
                        ["ArnLike"] = new JsonObject { ["aws:SourceArn"] = Fn.Sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*") },
                    },
                }),
            },
            // The page's permissions, scoped to the one log group (it creates streams in it and writes them); DescribeLogGroups
            // has no narrower resource than the region's groups.
            ["Policies"] = new JsonArray(new JsonObject
            {
                ["PolicyName"] = "publish-flow-logs",
                ["PolicyDocument"] = new JsonObject
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = new JsonArray(
                        StackBuilder.Statement("WriteFlowLogs", ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], Fn.GetAtt(Ids.FlowLogGroup, "Arn")),
                        // DescribeLogGroups takes no resource type (the service authorization reference; cfn-lint's Policies.json):
                        // IAM matches it only on "*", and an ARN there would never allow it.
                        StackBuilder.Statement("FindLogGroup", ["logs:DescribeLogGroups"], "*")),
                },
            }),
        }).TradeOff("Resource \"*\" for logs:DescribeLogGroups only, which takes no resource type; writing is limited to the flow log's own log group.",
            checkovIds: [], cfnNagIds: [ServiceBuilder.WildcardResourceCfnNag]);
        t.AddResource(Ids.FlowLog, "AWS::EC2::FlowLog", new()
        {
            ["ResourceType"] = "VPC",
            ["ResourceId"] = Fn.Ref(Ids.Vpc),
            ["TrafficType"] = flowLogs.TrafficType switch
            {
                FlowLogTraffic.Accept => "ACCEPT",
                FlowLogTraffic.Reject => "REJECT",
                _ => "ALL",
            },
            ["LogDestinationType"] = "cloud-watch-logs",
            ["LogGroupName"] = Fn.Ref(Ids.FlowLogGroup),
            ["DeliverLogsPermissionArn"] = Fn.GetAtt(Ids.FlowLogRole, "Arn"),
            ["Tags"] = StackBuilder.NameTag("${AWS::StackName}"),
        });
    }

    /// <summary>The managed rule groups of a web ACL, in priority order after the allow-list and the rate limit.</summary>
    public static readonly IReadOnlyList<string> ManagedRuleGroups =
        ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"];

    /// <summary>The web ACL on the load balancer, with the allow-list's IP set when the environment has one.</summary>
    public static void AddWebAcl(Template t, EnvironmentModel m)
    {
        if (m.WebAcl is not { } acl) return;
        var rules = new JsonArray();
        var priority = 0;
        if (m.AllowedCidrs.Count > 0)
        {
            t.AddResource(Ids.AllowedAddresses, "AWS::WAFv2::IPSet", new()
            {
                ["Description"] = $"{m.StackName}: the only addresses that may reach the load balancer",
                ["Scope"] = "REGIONAL",
                ["IPAddressVersion"] = "IPV4",
                ["Addresses"] = new JsonArray([.. m.AllowedCidrs.Select(c => JsonValue.Create(c))]),
            });
            // The allow-list is a requirement, not a trial: it blocks whatever the web ACL's Action says for the other rules.
            rules.Add((JsonNode)Rule(m, "AllowedAddressesOnly", priority++, action: WafAction.Block, new JsonObject
            {
                ["NotStatement"] = new JsonObject
                {
                    ["Statement"] = new JsonObject { ["IPSetReferenceStatement"] = new JsonObject { ["Arn"] = Fn.GetAtt(Ids.AllowedAddresses, "Arn") } },
                },
            }));
        }
        // Per client address over the window (AWS::WAFv2::WebACL RateBasedStatement: Limit 10 to 2,000,000,000, EvaluationWindowSec
        // 60, 120, 300 or 600; https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html).
        rules.Add((JsonNode)Rule(m, "RateLimitPerAddress", priority++, action: acl.RateLimit ?? acl.Action, new JsonObject
        {
            ["RateBasedStatement"] = new JsonObject
            {
                ["Limit"] = acl.RateLimitRequests,
                ["EvaluationWindowSec"] = acl.RateLimitWindowSeconds,
                ["AggregateKeyType"] = "IP",
            },
        }));
        var groupActions = new Dictionary<string, WafAction>
        {
            ["AWSManagedRulesAmazonIpReputationList"] = acl.IpReputation ?? acl.Action,
            ["AWSManagedRulesCommonRuleSet"] = acl.CommonRuleSet ?? acl.Action,
            ["AWSManagedRulesKnownBadInputsRuleSet"] = acl.KnownBadInputs ?? acl.Action,
        };
        foreach (var group in ManagedRuleGroups)
        {
            // A rule group's own rules decide (OverrideAction None), or every match is only counted (OverrideAction Count):
            // a rule that references a rule group takes OverrideAction, never Action
            // (https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-rule-group-override-options.html).
            var rule = Rule(m, group, priority++, action: null, new JsonObject
            {
                ["ManagedRuleGroupStatement"] = new JsonObject { ["VendorName"] = "AWS", ["Name"] = group },
            });
            rule["OverrideAction"] = new JsonObject { [groupActions[group] == WafAction.Count ? "Count" : "None"] = new JsonObject() };
            rules.Add((JsonNode)rule);
        }

        t.AddResource(Ids.WebAcl, "AWS::WAFv2::WebACL", new()
        {
            ["Description"] = $"{m.StackName}: filters the requests that reach the load balancer",
            ["Scope"] = "REGIONAL",
            ["DefaultAction"] = new JsonObject { ["Allow"] = new JsonObject() },
            ["Rules"] = rules,
            ["VisibilityConfig"] = Visibility(m, "web-acl"),
            ["Tags"] = StackBuilder.NameTag("${AWS::StackName}"),
        });
        // ResourceArn is the load balancer's Ref (its ARN), so CloudFormation associates only once the load balancer exists.
        t.AddResource(Ids.WebAclAssociation, "AWS::WAFv2::WebACLAssociation", new()
        {
            ["ResourceArn"] = Fn.Ref(Ids.LoadBalancer),
            ["WebACLArn"] = Fn.GetAtt(Ids.WebAcl, "Arn"),
        });
    }

    static JsonObject Rule(EnvironmentModel m, string name, int priority, WafAction? action, JsonObject statement)
    {
        var rule = new JsonObject { ["Name"] = name, ["Priority"] = priority };
        if (action is { } a) rule["Action"] = new JsonObject { [a == WafAction.Count ? "Count" : "Block"] = new JsonObject() };
        rule["Statement"] = statement;
        rule["VisibilityConfig"] = Visibility(m, name);
        return rule;
    }

    // Metrics per rule and for the web ACL, named after the stack so that environments do not mix in CloudWatch.
    static JsonObject Visibility(EnvironmentModel m, string metric) => new()
    {
        ["SampledRequestsEnabled"] = true,
        ["CloudWatchMetricsEnabled"] = true,
        ["MetricName"] = $"{m.StackName}-{metric}",
    };

    static JsonObject ElbAccountOfRegion() => new() { ["Fn::FindInMap"] = new JsonArray(Ids.ElbLogDeliveryAccountsMapping, Fn.Region, "Account") };
}
