using Templates.Rules;

namespace Templates.Tests;

/// <summary>The rules as pure functions: the same code the analyzers run on constants.</summary>
public class ChecksTests
{
    [Theory]
    [InlineData(256, 512, true)]
    [InlineData(256, 2048, true)]
    [InlineData(256, 4096, false)]
    [InlineData(512, 4096, true)]
    [InlineData(512, 512, false)]
    [InlineData(1024, 8192, true)]
    [InlineData(4096, 30720, true)]
    [InlineData(4096, 31744, false)]
    [InlineData(8192, 20480, true)]
    [InlineData(8192, 18432, false)]
    [InlineData(16384, 122880, true)]
    [InlineData(300, 512, false)]
    public void Fargate_cpu_memory_table(int cpu, int memory, bool valid)
    {
        Assert.Equal(valid, Checks.FargateCpuMemory(cpu, memory) is null);
    }

    [Theory]
    [InlineData(256, 4096, 2048)]
    [InlineData(512, 600, 1024)]
    [InlineData(2048, 5000, 5120)]
    [InlineData(1024, 2560, 2048)]
    public void Nearest_fargate_memory(int cpu, int memory, int nearest)
    {
        Assert.Equal(nearest, Checks.NearestFargateMemory(cpu, memory));
    }

    [Theory]
    [InlineData("200", true)]
    [InlineData("200,204", true)]
    [InlineData("200-299", true)]
    [InlineData("200-499", true)]
    [InlineData("299-200", false)]
    [InlineData("2xx", false)]
    [InlineData("200-", false)]
    [InlineData("500", false)]
    [InlineData("", false)]
    public void Health_check_codes(string codes, bool valid)
    {
        Assert.Equal(valid, Checks.HealthCheckCodes(codes) is null);
    }

    [Theory]
    [InlineData("/", true)]
    [InlineData("/health-check?full=1", true)]
    [InlineData("health", false)]
    [InlineData("/with space", false)]
    public void Health_check_path(string path, bool valid)
    {
        Assert.Equal(valid, Checks.HealthCheckPath(path) is null);
        if (path == "health") Assert.Equal("Write it as '/health'.", Checks.HealthCheckPath(path)!.Fix);
    }

    [Theory]
    [InlineData(30, 5, true)]
    [InlineData(5, 5, false)]
    [InlineData(4, 2, false)]
    [InlineData(30, 121, false)]
    public void Health_check_interval_must_exceed_timeout_and_stay_in_range(int interval, int timeout, bool valid)
    {
        Assert.Equal(valid, Checks.HealthCheckTiming(interval, timeout, 2, 2) is null);
    }

    [Theory]
    [InlineData("10.0.0.0/16", true)]
    [InlineData("192.168.0.0/24", true)]
    [InlineData("10.0.0.1/16", false)]
    [InlineData("10.0.0.0/25", false)]
    [InlineData("10.0.0.0/8", false)]
    [InlineData("10.0.0/16", false)]
    [InlineData("300.0.0.0/16", false)]
    public void Vpc_cidr(string cidr, bool valid)
    {
        Assert.Equal(valid, Checks.VpcCidr(cidr) is null);
    }

    [Theory]
    [InlineData("ELBSecurityPolicy-TLS13-1-2-2021-06", true)]
    [InlineData("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09", true)]
    [InlineData("ELBSecurityPolicy-TLS-1-2-Ext-2018-06", true)]
    [InlineData("ELBSecurityPolicy-2016-08", false)]
    [InlineData("ELBSecurityPolicy-TLS13-1-0-2021-06", false)]
    public void Tls_policy_allow_list(string policy, bool valid)
    {
        Assert.Equal(valid, Checks.TlsPolicy(policy) is null);
    }

    [Theory]
    [InlineData("flask-app", true)]
    [InlineData("team/flask_app", true)]
    [InlineData("Flask-App", false)]
    [InlineData("a", false)]
    [InlineData("app-", false)]
    public void Ecr_repository_name(string name, bool valid)
    {
        Assert.Equal(valid, Checks.EcrRepositoryName(name) is null);
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(3653, true)]
    [InlineData(45, false)]
    [InlineData(0, false)]
    public void Log_retention(int days, bool valid)
    {
        Assert.Equal(valid, Checks.LogRetention(days) is null);
    }

    [Fact]
    public void Certificate_kinds_point_at_each_other()
    {
        Assert.Contains("IamServerCertificate", Checks.AcmCertificateArn("arn:aws:iam::123456789012:server-certificate/CSC")!.Fix);
        Assert.Contains("AcmCertificate", Checks.IamCertificateArn("arn:aws:acm:us-east-1:123456789012:certificate/abc")!.Fix);
    }

    [Theory]
    [InlineData("DATABASE_URL", "postgres://db", false)]
    [InlineData("API_KEY", "x", true)]
    [InlineData("anything", "AKIAABCDEFGHIJKLMNOP", true)]
    [InlineData("FLASK_ENV", "production", false)]
    public void Secret_looking_plain_variables(string name, string value, bool flagged)
    {
        Assert.Equal(flagged, Checks.PlainEnvironmentVariable(name, value) is not null);
    }

    [Fact]
    public void Every_rule_has_a_unique_id_in_order()
    {
        var ids = RuleCatalog.All.Select(r => r.Id).ToList();
        Assert.Equal(ids.Distinct(), ids);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        var declared = typeof(RuleCatalog).GetFields().Where(f => f.FieldType == typeof(Rule)).Select(f => ((Rule)f.GetValue(null)!).Id).ToList();
        Assert.Equal(declared.Order(StringComparer.Ordinal), ids);
        Assert.All(typeof(RuleCatalog).GetFields().Where(f => f.FieldType == typeof(Rule)), f => Assert.StartsWith(((Rule)f.GetValue(null)!).Id + "_", f.Name));
    }
}
