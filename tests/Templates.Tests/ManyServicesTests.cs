using System.Text.Json.Nodes;
using Templates.Generation;
using Templates.Rules;

namespace Templates.Tests;

/// <summary>An app of several services (issue 14): what each kind emits, and what the rules refuse.</summary>
public class ManyServicesTests
{
    static readonly ContainerImage Api = ContainerImage.FromEcr("shop/api", "1.0.0");

    static App WithServices(params AppService[] services) => Fixtures.Minimal() with { Services = [.. services] };

    static WebService ApiService(string name = "api", string path = "/api/*") => new(name) { Image = Api, Port = 8000, Route = Route.Path(path) };

    static IEnumerable<(string Id, string Setting)> Errors(App app) =>
        Fixtures.Findings(app).Where(f => f.Severity == Severity.Error).Select(f => (f.Rule.Id, f.Setting));

    [Fact]
    public void An_app_without_services_emits_exactly_what_it_did_before()
    {
        // The snapshots prove it for the guide; here an app with an empty Services list equals one that never set it.
        var plain = Fixtures.Emit(Fixtures.Minimal(), "dev").Bytes;
        var empty = Fixtures.Emit(Fixtures.Minimal() with { Services = [] }, "dev").Bytes;
        Assert.Equal(plain, empty);
    }

    [Fact]
    public void A_web_service_gets_its_own_target_group_and_a_listener_rule_whose_priority_comes_from_its_name()
    {
        var view = Fixtures.View(WithServices(ApiService()), "dev");
        var rule = view.Properties("ApiListenerRule");
        Assert.Equal(ListenerRoutes.DefaultPriority("api"), (int)rule["Priority"]!);
        Assert.Equal("HttpsListener", (string?)rule["ListenerArn"]!["Ref"]);
        var condition = rule["Conditions"]![0]!;
        Assert.Equal("path-pattern", (string?)condition["Field"]);
        Assert.Equal("/api/*", (string?)condition["PathPatternConfig"]!["Values"]![0]);
        Assert.Equal("ApiTargetGroup", (string?)rule["Actions"]![0]!["TargetGroupArn"]!["Ref"]);
        // Fargate tasks register by IP (awsvpc), on the service's port, checked on its own health path.
        var group = view.Properties("ApiTargetGroup");
        Assert.Equal("ip", (string?)group["TargetType"]);
        Assert.Equal(8000, (int)group["Port"]!);
        // The service waits for the rule that attaches its target group to the load balancer.
        Assert.Equal("ApiListenerRule", (string?)view.Resource("ApiService")["DependsOn"]);
        // The app's own Service stays the listener's default action.
        Assert.Equal("TargetGroup", (string?)view.Properties("HttpsListener")["DefaultActions"]![0]!["TargetGroupArn"]!["Ref"]);
    }

    [Fact]
    public void Adding_a_service_renumbers_no_other_rule()
    {
        var one = Fixtures.View(WithServices(ApiService()), "dev");
        var two = Fixtures.View(WithServices(ApiService("admin", "/admin/*"), ApiService()), "dev");
        Assert.Equal(one.Properties("ApiListenerRule").ToJsonString(), two.Properties("ApiListenerRule").ToJsonString());
        Assert.Equal(one.Properties("ApiService").ToJsonString(), two.Properties("ApiService").ToJsonString());
    }

    [Fact]
    public void With_blue_green_the_app_services_catch_all_rule_comes_after_every_route()
    {
        var app = WithServices(ApiService()) with { Deployment = new BlueGreenDeployment() };
        var view = Fixtures.View(app, "dev");
        Assert.Equal(ListenerRoutes.MaxPriority, (int)view.Properties("ProductionListenerRule")["Priority"]!);
        Assert.True((int)view.Properties("ApiListenerRule")["Priority"]! < ListenerRoutes.MaxPriority);
        // Without web services it keeps priority 1, as the guide's prod stack has it.
        Assert.Equal(1, (int)Fixtures.View(Fixtures.Minimal() with { Deployment = new BlueGreenDeployment() }, "dev").Properties("ProductionListenerRule")["Priority"]!);
    }

    [Fact]
    public void A_backend_is_published_through_service_connect_and_admits_only_its_callers()
    {
        var app = WithServices(
            ApiService() with { Calls = ["orders"] },
            new BackendService("orders") { Image = Api, Port = 9000 });
        var view = Fixtures.View(app, "dev");
        Assert.Equal("AWS::ServiceDiscovery::HttpNamespace", (string?)view.Resource("ServiceConnectNamespace")["Type"]);
        var published = view.Properties("OrdersService")["ServiceConnectConfiguration"]!;
        Assert.True((bool)published["Enabled"]!);
        var endpoint = published["Services"]![0]!;
        Assert.Equal("orders", (string?)endpoint["PortName"]);
        Assert.Equal(9000, (int)endpoint["ClientAliases"]![0]!["Port"]!);
        // The port mapping carries the name Service Connect looks the port up by.
        var mapping = view.Properties("OrdersTaskDefinition")["ContainerDefinitions"]![0]!["PortMappings"]![0]!;
        Assert.Equal("orders", (string?)mapping["Name"]);
        // The caller is a client only, with the backend's address as a variable.
        var client = view.Properties("ApiService")["ServiceConnectConfiguration"]!;
        Assert.Null(client["Services"]);
        var variables = view.Properties("ApiTaskDefinition")["ContainerDefinitions"]![0]!["Environment"]!.AsArray();
        Assert.Contains(variables, v => (string?)v!["Name"] == "ORDERS_URL" && (string?)v["Value"] == "http://orders:9000");
        // The backend's group admits the API's group on 9000, and nothing else.
        var ingress = view.Properties("OrdersIngressFromApi");
        Assert.Equal(9000, (int)ingress["FromPort"]!);
        Assert.Equal("ApiSecurityGroup", (string?)ingress["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]);
        Assert.Single(view.OfType("AWS::EC2::SecurityGroupIngress"), id => id.StartsWith("Orders", StringComparison.Ordinal));
        // The backend has no load balancer and no health check grace period (ECS refuses one without a load balancer).
        Assert.Null(view.Properties("OrdersService")["LoadBalancers"]);
        Assert.Null(view.Properties("OrdersService")["HealthCheckGracePeriodSeconds"]);
    }

    [Fact]
    public void A_worker_reads_its_queue_and_its_senders_may_only_send()
    {
        var app = WithServices(
            ApiService(),
            new Worker("mailer") { Image = Api, Queue = new WorkQueue { MaxReceives = 3, RetentionDays = 4, DeadLetterRetentionDays = 14 }, SentBy = ["shop", "api"] });
        var view = Fixtures.View(app, "dev");
        var queue = view.Properties("MailerQueue");
        Assert.True((bool)queue["SqsManagedSseEnabled"]!);
        Assert.Equal(3, (int)queue["RedrivePolicy"]!["maxReceiveCount"]!);
        Assert.Equal("MailerDeadLetterQueue", (string?)queue["RedrivePolicy"]!["deadLetterTargetArn"]!["Fn::GetAtt"]![0]);
        Assert.Equal(4 * 86400, (int)queue["MessageRetentionPeriod"]!);
        Assert.Equal(14 * 86400, (int)view.Properties("MailerDeadLetterQueue")["MessageRetentionPeriod"]!);

        static string[] Actions(TemplateView view, string role) => [.. view.Properties(role)["Policies"]!.AsArray()
            .SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray())
            .SelectMany(s => s!["Action"] is JsonArray a ? a.Select(x => (string)x!) : [(string)s["Action"]!])
            .Where(a => a.StartsWith("sqs:", StringComparison.Ordinal))];
        Assert.Equal(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], Actions(view, "MailerTaskRole"));
        Assert.Equal(["sqs:SendMessage"], Actions(view, "ApiTaskRole"));
        Assert.Equal(["sqs:SendMessage"], Actions(view, "TaskRole"));
        // Scaled on the backlog per running task (metric math), with no load balancer.
        var metrics = view.Properties("MailerBacklogScalingPolicy")["TargetTrackingScalingPolicyConfiguration"]!["CustomizedMetricSpecification"]!["Metrics"]!.AsArray();
        Assert.Equal("visible / tasks", (string?)metrics.Single(q => q!["Expression"] is not null)!["Expression"]);
        Assert.Null(view.Properties("MailerService")["LoadBalancers"]);
    }

    [Fact]
    public void An_environment_can_turn_a_service_off_and_give_it_bounds_of_its_own()
    {
        var app = WithServices(ApiService()) with
        {
            Environments =
            [
                new Env("dev") { Tasks = new TaskCount(1, 2), Services = { ["api"] = new ServiceOverrides { Enabled = false } } },
                new Env("qa") { Tasks = new TaskCount(1, 2), Services = { ["api"] = new ServiceOverrides { Tasks = new TaskCount(2, 5), Cpu = 512, MemoryMiB = 1024 } } },
            ],
        };
        Assert.DoesNotContain(Fixtures.View(app, "dev").Resources, r => r.Key.StartsWith("Api", StringComparison.Ordinal));
        var qa = Fixtures.View(app, "qa");
        Assert.Equal(2, (int)qa.Properties("ApiScalableTarget")["MinCapacity"]!);
        Assert.Equal(5, (int)qa.Properties("ApiScalableTarget")["MaxCapacity"]!);
        Assert.Equal("512", (string?)qa.Properties("ApiTaskDefinition")["Cpu"]);
        Assert.Equal(1, (int)qa.Properties("ScalableTarget")["MinCapacity"]!);
    }

    [Fact]
    public void A_worker_that_sends_to_its_own_queue_may_both_consume_and_send()
    {
        var view = Fixtures.View(WithServices(new Worker("mailer") { Image = Api, Queue = new WorkQueue(), SentBy = ["mailer"] }), "dev");
        var policies = view.Properties("MailerTaskRole")["Policies"]!.AsArray().Select(p => (string)p!["PolicyName"]!).ToList();
        Assert.Equal(["consume-queue", "send-to-mailer"], policies);
    }

    [Fact]
    public void Accepting_a_services_rule_does_not_let_a_broken_definition_through()
    {
        var duplicate = WithServices(ApiService(), ApiService(path: "/v2/*")) with { Accept = [new Accepted("TPL0070", "tried")] };
        Assert.Contains(("TPL0070", "Services[api]"), Errors(duplicate));
        var callsWorker = WithServices(ApiService() with { Calls = ["mailer"] }, new Worker("mailer") { Image = Api, Queue = new WorkQueue() })
            with { Accept = [new Accepted("TPL0071", "tried")] };
        Assert.Contains(("TPL0071", "Services[api].Calls"), Errors(callsWorker));
        Assert.True(Emitter.Generate([callsWorker]).HasErrors);
    }

    [Fact]
    public void Names_that_collide_are_refused_on_the_later_service()
    {
        Assert.Contains(("TPL0070", "Services[api]"), Errors(WithServices(ApiService(), ApiService(path: "/v2/*"))));
        // a-1 and a1 are both A1 in the logical IDs.
        Assert.Contains(("TPL0070", "Services[a1]"), Errors(WithServices(ApiService("a-1"), ApiService("a1", "/v2/*"))));
        // 'alternate' would take the blue/green target group's ID (AlternateTargetGroup).
        Assert.Contains(("TPL0070", "Services[alternate]"), Errors(WithServices(ApiService("alternate"))));
        Assert.Contains(("TPL0070", "Services[shop]"), Errors(WithServices(ApiService("shop"))));
        Assert.Contains(("TPL0070", "Services[Api]"), Errors(WithServices(ApiService("Api"))));
    }

    [Fact]
    public void References_to_services_that_do_not_exist_are_refused()
    {
        Assert.Contains(("TPL0071", "Services[api].Calls"), Errors(WithServices(ApiService() with { Calls = ["orders"] })));
        Assert.Contains(("TPL0071", "Services[mailer].SentBy"),
            Errors(WithServices(new Worker("mailer") { Image = Api, Queue = new WorkQueue(), SentBy = ["web"] })));
        Assert.Contains(("TPL0071", "Environments[dev].Services[apo]"),
            Errors(WithServices(ApiService()) with { Environments = [new Env("dev") { Tasks = new(1, 2), Services = { ["apo"] = new ServiceOverrides() } }] }));
        // A backend turned off where its caller runs.
        var off = WithServices(ApiService() with { Calls = ["orders"] }, new BackendService("orders") { Image = Api, Port = 9000 }) with
        {
            Environments = [new Env("dev") { Tasks = new(1, 2), Services = { ["orders"] = new ServiceOverrides { Enabled = false } } }],
        };
        Assert.Contains(("TPL0071", "Services[api].Calls"), Errors(off));
    }

    [Fact]
    public void Routes_that_a_listener_cannot_hold_or_that_another_route_takes_first_are_refused()
    {
        Assert.Contains(("TPL0072", "Services[api].Route.Paths"), Errors(WithServices(ApiService(path: "/api/ *"))));
        Assert.Contains(("TPL0072", "Services[api].Route"), Errors(WithServices(ApiService() with { Route = new Route() })));
        // The same route twice: the later rule (by priority) is never reached.
        var same = Errors(WithServices(ApiService("api", "/x/*"), ApiService("web2", "/x/*"))).Where(e => e.Id == "TPL0072").ToList();
        Assert.Single(same);
        // A narrower route behind a broader one, unless given a priority that puts it first.
        var broad = ApiService("api", "/api/*") with { Priority = 100 };
        var narrow = ApiService("v2", "/api/v2/*") with { Priority = 200 };
        Assert.Contains(("TPL0072", "Services[v2].Route"), Errors(WithServices(broad, narrow)));
        Assert.DoesNotContain(Errors(WithServices(broad, narrow with { Priority = 50 })), e => e.Id == "TPL0072");
    }

    [Fact]
    public void Queues_and_workers_outside_what_SQS_and_scaling_take_are_refused()
    {
        Worker Mailer(WorkQueue queue) => new("mailer") { Image = Api, Queue = queue };
        Assert.Contains(("TPL0074", "Services[mailer].Queue.VisibilityTimeoutSeconds"), Errors(WithServices(Mailer(new WorkQueue { VisibilityTimeoutSeconds = 43201 }))));
        Assert.Contains(("TPL0074", "Services[mailer].Queue.DeadLetterRetentionDays"), Errors(WithServices(Mailer(new WorkQueue { RetentionDays = 14, DeadLetterRetentionDays = 14 }))));
        Assert.Contains(("TPL0074", "Services[mailer].Queue.MaxReceives"), Errors(WithServices(Mailer(new WorkQueue { MaxReceives = 0 }))));
        var zero = WithServices(Mailer(new WorkQueue())) with { Environments = [new Env("dev") { Tasks = new(0, 2) }] };
        Assert.Contains(("TPL0074", "Environments[dev].Tasks.Min"), Errors(zero));
    }

    [Fact]
    public void A_scheduled_job_with_a_bad_schedule_or_calls_is_refused()
    {
        ScheduledJob Nightly(string schedule) => new("nightly") { Image = Api, Schedule = schedule };
        Assert.Contains(("TPL0073", "Services[nightly].Schedule"), Errors(WithServices(Nightly("cron(0 3 * * * *)"))));
        Assert.Contains(("TPL0073", "Services[nightly].Schedule"), Errors(WithServices(Nightly("rate(1 hours)"))));
        Assert.Contains(("TPL0074", "Services[nightly].TimeoutMinutes"), Errors(WithServices(Nightly("rate(1 day)") with { TimeoutMinutes = 0 })));
        Assert.Contains(("TPL0071", "Services[nightly].Calls"),
            Errors(WithServices(Nightly("rate(1 day)") with { Calls = ["orders"] }, new BackendService("orders") { Image = Api, Port = 9000 })));
    }

    [Fact]
    public void Every_fixed_logical_id_of_the_stack_is_known_to_the_name_rule()
    {
        // The rule refuses a service whose IDs would take one of the stack's own; it must know them all.
        var apps = new[] { Fixtures.Guide, Definitions.ShopApp.Definition };
        var ids = Emitter.Generate(apps).Templates.SelectMany(t => new[] { "Resources", "Parameters", "Conditions", "Outputs", "Mappings" }
            .SelectMany(section => (t.Json[section] as JsonObject ?? []).Select(p => p.Key)));
        var serviceIds = apps.SelectMany(a => a.Services).SelectMany(s => Checks.ServiceIdSuffixes.Select(x => Checks.ServiceIdPrefix(s.Name) + x)).ToHashSet();
        var fixedIds = Checks.FixedLogicalIds.ToHashSet();
        var unknown = ids.Distinct().Where(id => !fixedIds.Contains(id) && !serviceIds.Contains(id) && !id.Contains("Subnet") && !id.Contains("Nat")
            && !id.Contains("IngressFrom") && !id.Contains("EgressTo") && !id.Contains("Route") && !id.Contains("Alarm")).ToList();
        Assert.Empty(unknown);
    }
}

/// <summary>An environment too large for one stack: refused with the limit named, or split with a stack per service.</summary>
public class StackLayoutTests
{
    static App Sixty(StackLayout layout) => Fixtures.Minimal() with
    {
        Stacks = layout,
        Services = [.. Enumerable.Range(1, 60).Select(i => (AppService)new WebService($"web{i}")
        {
            Image = ContainerImage.FromEcr("shop/web"),
            Port = 8080,
            Route = Route.Path($"/w{i}/*"),
        })],
    };

    [Fact]
    public void Sixty_web_services_do_not_fit_one_stack_and_nothing_is_written()
    {
        var result = Emitter.Generate([Sixty(StackLayout.OnePerEnvironment)]);
        Assert.True(result.HasErrors);
        var problem = Assert.Single(result.Templates.Single().Problems, p => p.IsError);
        Assert.Contains("751 resources; CloudFormation allows 500 per template", problem.ToString());
        Assert.Contains("set Stacks = StackLayout.StackPerService", problem.ToString());
    }

    [Fact]
    public void With_a_stack_per_service_sixty_web_services_fit_and_deploy_after_the_environment()
    {
        var result = Emitter.Generate([Sixty(StackLayout.StackPerService)]);
        Assert.False(result.HasErrors, string.Join("\n", result.Templates.SelectMany(t => t.Problems)));
        Assert.Equal(61, result.Templates.Count);
        Assert.Equal("shop-dev", result.Templates[0].Model.StackName);
        Assert.Equal([.. Enumerable.Range(1, 60).Select(i => $"shop-dev-web{i}")], result.Templates.Skip(1).Select(t => t.Model.StackName));
        Assert.All(result.Templates, t => Assert.True(t.ResourceCount <= 500 && t.Bytes.Length <= 1_000_000, $"{t.FileName}: {t.ResourceCount} resources, {t.Bytes.Length} bytes"));
        // One outbound rule of the load balancer's group per web service, and its own: 61, past the 60 a security group holds by
        // default (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html). A warning: the quota can be raised.
        var quota = Assert.Single(result.Templates[0].Problems, p => p.Id == "V1023");
        Assert.Equal("/Resources/LoadBalancerSecurityGroup", quota.Pointer);
        Assert.Contains("61 outbound rules", quota.Message);
        var fiftyNine = Sixty(StackLayout.StackPerService) with { Services = [.. Sixty(StackLayout.StackPerService).Services.Take(59)] };
        Assert.DoesNotContain(Emitter.Generate([fiftyNine]).Templates[0].Problems, p => p.Id == "V1023");

        // The environment's stack keeps what joins the services (their security groups and the load balancer's rules to them)
        // and shares what their stacks need through SSM parameters; each service's stack holds its own resources.
        var environment = new TemplateView(result.Templates[0].Json);
        Assert.Contains("Web1SecurityGroup", environment.Resources.Select(r => r.Key));
        Assert.Contains("Web1IngressFromLoadBalancer", environment.Resources.Select(r => r.Key));
        Assert.DoesNotContain("Web1Service", environment.Resources.Select(r => r.Key));
        Assert.Equal("/${AWS::StackName}/ClusterName", (string?)environment.Properties("ClusterNameParameter")["Name"]!["Fn::Sub"]);
        Assert.Equal("StringList", (string?)environment.Properties("TaskSubnetsParameter")["Type"]);

        var web1 = new TemplateView(result.Templates[1].Json);
        Assert.Equal(["Web1LogGroup", "Web1TaskExecutionRole", "Web1TaskRole", "Web1TaskDefinition", "Web1TargetGroup", "Web1ListenerRule", "Web1Service", "Web1ScalableTarget", "Web1CpuScalingPolicy"],
            web1.Resources.Select(r => r.Key));
        Assert.Equal("AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>", (string?)web1.Parameters["TaskSubnets"]!["Type"]);
        Assert.Equal("/shop-dev/ClusterName", (string?)web1.Parameters["ClusterName"]!["Default"]);
        Assert.Equal("ClusterName", (string?)web1.Properties("Web1Service")["Cluster"]!["Ref"]);
        Assert.Equal("HttpsListener", (string?)web1.Properties("Web1ListenerRule")["ListenerArn"]!["Ref"]);
        // Its own family: the service stack's name.
        Assert.Equal("${AWS::StackName}", (string?)web1.Properties("Web1TaskDefinition")["Family"]!["Fn::Sub"]);
    }

    [Fact]
    public void A_pipeline_cannot_deploy_a_service_of_another_stack()
    {
        var shop = Definitions.ShopApp.Definition with { Stacks = StackLayout.StackPerService };
        var findings = Fixtures.Findings(shop).Where(f => f.Severity == Severity.Error).ToList();
        Assert.Contains(findings, f => f.Rule.Id == "TPL0071" && f.Setting == "Services[api].BuildContext" && f.Environments.SequenceEqual(["prod"]));
        Assert.DoesNotContain(findings, f => f.Setting == "Services[nightly].BuildContext");
        // Without BuildContext the services roll forward through their ImageTag parameters, and the split is accepted.
        var unbuilt = shop with { Services = [.. shop.Services.Select(s => s with { BuildContext = null })] };
        Assert.False(Emitter.Generate([unbuilt]).HasErrors);
    }

    [Fact]
    public void A_service_stack_name_that_another_environment_has_is_refused()
    {
        // shop-dev-api is both the api service's stack of 'dev' and the stack of an environment 'dev-api'.
        var app = Fixtures.Minimal(new Env("dev") { Tasks = new(1, 2) }, new Env("dev-api") { Tasks = new(1, 2) }) with
        {
            Stacks = StackLayout.StackPerService,
            Services = [new WebService("api") { Image = ContainerImage.FromEcr("shop/api"), Port = 8000, Route = Route.Path("/api/*") }],
        };
        var result = Emitter.Generate([app]);
        Assert.Contains(result.Findings, f => f.Rule.Id == "TPL0001" && f.Severity == Severity.Error);
    }
}
