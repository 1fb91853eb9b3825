using System.Text.Json.Nodes;
using Definitions;
using Templates.EndToEnd.Infrastructure;
using Templates.Generation;
using Templates.Generation.Cli;

namespace Templates.EndToEnd;

/// <summary>
/// The second example app (several services: a web front end, an API on /api/*, an orders backend, a mailer worker): every
/// stack deploys into moto in the order the command line prints (the shared stack with the GitHub connection first), and
/// builds what the definition says where moto models it. moto 5.2.1 keeps no Service Connect configuration, namespace or
/// scaling policy, and has no model of CodePipeline, CodeBuild or the connection (it skips unmodeled types with a blank row):
/// the pipelines' shape is checked by ManyPipelinesTests, cfn-lint and the validator.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ShopAppTests(MotoServer moto)
{
    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Every_stack_of_the_shop_deploys_in_the_printed_order_and_builds_its_services()
    {
        var output = new StringWriter();
        var dir = Directory.CreateTempSubdirectory("templates-e2e-shop-").FullName;
        try
        {
            Assert.Equal(0, TemplatesCli.Run(["--out", dir], output, TextWriter.Null, ShopApp.Definition));
        }
        finally { Directory.Delete(dir, recursive: true); }
        var printed = output.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("aws cloudformation deploy ", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, "--stack-name (\\S+) ").Groups[1].Value).ToList();
        var result = Emitter.Generate([ShopApp.Definition]);
        Assert.Equal(["shop-shared", "shop-dev", "shop-prod"], printed);
        var shared = Assert.Single(result.SharedTemplates);
        Assert.Equal("shop-shared", shared.Model.StackName);
        var sharedDeploy = await moto.EnsureSharedAsync(shared);
        Assert.True(sharedDeploy.ExitCode == 0, $"Deploying {shared.FileName} (step 1 of the printed order) failed:\n{sharedDeploy}");

        foreach (var name in printed.Skip(1))
        {
            var template = result.Templates.Single(t => t.Model.StackName == name);
            var stack = MotoServer.UniqueStackName(name);
            var deploy = await moto.DeployAsync(template, stack);
            Assert.True(deploy.ExitCode == 0, $"Deploying {template.FileName} (step {printed.IndexOf(name) + 1} of the printed order) failed:\n{deploy}");
            Assert.Equal("CREATE_COMPLETE", await moto.StackStatusAsync(stack));

            // The API's listener rule on the shared HTTPS listener: its path and its name-derived priority, forwarding to its own target group.
            var listener = await moto.PhysicalIdAsync(stack, "HttpsListener");
            var rules = (await moto.AwsJsonAsync("elbv2", "describe-rules", "--listener-arn", listener))["Rules"]!.AsArray();
            var apiRule = Assert.Single(rules, r => (string?)r!["Priority"] == Rules.ListenerRoutes.DefaultPriority("api").ToString(System.Globalization.CultureInfo.InvariantCulture))!;
            var condition = Assert.Single(apiRule["Conditions"]!.AsArray())!;
            Assert.True((string?)condition["Field"] == "path-pattern", apiRule.ToJsonString());
            Assert.Equal("/api/*", (string?)(condition["PathPatternConfig"]?["Values"] ?? condition["Values"])?[0]);
            Assert.Equal(await moto.PhysicalIdAsync(stack, "ApiTargetGroup"), (string?)apiRule["Actions"]![0]!["TargetGroupArn"]);

            // Four ECS services in the one cluster: the front end, the API, the orders backend and the mailer.
            var cluster = await moto.PhysicalIdAsync(stack, "Cluster");
            var services = (await moto.AwsJsonAsync("ecs", "list-services", "--cluster", cluster))["serviceArns"]!.AsArray();
            Assert.Equal(4, services.Count);

            // The mailer's queue sends a message to the dead-letter queue after five receives.
            var queueUrl = await moto.PhysicalIdAsync(stack, "MailerQueue");
            var attributes = (await moto.AwsJsonAsync("sqs", "get-queue-attributes", "--queue-url", queueUrl, "--attribute-names", "All"))["Attributes"]!;
            var redrive = JsonNode.Parse((string)attributes["RedrivePolicy"]!)!;
            Assert.Equal(5, (int)redrive["maxReceiveCount"]!);
            var deadLetterUrl = await moto.PhysicalIdAsync(stack, "MailerDeadLetterQueue");
            var deadLetterArn = (string)(await moto.AwsJsonAsync("sqs", "get-queue-attributes", "--queue-url", deadLetterUrl, "--attribute-names", "QueueArn"))["Attributes"]!["QueueArn"]!;
            Assert.Equal(deadLetterArn, (string?)redrive["deadLetterTargetArn"]);
            Assert.Equal("120", (string?)attributes["VisibilityTimeout"]);

            // The front end and the API may send to it: each has the queue's URL.
            foreach (var definitionId in new[] { "TaskDefinition", "ApiTaskDefinition", "MailerTaskDefinition" })
            {
                var definition = (await moto.AwsJsonAsync("ecs", "describe-task-definition", "--task-definition", await moto.PhysicalIdAsync(stack, definitionId)))["taskDefinition"]!;
                var variables = definition["containerDefinitions"]![0]!["environment"]!.AsArray();
                Assert.Contains(variables, v => (string?)v!["name"] == "MAILER_QUEUE_URL" && (string?)v["value"] == queueUrl);
            }

            var rows = (await moto.AwsJsonAsync("cloudformation", "list-stack-resources", "--stack-name", stack))["StackResourceSummaries"]!.AsArray();
            Assert.Equal(template.ResourceCount, rows.Count);
        }
    }

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task With_a_stack_per_service_each_service_stack_imports_the_environments_exports()
    {
        var app = Definition.SplitShop;
        var result = Emitter.Generate([app], ["dev"]);
        Assert.False(result.HasErrors, string.Join("\n", result.Findings));
        Assert.Equal(["shop-dev", "shop-dev-api", "shop-dev-orders", "shop-dev-mailer", "shop-dev-nightly"], result.Templates.Select(t => t.Model.StackName));

        // The environment's stack first, under its own name: each service's stack reads its SSM parameters by their default
        // names (/shop-dev/…), as in AWS. (moto resolves an SSM-typed parameter's default even when the deploy overrides it, so a
        // stack name of the test's own would not do; no other test deploys a stack of this name.)
        var environment = "shop-dev";
        var deploy = await moto.DeployAsync(result.Templates[0], environment);
        Assert.True(deploy.ExitCode == 0, $"Deploying {result.Templates[0].FileName} failed:\n{deploy}");
        var cluster = await moto.PhysicalIdAsync(environment, "Cluster");
        foreach (var template in result.Templates.Skip(1))
        {
            var stack = MotoServer.UniqueStackName(template.Model.StackName);
            // Every parameter of the service's stack but its image tag names an SSM parameter of the environment's stack.
            var shared = template.Json["Parameters"]!.AsObject().Where(p => ((string)p.Value!["Type"]!).StartsWith("AWS::SSM::Parameter::Value<", StringComparison.Ordinal)).ToList();
            Assert.All(shared, p => Assert.Equal($"/shop-dev/{p.Key}", (string?)p.Value!["Default"]));
            var service = await moto.DeployAsync(template, stack);
            Assert.True(service.ExitCode == 0, $"Deploying {template.FileName} failed:\n{service}");
            Assert.Equal("CREATE_COMPLETE", await moto.StackStatusAsync(stack));
        }
        // The three services run in the environment's cluster, beside its own.
        var services = (await moto.AwsJsonAsync("ecs", "list-services", "--cluster", cluster))["serviceArns"]!.AsArray();
        Assert.Equal(4, services.Count);
        // The API's rule is on the environment's listener, its senders' variable the environment's queue.
        var rules = (await moto.AwsJsonAsync("elbv2", "describe-rules", "--listener-arn", await moto.PhysicalIdAsync(environment, "HttpsListener")))["Rules"]!.AsArray();
        Assert.Contains(rules, r => (string?)r!["Priority"] == Rules.ListenerRoutes.DefaultPriority("api").ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
