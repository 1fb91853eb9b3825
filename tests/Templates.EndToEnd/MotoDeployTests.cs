using System.Text.Json.Nodes;
using Templates.EndToEnd.Infrastructure;
using Templates.Generation;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.EndToEnd;

/// <summary>The emitted templates deploy with <c>aws cloudformation deploy</c> into the moto emulator and build what the definition says.</summary>
[Collection(MotoCollection.Name)]
public sealed class MotoDeployTests(MotoServer moto)
{
    [ToolTheory(Tool.Moto, Tool.Aws)]
    [MemberData(nameof(Definition.EnvironmentNames), MemberType = typeof(Definition))]
    public async Task Template_deploys_and_builds_the_load_balancer_of_the_definition(string environment)
    {
        var template = Definition.Emit(environment);
        var stack = MotoServer.UniqueStackName(template.Model.StackName);
        await EnsureSharedAsync();

        var deploy = await moto.DeployAsync(template, stack);

        Assert.True(deploy.ExitCode == 0, $"Deploying {template.FileName} failed:\n{deploy}");
        Assert.Equal("CREATE_COMPLETE", await moto.StackStatusAsync(stack));

        var loadBalancerArn = await moto.PhysicalIdAsync(stack, Ids.LoadBalancer);
        var loadBalancer = await DescribeLoadBalancerAsync(loadBalancerArn);
        Assert.Equal("internet-facing", (string?)loadBalancer["Scheme"]);
        var zones = Zones(loadBalancer);
        Assert.True(zones.Count >= 2, $"The load balancer must span at least two Availability Zones; it spans {string.Join(", ", zones)}.");
        if (template.Model.Network is NewVpc vpc)
            Assert.Equal(vpc.AvailabilityZones, zones.Count);

        var listeners = (await moto.AwsJsonAsync("elbv2", "describe-listeners", "--load-balancer-arn", loadBalancerArn))["Listeners"]!.AsArray();
        var https = Assert.Single(listeners, l => (int)l!["Port"]! == 443)!;
        Assert.Equal("HTTPS", (string?)https["Protocol"]);
        Assert.Equal(template.Model.LoadBalancer.TlsPolicy, (string?)https["SslPolicy"]);
        Assert.Equal(moto.CertificateArn, (string?)Assert.Single(https["Certificates"]!.AsArray())!["CertificateArn"]);
        // With blue/green the default answers 503 (either target group may be the empty one); the production rule forwards.
        Assert.Equal(template.Model.Deployment is BlueGreenDeployment ? "fixed-response" : "forward", (string?)Assert.Single(https["DefaultActions"]!.AsArray())!["Type"]);

        if (template.Model.LoadBalancer.Http == HttpPort.RedirectToHttps)
        {
            var http = Assert.Single(listeners, l => (int)l!["Port"]! == 80)!;
            Assert.Equal("HTTP", (string?)http["Protocol"]);
            var action = Assert.Single(http["DefaultActions"]!.AsArray())!;
            Assert.Equal("redirect", (string?)action["Type"]);
            var redirect = action["RedirectConfig"]!;
            Assert.Equal("HTTPS", (string?)redirect["Protocol"]);
            Assert.Equal("443", (string?)redirect["Port"]);
            Assert.Equal("HTTP_301", (string?)redirect["StatusCode"]);
        }
        else
        {
            Assert.DoesNotContain(listeners, l => (int)l!["Port"]! == 80);
        }

        if (template.Model.Dns is { } dns)
        {
            // The alias record points the environment's name at the load balancer, in the zone the stack was given.
            var zone = moto.HostedZoneOf(stack);
            Assert.NotNull(zone);
            var records = (await moto.AwsJsonAsync("route53", "list-resource-record-sets", "--hosted-zone-id", zone))["ResourceRecordSets"]!.AsArray();
            var alias = Assert.Single(records, r => (string?)r!["Type"] == "A")!;
            Assert.Equal(dns.Name, ((string)alias["Name"]!).TrimEnd('.'));
            Assert.Equal(((string)loadBalancer["DNSName"]!).TrimEnd('.'), ((string)alias["AliasTarget"]!["DNSName"]!).TrimEnd('.'), ignoreCase: true);
            // moto 5.2.1 does not evaluate Fn::GetAtt LoadBalancer.CanonicalHostedZoneID (elbv2 get_cfn_attribute lists it as "Not
            // implemented") and stores the function as text; AWS resolves it to the load balancer's zone, which moto reports here.
            var aliasZone = (string)alias["AliasTarget"]!["HostedZoneId"]!;
            if (!aliasZone.Contains("CanonicalHostedZoneID", StringComparison.Ordinal))
                Assert.Equal((string?)loadBalancer["CanonicalHostedZoneId"], aliasZone);
            Assert.True((bool)alias["AliasTarget"]!["EvaluateTargetHealth"]!);
        }

        // The dashboard, named after the stack, shows the target group by its full name (targetgroup/NAME/ID, taken from the ARN).
        // moto 5.2.1 models no AWS::CloudWatch::Alarm in CloudFormation (it skips the alarms), keeps no DeploymentConfiguration.Alarms
        // on the service, and leaves Fn::GetAtt LoadBalancer.LoadBalancerFullName unevaluated; the alarms' own shape is
        // checked by AlarmTests and cfn-lint.
        var body = JsonNode.Parse((string)(await moto.AwsJsonAsync("cloudwatch", "get-dashboard", "--dashboard-name", stack))["DashboardBody"]!)!;
        var targetGroupArn = await moto.PhysicalIdAsync(stack, Ids.TargetGroup);
        var unhealthy = body["widgets"]!.AsArray().SelectMany(w => w!["properties"]!["metrics"]?.AsArray() ?? []).First(m => (string?)m![1] == "UnHealthyHostCount")!;
        Assert.Equal(targetGroupArn[(targetGroupArn.IndexOf(":targetgroup/", StringComparison.Ordinal) + 1)..], (string?)unhealthy[3]);

        // Protection. Access logs: the stack's bucket exists, encrypted with S3-managed keys. (moto 5.2.1 keeps none of the
        // LoadBalancerAttributes of a load balancer CloudFormation creates and has no model of AWS::S3::BucketPolicy, so the
        // access_logs.s3.* attributes and the bucket policy are checked by ProtectionTests and cfn-lint, not here.)
        if (template.Model.AccessLogs is not null)
        {
            var bucket = await moto.PhysicalIdAsync(stack, Ids.AccessLogBucket);
            var encryption = (await moto.AwsJsonAsync("s3api", "get-bucket-encryption", "--bucket", bucket))["ServerSideEncryptionConfiguration"]!["Rules"]![0]!;
            Assert.Equal("AES256", (string?)encryption["ApplyServerSideEncryptionByDefault"]!["SSEAlgorithm"]);
        }
        // Flow logs: one for the VPC, into the stack's log group.
        if (template.Model.FlowLogs is { } flowLogs)
        {
            var vpcId = await moto.PhysicalIdAsync(stack, Ids.Vpc);
            var logs = (await moto.AwsJsonAsync("ec2", "describe-flow-logs", "--filter", $"Name=resource-id,Values={vpcId}"))["FlowLogs"]!.AsArray();
            var flowLog = Assert.Single(logs)!;
            Assert.Equal(flowLogs.TrafficType.ToString().ToUpperInvariant(), (string?)flowLog["TrafficType"]);
            Assert.Equal(await moto.PhysicalIdAsync(stack, Ids.FlowLogGroup), (string?)flowLog["LogGroupName"]);
        }
        // Who may connect: the allowed ranges on each port, or the whole internet (also when a web ACL enforces the ranges).
        var groupId = await moto.PhysicalIdAsync(stack, Ids.LoadBalancerSecurityGroup);
        var permissions = (await moto.AwsJsonAsync("ec2", "describe-security-groups", "--group-ids", groupId))["SecurityGroups"]![0]!["IpPermissions"]!.AsArray();
        string[] expected = template.Model.AllowedCidrs.Count > 0 && template.Model.WebAcl is null ? [.. template.Model.AllowedCidrs] : ["0.0.0.0/0"];
        var https443 = Assert.Single(permissions, p => (int?)p!["FromPort"] == 443)!;
        Assert.Equal(expected.Order(), https443["IpRanges"]!.AsArray().Select(r => (string)r!["CidrIp"]!).Order());

        if (template.Model.Deployment is BlueGreenDeployment)
        {
            // The production listener rule ECS shifts traffic with forwards to both target groups, blue at full weight.
            var rules = (await moto.AwsJsonAsync("elbv2", "describe-rules", "--listener-arn", (string)https["ListenerArn"]!))["Rules"]!.AsArray();
            var rule = Assert.Single(rules, r => !(bool)r!["IsDefault"]!)!;
            var groups = rule["Actions"]![0]!["ForwardConfig"]!["TargetGroups"]!.AsArray();
            Assert.Equal([100, 0], groups.Select(g => (int)g!["Weight"]!));
            Assert.Equal(await moto.PhysicalIdAsync(stack, Ids.AlternateTargetGroup), (string?)groups[1]!["TargetGroupArn"]);
        }
    }

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Prod_runs_the_digest_it_is_given_and_its_tag_otherwise()
    {
        // The task definition's family is the stack's name (the pipeline role may tag that family only), and its image is the
        // ImageDigest when given, else the ImageTag default.
        var template = Definition.Emit("prod");
        await EnsureSharedAsync();
        const string digest = "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";
        foreach (var (overrides, image) in new[] { (Array.Empty<string>(), ":" + template.Model.Service.Image.Tag), ([$"ImageDigest={digest}"], "@" + digest) })
        {
            var stack = MotoServer.UniqueStackName(template.Model.StackName);
            var deploy = await moto.DeployAsync(template, stack, overrides);
            Assert.True(deploy.ExitCode == 0, $"Deploying {template.FileName} with [{string.Join(" ", overrides)}] failed:\n{deploy}");
            Assert.Equal("CREATE_COMPLETE", await moto.StackStatusAsync(stack));
            var definition = (await moto.AwsJsonAsync("ecs", "describe-task-definition", "--task-definition", await moto.PhysicalIdAsync(stack, Ids.TaskDefinition)))["taskDefinition"]!;
            Assert.Equal(stack, (string?)definition["family"]);
            // moto's default account.
            Assert.Equal($"123456789012.dkr.ecr.{MotoServer.Region}.amazonaws.com/{template.Model.Service.Image.Repository}{image}", (string?)definition["containerDefinitions"]![0]!["image"]);
        }
    }

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Shared_stack_creates_the_repository_once_per_account_and_region()
    {
        var shared = Definition.Shared;
        Assert.Equal("flask-app-shared", shared.Model.StackName);

        var deploy = await EnsureSharedAsync();

        Assert.Equal("CREATE_COMPLETE", await moto.StackStatusAsync(shared.Model.StackName));
        var repositories = (await moto.AwsJsonAsync("ecr", "describe-repositories", "--repository-names", "flask-app"))["repositories"]!.AsArray();
        Assert.Equal("IMMUTABLE", (string?)Assert.Single(repositories)!["imageTagMutability"]);
        // A second copy of the shared stack fails as it would in AWS: the repository already exists.
        var again = await moto.DeployCopyAsync(shared, MotoServer.UniqueStackName("flask-app-shared-copy"));
        Assert.True(again.ExitCode != 0, $"A second shared stack should fail on the existing repository:\n{again}");
        Assert.Equal(0, deploy.ExitCode);
    }

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Every_stack_deploys_in_the_order_the_command_line_prints()
    {
        var output = new StringWriter();
        var dir = Directory.CreateTempSubdirectory("templates-e2e-order-").FullName;
        try
        {
            Assert.Equal(0, Templates.Generation.Cli.TemplatesCli.Run(["--out", dir], output, TextWriter.Null, Definition.App));
        }
        finally { Directory.Delete(dir, recursive: true); }
        // The deploy commands, in the order printed (the shared stack's output is read inside a command's $(…), not deployed).
        var printed = output.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("aws cloudformation deploy ", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, "--stack-name (\\S+) ").Groups[1].Value).ToList();
        var result = Emitter.Generate([Definition.App]);
        Assert.Equal([.. result.SharedTemplates.Select(t => t.Model.StackName), .. result.Templates.Select(t => t.Model.StackName)], printed);

        foreach (var name in printed)
        {
            if (result.SharedTemplates.SingleOrDefault(t => t.Model.StackName == name) is { } shared)
            {
                var deployed = await EnsureSharedAsync();
                Assert.True(deployed.ExitCode == 0, $"Deploying {shared.FileName} failed:\n{deployed}");
                Assert.Equal("CREATE_COMPLETE", await moto.StackStatusAsync(name));
                continue;
            }
            var template = result.Templates.Single(t => t.Model.StackName == name);
            var stack = MotoServer.UniqueStackName(name);
            var deploy = await moto.DeployAsync(template, stack);
            Assert.True(deploy.ExitCode == 0, $"Deploying {template.FileName} (step {printed.IndexOf(name) + 1} of the printed order) failed:\n{deploy}");
            Assert.Equal("CREATE_COMPLETE", await moto.StackStatusAsync(stack));
            // moto keeps no model of the pipeline, the build project or the scaling resources, but the stack holds a row for every
            // resource, even for the requested certificate that its false condition skipped (a blank row, as for unmodeled types).
            // The certificate ARN is passed, so the condition is false and the listener presents that certificate (see the test above).
            var rows = (await moto.AwsJsonAsync("cloudformation", "list-stack-resources", "--stack-name", stack))["StackResourceSummaries"]!.AsArray();
            Assert.Equal(template.ResourceCount, rows.Count);
            Assert.All(template.Json["Resources"]!.AsObject().Where(r => r.Value!["Condition"] is not null), r => Assert.Equal(Ids.Certificate, r.Key));
        }
    }

    Task<ProcessResult> EnsureSharedAsync() => moto.EnsureSharedAsync(Definition.Shared);

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Changing_an_environments_task_bounds_updates_its_stack()
    {
        var app = Definition.App;
        var env = app.Environments[0];
        var bounds = new TaskCount(env.Tasks.Min + 1, env.Tasks.Max + 3);
        var changedApp = app with { Environments = [.. app.Environments.Select(e => e.Name == env.Name ? e with { Tasks = bounds } : e)] };
        var before = Definition.Emit(app, env.Name);
        var after = Definition.Emit(changedApp, env.Name);

        // The templates differ where the definition changed: the scalable target's bounds.
        Assert.Equal((env.Tasks.Min, env.Tasks.Max), Definition.Capacity(before.Json));
        Assert.Equal((bounds.Min, bounds.Max), Definition.Capacity(after.Json));
        Assert.NotEqual(before.Bytes, after.Bytes);

        var stack = MotoServer.UniqueStackName(before.Model.StackName);
        await EnsureSharedAsync();
        var create = await moto.DeployAsync(before, stack);
        Assert.True(create.ExitCode == 0, $"Deploying {before.FileName} failed:\n{create}");
        Assert.Equal("CREATE_COMPLETE", await moto.StackStatusAsync(stack));

        var update = await moto.DeployAsync(after, stack);
        Assert.True(update.ExitCode == 0, $"Updating {stack} with Tasks = {bounds} failed:\n{update}");
        Assert.Equal("UPDATE_COMPLETE", await moto.StackStatusAsync(stack));

        // moto does not model Application Auto Scaling, so check that the stack now holds the new bounds.
        var body = (await moto.AwsJsonAsync("cloudformation", "get-template", "--stack-name", stack))["TemplateBody"]!;
        var deployed = (body is JsonValue text ? JsonNode.Parse((string)text!)! : body).AsObject();
        Assert.Equal((bounds.Min, bounds.Max), Definition.Capacity(deployed));
    }

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Existing_vpc_variant_deploys_into_the_default_vpc()
    {
        var app = Definition.App;
        // The app's network for every environment, so no environment keeps its own new VPC.
        var variant = app with
        {
            Network = new ExistingVpc { TaskSubnets = TaskSubnets.Public },
            Environments = [.. app.Environments.Select(e => e with { Network = null })],
        };
        var template = Definition.Emit(variant, app.Environments[0].Name);

        var parameters = template.Json["Parameters"]!;
        Assert.Equal("AWS::EC2::VPC::Id", (string?)parameters[Ids.VpcIdParameter]?["Type"]);
        Assert.Equal("List<AWS::EC2::Subnet::Id>", (string?)parameters[Ids.PublicSubnetIdsParameter]?["Type"]);
        Assert.DoesNotContain(template.Json["Resources"]!.AsObject(), r => (string?)r.Value!["Type"] == "AWS::EC2::VPC");

        // Two of moto's default subnets, in different Availability Zones.
        var subnets = (await moto.AwsJsonAsync("ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true"))["Subnets"]!.AsArray()
            .Select(s => (Id: (string)s!["SubnetId"]!, Zone: (string)s["AvailabilityZone"]!, Vpc: (string)s["VpcId"]!))
            .DistinctBy(s => s.Zone).OrderBy(s => s.Zone, StringComparer.Ordinal).Take(2).ToList();
        Assert.True(subnets.Count == 2, "moto's default VPC should have default subnets in at least two Availability Zones.");
        var vpcId = subnets[0].Vpc;
        Assert.All(subnets, s => Assert.Equal(vpcId, s.Vpc));

        var stack = MotoServer.UniqueStackName(template.Model.StackName + "-existing-vpc");
        await EnsureSharedAsync();
        var deploy = await moto.DeployAsync(template, stack,
            $"{Ids.VpcIdParameter}={vpcId}", $"{Ids.PublicSubnetIdsParameter}={string.Join(",", subnets.Select(s => s.Id))}");

        Assert.True(deploy.ExitCode == 0, $"Deploying {template.FileName} into the default VPC failed:\n{deploy}");
        Assert.Equal("CREATE_COMPLETE", await moto.StackStatusAsync(stack));

        var loadBalancer = await DescribeLoadBalancerAsync(await moto.PhysicalIdAsync(stack, Ids.LoadBalancer));
        Assert.Equal(vpcId, (string?)loadBalancer["VpcId"]);
        Assert.Equal(subnets.Select(s => s.Zone), Zones(loadBalancer));
        Assert.Equal(subnets.Select(s => s.Id).Order(StringComparer.Ordinal),
            loadBalancer["AvailabilityZones"]!.AsArray().Select(z => (string)z!["SubnetId"]!).Order(StringComparer.Ordinal));
    }

    async Task<JsonNode> DescribeLoadBalancerAsync(string arn)
    {
        var answer = await moto.AwsJsonAsync("elbv2", "describe-load-balancers", "--load-balancer-arns", arn);
        return Assert.Single(answer["LoadBalancers"]!.AsArray())!;
    }

    static List<string> Zones(JsonNode loadBalancer) =>
        [.. loadBalancer["AvailabilityZones"]!.AsArray().Select(z => (string)z!["ZoneName"]!).Distinct().Order(StringComparer.Ordinal)];
}
