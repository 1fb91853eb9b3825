using Templates.Generation;
using Templates.Generation.Model;
using Templates.Rules;

namespace Templates.Tests;

/// <summary>Issue #10: production-ness whatever syntax names the environment, findings naming the wrong value, small VPCs.</summary>
public class MisuseTests
{
    static readonly Env Dev = new("dev") { Tasks = new TaskCount(1, 2), Pipeline = new Pipeline { Branch = "main" } };

    static App WithSource(params Env[] environments) => Fixtures.Minimal(environments) with { Source = new GitHubSource { Repository = "example-org/shop" } };

    public static TheoryData<string, Env> ProductionByName => new()
    {
        { "constructor", new Env("prod") { Tasks = new TaskCount(2, 4) } },
        { "initializer", new Env("staging") { Name = "production", Tasks = new TaskCount(2, 4) } },
        { "with", Dev with { Name = "prod", Tasks = new TaskCount(2, 4) } },
    };

    [Theory]
    [MemberData(nameof(ProductionByName))]
    public void An_environment_named_prod_is_production_whatever_syntax_named_it(string how, Env env)
    {
        Assert.True(env.IsProduction, how);
        Assert.True(Checks.IsProduction(env.Name, null));
        // Production's defaults in the emitted template: deletion protection, logs retained, manual approval.
        var app = WithSource(env with { Service = new ServiceOverrides { ImageTag = "v1" }, Pipeline = new Pipeline { Branch = "main" } });
        var view = Fixtures.View(app, env.Name);
        var attributes = view.Properties("LoadBalancer")["LoadBalancerAttributes"]!.AsArray();
        Assert.Contains(attributes, a => (string?)a!["Key"] == "deletion_protection.enabled" && (string?)a["Value"]!["Ref"] == "DeletionProtection");
        Assert.Equal("Retain", (string?)view.Resource("LogGroup")["DeletionPolicy"]);
        Assert.True(EnvironmentModel.Resolve(app, app.Environments[0]).ManualApproval);
    }

    [Fact]
    public void Production_checks_follow_a_name_set_after_construction()
    {
        var findings = Fixtures.Findings(Fixtures.Minimal(Dev with { Name = "prod" }));
        var few = Assert.Single(findings, f => f.Rule.Id == "TPL0006");
        Assert.Equal(Severity.Error, few.Severity);
        Assert.Contains(findings, f => f.Rule.Id == "TPL0022"); // 'latest' in production
    }

    [Fact]
    public void Renaming_a_production_environment_away_from_prod_drops_production()
    {
        var prod = new Env("prod") { Tasks = new TaskCount(1, 2) };
        Assert.False((prod with { Name = "qa" }).IsProduction);
        Assert.Empty(Fixtures.Findings(Fixtures.Minimal(prod with { Name = "qa" })));
    }

    [Fact]
    public void An_explicit_choice_survives_renaming()
    {
        var live = new Env("live") { IsProduction = true, Tasks = new TaskCount(2, 4) };
        Assert.True((live with { Name = "eu" }).IsProduction);
        var notProd = new Env("prod") { IsProduction = false, Tasks = new TaskCount(1, 2) };
        Assert.False(notProd.IsProduction);
        Assert.False((notProd with { Name = "production" }).IsProduction);
        Assert.True((notProd with { IsProduction = true }).IsProduction);
    }

    [Theory]
    [InlineData(300, null, null, null, "Service.Cpu")]                       // invalid CPU, valid memory: the CPU is wrong
    [InlineData(256, 4096, null, null, "Service.MemoryMiB")]
    [InlineData(256, 512, 300, null, "Environments[dev].Service.Cpu")]
    [InlineData(256, 512, 1024, null, "Service.MemoryMiB")]                  // the app's memory does not fit the override's CPU
    [InlineData(256, 512, null, 8192, "Environments[dev].Service.MemoryMiB")]
    [InlineData(300, 512, null, 1024, "Service.Cpu")]
    public void A_fargate_size_finding_names_the_value_that_is_wrong(int cpu, int? memory, int? overrideCpu, int? overrideMemory, string setting)
    {
        var app = Fixtures.Minimal(new Env("dev")
        {
            Tasks = new TaskCount(1, 2),
            Service = overrideCpu is null && overrideMemory is null ? null : new ServiceOverrides { Cpu = overrideCpu, MemoryMiB = overrideMemory },
        });
        app = app with { Service = app.Service with { Cpu = cpu, MemoryMiB = memory ?? 512 } };
        var finding = Assert.Single(Fixtures.Findings(app));
        Assert.Equal(("TPL0003", setting), (finding.Rule.Id, finding.Setting));
    }

    [Fact]
    public void Multi_value_findings_name_the_value_that_is_wrong()
    {
        var app = Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), Deployment = new RollingDeployment { MaximumPercent = 100 } });
        app = app with { Service = app.Service with { HealthCheck = new HealthCheck { TimeoutSeconds = 1 } } };
        Assert.Equal(
            [("TPL0010", "Service.HealthCheck.TimeoutSeconds"), ("TPL0021", "Environments[dev].Deployment.MaximumPercent")],
            Fixtures.Findings(app).Select(f => (f.Rule.Id, f.Setting)));
        var grace = Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), Deployment = new RollingDeployment { DeregistrationDelaySeconds = 4000 } });
        Assert.Equal([("TPL0025", "Environments[dev].Deployment.DeregistrationDelaySeconds")], Fixtures.Findings(grace).Select(f => (f.Rule.Id, f.Setting)));
    }

    [Fact]
    public void A_24_vpc_is_refused_at_emit_time_because_its_load_balancer_subnets_would_be_28()
    {
        var app = Fixtures.Minimal() with { Network = new NewVpc { Cidr = "10.0.0.0/24" } };
        var finding = Assert.Single(Fixtures.Findings(app));
        Assert.Equal(("TPL0039", Severity.Error, "Network.Cidr"), (finding.Rule.Id, finding.Severity, finding.Setting));
        Assert.True(Emitter.Generate([app]).HasErrors);
        // The largest prefix the rule lets through gives /27 subnets, the documented minimum.
        var view = Fixtures.View(app with { Network = new NewVpc { Cidr = "10.0.0.0/23" } }, "dev");
        Assert.All(view.OfType("AWS::EC2::Subnet"), id => Assert.EndsWith("/27", (string?)view.Properties(id)["CidrBlock"]));
    }

    [Fact]
    public void An_app_without_environments_is_refused()
    {
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal() with { Environments = [] }));
        Assert.Equal(("TPL0001", "Environments"), (finding.Rule.Id, finding.Setting));
    }
}
