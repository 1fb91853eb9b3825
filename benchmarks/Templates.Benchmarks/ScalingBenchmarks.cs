using BenchmarkDotNet.Attributes;
using Templates;
using Templates.Generation;

/// <summary>
/// How the cost grows with the size of a definition: <see cref="Services"/> services (apps), each with a production
/// environment on a private three-zone network, generated programmatically, then validated, expanded, written and
/// checked exactly as <c>dotnet run --project definitions</c> does (nothing touches the disk).
/// </summary>
[MemoryDiagnoser]
public class ScalingBenchmarks
{
    App[] apps = [];

    /// <summary>How many services the definition declares.</summary>
    [Params(1, 10, 100)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        apps = [.. Enumerable.Range(1, Services).Select(Service)];
        Emitter.Generate(apps); // load the schemas once, as any process does on its first template
    }

    static App Service(int i) => new($"service-{i:D3}")
    {
        Network = new NewVpc { Cidr = $"10.{i % 250}.0.0/16", AvailabilityZones = 3, TaskSubnets = TaskSubnets.Private },
        Service = new FargateService
        {
            Image = ContainerImage.FromEcr($"service-{i:D3}"),
            Cpu = 512,
            MemoryMiB = 1024,
            Port = 8080,
            EnvironmentVariables = { ["SERVICE"] = $"service-{i:D3}" },
            Secrets = { ["DATABASE_PASSWORD"] = Secret.FromSsm($"/service-{i:D3}/db-password") },
            HealthCheck = new HealthCheck { Path = "/health" },
        },
        LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b") },
        Scaling = new Scaling { CpuTargetPercent = 60, MemoryTargetPercent = 70 },
        Environments = { new Env("prod") { Region = "us-east-1", Tasks = new TaskCount(2, 10), Service = new ServiceOverrides { ImageTag = "1.0.0" } } },
    };

    /// <summary>Definition → validated model → templates → bytes → validated templates, for every service.</summary>
    [Benchmark]
    public int EmitAndValidate()
    {
        var result = Emitter.Generate(apps);
        if (result.HasErrors) throw new InvalidOperationException("The generated definitions should be valid.");
        return result.Templates.Sum(t => t.Bytes.Length);
    }
}
