using Microsoft.CodeAnalysis;
using Templates.Generation.Model;

namespace Templates.Analyzers.Tests;

/// <summary>Rules in context: production severities, accepted rules, overrides combined with the app, and the run-time twin of every compile-time diagnostic.</summary>
public class ContextTests
{
    const string Cert = "\"arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c\"";

    static string App(string environments, string service = "", string loadBalancer = "", string accept = "", string certificate = $"new AcmCertificate({Cert})") => $$"""
        using Templates;
        public static class Definition
        {
            public static App Value => new("shop")
            {
                Network = new NewVpc(),
                Service = new FargateService { Image = ContainerImage.FromEcr("shop"), Port = 8080, {{service}} },
                LoadBalancer = new LoadBalancer { Certificate = {{certificate}}, {{loadBalancer}} },
                Accept = { {{accept}} },
                Environments = { {{environments}} },
            };
        }
        """;

    const string Iam = "new IamServerCertificate(\"arn:aws:iam::123456789012:server-certificate/self\")";

    [Fact]
    public async Task An_iam_certificate_is_a_warning_in_dev_and_an_error_in_prod()
    {
        var diagnostics = await AnalyzerHarness.AnalyzeAsync(App(
            $"new Env(\"dev\") {{ Tasks = new TaskCount(1, 2), Certificate = {Iam} }}, new Env(\"prod\") {{ WebAcl = new WebAcl(), Tasks = new TaskCount(2, 4), Certificate = {Iam}, Service = new ServiceOverrides {{ ImageTag = \"v1\" }} }},"));
        Assert.Equal([("TPL0015", DiagnosticSeverity.Warning), ("TPL0015", DiagnosticSeverity.Error)], diagnostics.Select(d => (d.Id, d.Severity)));
    }

    [Fact]
    public async Task A_requested_certificate_raises_nothing_on_the_app_or_an_environment()
    {
        // It has no ARN: neither TPL0013 (malformed ARN) nor TPL0014 (region or account) may fire on it.
        const string dns = "Dns = new DnsName { Name = \"shop.example.com\", HostedZoneId = \"Z0123456789ABCDEFGHIJ\" }";
        var onEnv = App($"new Env(\"dev\") {{ Region = \"eu-west-1\", Account = \"210987654321\", Tasks = new TaskCount(1, 2), {dns}, Certificate = new RequestedCertificate() }},");
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(onEnv));
        var onApp = App($"new Env(\"prod\") {{ WebAcl = new WebAcl(), Region = \"eu-west-1\", Tasks = new TaskCount(2, 4), {dns}, Service = new ServiceOverrides {{ ImageTag = \"v1\" }} }},",
            certificate: "new RequestedCertificate()");
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(onApp));
    }

    [Fact]
    public async Task Is_production_can_be_set_explicitly()
    {
        var diagnostics = await AnalyzerHarness.AnalyzeAsync(App("new Env(\"live\") { IsProduction = true, WebAcl = new WebAcl(), Tasks = new TaskCount(1, 4), Service = new ServiceOverrides { ImageTag = \"v1\" } },"));
        Assert.Equal([("TPL0006", DiagnosticSeverity.Error)], diagnostics.Select(d => (d.Id, d.Severity)));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App("new Env(\"prod\") { IsProduction = false, Tasks = new TaskCount(1, 4) },")));
    }

    [Fact]
    public async Task Accepted_rules_are_silent_where_they_are_accepted_only()
    {
        var envAccepts = App($"new Env(\"dev\") {{ Tasks = new TaskCount(1, 2), Certificate = {Iam}, Accept = {{ new Accepted(\"TPL0015\", \"dev only\") }} }}, new Env(\"qa\") {{ Tasks = new TaskCount(1, 2), Certificate = {Iam} }},");
        Assert.Single(await AnalyzerHarness.AnalyzeAsync(envAccepts));
        var appAccepts = App($"new Env(\"dev\") {{ Tasks = new TaskCount(1, 2), Certificate = {Iam} }},", accept: "new Accepted(\"TPL0015\", \"all of them\")");
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(appAccepts));
    }

    [Fact]
    public async Task An_app_wide_iam_certificate_counts_for_the_environments_that_inherit_it()
    {
        var source = App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }, new Env(\"prod\") { WebAcl = new WebAcl(), Tasks = new TaskCount(2, 4), Certificate = new AcmCertificate(" + Cert + "), Service = new ServiceOverrides { ImageTag = \"v1\" } },",
            certificate: Iam);
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(source));
        Assert.Equal(("TPL0015", DiagnosticSeverity.Warning), (diagnostic.Id, diagnostic.Severity));
    }

    [Fact]
    public async Task An_app_wide_requested_certificate_needs_a_dns_name_in_every_environment_that_inherits_it()
    {
        var source = App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }, new Env(\"qa\") { Tasks = new TaskCount(1, 2), Dns = new DnsName { Name = \"qa.example.com\", HostedZoneId = \"Z0123456789\" } },",
            certificate: "new RequestedCertificate()");
        Assert.Equal(["TPL0035"], (await AnalyzerHarness.AnalyzeAsync(source)).Select(d => d.Id));
        var everyoneHasDns = App("new Env(\"qa\") { Tasks = new TaskCount(1, 2), Dns = new DnsName { Name = \"qa.example.com\", HostedZoneId = \"Z0123456789\" } },",
            certificate: "new RequestedCertificate()");
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(everyoneHasDns));
    }

    [Fact]
    public async Task An_app_wide_setting_counts_only_for_the_environments_that_inherit_it()
    {
        // The app's rolling deployment loses capacity; prod replaces it, so only dev inherits it: a warning, not prod's error.
        var source = App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }, new Env(\"prod\") { WebAcl = new WebAcl(), Tasks = new TaskCount(2, 4), Deployment = new RollingDeployment(), Service = new ServiceOverrides { ImageTag = \"v1\" } },")
            .Replace("Network = new NewVpc(),", "Network = new NewVpc(), Deployment = new RollingDeployment { MinimumHealthyPercent = 50 },");
        Assert.Equal([("TPL0021", DiagnosticSeverity.Warning)], (await AnalyzerHarness.AnalyzeAsync(source)).Select(d => (d.Id, d.Severity)));
        var everyoneOverrides = source.Replace("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }", "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Deployment = new RollingDeployment() }");
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(everyoneOverrides));
    }

    [Fact]
    public async Task An_app_wide_blue_green_without_bake_time_warns_only_for_production_environments()
    {
        var source = App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) },")
            .Replace("Network = new NewVpc(),", "Network = new NewVpc(), Deployment = new BlueGreenDeployment { BakeTimeMinutes = 0 },");
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(source));
        var withProd = App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }, new Env(\"prod\") { WebAcl = new WebAcl(), Tasks = new TaskCount(2, 4), Service = new ServiceOverrides { ImageTag = \"v1\" } },")
            .Replace("Network = new NewVpc(),", "Network = new NewVpc(), Deployment = new BlueGreenDeployment { BakeTimeMinutes = 0 },");
        Assert.Equal(["TPL0032"], (await AnalyzerHarness.AnalyzeAsync(withProd)).Select(d => d.Id));
    }

    [Fact]
    public async Task An_inherited_certificate_of_another_account_is_flagged_when_only_the_account_is_pinned()
    {
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(App("new Env(\"dev\") { Account = \"210987654321\", Tasks = new TaskCount(1, 2) },")));
        Assert.Equal("TPL0014", diagnostic.Id);
    }

    [Fact]
    public async Task A_lone_override_is_checked_against_the_apps_value()
    {
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(App(
            "new Env(\"dev\") { Tasks = new TaskCount(1, 2), Service = new ServiceOverrides { MemoryMiB = 4096 } },", service: "Cpu = 256, MemoryMiB = 512")));
        Assert.Equal("TPL0003", diagnostic.Id);
        Assert.Contains("256 CPU units with 4096 MiB", diagnostic.GetMessage());
    }

    [Fact]
    public async Task Production_with_the_default_latest_tag_is_flagged_on_the_environment()
    {
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(App("new Env(\"prod\") { WebAcl = new WebAcl(), Tasks = new TaskCount(2, 4) },")));
        Assert.Equal("TPL0022", diagnostic.Id);
        Assert.Equal("\"prod\"", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public async Task Duplicate_environments_and_inherited_certificates_in_other_regions()
    {
        var diagnostics = await AnalyzerHarness.AnalyzeAsync(App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }, new Env(\"DEV\") { Region = \"eu-west-1\", Tasks = new TaskCount(1, 2) },"));
        Assert.Equal(["TPL0001", "TPL0001", "TPL0014"], diagnostics.Select(d => d.Id).Order());
    }

    public static TheoryData<string, string, Func<App, App>> NonConstants => new()
    {
        {
            "TPL0003", "Cpu = 256, MemoryMiB = Sizes.Memory",
            app => app with { Service = app.Service with { Cpu = 256, MemoryMiB = 4096 } }
        },
        {
            "TPL0012", "LogRetentionDays = Sizes.Retention",
            app => app with { Service = app.Service with { LogRetentionDays = 45 } }
        },
        {
            "TPL0008", "Port = Sizes.Port",
            app => app with { Service = app.Service with { Port = 0 } }
        },
    };

    [Theory]
    [MemberData(nameof(NonConstants))]
    public async Task A_value_that_is_not_a_constant_is_silent_at_compile_time_and_the_same_rule_fires_at_run_time(string id, string setting, Func<App, App> atRunTime)
    {
        var source = $$"""
            using Templates;
            public static class Sizes
            {
                public static int Memory => int.Parse(System.Environment.GetEnvironmentVariable("MEMORY") ?? "4096");
                public static int Retention => int.Parse("45");
                public static int Port => int.Parse("0");
            }
            public static class Definition
            {
                public static FargateService Service => new() { Image = ContainerImage.FromEcr("shop"), {{(setting.StartsWith("Port") ? "" : "Port = 8080, ")}}{{setting}} };
            }
            """;
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(source));

        var app = new App("shop")
        {
            Network = new NewVpc(),
            Service = new FargateService { Image = ContainerImage.FromEcr("shop"), Port = 8080 },
            LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c") },
            Environments = { new Env("dev") { Tasks = new TaskCount(1, 2) } },
        };
        Assert.Empty(ModelValidator.Validate(app));
        Assert.Equal([id], ModelValidator.Validate(atRunTime(app)).Select(f => f.Rule.Id));
    }
}
