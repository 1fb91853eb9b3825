using Microsoft.CodeAnalysis;

namespace Templates.Analyzers.Tests;

/// <summary>
/// The protection rules at compile time: TPL0066 (access-log expiry, flow-log retention), TPL0067 (rate limit), TPL0068
/// (allowed CIDRs) on constants, and TPL0069 on a production environment the analyzer sees without a web ACL or ranges.
/// </summary>
public class ProtectionAnalyzerTests
{
    static string App(string environments, string app = "", string loadBalancer = "") => $$"""
        using Templates;
        public static class Definition
        {
            public static App Value => new("shop")
            {
                Network = new NewVpc(),
                Service = new FargateService { Image = ContainerImage.FromEcr("shop"), Port = 8080 },
                LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c"){{loadBalancer}} },
                {{app}}
                Environments = { {{environments}} },
            };
        }
        """;

    static string Dev(string extra = "") => $"new Env(\"dev\") {{ Tasks = new TaskCount(1, 2){extra} }},";
    static string Prod(string extra = "") => $"new Env(\"prod\") {{ Tasks = new TaskCount(2, 4), Service = new ServiceOverrides {{ ImageTag = \"v1\" }}{extra} }},";

    static async Task<Diagnostic> Single(string source, string id)
    {
        var d = Assert.Single(await AnalyzerHarness.AnalyzeAsync(source));
        Assert.Equal(id, d.Id);
        return d;
    }

    [Theory]
    [InlineData(", AccessLogs = new AccessLogs { ExpirationDays = 0 }", "", "")]
    [InlineData("", "", ", AccessLogs = new AccessLogs { ExpirationDays = -1 }")]
    [InlineData("", "Network = new NewVpc { FlowLogs = new FlowLogs { RetentionDays = 100 } },", "")]
    public async Task A_constant_expiry_or_retention_out_of_range_is_TPL0066(string env, string app, string loadBalancer)
    {
        var source = App(Dev(env), app, loadBalancer);
        if (app.Length > 0) source = source.Replace("Network = new NewVpc(),", "");
        var d = await Single(source, "TPL0066");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    [Fact]
    public async Task Settings_of_logs_turned_off_and_values_not_known_raise_nothing()
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev(", AccessLogs = new AccessLogs { Enabled = false, ExpirationDays = 0 }"))));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev(", AccessLogs = new AccessLogs { ExpirationDays = int.Parse(System.Environment.GetEnvironmentVariable(\"D\") ?? \"0\") }"))));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev(", AccessLogs = new AccessLogs { ExpirationDays = 7 }"))));
    }

    [Theory]
    [InlineData("RateLimitRequests = 9")]
    [InlineData("RateLimitRequests = 2000000001")]
    [InlineData("RateLimitWindowSeconds = 30")]
    public async Task A_constant_rate_limit_waf_refuses_is_TPL0067(string setting)
    {
        await Single(App(Dev($", WebAcl = new WebAcl {{ {setting} }}")), "TPL0067");
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev(", WebAcl = new WebAcl { RateLimitRequests = 10, RateLimitWindowSeconds = 600 }"))));
    }

    [Theory]
    [InlineData("\"203.0.113.5/24\"")]
    [InlineData("\"10.0.0.0/8\", \"10.1.0.0/16\"")]
    [InlineData("\"0.0.0.0/0\"")]
    [InlineData("\"2001:db8::/32\"")]
    public async Task Constant_allowed_cidrs_that_are_malformed_or_overlap_are_TPL0068(string cidrs)
    {
        var d = await Single(App(Dev($", AllowedCidrs = [{cidrs}]")), "TPL0068");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    [Fact]
    public async Task Allowed_cidrs_that_are_valid_or_not_constant_raise_nothing()
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev(", AllowedCidrs = [\"203.0.113.0/24\", \"198.51.100.7/32\"]"))));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev(", AllowedCidrs = [System.Environment.GetEnvironmentVariable(\"OFFICE\") ?? \"x\"]"))));
    }

    [Fact]
    public async Task Production_without_a_web_acl_or_ranges_is_a_TPL0069_warning()
    {
        var d = await Single(App(Prod()), "TPL0069");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        await Single(App(Prod(", WebAcl = null")), "TPL0069");
        await Single(App(Prod(", AllowedCidrs = []")), "TPL0069");
    }

    [Fact]
    public async Task A_web_acl_ranges_dev_or_an_acceptance_silence_TPL0069()
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Prod(", WebAcl = new WebAcl { Action = WafAction.Count }"))));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Prod(", AllowedCidrs = [\"203.0.113.0/24\"]"))));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Dev())));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Prod(", Accept = { new Accepted(\"TPL0069\", \"A firewall appliance filters in front.\") }"))));
        // A web ACL the analyzer cannot see (from elsewhere) raises nothing.
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(Prod(", WebAcl = System.Environment.GetEnvironmentVariable(\"WAF\") is null ? null : new WebAcl()"))));
    }
}
