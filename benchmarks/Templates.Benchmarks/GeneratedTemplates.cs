using Templates;
using Templates.Generation;

/// <summary>
/// A large set of real templates for measuring <c>validate</c> whole process (<c>benchmarks/validate-many.sh</c>): the guide's
/// app varied over its settings (network shape and zones, task placement and NAT, size, rolling or blue/green, pipelines,
/// DNS and a requested certificate, mail, scaling), each app with a shared stack and three environments. Deterministic: the
/// same count gives the same files.
/// </summary>
public static class GeneratedTemplates
{
    /// <summary>Writes the templates of <paramref name="apps"/> varied apps into <paramref name="directory"/>; returns how many.</summary>
    public static int Write(string directory, int apps)
    {
        Directory.CreateDirectory(directory);
        var result = Emitter.Generate(Enumerable.Range(0, apps).Select(App));
        if (result.HasErrors)
            throw new InvalidOperationException("The generated definitions should be valid: " + string.Join("; ", result.Findings));
        foreach (var file in result.Files) File.WriteAllBytes(Path.Combine(directory, file.FileName), file.Bytes);
        return result.Files.Count();
    }

    static App App(int i)
    {
        var name = $"app-{i:D3}";
        var sizes = new[] { (256, 512), (512, 1024), (1024, 2048), (2048, 4096) };
        var (cpu, memory) = sizes[i % sizes.Length];
        return new App(name)
        {
            Network = new NewVpc { Cidr = $"10.{i % 200}.0.0/16", AvailabilityZones = 2 + i % 2, TaskSubnets = i % 3 == 0 ? TaskSubnets.Public : TaskSubnets.Private },
            Service = new FargateService
            {
                Image = ContainerImage.FromEcr(name),
                Cpu = cpu,
                MemoryMiB = memory,
                Port = 8000 + i % 100,
                EnvironmentVariables = { ["APP"] = name },
                Secrets = { ["SECRET_KEY"] = Secret.FromSsm($"/{name}/secret-key") },
                HealthCheck = new HealthCheck { Path = i % 2 == 0 ? "/health" : "/status" },
            },
            LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b") },
            Mail = i % 4 == 0 ? new MailSender { Address = $"noreply@{name}.example.com" } : null,
            Repository = new NewRepository { TagMutability = TagMutability.Immutable },
            Source = new GitHubSource { Repository = $"example-org/{name}" },
            Scaling = new Scaling { CpuTargetPercent = 50 + i % 30, MemoryTargetPercent = i % 2 == 0 ? 70 : null },
            Environments =
            {
                new Env("dev") { Region = "us-east-1", Tasks = new TaskCount(1, 2), Pipeline = new Pipeline { Branch = "develop" } },
                new Env("staging")
                {
                    Region = "us-east-1",
                    Tasks = new TaskCount(1, 4),
                    Network = new NewVpc { Cidr = $"10.{100 + i % 100}.0.0/16", AvailabilityZones = 2, TaskSubnets = TaskSubnets.Private, NatGateways = NatGateways.Single },
                    Pipeline = new Pipeline { Branch = "staging" },
                },
                new Env("prod")
                {
                    Region = "us-east-1",
                    Tasks = new TaskCount(2, 10 + i % 10),
                    Dns = i % 2 == 0 ? new DnsName { Name = $"{name}.example.com", HostedZoneId = "Z0123456789ABCDEFGHIJ" } : null,
                    Certificate = i % 2 == 0 ? new RequestedCertificate() : null,
                    Network = new NewVpc { Cidr = "10.250.0.0/16", AvailabilityZones = 3, TaskSubnets = TaskSubnets.Private, NatGateways = NatGateways.OnePerZone },
                    Service = new ServiceOverrides { ImageTag = "1.0.0" },
                    Pipeline = new Pipeline { Branch = "main" },
                    Deployment = i % 3 == 1 ? new BlueGreenDeployment { BakeTimeMinutes = 10 } : null,
                },
            },
        };
    }
}
