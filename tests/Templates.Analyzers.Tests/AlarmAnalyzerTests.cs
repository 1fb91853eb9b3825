using Microsoft.CodeAnalysis;

namespace Templates.Analyzers.Tests;

/// <summary>The alarm rules at compile time: TPL0060 on a constant threshold, TPL0061 on a constant alert address, TPL0062 in production only.</summary>
public class AlarmAnalyzerTests
{
    static string App(string environments, string alarms = "") => $$"""
        using Templates;
        public static class Definition
        {
            public static App Value => new("shop")
            {
                Network = new NewVpc(),
                Service = new FargateService { Image = ContainerImage.FromEcr("shop"), Port = 8080 },
                LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c") },
                {{alarms}}
                Environments = { {{environments}} },
            };
        }
        """;

    const string Dev = "new Env(\"dev\") { Tasks = new TaskCount(1, 2) },";
    const string Prod = "new Env(\"prod\") { WebAcl = new WebAcl(), Tasks = new TaskCount(2, 4), Service = new ServiceOverrides { ImageTag = \"v1\" } },";

    [Theory]
    [InlineData("LoadBalancer5xxPercent", "0")]
    [InlineData("Target5xxPercent", "101")]
    [InlineData("CpuPercent", "0")]
    [InlineData("MemoryPercent", "200")]
    [InlineData("MinimumRequestsPerMinute", "0")]
    [InlineData("ResponseTimeP99Milliseconds", "-5")]
    [InlineData("UnhealthyTasks", "0")]
    public async Task A_constant_threshold_out_of_range_is_TPL0060_on_that_setting(string setting, string value)
    {
        var diagnostics = await AnalyzerHarness.AnalyzeAsync(App(Dev, $"Alarms = new Alarms {{ {setting} = {value} }},"));
        var d = Assert.Single(diagnostics);
        Assert.Equal(("TPL0060", DiagnosticSeverity.Error), (d.Id, d.Severity));
        Assert.Contains($"{setting} is {value}", d.GetMessage());
        // The run-time twin names the same rule.
        Assert.Equal("TPL0060", d.Id);
    }

    [Fact]
    public async Task Thresholds_in_range_and_values_not_known_at_compile_time_raise_nothing()
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev, "Alarms = new Alarms { Target5xxPercent = 1, CpuPercent = 100, ResponseTimeP99Milliseconds = 1, UnhealthyTasks = 3 },")));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev, "Alarms = new Alarms { CpuPercent = int.Parse(System.Environment.GetEnvironmentVariable(\"CPU\") ?? \"0\") },")));
    }

    [Fact]
    public async Task A_bad_threshold_of_the_app_that_every_environment_overrides_raises_nothing()
    {
        var overridden = App("new Env(\"dev\") { Tasks = new TaskCount(1, 2), Alarms = new Alarms() },", "Alarms = new Alarms { CpuPercent = 0 },");
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(overridden));
    }

    [Fact]
    public async Task A_malformed_constant_alert_address_is_TPL0061()
    {
        var d = Assert.Single(await AnalyzerHarness.AnalyzeAsync(App(Dev, "Alarms = new Alarms { Alerts = new EmailAlerts(\"ops at example\") },")));
        Assert.Equal("TPL0061", d.Id);
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev, "Alarms = new Alarms { Alerts = new EmailAlerts(\"ops@example.com\") },")));
    }

    [Fact]
    public async Task Rollback_on_alarm_turned_off_is_TPL0062_in_production_only()
    {
        const string off = "Alarms = new Alarms { RollbackOnAlarm = false },";
        var prod = Assert.Single(await AnalyzerHarness.AnalyzeAsync(App(Prod, off)));
        Assert.Equal(("TPL0062", DiagnosticSeverity.Warning), (prod.Id, prod.Severity));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev, off)));
        // On the environment itself.
        var inProd = Assert.Single(await AnalyzerHarness.AnalyzeAsync(App("new Env(\"prod\") { WebAcl = new WebAcl(), Tasks = new TaskCount(2, 4), Service = new ServiceOverrides { ImageTag = \"v1\" }, Alarms = new Alarms { RollbackOnAlarm = false } },")));
        Assert.Equal("TPL0062", inProd.Id);
    }

    static string Service(string environments, string service) => $$"""
        using Templates;
        public static class Definition
        {
            public static App Value => new("shop")
            {
                Network = new NewVpc(),
                Service = new FargateService { Image = ContainerImage.FromEcr("shop"), Port = 8080, {{service}} },
                LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c") },
                Environments = { {{environments}} },
            };
        }
        """;

    [Fact]
    public async Task Root_or_a_writable_root_is_TPL0063_in_production_only()
    {
        Assert.Equal([("TPL0063", DiagnosticSeverity.Warning)], (await AnalyzerHarness.AnalyzeAsync(Service(Prod, "User = \"root\","))).Select(d => (d.Id, d.Severity)));
        Assert.Equal(["TPL0063"], (await AnalyzerHarness.AnalyzeAsync(Service(Prod, "User = \"10001\", ReadOnlyRootFilesystem = false,"))).Select(d => d.Id));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(Service(Dev, "User = \"root\", ReadOnlyRootFilesystem = false,")));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(Service(Prod, "User = \"10001\",")));
        // The image's own user is not judged.
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(Service(Prod, "")));
    }

    [Theory]
    [InlineData("User = \"app user\",")]
    [InlineData("WritablePaths = [\"tmp\"],")]
    [InlineData("WritablePaths = [\"/tmp\", \"/tmp\"],")]
    public async Task A_constant_malformed_user_or_path_is_TPL0064(string setting)
    {
        Assert.Equal(["TPL0064"], (await AnalyzerHarness.AnalyzeAsync(Service(Dev, setting))).Select(d => d.Id));
    }
}
