// Found by PropertyTests after the fix of 004 (seed 75C2PKe3B8c1): the environments are fields listed through `with`, and the
// service is a `with` of a field. The generator found the shared stacks' collision on the repository (TPL0001); the analyzer
// saw neither the environments' pins nor the repository name, as it read only objects written inline.
using Templates;

public static class Definition
{
    static readonly FargateService Service0 = new() { Image = ContainerImage.FromEcr("shop", "v1"), Port = 8080 };
    static readonly Env Env0_0 = new("base") { Tasks = new TaskCount(-1, 2), Service = new ServiceOverrides { Cpu = 512 }, Network = new NewVpc(), Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/aa"), Account = "123", Pipeline = new Pipeline { Branch = "main" }, Accept = { new Accepted("TPL0022", "known") } };
    static readonly Env Env0_1 = new("base") { Tasks = new TaskCount(1, 2), Service = new ServiceOverrides { Cpu = 1024, MemoryMiB = 2048 }, Deployment = new RollingDeployment { MaximumPercent = 300 }, Network = new NewVpc(), Region = "eu-west-1" };

    public static App[] Apps => [
        new App("shop")
        {
            Network = new ExistingVpc { VpcId = "vpc-123", PublicSubnetIds = ["subnet-0123456789abcdef0"] },
            Service = Service0 with { Image = ContainerImage.FromEcr("shop"), Port = 8080, Cpu = 300, MemoryMiB = 4096, LogRetentionDays = 45, EphemeralStorageGiB = 30, EnvironmentVariables = new() { ["LOG_LEVEL"] = "info", ["apiKey"] = "k" } },
            LoadBalancer = new LoadBalancer { Certificate = new RequestedCertificate(), TlsPolicy = "ELBSecurityPolicy-2016-08", Http = HttpPort.Forward },
            Deployment = new BlueGreenDeployment { BakeTimeMinutes = 0 },
            Source = new GitHubSource { Repository = "shop" },
            Repository = new NewRepository { TagMutability = TagMutability.Mutable },
            Accept = { new Accepted("TPL0015", "known") },
            Environments = { Env0_0 with { Name = "dev", IsProduction = true }, Env0_1 with { Name = "production", IsProduction = false } },
        }
    ];
}
