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
    // Whole words of the name, split on '_' and camelCase, not substrings (issue #10, item 8).
    [InlineData("DB_PASSWORD", "x", true)]
    [InlineData("API_TOKEN", "x", true)]
    [InlineData("SECRET_KEY", "x", true)]
    [InlineData("PASSWD", "x", true)]
    [InlineData("DB_PASS", "x", true)]
    [InlineData("AWS_SECRET_ACCESS_KEY", "x", true)]
    [InlineData("ACCESS_KEY", "x", true)]
    [InlineData("PRIVATE_KEY", "x", true)]
    [InlineData("GITHUB_TOKENS", "x", true)]
    [InlineData("SMTP_CREDENTIALS", "x", true)]
    [InlineData("dbPassword", "x", true)]
    [InlineData("apiKey", "x", true)]
    [InlineData("APIKey", "x", true)]
    [InlineData("APIKEY", "x", true)]
    [InlineData("BYPASS_CACHE", "true", false)]
    [InlineData("COMPASS_URL", "https://compass", false)]
    [InlineData("TOKENIZER_MODEL", "bert", false)]
    [InlineData("PASSPORT_SERVICE", "x", false)]
    [InlineData("SECRETARY_EMAIL", "x", false)]
    [InlineData("KEY_PREFIX", "x", false)]
    [InlineData("MONKEY_MODE", "x", false)]
    [InlineData("compassUrl", "x", false)]
    public void Secret_looking_plain_variables(string name, string value, bool flagged)
    {
        Assert.Equal(flagged, Checks.PlainEnvironmentVariable(name, value) is not null);
    }

    [Theory]
    [InlineData("DB_PASSWORD", new[] { "DB", "PASSWORD" })]
    [InlineData("dbPassword", new[] { "DB", "PASSWORD" })]
    [InlineData("APIKey", new[] { "API", "KEY" })]
    [InlineData("TOKENIZER_MODEL", new[] { "TOKENIZER", "MODEL" })]
    [InlineData("OAUTH2_TOKEN", new[] { "OAUTH", "2", "TOKEN" })]
    public void Variable_names_split_into_words(string name, string[] words) => Assert.Equal(words, Checks.NameWords(name));

    [Theory]
    [InlineData("10.0.0.0/16", null)]
    [InlineData("10.0.0.0/23", null)]
    [InlineData("10.0.0.0/24", "10.0.0.0/23")]
    [InlineData("10.0.1.0/24", "10.0.0.0/23")]
    [InlineData("10.0.0.0/25", null)] // TPL0018's, not this rule's
    [InlineData("10.0.0.0/8", null)]
    [InlineData("nonsense", null)]
    public void Load_balancer_subnets_need_a_23_or_larger_vpc(string cidr, string? suggested)
    {
        // AWS: each load balancer subnet needs at least a /27 and 8 free addresses; the generator carves prefix + 4.
        var v = Checks.LoadBalancerSubnetSize(cidr);
        Assert.Equal(suggested is not null, v is not null);
        if (v is null) return;
        Assert.Equal("TPL0039", v.Rule.Id);
        Assert.Contains("/28 subnets", v.Message);
        Assert.Contains(suggested!, v.Fix);
        Assert.Equal(27, Checks.SubnetPrefix(Checks.LargestPrefixForLoadBalancer));
    }

    [Theory]
    [InlineData(300, 512, "Cpu")]
    [InlineData(300, 999, "Cpu")]
    [InlineData(256, 4096, "MemoryMiB")]
    public void A_fargate_size_names_the_value_that_is_wrong(int cpu, int memory, string setting) =>
        Assert.Equal(setting, Checks.FargateCpuMemory(cpu, memory)!.Setting);

    [Theory]
    [InlineData(4, 2, 2, 3, "IntervalSeconds")]
    [InlineData(15, 1, 2, 3, "TimeoutSeconds")]
    [InlineData(5, 5, 2, 3, "IntervalSeconds")]
    [InlineData(15, 5, 1, 3, "HealthyThreshold")]
    [InlineData(15, 5, 2, 11, "UnhealthyThreshold")]
    public void Health_check_timing_names_the_value_that_is_wrong(int interval, int timeout, int healthy, int unhealthy, string setting) =>
        Assert.Equal(setting, Checks.HealthCheckTiming(interval, timeout, healthy, unhealthy)!.Setting);

    [Theory]
    [InlineData(-1, 200, "MinimumHealthyPercent")]
    [InlineData(100, 300, "MaximumPercent")]
    [InlineData(50, 200, "MinimumHealthyPercent")]
    [InlineData(100, 100, "MaximumPercent")]
    public void Rolling_deployment_names_the_value_that_is_wrong(int min, int max, string setting) =>
        Assert.Equal(setting, Checks.RollingDeployment(min, max)!.Setting);

    [Theory]
    [InlineData(-1, 30, "HealthCheckGracePeriodSeconds")]
    [InlineData(60, 4000, "DeregistrationDelaySeconds")]
    public void Deployment_timing_names_the_value_that_is_wrong(int grace, int delay, string setting) =>
        Assert.Equal(setting, Checks.DeploymentTiming(grace, delay)!.Setting);

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
