using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using Templates.Rules;

namespace Templates.Tests;

/// <summary>
/// Access logs, flow logs, the web ACL and the IP allow-list, held to what AWS documents: "Enable access logs for your
/// Application Load Balancer" (SSE-S3 only; the regional ELB account before August 2022, the log-delivery service principal
/// after), "IAM role for publishing flow logs to CloudWatch Logs", and the AWS WAF rule statements. Names and values are
/// written here as AWS spells them, not read from the generator.
/// </summary>
public class ProtectionTests
{
    static TemplateView Prod => Fixtures.View(Fixtures.Guide, "prod");
    static TemplateView Staging => Fixtures.View(Fixtures.Guide, "staging");
    static TemplateView Dev => Fixtures.View(Fixtures.Guide, "dev");

    static Env ProdEnv(Func<Env, Env>? change = null)
    {
        var env = new Env("prod") { Tasks = new TaskCount(2, 4), Service = new ServiceOverrides { ImageTag = "1.0.0" }, WebAcl = new WebAcl() };
        return change is null ? env : change(env);
    }

    // ---- Access logs ----

    [Fact]
    public void Production_writes_access_logs_to_an_sse_s3_bucket_with_public_access_blocked_and_an_expiry()
    {
        var bucket = Prod.Resource(LogicalIds.AccessLogBucket);
        Assert.Equal("AWS::S3::Bucket", (string?)bucket["Type"]);
        var properties = (JsonObject)bucket["Properties"]!;
        // ALB access logs support only SSE-S3 (AES256), not SSE-KMS.
        Assert.Equal("AES256", (string?)properties["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]);
        foreach (var setting in new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" })
            Assert.True((bool)properties["PublicAccessBlockConfiguration"]![setting]!, setting);
        var rule = Assert.Single(properties["LifecycleConfiguration"]!["Rules"]!.AsArray())!;
        Assert.Equal(("Enabled", 90), ((string?)rule["Status"], (int)rule["ExpirationInDays"]!));
        // A bucket that holds logs is kept when the stack is deleted (and CloudFormation could not delete it while it holds objects).
        Assert.Equal(("Retain", "Retain"), ((string?)bucket["DeletionPolicy"], (string?)bucket["UpdateReplacePolicy"]));

        var attributes = Prod.Properties(LogicalIds.LoadBalancer)["LoadBalancerAttributes"]!.AsArray().ToDictionary(a => (string)a!["Key"]!, a => a!["Value"]!.ToJsonString());
        Assert.Equal("\"true\"", attributes["access_logs.s3.enabled"]);
        Assert.Equal("""{"Ref":"AccessLogBucket"}""", attributes["access_logs.s3.bucket"]);
        Assert.Equal("\"load-balancer\"", attributes["access_logs.s3.prefix"]);
        // ELB tests its write access when the attribute is set: the policy must exist first.
        Assert.Contains(LogicalIds.AccessLogBucketPolicy, Prod.Resource(LogicalIds.LoadBalancer)["DependsOn"]!.AsArray().Select(d => (string)d!));
    }

    [Fact]
    public void Access_log_bucket_policy_denies_plain_http_and_lets_only_elb_write_under_the_prefix()
    {
        var statements = Prod.Properties(LogicalIds.AccessLogBucketPolicy)["PolicyDocument"]!["Statement"]!.AsArray();
        var deny = statements.Single(s => (string?)s!["Effect"] == "Deny")!;
        Assert.Equal("*", (string?)deny["Principal"]);
        Assert.Equal("s3:*", (string?)deny["Action"]);
        Assert.Equal("false", (string?)deny["Condition"]!["Bool"]!["aws:SecureTransport"]);
        Assert.Equal("""[{"Fn::GetAtt":["AccessLogBucket","Arn"]},{"Fn::Sub":"${AccessLogBucket.Arn}/*"}]""", deny["Resource"]!.ToJsonString());

        var allow = statements.Single(s => (string?)s!["Effect"] == "Allow")!;
        Assert.Equal("s3:PutObject", (string?)allow["Action"]);
        Assert.Equal("${AccessLogBucket.Arn}/load-balancer/AWSLogs/${AWS::AccountId}/*", (string?)allow["Resource"]!["Fn::Sub"]);
        // Legacy regions: the region's ELB account; regions opened since August 2022: the log-delivery service principal.
        var choice = allow["Principal"]!["Fn::If"]!.AsArray();
        Assert.Equal("ElbAccountRegion", (string?)choice[0]);
        Assert.Equal("arn:${AWS::Partition}:iam::${ElbAccount}:root", (string?)choice[1]!["AWS"]!["Fn::Sub"]![0]);
        Assert.Equal("""{"Fn::FindInMap":["ElbLogDeliveryAccounts",{"Ref":"AWS::Region"},"Account"]}""", choice[1]!["AWS"]!["Fn::Sub"]![1]!["ElbAccount"]!.ToJsonString());
        Assert.Equal("logdelivery.elasticloadbalancing.amazonaws.com", (string?)choice[2]!["Service"]);
    }

    // The ELB account of regions AWS lists on "Enable access logs for your Application Load Balancer" (before August 2022).
    [Theory]
    [InlineData("us-east-1", "127311923021")]
    [InlineData("us-west-2", "797873946194")]
    [InlineData("eu-west-1", "156460612806")]
    [InlineData("eu-central-1", "054676820928")]
    [InlineData("ap-southeast-2", "783225319266")]
    [InlineData("sa-east-1", "507241528517")]
    [InlineData("us-gov-west-1", "048591011584")]
    [InlineData("cn-north-1", "638102146993")]
    public void Legacy_regions_map_to_their_elb_account_and_the_condition_holds_there(string region, string account)
    {
        Assert.Equal(account, (string?)Prod.Json["Mappings"]!["ElbLogDeliveryAccounts"]![region]!["Account"]);
        Assert.True(ConditionHolds(Prod.Json["Conditions"]!["ElbAccountRegion"]!, region));
    }

    [Theory]
    [InlineData("eu-south-2")]      // Spain, opened November 2022
    [InlineData("ap-south-2")]      // Hyderabad
    [InlineData("il-central-1")]    // Tel Aviv
    [InlineData("ca-west-1")]       // Calgary
    public void Regions_opened_since_august_2022_take_the_service_principal(string region)
    {
        // Listed (CloudFormation resolves the principal's Fn::FindInMap even in the branch it does not take, and fails the
        // stack on a missing key), with the marker that turns the condition false.
        Assert.Equal(ProtectionBuilder.ServicePrincipalMarker, (string?)Prod.Json["Mappings"]!["ElbLogDeliveryAccounts"]![region]!["Account"]);
        Assert.False(ConditionHolds(Prod.Json["Conditions"]!["ElbAccountRegion"]!, region));
    }

    [Fact]
    public void Every_commercial_region_cfn_lint_knows_is_in_the_mapping_so_each_fn_find_in_map_resolves_whichever_branch_is_taken()
    {
        // cfn-lint 1.51.0's region list (cfnlint.helpers.REGIONS), commercial, GovCloud and China partitions.
        string[] regions =
        [
            "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2",
            "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
            "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1",
            "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1",
            "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2",
        ];
        var mapping = Prod.Json["Mappings"]!["ElbLogDeliveryAccounts"]!.AsObject();
        var findInMaps = new List<JsonNode>();
        Collect(Prod.Json, findInMaps);
        Assert.NotEmpty(findInMaps);
        foreach (var region in regions)
            foreach (var find in findInMaps)
            {
                var args = find["Fn::FindInMap"]!.AsArray();
                Assert.True(Prod.Json["Mappings"]![(string)args[0]!]?[region]?[(string)args[2]!] is not null,
                    $"Fn::FindInMap {args.ToJsonString()} does not resolve in {region}: the stack would fail to create there.");
            }
        Assert.Equal(regions.Order(StringComparer.Ordinal), mapping.Select(m => m.Key).Order(StringComparer.Ordinal));

        static void Collect(JsonNode? node, List<JsonNode> found)
        {
            switch (node)
            {
                case JsonObject o:
                    if (o.ContainsKey("Fn::FindInMap")) found.Add(o);
                    foreach (var (_, v) in o) Collect(v, found);
                    break;
                case JsonArray a:
                    foreach (var v in a) Collect(v, found);
                    break;
            }
        }
    }

    // Evaluates the condition for a region as CloudFormation would: Fn::Not of Fn::Equals of the mapping's value.
    static bool ConditionHolds(JsonNode condition, string region)
    {
        var equals = condition["Fn::Not"]![0]!["Fn::Equals"]!.AsArray();
        var find = equals[0]!["Fn::FindInMap"]!.AsArray();
        Assert.Equal("""{"Ref":"AWS::Region"}""", find[1]!.ToJsonString());
        var value = (string?)Prod.Json["Mappings"]![(string)find[0]!]![region]![(string)find[2]!];
        return value != (string?)equals[1];
    }

    [Fact]
    public void Access_logs_are_off_outside_production_unless_asked_for_and_can_be_turned_off_in_production()
    {
        Assert.False(Dev.Resources.ContainsKey(LogicalIds.AccessLogBucket));
        Assert.Null(Dev.Json["Mappings"]);
        Assert.DoesNotContain(Dev.Properties(LogicalIds.LoadBalancer)["LoadBalancerAttributes"]!.AsArray(), a => ((string)a!["Key"]!).StartsWith("access_logs", StringComparison.Ordinal));

        var dev = Fixtures.View(Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), AccessLogs = new AccessLogs { ExpirationDays = 7 } }), "dev");
        Assert.Equal(7, (int)dev.Properties(LogicalIds.AccessLogBucket)["LifecycleConfiguration"]!["Rules"]![0]!["ExpirationInDays"]!);
        var appWide = Fixtures.Minimal() with { LoadBalancer = Fixtures.Minimal().LoadBalancer with { AccessLogs = new AccessLogs() } };
        Assert.True(Fixtures.View(appWide, "dev").Resources.ContainsKey(LogicalIds.AccessLogBucket));

        var off = Fixtures.View(Fixtures.Minimal(ProdEnv(e => e with { AccessLogs = new AccessLogs { Enabled = false } })), "prod");
        Assert.False(off.Resources.ContainsKey(LogicalIds.AccessLogBucket));
    }

    // ---- Flow logs ----

    [Fact]
    public void Production_vpc_has_flow_logs_to_cloudwatch_through_a_role_only_vpc_flow_logs_of_this_account_may_assume()
    {
        var flowLog = Prod.Properties(LogicalIds.FlowLog);
        Assert.Equal("VPC", (string?)flowLog["ResourceType"]);
        Assert.Equal("""{"Ref":"Vpc"}""", flowLog["ResourceId"]!.ToJsonString());
        Assert.Equal("ALL", (string?)flowLog["TrafficType"]);
        Assert.Equal("cloud-watch-logs", (string?)flowLog["LogDestinationType"]);
        Assert.Equal("""{"Ref":"FlowLogGroup"}""", flowLog["LogGroupName"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["FlowLogRole","Arn"]}""", flowLog["DeliverLogsPermissionArn"]!.ToJsonString());
        Assert.Equal(90, (int)Prod.Properties(LogicalIds.FlowLogGroup)["RetentionInDays"]!);

        // "IAM role for publishing flow logs to CloudWatch Logs": the service, and aws:SourceAccount / aws:SourceArn.
        var trust = Assert.Single(Prod.Properties(LogicalIds.FlowLogRole)["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("vpc-flow-logs.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Equal("sts:AssumeRole", (string?)trust["Action"]);
        Assert.Equal("""{"Ref":"AWS::AccountId"}""", trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]!.ToJsonString());
        Assert.Equal("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc-flow-log/*", (string?)trust["Condition"]!["ArnLike"]!["aws:SourceArn"]!["Fn::Sub"]);

        var statements = Prod.Properties(LogicalIds.FlowLogRole)["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        var write = statements.Single(s => (string?)s!["Sid"] == "WriteFlowLogs")!;
        Assert.Equal(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"], write["Action"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("""{"Fn::GetAtt":["FlowLogGroup","Arn"]}""", write["Resource"]!.ToJsonString());
    }

    [Fact]
    public void Flow_logs_follow_traffic_type_and_retention_and_are_off_in_dev_by_default()
    {
        Assert.False(Dev.Resources.ContainsKey(LogicalIds.FlowLog));
        var app = Fixtures.Minimal() with { Network = new NewVpc { FlowLogs = new FlowLogs { TrafficType = FlowLogTraffic.Reject, RetentionDays = 14 } } };
        var dev = Fixtures.View(app, "dev");
        Assert.Equal("REJECT", (string?)dev.Properties(LogicalIds.FlowLog)["TrafficType"]);
        Assert.Equal(14, (int)dev.Properties(LogicalIds.FlowLogGroup)["RetentionInDays"]!);
        var existing = Fixtures.Minimal(ProdEnv(e => e with { Network = new ExistingVpc { VpcId = "vpc-0123456789abcdef0", PublicSubnetIds = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] } }));
        Assert.False(Fixtures.View(existing, "prod").Resources.ContainsKey(LogicalIds.FlowLog));
    }

    // ---- Web ACL ----

    [Fact]
    public void Production_web_acl_counts_with_the_three_managed_groups_and_a_rate_rule_and_is_associated_with_the_load_balancer()
    {
        var acl = Prod.Properties(LogicalIds.WebAcl);
        Assert.Equal("REGIONAL", (string?)acl["Scope"]);
        Assert.Equal("""{"Allow":{}}""", acl["DefaultAction"]!.ToJsonString());
        var rules = acl["Rules"]!.AsArray();
        Assert.Equal(Enumerable.Range(0, rules.Count), rules.Select(r => (int)r!["Priority"]!));

        var rate = rules.Single(r => r!["Statement"]!["RateBasedStatement"] is not null)!;
        Assert.Equal("""{"Count":{}}""", rate["Action"]!.ToJsonString());
        Assert.Equal("""{"Limit":2000,"EvaluationWindowSec":300,"AggregateKeyType":"IP"}""", rate["Statement"]!["RateBasedStatement"]!.ToJsonString());

        var groups = rules.Where(r => r!["Statement"]!["ManagedRuleGroupStatement"] is not null).ToList();
        Assert.Equal(["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"],
            groups.Select(g => (string)g!["Statement"]!["ManagedRuleGroupStatement"]!["Name"]!));
        foreach (var group in groups)
        {
            Assert.Equal("AWS", (string?)group!["Statement"]!["ManagedRuleGroupStatement"]!["VendorName"]);
            // A rule group takes OverrideAction (Count: only count), never Action.
            Assert.Equal("""{"Count":{}}""", group["OverrideAction"]!.ToJsonString());
            Assert.Null(group["Action"]);
        }
        foreach (var node in rules.Append(acl))
        {
            var visibility = node!["VisibilityConfig"]!;
            Assert.True((bool)visibility["CloudWatchMetricsEnabled"]! && (bool)visibility["SampledRequestsEnabled"]!);
            Assert.Matches(@"^[\w#:\.\-/]+$", (string)visibility["MetricName"]!);
        }

        var association = Prod.Properties(LogicalIds.WebAclAssociation);
        Assert.Equal("""{"Ref":"LoadBalancer"}""", association["ResourceArn"]!.ToJsonString());
        Assert.Equal("""{"Fn::GetAtt":["WebAcl","Arn"]}""", association["WebACLArn"]!.ToJsonString());
    }

    [Fact]
    public void Each_rule_takes_its_own_action_when_set_block_is_override_none()
    {
        var app = Fixtures.Minimal(ProdEnv(e => e with
        {
            WebAcl = new WebAcl { Action = WafAction.Count, CommonRuleSet = WafAction.Block, RateLimit = WafAction.Block, RateLimitRequests = 10, RateLimitWindowSeconds = 60 },
        }));
        var rules = Fixtures.View(app, "prod").Properties(LogicalIds.WebAcl)["Rules"]!.AsArray().ToDictionary(r => (string)r!["Name"]!, r => r!);
        Assert.Equal("""{"None":{}}""", rules["AWSManagedRulesCommonRuleSet"]["OverrideAction"]!.ToJsonString());
        Assert.Equal("""{"Count":{}}""", rules["AWSManagedRulesKnownBadInputsRuleSet"]["OverrideAction"]!.ToJsonString());
        Assert.Equal("""{"Count":{}}""", rules["AWSManagedRulesAmazonIpReputationList"]["OverrideAction"]!.ToJsonString());
        Assert.Equal("""{"Block":{}}""", rules["RateLimitPerAddress"]["Action"]!.ToJsonString());
        Assert.Equal("""{"Limit":10,"EvaluationWindowSec":60,"AggregateKeyType":"IP"}""", rules["RateLimitPerAddress"]["Statement"]!["RateBasedStatement"]!.ToJsonString());
    }

    // ---- Allowed CIDRs ----

    [Fact]
    public void Without_a_web_acl_the_security_group_admits_each_allowed_range_on_each_port_and_nothing_else()
    {
        var app = Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), AllowedCidrs = ["203.0.113.0/24", "198.51.100.7/32"] });
        var ingress = Fixtures.View(app, "dev").Properties(LogicalIds.LoadBalancerSecurityGroup)["SecurityGroupIngress"]!.AsArray();
        Assert.Equal(
            ["443 203.0.113.0/24", "443 198.51.100.7/32", "80 203.0.113.0/24", "80 198.51.100.7/32"],
            ingress.Select(r => $"{(int)r!["FromPort"]!} {(string)r["CidrIp"]!}"));
        Assert.All(ingress, r => Assert.Equal((int)r!["FromPort"]!, (int)r["ToPort"]!));
        Assert.DoesNotContain(ingress, r => (string?)r!["CidrIp"] == "0.0.0.0/0");
        Assert.Equal(["443 203.0.113.0/24", "80 203.0.113.0/24"],
            Dev.Properties(LogicalIds.LoadBalancerSecurityGroup)["SecurityGroupIngress"]!.AsArray().Select(r => $"{(int)r!["FromPort"]!} {(string)r["CidrIp"]!}"));
    }

    [Fact]
    public void With_a_web_acl_an_ip_set_blocks_every_other_address_and_the_security_group_stays_open()
    {
        var ipSet = Staging.Properties(LogicalIds.AllowedAddresses);
        Assert.Equal(("REGIONAL", "IPV4"), ((string?)ipSet["Scope"], (string?)ipSet["IPAddressVersion"]));
        Assert.Equal("""["203.0.113.0/24"]""", ipSet["Addresses"]!.ToJsonString());
        var first = Staging.Properties(LogicalIds.WebAcl)["Rules"]![0]!;
        Assert.Equal(0, (int)first["Priority"]!);
        Assert.Equal("""{"Block":{}}""", first["Action"]!.ToJsonString());
        Assert.Equal("""{"NotStatement":{"Statement":{"IPSetReferenceStatement":{"Arn":{"Fn::GetAtt":["AllowedAddresses","Arn"]}}}}}""", first["Statement"]!.ToJsonString());
        Assert.All(Staging.Properties(LogicalIds.LoadBalancerSecurityGroup)["SecurityGroupIngress"]!.AsArray(), r => Assert.Equal("0.0.0.0/0", (string?)r!["CidrIp"]));

        // The allow-list blocks even when the web ACL only counts.
        var counting = Fixtures.Minimal(ProdEnv(e => e with { WebAcl = new WebAcl { Action = WafAction.Count }, AllowedCidrs = ["10.20.0.0/16"] }));
        Assert.Equal("""{"Block":{}}""", Fixtures.View(counting, "prod").Properties(LogicalIds.WebAcl)["Rules"]![0]!["Action"]!.ToJsonString());
    }

    // ---- Rules ----

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Access_log_expiry_below_one_day_is_TPL0066(int days)
    {
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), AccessLogs = new AccessLogs { ExpirationDays = days } })));
        Assert.Equal(("TPL0066", Severity.Error, "Environments[dev].AccessLogs.ExpirationDays"), (finding.Rule.Id, finding.Severity, finding.Setting));
        // Turned off, the expiry is not judged.
        Assert.Empty(Fixtures.Findings(Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), AccessLogs = new AccessLogs { Enabled = false, ExpirationDays = days } })));
    }

    [Fact]
    public void Flow_log_retention_cloudwatch_refuses_is_TPL0066()
    {
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal() with { Network = new NewVpc { FlowLogs = new FlowLogs { RetentionDays = 100 } } }));
        Assert.Equal(("TPL0066", "Network.FlowLogs.RetentionDays"), (finding.Rule.Id, finding.Setting));
        Assert.Contains("nearest: 90", finding.Fix);
    }

    [Theory]
    [InlineData(9, 300, "RateLimitRequests")]
    [InlineData(2_000_000_001, 300, "RateLimitRequests")]
    [InlineData(2000, 30, "RateLimitWindowSeconds")]
    [InlineData(2000, 3600, "RateLimitWindowSeconds")]
    public void Rate_limits_waf_refuses_are_TPL0067(int requests, int window, string setting)
    {
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal(ProdEnv(e => e with { WebAcl = new WebAcl { RateLimitRequests = requests, RateLimitWindowSeconds = window } }))));
        Assert.Equal(("TPL0067", "Environments[prod].WebAcl." + setting), (finding.Rule.Id, finding.Setting));
    }

    [Theory]
    [InlineData("10.0.0.0/33", "not an IPv4 CIDR block")]
    [InlineData("2001:db8::/32", "not an IPv4 CIDR block")]
    [InlineData("10.0.0.0", "not an IPv4 CIDR block")]
    [InlineData("0.0.0.0/0", "the whole internet")]
    [InlineData("203.0.113.5/24", "host bits set")]
    public void Malformed_or_host_bit_ranges_are_TPL0068_errors(string cidr, string message)
    {
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), AllowedCidrs = [cidr] })));
        Assert.Equal(("TPL0068", Severity.Error, "Environments[dev].AllowedCidrs"), (finding.Rule.Id, finding.Severity, finding.Setting));
        Assert.Contains(message, finding.Message);
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.1.0.0/16", "Remove '10.1.0.0/16'")]
    [InlineData("10.1.0.0/16", "10.0.0.0/8", "Remove '10.1.0.0/16'")]
    [InlineData("203.0.113.0/24", "203.0.113.0/24", "twice")]
    public void Overlapping_ranges_are_TPL0068(string first, string second, string expected)
    {
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), AllowedCidrs = [first, second] })));
        Assert.Equal("TPL0068", finding.Rule.Id);
        Assert.Contains(expected, finding.Message + " " + finding.Fix);
        Assert.Null(Checks.AllowedCidrs(["10.0.0.0/16", "10.1.0.0/16", "192.168.0.0/24"]));
    }

    [Fact]
    public void More_ranges_than_the_security_group_holds_is_TPL0068()
    {
        var cidrs = Enumerable.Range(0, 31).Select(i => $"10.{i}.0.0/16").ToList();
        Assert.Contains("31 ranges", Checks.AllowedCidrs(cidrs)!.Message);
        Assert.Null(Checks.AllowedCidrs(cidrs.Take(30).ToList()));
    }

    [Fact]
    public void Production_open_to_the_world_without_a_web_acl_is_a_TPL0069_warning_and_dev_is_not()
    {
        var open = Fixtures.Minimal(ProdEnv(e => e with { WebAcl = null }));
        var finding = Assert.Single(Fixtures.Findings(open));
        Assert.Equal(("TPL0069", Severity.Warning, "Environments[prod].WebAcl"), (finding.Rule.Id, finding.Severity, finding.Setting));
        // A warning: the templates are still written.
        Assert.False(Templates.Generation.Emitter.Generate([open]).HasErrors);
        Assert.Empty(Fixtures.Findings(Fixtures.Minimal(ProdEnv(e => e with { WebAcl = null, AllowedCidrs = ["203.0.113.0/24"] }))));
        Assert.Empty(Fixtures.Findings(Fixtures.Minimal(ProdEnv())));
        Assert.Empty(Fixtures.Findings(Fixtures.Minimal()));
    }
}
