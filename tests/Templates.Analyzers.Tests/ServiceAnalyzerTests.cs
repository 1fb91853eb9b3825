using Microsoft.CodeAnalysis;
using Templates.Generation.Model;

namespace Templates.Analyzers.Tests;

/// <summary>
/// An app's several services at compile time (issue #14): TPL0070 (names), TPL0071 (references), TPL0072 (routes), TPL0073
/// (schedules), TPL0074 (queues, jobs) on the constants the analyzer sees, at the value, with the model validator's message;
/// silent on valid and on non-constant values; the container checks on the new service types.
/// </summary>
public class ServiceAnalyzerTests
{
    const string Cert = "\"arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c\"";

    static string App(string services, string environments = "new Env(\"dev\") { Tasks = new TaskCount(1, 2) }", string members = "", string app = "", string mainService = "") => $$"""
        using Templates;
        public static class Definition
        {
            {{members}}
            public static App Value => new("shop")
            {
                Network = new NewVpc(),
                Service = new FargateService { Image = ContainerImage.FromEcr("shop", "v1"), Port = 8080{{mainService}} },
                LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate({{Cert}}) },
                Services = [{{services}}],
                {{app}}
                Environments = { {{environments}} },
            };
        }
        """;

    const string Image = "Image = ContainerImage.FromEcr(\"shop\", \"v1\")";

    static string Web(string name, string route = "Route.Path(\"/api/*\")", string extra = "") =>
        $"new WebService(\"{name}\") {{ {Image}, Port = 8080, Route = {route}{extra} }}";

    static string Backend(string name, string extra = "") => $"new BackendService(\"{name}\") {{ {Image}, Port = 9000{extra} }}";

    static string Worker(string name, string extra = "", string queue = "new WorkQueue()") => $"new Worker(\"{name}\") {{ {Image}, Queue = {queue}{extra} }}";

    static string Job(string name, string schedule = "rate(1 hour)", string extra = "") => $"new ScheduledJob(\"{name}\") {{ {Image}, Schedule = \"{schedule}\"{extra} }}";

    static async Task<Diagnostic[]> Diagnostics(string source) => [.. (await AnalyzerHarness.AnalyzeAsync(source)).OrderBy(d => d.Location.SourceSpan.Start)];

    /// <summary>The one diagnostic, with its ID and the source text it is reported on.</summary>
    static async Task<Diagnostic> Single(string source, string id, string at)
    {
        var all = await Diagnostics(source);
        var d = Assert.Single(all);
        Assert.Equal(id, d.Id);
        Assert.Equal(at, d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
        return d;
    }

    [Fact]
    public async Task Valid_services_of_every_kind_raise_nothing()
    {
        var source = App(string.Join(", ", Web("web", "Route.Host(\"api.example.com\").AndPath(\"/v1/*\")"), Web("admin", "Route.Path(\"/admin/*\")", ", Priority = 10, Calls = [\"orders\"]"),
            Backend("orders"), Worker("mailer", ", SentBy = [\"shop\", \"web\"], MessagesPerTask = 10"), Job("nightly", "cron(0 3 * * ? *)", ", TimeoutMinutes = 30, Retries = 2")),
            "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = { [\"nightly\"] = new ServiceOverrides { Cpu = 512, MemoryMiB = 1024 } } }", mainService: ", Calls = [\"orders\"]");
        Assert.Empty(await Diagnostics(source));
    }

    [Theory]
    [InlineData("Order_API", "\"Order_API\"")]
    [InlineData("api-", "\"api-\"")]
    [InlineData("a-very-long-service-name-here", "\"a-very-long-service-name-here\"")]
    public async Task A_malformed_service_name_is_TPL0070_at_the_name(string name, string at)
    {
        var d = await Single(App(Backend(name)), "TPL0070", at);
        Assert.Equal(Checks(name), d.GetMessage());
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);

        static string Checks(string name)
        {
            var v = Templates.Rules.Checks.ServiceName(name)!;
            return v.Message + " Fix: " + v.Fix;
        }
    }

    [Fact]
    public async Task A_service_name_is_judged_where_the_service_is_written_alone_too()
    {
        await Single(App(Backend("ok"), members: "static readonly BackendService Orders = new(\"Orders\") { " + Image + ", Port = 9000 };"), "TPL0070", "\"Orders\"");
    }

    [Theory]
    [InlineData("orders", "orders")] // twice
    [InlineData("shop", "x")] // the app's own name
    [InlineData("a-1", "a1")] // both A1…
    [InlineData("alternate", "x")] // AlternateTargetGroup is the blue/green target group's ID
    public async Task Names_that_collide_across_the_app_are_TPL0070_on_the_later(string first, string second)
    {
        var services = first == "shop" || first == "alternate" ? Backend(first) : Backend(first) + ", " + Backend(second);
        var all = await Diagnostics(App(services));
        var d = Assert.Single(all);
        Assert.Equal("TPL0070", d.Id);
        var expected = first is "shop" or "alternate" ? first : second;
        Assert.Equal($"\"{expected}\"", d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan));
    }

    [Fact]
    public async Task The_names_and_the_model_validator_agree()
    {
        // The same app at run time: the generator's findings name the same rule.
        var app = new App("shop")
        {
            Network = new NewVpc(),
            Service = new FargateService { Image = ContainerImage.FromEcr("shop", "v1"), Port = 8080 },
            LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c") },
            Services = [new BackendService("a-1") { Image = ContainerImage.FromEcr("shop", "v1"), Port = 9000 }, new BackendService("a1") { Image = ContainerImage.FromEcr("shop", "v1"), Port = 9000 }],
            Environments = { new Env("dev") { Tasks = new TaskCount(1, 2) } },
        };
        var finding = Assert.Single(ModelValidator.Validate(app));
        var d = Assert.Single(await Diagnostics(App(Backend("a-1") + ", " + Backend("a1"))));
        Assert.Equal((finding.Rule.Id, finding.Message + " Fix: " + finding.Fix), (d.Id, d.GetMessage()));
    }

    [Theory]
    [InlineData("\"nobody\"", "\"nobody\"")] // no such service
    [InlineData("\"web\"", "\"web\"")] // a web service is reached through the load balancer
    [InlineData("\"mailer\"", "\"mailer\"")] // a worker has no endpoint
    public async Task A_call_to_no_backend_is_TPL0071_at_the_name(string called, string at)
    {
        var services = string.Join(", ", Web("web"), Worker("mailer"), Backend("orders", $", Calls = [{called}]"));
        await Single(App(services), "TPL0071", at);
    }

    [Fact]
    public async Task A_call_to_a_backend_turned_off_in_an_environment_is_TPL0071_there_only()
    {
        var services = string.Join(", ", Backend("orders"), Web("web", extra: ", Calls = [\"orders\"]"));
        var off = "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = { [\"orders\"] = new ServiceOverrides { Enabled = false } } }";
        await Single(App(services, off), "TPL0071", "\"orders\"");
        // Both turned off: nothing calls.
        Assert.Empty(await Diagnostics(App(services, "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = { [\"orders\"] = new() { Enabled = false }, [\"web\"] = new() { Enabled = false } } }")));
        // The app's own Service calls it too.
        var all = await Diagnostics(App(Backend("orders"), off, mainService: ", Calls = [\"orders\"]"));
        Assert.Equal("TPL0071", Assert.Single(all).Id);
    }

    [Fact]
    public async Task A_job_with_calls_and_an_unknown_sender_are_TPL0071()
    {
        await Single(App(Backend("orders") + ", " + Job("nightly", extra: ", Calls = [\"orders\"]")), "TPL0071", "Calls = [\"orders\"]");
        await Single(App(Worker("mailer", ", SentBy = [\"shop\", \"nobody\"]")), "TPL0071", "\"nobody\"");
    }

    [Fact]
    public async Task An_override_of_no_service_and_task_bounds_for_a_job_are_TPL0071()
    {
        await Single(App(Backend("orders"), "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = { [\"order\"] = new ServiceOverrides { Cpu = 512, MemoryMiB = 1024 } } }"),
            "TPL0071", "[\"order\"] = new ServiceOverrides { Cpu = 512, MemoryMiB = 1024 }");
        await Single(App(Job("nightly"), "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = { [\"nightly\"] = new ServiceOverrides { Tasks = new TaskCount(1, 2) } } }"),
            "TPL0071", "Tasks = new TaskCount(1, 2)");
    }

    [Fact]
    public async Task References_the_analyzer_cannot_see_raise_nothing()
    {
        // A name read at run time, a list of services built elsewhere, an override dictionary built elsewhere.
        Assert.Empty(await Diagnostics(App(Backend("orders", ", Calls = [System.Environment.GetEnvironmentVariable(\"CALLS\") ?? \"x\"]"))));
        Assert.Empty(await Diagnostics(App(Backend("orders", ", Calls = [\"nobody\"]"), members: "static readonly System.Collections.Generic.Dictionary<string, ServiceOverrides> Overrides = new();",
            environments: "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = Overrides }")));
        // A dictionary copied from one built elsewhere may turn the service off.
        Assert.Empty(await Diagnostics(App(Backend("orders", ", Calls = [\"nobody\"]"), members: "static readonly System.Collections.Generic.Dictionary<string, ServiceOverrides> Overrides = new();",
            environments: "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = new(Overrides) { [\"orders\"] = new() } }")));
    }

    [Theory]
    [InlineData("Route.Path(\"/api/*?x=1\")", "\"/api/*?x=1\"")]
    [InlineData("Route.Path(\"/a b\")", "\"/a b\"")]
    [InlineData("Route.Host(\"https://api.example.com\")", "\"https://api.example.com\"")]
    [InlineData("Route.Host(\"api\")", "\"api\"")]
    [InlineData("Route.Host(\"api.example.com\").AndPath(\"\")", "\"\"")]
    [InlineData("new Route { Hosts = [\"api.example.com:443\"] }", "\"api.example.com:443\"")]
    public async Task A_path_or_host_a_listener_rule_refuses_is_TPL0072_at_the_value(string route, string at)
    {
        await Single(App(Web("web", route)), "TPL0072", at);
    }

    [Fact]
    public async Task An_empty_route_is_TPL0072()
    {
        await Single(App(Web("web", "new Route()")), "TPL0072", "Route = new Route()");
    }

    [Fact]
    public async Task Routes_in_conflict_across_the_apps_web_services_are_TPL0072()
    {
        // The same route twice: the later rule (by priority) is never reached.
        var same = await Diagnostics(App(Web("a", extra: ", Priority = 1") + ", " + Web("b", extra: ", Priority = 2")));
        Assert.Equal("TPL0072", Assert.Single(same).Id);
        // One priority for two rules.
        var d = Assert.Single(await Diagnostics(App(Web("a", "Route.Path(\"/a/*\")", ", Priority = 7") + ", " + Web("b", "Route.Path(\"/b/*\")", ", Priority = 7"))));
        Assert.Equal(("TPL0072", "Priority = 7"), (d.Id, d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)));
        Assert.StartsWith("Its listener rule has priority 7, as a's does", d.GetMessage());
        // Narrower first is fine; and a service turned off in the environment is not routed.
        Assert.Empty(await Diagnostics(App(Web("a", "Route.Path(\"/api/v1/*\")", ", Priority = 1") + ", " + Web("b", "Route.Path(\"/api/*\")", ", Priority = 2"))));
        Assert.Empty(await Diagnostics(App(Web("a", extra: ", Priority = 1") + ", " + Web("b", extra: ", Priority = 2"),
            "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = { [\"a\"] = new() { Enabled = false } } }")));
        // Blue/green's production rule takes the last priority.
        await Single(App(Web("a", extra: ", Priority = 50000"), app: "Deployment = new BlueGreenDeployment(),"), "TPL0072", "Priority = 50000");
    }

    [Theory]
    [InlineData("rate(1 hours)")]
    [InlineData("rate(5 minute)")]
    [InlineData("cron(0 3 * * *)")]
    [InlineData("cron(0 3 * * MON *)")]
    [InlineData(" rate(1 hour)")]
    [InlineData("every day")]
    [InlineData("at(2027-02-30T09:00:00)")]
    public async Task A_schedule_eventbridge_scheduler_refuses_is_TPL0073(string schedule)
    {
        var d = await Single(App(Job("nightly", schedule)), "TPL0073", $"Schedule = \"{schedule}\"");
        var v = Templates.Rules.Checks.Schedule(schedule)!;
        Assert.Equal(v.Message + " Fix: " + v.Fix, d.GetMessage());
    }

    [Fact]
    public async Task Valid_and_non_constant_schedules_raise_nothing()
    {
        Assert.Empty(await Diagnostics(App(Job("a", "rate(15 minutes)") + ", " + Job("b", "cron(0/5 8-17 ? * MON-FRI *)") + ", " + Job("c", "at(2027-01-31T09:00:00)"))));
        Assert.Empty(await Diagnostics(App("new ScheduledJob(\"a\") { " + Image + ", Schedule = System.Environment.GetEnvironmentVariable(\"S\") ?? \"rate(1 hour)\" }")));
    }

    [Theory]
    [InlineData("new WorkQueue { VisibilityTimeoutSeconds = 43201 }", "VisibilityTimeoutSeconds = 43201")]
    [InlineData("new WorkQueue { MaxReceives = 0 }", "MaxReceives = 0")]
    [InlineData("new WorkQueue { RetentionDays = 15 }", "RetentionDays = 15")]
    [InlineData("new WorkQueue { DeadLetterRetentionDays = 4 }", "DeadLetterRetentionDays = 4")]
    [InlineData("new WorkQueue { RetentionDays = 7, DeadLetterRetentionDays = 7 }", "DeadLetterRetentionDays = 7")]
    public async Task A_queue_sqs_refuses_or_a_dead_letter_queue_that_expires_first_is_TPL0074(string queue, string at)
    {
        await Single(App(Worker("mailer", queue: queue)), "TPL0074", at);
    }

    [Fact]
    public async Task Messages_per_task_job_timeout_and_retries_out_of_range_are_TPL0074()
    {
        await Single(App(Worker("mailer", ", MessagesPerTask = 0")), "TPL0074", "MessagesPerTask = 0");
        await Single(App(Job("nightly", extra: ", TimeoutMinutes = 1441")), "TPL0074", "TimeoutMinutes = 1441");
        await Single(App(Job("nightly", extra: ", Retries = 11")), "TPL0074", "Retries = 11");
        // A worker that may scale to no task could never scale out again.
        await Single(App(Worker("mailer"), "new Env(\"dev\") { Tasks = new TaskCount(0, 2) }"), "TPL0074", "0");
        Assert.Empty(await Diagnostics(App(Worker("mailer", queue: "new WorkQueue { RetentionDays = 14, DeadLetterRetentionDays = int.Parse(\"14\") }"))));
    }

    [Fact]
    public async Task The_container_checks_run_on_every_kind_of_service()
    {
        await Single(App(Backend("orders", ", Cpu = 256, MemoryMiB = 4096")), "TPL0003", "MemoryMiB = 4096");
        await Single(App(Worker("mailer", ", LogRetentionDays = 45")), "TPL0012", "LogRetentionDays = 45");
        await Single(App(Web("web", extra: ", Port = 0").Replace("Port = 8080, ", "")), "TPL0008", "Port = 0");
        await Single(App(Job("nightly", extra: ", EnvironmentVariables = { [\"bad-name\"] = \"x\" }")), "TPL0023", "[\"bad-name\"] = \"x\"");
        await Single(App(Web("web", extra: ", HealthCheck = new HealthCheck { Path = \"health\" }")), "TPL0009", "Path = \"health\"");
        await Single(App(Backend("orders", ", User = \"root:x:y\"")), "TPL0064", "User = \"root:x:y\"");
    }

    [Fact]
    public async Task An_environment_that_overrides_or_turns_off_a_service_takes_its_own_values()
    {
        // The app's 4096 MiB is overridden in the only environment: nothing; the override's own bad size is reported on it.
        Assert.Empty(await Diagnostics(App(Backend("orders", ", MemoryMiB = 4096"), "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = { [\"orders\"] = new ServiceOverrides { MemoryMiB = 1024 } } }")));
        await Single(App(Backend("orders"), "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = { [\"orders\"] = new ServiceOverrides { MemoryMiB = 4096 } } }"), "TPL0003", "MemoryMiB = 4096");
        // Turned off, a service's values are not judged in that environment.
        Assert.Empty(await Diagnostics(App(Backend("orders", ", LogRetentionDays = 45"), "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Services = { [\"orders\"] = new() { Enabled = false } } }")));
    }

    [Fact]
    public async Task Production_deploying_latest_on_a_service_is_TPL0022()
    {
        var prod = "new Env(\"prod\") { Tasks = new TaskCount(2, 4), WebAcl = new WebAcl(), Service = new ServiceOverrides { ImageTag = \"v1\" } }";
        var d = await Single(App("new BackendService(\"orders\") { Image = ContainerImage.FromEcr(\"shop\"), Port = 9000 }", prod), "TPL0022", "\"prod\"");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Empty(await Diagnostics(App("new BackendService(\"orders\") { Image = ContainerImage.FromEcr(\"shop\"), Port = 9000 }",
            prod.Replace("WebAcl = new WebAcl()", "Services = { [\"orders\"] = new() { ImageTag = \"v2\" } }, WebAcl = new WebAcl()"))));
    }

    [Fact]
    public async Task An_accepted_rule_is_silent()
    {
        Assert.Empty(await Diagnostics(App(Worker("mailer", queue: "new WorkQueue { MaxReceives = 0 }"),
            "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Accept = { new Accepted(\"TPL0074\", \"test\") } }")));
        // TPL0070 to TPL0072 cannot be accepted: the generator could not build the stack (ModelValidator.NotAcceptable).
        Assert.Equal(["TPL0070"], (await Diagnostics(App(Backend("orders") + ", " + Backend("orders"), app: "Accept = { new Accepted(\"TPL0070\", \"test\") },"))).Select(d => d.Id));
    }

    [Fact]
    public async Task An_override_is_judged_only_where_the_generator_applies_it()
    {
        static string Env(string entry) => $"new Env(\"dev\") {{ Tasks = new TaskCount(1, 2), Services = {{ {entry} }} }}";
        // A web service's health check replaced by a bad one: reported on the override.
        await Single(App(Web("web"), Env("[\"web\"] = new() { HealthCheck = new HealthCheck { Path = \"health\" } }")), "TPL0009", "Path = \"health\"");
        // A backend has no health check: the generator applies none, and nothing is judged.
        Assert.Empty(await Diagnostics(App(Backend("orders"), Env("[\"orders\"] = new() { HealthCheck = new HealthCheck { Path = \"health\" } }"))));
        // Turned off, its override's values are not judged; an override of no service is TPL0071 alone.
        Assert.Empty(await Diagnostics(App(Backend("orders"), Env("[\"orders\"] = new() { Enabled = false, LogRetentionDays = 45 }"))));
        var d = Assert.Single(await Diagnostics(App(Backend("orders"), Env("[\"order\"] = new() { LogRetentionDays = 45 }"))));
        Assert.Equal("TPL0071", d.Id);
        // The same override of a running service is judged.
        await Single(App(Backend("orders"), Env("[\"orders\"] = new() { LogRetentionDays = 45 }")), "TPL0012", "LogRetentionDays = 45");
    }
}
