extern alias analyzers;
using Microsoft.CodeAnalysis;
using Templates.Generation.Model;

namespace Templates.Analyzers.Tests;

/// <summary>Issue #10 at compile time: production-ness by name however set, `with` expressions, app-level values judged per inheriting environment, apps without environments, small VPCs.</summary>
public class MisuseTests
{
    const string Cert = "\"arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c\"";

    static string Source(string environments, string service = "", string members = "", string network = "new NewVpc()") => $$"""
        using Templates;
        public static class Definition
        {
            static readonly Env Dev = new("dev") { Tasks = new TaskCount(1, 2) };
            {{members}}
            public static App Value => new("shop")
            {
                Network = {{network}},
                Service = new FargateService { Image = ContainerImage.FromEcr("shop", "v1"), Port = 8080, {{service}} },
                LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate({{Cert}}) },
                Environments = { {{environments}} },
            };
        }
        """;

    static async Task<(string Id, DiagnosticSeverity Severity)[]> Diagnostics(string source) =>
        [.. (await AnalyzerHarness.AnalyzeAsync(source)).Select(d => (d.Id, d.Severity)).OrderBy(d => d.Id, StringComparer.Ordinal)];

    [Theory]
    [InlineData("new Env(\"prod\") { Tasks = new TaskCount(1, 4) }")]
    [InlineData("new Env(\"staging\") { Name = \"production\", Tasks = new TaskCount(1, 4) }")]
    [InlineData("Dev with { Name = \"prod\", Tasks = new TaskCount(1, 4) }")]
    [InlineData("Dev with { Name = \"prod\" }")]
    [InlineData("new Env(\"qa\") { Tasks = new TaskCount(1, 4) } with { Name = \"prod\" }")]
    public async Task An_environment_named_prod_gets_production_severities_whatever_syntax_named_it(string env)
    {
        // Production without a web ACL is also TPL0069, whatever syntax named it.
        Assert.Equal([("TPL0006", DiagnosticSeverity.Error), ("TPL0069", DiagnosticSeverity.Warning)], await Diagnostics(Source(env)));
        Assert.Equal(["TPL0006", "TPL0069"], ModelValidator.Validate(Compile(env)).Select(f => f.Rule.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("new Env(\"prod\") { Name = \"qa\", Tasks = new TaskCount(1, 4) }")]
    [InlineData("new Env(\"prod\") { Tasks = new TaskCount(1, 4) } with { Name = \"qa\" }")]
    [InlineData("new Env(\"prod\") { IsProduction = false, Tasks = new TaskCount(1, 4) } with { Name = \"production\" }")]
    public async Task An_environment_renamed_away_from_prod_or_declared_otherwise_is_not_production(string env)
    {
        Assert.Empty(await Diagnostics(Source(env)));
        Assert.Empty(ModelValidator.Validate(Compile(env)));
    }

    // The same environment, built at run time, for the generator's side of each case above.
    static App Compile(string env)
    {
        var dev = new Env("dev") { Tasks = new TaskCount(1, 2) };
        Env value = env switch
        {
            "new Env(\"prod\") { Tasks = new TaskCount(1, 4) }" => new Env("prod") { Tasks = new TaskCount(1, 4) },
            "new Env(\"staging\") { Name = \"production\", Tasks = new TaskCount(1, 4) }" => new Env("staging") { Name = "production", Tasks = new TaskCount(1, 4) },
            "Dev with { Name = \"prod\", Tasks = new TaskCount(1, 4) }" => dev with { Name = "prod", Tasks = new TaskCount(1, 4) },
            "Dev with { Name = \"prod\" }" => dev with { Name = "prod" },
            "new Env(\"qa\") { Tasks = new TaskCount(1, 4) } with { Name = \"prod\" }" => new Env("qa") { Tasks = new TaskCount(1, 4) } with { Name = "prod" },
            "new Env(\"prod\") { Name = \"qa\", Tasks = new TaskCount(1, 4) }" => new Env("prod") { Name = "qa", Tasks = new TaskCount(1, 4) },
            "new Env(\"prod\") { Tasks = new TaskCount(1, 4) } with { Name = \"qa\" }" => new Env("prod") { Tasks = new TaskCount(1, 4) } with { Name = "qa" },
            "new Env(\"prod\") { IsProduction = false, Tasks = new TaskCount(1, 4) } with { Name = \"production\" }" =>
                new Env("prod") { IsProduction = false, Tasks = new TaskCount(1, 4) } with { Name = "production" },
            _ => throw new ArgumentException(env),
        };
        return new App("shop")
        {
            Network = new NewVpc(),
            Service = new FargateService { Image = ContainerImage.FromEcr("shop", "v1"), Port = 8080 },
            LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c") },
            Environments = { value },
        };
    }

    [Fact]
    public async Task An_app_level_task_size_that_every_environment_overrides_is_not_judged()
    {
        const string overrides = "Service = new ServiceOverrides { Cpu = 512, MemoryMiB = 1024 }";
        Assert.Empty(await Diagnostics(Source($"new Env(\"dev\") {{ Tasks = new TaskCount(1, 2), {overrides} }}", service: "Cpu = 300, MemoryMiB = 512")));
        // One environment inherits it: judged, with that environment's severity.
        Assert.Equal([("TPL0003", DiagnosticSeverity.Error)],
            await Diagnostics(Source($"new Env(\"dev\") {{ Tasks = new TaskCount(1, 2), {overrides} }}, new Env(\"qa\") {{ Tasks = new TaskCount(1, 2) }}", service: "Cpu = 300, MemoryMiB = 512")));
        // The app's memory stays in force where only the CPU is replaced: the app's 4096 MiB does not fit 256 CPU units.
        Assert.Empty(await Diagnostics(Source("new Env(\"dev\") { Tasks = new TaskCount(1, 2), Service = new ServiceOverrides { Cpu = 1024 } }", service: "Cpu = 256, MemoryMiB = 4096")));
        Assert.Equal([("TPL0003", DiagnosticSeverity.Error)],
            await Diagnostics(Source("new Env(\"dev\") { Tasks = new TaskCount(1, 2), Service = new ServiceOverrides { Cpu = 256 } }", service: "Cpu = 1024, MemoryMiB = 4096")));
    }

    [Theory]
    [InlineData("LogRetentionDays = 45", "LogRetentionDays = 30", "TPL0012")]
    [InlineData("EphemeralStorageGiB = 10", "EphemeralStorageGiB = 30", "TPL0004")]
    [InlineData("HealthCheck = new HealthCheck { TimeoutSeconds = 1 }", "HealthCheck = new HealthCheck()", "TPL0010")]
    [InlineData("EnvironmentVariables = { [\"AUTH\"] = \"AKIAABCDEFGHIJKLMNOP\" }", "EnvironmentVariables = { [\"AUTH\"] = \"none\" }", "TPL0020")]
    public async Task Every_overridable_app_level_setting_is_judged_only_where_inherited(string appSetting, string envOverride, string id)
    {
        Assert.Equal([id], (await Diagnostics(Source("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }", service: appSetting))).Select(d => d.Id));
        Assert.Empty(await Diagnostics(Source($"new Env(\"dev\") {{ Tasks = new TaskCount(1, 2), Service = new ServiceOverrides {{ {envOverride} }} }}", service: appSetting)));
        // Severity follows the inheriting environments: accepted in dev, warned nowhere.
        Assert.Empty(await Diagnostics(Source($"new Env(\"dev\") {{ Tasks = new TaskCount(1, 2), Accept = {{ new Accepted(\"{id}\", \"known\") }} }}", service: appSetting)));
    }

    [Fact]
    public async Task An_app_level_image_tag_every_environment_replaces_is_not_judged()
    {
        var source = Source("new Env(\"dev\") { Tasks = new TaskCount(1, 2), Service = new ServiceOverrides { ImageTag = \"v2\" } }").Replace("\"shop\", \"v1\"", "\"shop\", \"bad tag\"");
        Assert.Empty(await Diagnostics(source));
        Assert.Equal(["TPL0036"], (await Diagnostics(source.Replace(", Service = new ServiceOverrides { ImageTag = \"v2\" }", ""))).Select(d => d.Id));
    }

    [Theory]
    [InlineData("static readonly FargateService Base = new() { Image = ContainerImage.FromEcr(\"shop\"), Port = 8080 };", "Base with { MemoryMiB = 300 }", "TPL0003")]
    [InlineData("", "new FargateService { Image = ContainerImage.FromEcr(\"shop\"), Port = 8080 } with { LogRetentionDays = 45 }", "TPL0012")]
    public async Task Constants_in_a_with_expression_are_analyzed(string members, string service, string id)
    {
        var source = Source("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }", members: members).Replace(
            "new FargateService { Image = ContainerImage.FromEcr(\"shop\", \"v1\"), Port = 8080,  }", service);
        Assert.Equal([id], (await Diagnostics(source)).Select(d => d.Id));
    }

    [Fact]
    public async Task A_with_on_an_environment_is_judged_with_the_receivers_values()
    {
        Assert.Equal([("TPL0005", DiagnosticSeverity.Error)], await Diagnostics(Source("Dev with { Tasks = new TaskCount(5, 3) }")));
        // Dev's own values, combined with the new name: prod with one task.
        var prod = await AnalyzerHarness.AnalyzeAsync(Source("Dev, Dev with { Name = \"prod\" }"));
        Assert.Equal(["TPL0006", "TPL0069"], prod.Select(d => d.Id).Order(StringComparer.Ordinal));
        var diagnostic = Assert.Single(prod, d => d.Id == "TPL0006");
        Assert.Equal(("TPL0006", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        Assert.Equal("{ Name = \"prod\" }", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        // A value of the field that every `with` replaces is never deployed: nothing is reported on it.
        Assert.Empty(await Diagnostics(Source("Bad with { Tasks = new TaskCount(1, 2) }", members: "static readonly Env Bad = new(\"bad\") { Tasks = new TaskCount(5, 3) };")));
        Assert.Equal(["TPL0005"], (await Diagnostics(Source("Bad, Bad with { Name = \"qa\", Tasks = new TaskCount(1, 2) }", members: "static readonly Env Bad = new(\"bad\") { Tasks = new TaskCount(5, 3) };"))).Select(d => d.Id));
        // An unseen receiver leaves its values unknown: nothing is assumed about them.
        Assert.Empty(await Diagnostics(Source("Other() with { Name = \"qa\" }", members: "static Env Other() => new(\"x\") { Tasks = new TaskCount(1, 2) };")));
    }

    [Theory]
    [InlineData("Environments = { }")]
    [InlineData("Environments = [ ]")]
    [InlineData("")]
    public async Task An_app_without_environments_is_flagged_while_typing(string environments)
    {
        var source = $$"""
            using Templates;
            public static class Definition
            {
                public static App Value => new("shop")
                {
                    Network = new NewVpc(),
                    Service = new FargateService { Image = ContainerImage.FromEcr("shop"), Port = 8080 },
                    LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate({{Cert}}) },
                    {{environments}}
                };
            }
            """;
        Assert.Equal([("TPL0001", DiagnosticSeverity.Error)], await Diagnostics(source));
        // A list the analyzer cannot see is not assumed empty.
        Assert.Empty(await Diagnostics(source.Replace(environments == "" ? "Port = 8080 }," : environments,
            environments == "" ? "Port = 8080 }, Environments = System.Linq.Enumerable.ToList(new[] { new Env(\"dev\") { Tasks = new TaskCount(1, 2) } })," : "Environments = System.Linq.Enumerable.ToList(new[] { new Env(\"dev\") { Tasks = new TaskCount(1, 2) } })")));
    }

    [Fact]
    public async Task A_24_vpc_is_flagged_with_a_fix_widening_it_to_23()
    {
        var diagnostics = await AnalyzerHarness.AnalyzeAsync(Source("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }", network: "new NewVpc { Cidr = \"10.0.1.0/24\" }"));
        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal(("TPL0039", DiagnosticSeverity.Error), (diagnostic.Id, diagnostic.Severity));
        Assert.Equal("\"10.0.0.0/23\"", diagnostic.Properties[analyzers::Templates.Analyzers.DefinitionAnalyzer.ReplacementKey]);
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(Source("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }", network: "new NewVpc { Cidr = \"10.0.0.0/23\" }")));
    }

    [Fact]
    public async Task The_cpu_is_named_when_the_cpu_is_wrong()
    {
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(Source("new Env(\"dev\") { Tasks = new TaskCount(1, 2) }", service: "Cpu = 300, MemoryMiB = 512")));
        Assert.Equal("Cpu = 300", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }
}
