extern alias analyzers;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using DefinitionAnalyzer = analyzers::Templates.Analyzers.DefinitionAnalyzer;
using ReplaceValueCodeFix = analyzers::Templates.CodeFixes.ReplaceValueCodeFix;

namespace Templates.Analyzers.Tests;

/// <summary>Each fix, through Microsoft.CodeAnalysis.CSharp.CodeFix.Testing: the diagnostic where the markup says, and the fixed source.</summary>
public class CodeFixTests
{
    // The DSL targets net10.0, so the test compilation uses the .NET 10 reference assemblies (restored from NuGet once).
    static readonly ReferenceAssemblies Net10 = new("net10.0", new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.10"), Path.Combine("ref", "net10.0"));

    static async Task VerifyFix(string source, string fixedSource)
    {
        var test = new CSharpCodeFixTest<DefinitionAnalyzer, ReplaceValueCodeFix, DefaultVerifier>
        {
            TestCode = Wrap(source),
            FixedCode = Wrap(fixedSource),
            ReferenceAssemblies = Net10,
        };
        test.TestState.AdditionalReferences.Add(typeof(App).Assembly);
        await test.RunAsync();
    }

    static string Wrap(string member) => $$"""
        using Templates;

        public static class Definition
        {
            {{member}}
        }
        """;

    const string Cert = "\"arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c\"";

    [Fact]
    public Task Restores_the_default_alarm_threshold() => VerifyFix(
        "public static Alarms A => new() { {|TPL0060:Target5xxPercent = 0|} };",
        "public static Alarms A => new() { Target5xxPercent = 5 };");

    [Fact]
    public Task Turns_rollback_on_alarm_back_on_in_production() => VerifyFix(
        $"public static App A => new(\"shop\") {{ Network = new NewVpc(), Service = new FargateService {{ Image = ContainerImage.FromEcr(\"shop\"), Port = 80 }}, LoadBalancer = new LoadBalancer {{ Certificate = new AcmCertificate({Cert}) }}, Environments = {{ new Env(\"prod\") {{ WebAcl = new WebAcl(), Tasks = new TaskCount(2, 4), Service = new ServiceOverrides {{ ImageTag = \"v1\" }}, Alarms = new Alarms {{ {{|TPL0062:RollbackOnAlarm = false|}} }} }} }} }};",
        $"public static App A => new(\"shop\") {{ Network = new NewVpc(), Service = new FargateService {{ Image = ContainerImage.FromEcr(\"shop\"), Port = 80 }}, LoadBalancer = new LoadBalancer {{ Certificate = new AcmCertificate({Cert}) }}, Environments = {{ new Env(\"prod\") {{ WebAcl = new WebAcl(), Tasks = new TaskCount(2, 4), Service = new ServiceOverrides {{ ImageTag = \"v1\" }}, Alarms = new Alarms {{ RollbackOnAlarm = true }} }} }} }};");

    [Fact]
    public Task Adds_the_second_availability_zone() => VerifyFix(
        "public static NewVpc Network => new() { {|TPL0002:AvailabilityZones = 1|} };",
        "public static NewVpc Network => new() { AvailabilityZones = 2 };");

    [Fact]
    public Task Picks_the_nearest_valid_memory_for_the_cpu() => VerifyFix(
        "public static FargateService S => new() { Image = ContainerImage.FromEcr(\"app\"), Port = 80, Cpu = 256, {|TPL0003:MemoryMiB = 4096|} };",
        "public static FargateService S => new() { Image = ContainerImage.FromEcr(\"app\"), Port = 80, Cpu = 256, MemoryMiB = 2048 };");

    [Fact]
    public Task Clamps_ephemeral_storage() => VerifyFix(
        "public static FargateService S => new() { Image = ContainerImage.FromEcr(\"app\"), Port = 80, {|TPL0004:EphemeralStorageGiB = 500|} };",
        "public static FargateService S => new() { Image = ContainerImage.FromEcr(\"app\"), Port = 80, EphemeralStorageGiB = 200 };");

    [Fact]
    public Task Lowers_the_minimum_to_the_maximum() => VerifyFix(
        "public static TaskCount T => new TaskCount({|TPL0005:5|}, 2);",
        "public static TaskCount T => new TaskCount(2, 2);");

    [Fact]
    public Task Widens_a_vpc_too_small_for_load_balancer_subnets_to_a_23() => VerifyFix(
        "public static NewVpc N => new() { {|TPL0039:Cidr = \"10.0.1.0/24\"|} };",
        "public static NewVpc N => new() { Cidr = \"10.0.0.0/23\" };");

    [Fact]
    public Task Raises_the_production_minimum_to_two() => VerifyFix(
        $$"""public static Env E => new("prod") { WebAcl = new WebAcl(), Tasks = new TaskCount({|TPL0006:Min: 1|}, Max: 4), Service = new ServiceOverrides { ImageTag = "1.0" } };""",
        $$"""public static Env E => new("prod") { WebAcl = new WebAcl(), Tasks = new TaskCount(Min: 2, Max: 4), Service = new ServiceOverrides { ImageTag = "1.0" } };""");

    [Fact]
    public Task Prefixes_the_health_check_path_with_a_slash() => VerifyFix(
        "public static HealthCheck H => new() { {|TPL0009:Path = \"health\"|} };",
        "public static HealthCheck H => new() { Path = \"/health\" };");

    [Fact]
    public Task Lengthens_the_health_check_interval() => VerifyFix(
        "public static HealthCheck H => new() { {|TPL0010:IntervalSeconds = 5|}, TimeoutSeconds = 5 };",
        "public static HealthCheck H => new() { IntervalSeconds = 10, TimeoutSeconds = 5 };");

    [Fact]
    public Task Picks_the_nearest_log_retention() => VerifyFix(
        "public static FargateService S => new() { Image = ContainerImage.FromEcr(\"app\"), Port = 80, {|TPL0012:LogRetentionDays = 45|} };",
        "public static FargateService S => new() { Image = ContainerImage.FromEcr(\"app\"), Port = 80, LogRetentionDays = 30 };");

    [Fact]
    public Task Uses_the_recommended_tls_policy() => VerifyFix(
        $"public static LoadBalancer L => new() {{ Certificate = new AcmCertificate({Cert}), {{|TPL0016:TlsPolicy = \"ELBSecurityPolicy-2016-08\"|}} }};",
        $"public static LoadBalancer L => new() {{ Certificate = new AcmCertificate({Cert}), TlsPolicy = TlsPolicies.Recommended }};");

    [Fact]
    public Task Lowercases_the_repository_name() => VerifyFix(
        "public static ContainerImage I => ContainerImage.FromEcr({|TPL0017:\"Flask-App\"|});",
        "public static ContainerImage I => ContainerImage.FromEcr(\"flask-app\");");

    [Fact]
    public Task Restores_full_capacity_during_deployments() => VerifyFix(
        "public static RollingDeployment D => new() { {|TPL0021:MinimumHealthyPercent = 50|} };",
        "public static RollingDeployment D => new() { MinimumHealthyPercent = 100 };");

    [Fact]
    public Task Turns_on_the_redirect() => VerifyFix(
        $"public static LoadBalancer L => new() {{ Certificate = new AcmCertificate({Cert}), {{|TPL0050:Http = HttpPort.Forward|}} }};",
        $"public static LoadBalancer L => new() {{ Certificate = new AcmCertificate({Cert}), Http = HttpPort.RedirectToHttps }};");

    [Fact]
    public Task Sets_a_reachable_cpu_target() => VerifyFix(
        "public static Scaling S => new() { {|TPL0007:CpuTargetPercent = 150|} };",
        "public static Scaling S => new() { CpuTargetPercent = 60 };");

    [Fact]
    public Task Drops_the_hosted_zone_prefix() => VerifyFix(
        "public static DnsName D => new() { Name = \"app.example.com\", {|TPL0034:HostedZoneId = \"/hostedzone/Z0123456789ABCDEFGHIJ\"|} };",
        "public static DnsName D => new() { Name = \"app.example.com\", HostedZoneId = \"Z0123456789ABCDEFGHIJ\" };");

    [Fact]
    public Task Renames_a_malformed_service_to_the_suggested_name() => VerifyFix(
        "public static BackendService S => new({|TPL0070:\"Order_API\"|}) { Image = ContainerImage.FromEcr(\"app\", \"v1\"), Port = 9000 };",
        "public static BackendService S => new(\"order-api\") { Image = ContainerImage.FromEcr(\"app\", \"v1\"), Port = 9000 };");

    [Fact]
    public Task Renames_a_malformed_service_inside_an_app() => VerifyFix(
        $"public static App A => new(\"shop\") {{ Network = new NewVpc(), Service = new FargateService {{ Image = ContainerImage.FromEcr(\"shop\", \"v1\"), Port = 80 }}, LoadBalancer = new LoadBalancer {{ Certificate = new AcmCertificate({Cert}) }}, Services = [new BackendService({{|TPL0070:\"Orders \"|}}) {{ Image = ContainerImage.FromEcr(\"shop\", \"v1\"), Port = 9000 }}], Environments = {{ new Env(\"dev\") {{ Tasks = new TaskCount(1, 2) }} }} }};",
        $"public static App A => new(\"shop\") {{ Network = new NewVpc(), Service = new FargateService {{ Image = ContainerImage.FromEcr(\"shop\", \"v1\"), Port = 80 }}, LoadBalancer = new LoadBalancer {{ Certificate = new AcmCertificate({Cert}) }}, Services = [new BackendService(\"orders\") {{ Image = ContainerImage.FromEcr(\"shop\", \"v1\"), Port = 9000 }}], Environments = {{ new Env(\"dev\") {{ Tasks = new TaskCount(1, 2) }} }} }};");

    [Theory]
    [InlineData("rate(1 hours)", "rate(1 hour)")]
    [InlineData("rate(5 minute)", "rate(5 minutes)")]
    [InlineData(" cron(0 3 * * ? *) ", "cron(0 3 * * ? *)")]
    [InlineData("cron(0 3 * * *)", "cron(0 3 * * ? *)")]
    [InlineData("cron(0 3 * * MON-FRI *)", "cron(0 3 ? * MON-FRI *)")]
    public Task Corrects_a_schedule_expression_whose_meaning_is_certain(string wrong, string right) => VerifyFix(
        $"public static ScheduledJob J => new(\"nightly\") {{ Image = ContainerImage.FromEcr(\"app\", \"v1\"), {{|TPL0073:Schedule = \"{wrong}\"|}} }};",
        $"public static ScheduledJob J => new(\"nightly\") {{ Image = ContainerImage.FromEcr(\"app\", \"v1\"), Schedule = \"{right}\" }};");

    [Fact]
    public Task Keeps_dead_letters_fourteen_days() => VerifyFix(
        "public static WorkQueue Q => new() { RetentionDays = 7, {|TPL0074:DeadLetterRetentionDays = 7|} };",
        "public static WorkQueue Q => new() { RetentionDays = 7, DeadLetterRetentionDays = 14 };");

    [Theory]
    [InlineData("every day")]
    [InlineData("cron(0 3 1 * MON *)")]
    public Task Offers_no_schedule_when_the_meaning_is_not_certain(string wrong) => VerifyFix(
        $"public static ScheduledJob J => new(\"nightly\") {{ Image = ContainerImage.FromEcr(\"app\", \"v1\"), {{|TPL0073:Schedule = \"{wrong}\"|}} }};",
        $"public static ScheduledJob J => new(\"nightly\") {{ Image = ContainerImage.FromEcr(\"app\", \"v1\"), {{|TPL0073:Schedule = \"{wrong}\"|}} }};");

    [Fact]
    public Task Offers_no_dead_letter_retention_when_the_queue_keeps_messages_fourteen_days() => VerifyFix(
        "public static WorkQueue Q => new() { RetentionDays = 14, {|TPL0074:DeadLetterRetentionDays = 14|} };",
        "public static WorkQueue Q => new() { RetentionDays = 14, {|TPL0074:DeadLetterRetentionDays = 14|} };");
}
