using Templates.Rules;

namespace Templates.Tests;

/// <summary>Bad definitions get a finding that names the environment, the setting and the fix.</summary>
public class ValidationTests
{
    [Fact]
    public void The_guide_has_no_findings()
    {
        Assert.Empty(Fixtures.Findings(Fixtures.Guide));
    }

    [Fact]
    public void An_invalid_fargate_size_in_one_environment_names_that_environment_and_its_override()
    {
        var app = Fixtures.Minimal(
            new Env("dev") { Tasks = new TaskCount(1, 2) },
            new Env("prod") { Tasks = new TaskCount(2, 4), Service = new ServiceOverrides { MemoryMiB = 4096, ImageTag = "v1" }, WebAcl = new WebAcl() });
        var finding = Assert.Single(Fixtures.Findings(app));
        Assert.Equal("TPL0003", finding.Rule.Id);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(["prod"], finding.Environments);
        Assert.Equal("Environments[prod].Service.MemoryMiB", finding.Setting);
        Assert.Contains("256 CPU units with 4096 MiB", finding.Message);
        Assert.Contains("512, 1024, 2048", finding.Fix);
        Assert.Contains("set Cpu to 512 or 1024", finding.Fix);
        Assert.StartsWith("error TPL0003: shop [prod] Environments[prod].Service.MemoryMiB:", finding.ToString());
    }

    [Fact]
    public void A_mistake_at_app_level_is_reported_once_for_all_environments()
    {
        var app = Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2) }, new Env("qa") { Tasks = new TaskCount(1, 2) }) with
        {
            Network = new NewVpc { AvailabilityZones = 1 },
        };
        var finding = Assert.Single(Fixtures.Findings(app));
        Assert.Equal("TPL0002", finding.Rule.Id);
        Assert.Equal(["dev", "qa"], finding.Environments);
        Assert.Equal("Network.AvailabilityZones", finding.Setting);
        Assert.Equal("Set AvailabilityZones to 2 or more.", finding.Fix);
    }

    [Theory]
    [InlineData(3, 2, "Min")]
    [InlineData(-1, 2, "Min")]
    [InlineData(0, 0, "Max")]
    public void Task_bounds_that_cannot_hold_are_errors_naming_the_wrong_bound(int min, int max, string bound)
    {
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(min, max) })));
        Assert.Equal("TPL0005", finding.Rule.Id);
        Assert.Equal($"Environments[dev].Tasks.{bound}", finding.Setting);
    }

    [Fact]
    public void Production_with_one_task_is_an_error_there_and_not_elsewhere()
    {
        var prod = Assert.Single(Fixtures.Findings(Fixtures.Minimal(new Env("prod") { Tasks = new TaskCount(1, 3), Service = new() { ImageTag = "v1" }, WebAcl = new WebAcl() })));
        Assert.Equal(("TPL0006", Severity.Error), (prod.Rule.Id, prod.Severity));
        Assert.Empty(Fixtures.Findings(Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 3) })));
        var flagged = Assert.Single(Fixtures.Findings(Fixtures.Minimal(new Env("live") { Tasks = new TaskCount(1, 3), IsProduction = true, Service = new() { ImageTag = "v1" }, WebAcl = new WebAcl() })));
        Assert.Equal("TPL0006", flagged.Rule.Id);
    }

    [Fact]
    public void An_iam_certificate_warns_in_dev_and_is_an_error_in_prod_unless_accepted()
    {
        var iam = new IamServerCertificate("arn:aws:iam::123456789012:server-certificate/self-signed");
        var app = Fixtures.Minimal(
            new Env("dev") { Tasks = new TaskCount(1, 2), Certificate = iam },
            new Env("prod") { Tasks = new TaskCount(2, 4), Certificate = iam, Service = new() { ImageTag = "v1" }, WebAcl = new WebAcl() });
        var findings = Fixtures.Findings(app);
        Assert.Equal([("TPL0015", Severity.Warning, "dev"), ("TPL0015", Severity.Error, "prod")],
            findings.Select(f => (f.Rule.Id, f.Severity, f.Environments.Single())));
        var accepted = app with { Environments = [app.Environments[0] with { Accept = [new Accepted("TPL0015", "self-signed is fine in dev")] }, app.Environments[1]] };
        Assert.Equal(["prod"], Fixtures.Findings(accepted).Select(f => f.Environments.Single()));
    }

    [Fact]
    public void Duplicate_and_malformed_environment_names_are_errors()
    {
        var findings = Fixtures.Findings(Fixtures.Minimal(new Env("dev") { Tasks = new(1, 2) }, new Env("Dev") { Tasks = new(1, 2) }));
        Assert.Contains(findings, f => f.Rule.Id == "TPL0001" && f.Message.Contains("Two environments are named 'Dev'"));
        Assert.Contains(findings, f => f.Rule.Id == "TPL0001" && f.Message.Contains("'Dev' cannot name"));
    }

    [Fact]
    public void An_app_without_environments_is_an_error()
    {
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal() with { Environments = [] }));
        Assert.Equal("Environments", finding.Setting);
    }

    [Fact]
    public void A_certificate_from_another_region_is_an_error()
    {
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal(new Env("dev") { Tasks = new(1, 2), Region = "us-east-1" })));
        Assert.Equal("TPL0014", finding.Rule.Id);
        Assert.Contains("eu-west-1", finding.Message);
        Assert.Equal("LoadBalancer.Certificate", finding.Setting);
    }

    [Fact]
    public void Several_problems_are_all_reported_in_declaration_order()
    {
        var app = Fixtures.Minimal() with
        {
            Service = new FargateService
            {
                Image = ContainerImage.FromEcr("Shop"),
                Port = 70000,
                Cpu = 1024,
                MemoryMiB = 1024,
                LogRetentionDays = 45,
                EnvironmentVariables = { ["DB_PASSWORD"] = "hunter2" },
                HealthCheck = new HealthCheck { Path = "health", IntervalSeconds = 5, TimeoutSeconds = 5, SuccessCodes = "2xx" },
            },
            LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:iam::123456789012:server-certificate/x"), TlsPolicy = "ELBSecurityPolicy-2016-08" },
        };
        Assert.Equal(["TPL0017", "TPL0003", "TPL0008", "TPL0012", "TPL0020", "TPL0009", "TPL0010", "TPL0011", "TPL0013", "TPL0016"],
            Fixtures.Findings(app).Select(f => f.Rule.Id));
    }

    [Fact]
    public void Values_from_variables_are_checked_at_run_time()
    {
        var memory = int.Parse("3000", System.Globalization.CultureInfo.InvariantCulture);
        var finding = Assert.Single(Fixtures.Findings(Fixtures.Minimal() with { Service = Fixtures.Minimal().Service with { MemoryMiB = memory } }));
        Assert.Equal("TPL0003", finding.Rule.Id);
        Assert.Contains("nearest: 2048", finding.Fix);
    }

    [Fact]
    public void Existing_vpc_ids_are_checked()
    {
        var app = Fixtures.Minimal() with { Network = new ExistingVpc { VpcId = "vpc-123", PublicSubnetIds = ["subnet-0123456789abcdef0"] } };
        Assert.Equal(["TPL0019", "TPL0019"], Fixtures.Findings(app).Select(f => f.Rule.Id));
    }

    [Fact]
    public void An_image_tag_the_stack_parameter_would_reject_is_an_error_before_deploying()
    {
        var app = Fixtures.Minimal(new Env("dev") { Tasks = new(1, 2), Service = new ServiceOverrides { ImageTag = "1.0 beta" } });
        var finding = Assert.Single(Fixtures.Findings(app));
        Assert.Equal(("TPL0036", "Environments[dev].Service.ImageTag"), (finding.Rule.Id, finding.Setting));
        var appWide = Fixtures.Minimal() with { Service = Fixtures.Minimal().Service with { Image = ContainerImage.FromEcr("shop", "v1/2") } };
        Assert.Equal(("TPL0036", "Service.Image"), Assert.Single(Fixtures.Findings(appWide)) is var f ? (f.Rule.Id, f.Setting) : default);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4001)]
    public void An_idle_timeout_out_of_range_is_an_error(int seconds)
    {
        var app = Fixtures.Minimal() with { LoadBalancer = Fixtures.Minimal().LoadBalancer with { IdleTimeoutSeconds = seconds } };
        Assert.Equal(("TPL0037", "LoadBalancer.IdleTimeoutSeconds"), Assert.Single(Fixtures.Findings(app)) is var f ? (f.Rule.Id, f.Setting) : default);
    }

    [Fact]
    public void Blue_green_rejects_request_count_tracking_and_plain_http_forwarding_in_that_environment_only()
    {
        var app = Fixtures.Minimal(
            new Env("dev") { Tasks = new(1, 2) },
            new Env("qa") { Tasks = new(1, 2), Deployment = new BlueGreenDeployment { BakeTimeMinutes = 10 } }) with
        {
            Scaling = new Scaling { RequestsPerTarget = 500 },
            LoadBalancer = Fixtures.Minimal().LoadBalancer with { Http = HttpPort.Forward },
        };
        var findings = Fixtures.Findings(app).Where(f => f.Rule.Id == "TPL0038").ToList();
        Assert.Equal(["LoadBalancer.Http", "Scaling.RequestsPerTarget"], findings.Select(f => f.Setting));
        Assert.All(findings, f => Assert.Equal(["qa"], f.Environments));
    }
}
