// Found by PropertyTests (seed bIN6DgCCZBl1): an environment field declared production, listed only as
// `Env0_1 with { Name = "dev", IsProduction = false }`: the analyzer judged the field itself as production (TPL0006),
// though only the `with` is ever deployed.
using Templates;

public static class Definition
{
    static readonly FargateService Service0 = new() { Image = ContainerImage.FromEcr("shop", "v1"), Port = 8080 };
    static readonly Env Env0_0 = new("base") { IsProduction = false, Tasks = new TaskCount(1, 4), Service = new ServiceOverrides { Cpu = 300 }, Deployment = new RollingDeployment { MaximumPercent = 300 }, Certificate = new IamServerCertificate("arn:aws:iam::123456789012:server-certificate/e"), Region = "eu-west-1" };
    static readonly Env Env0_1 = new("base") { IsProduction = true, Tasks = new TaskCount(0, 0), Certificate = new IamServerCertificate("arn:aws:iam::123456789012:server-certificate/e"), Dns = new DnsName { Name = "shop.example.com", HostedZoneId = "Z0123456789ABCDEFGHIJ" }, Pipeline = new Pipeline { Branch = "bad..branch" } };
    public static App[] Apps => [
        new App("tmp")
        {
            Name = "web-",
            Network = new NewVpc { Cidr = "10.0.0.0/23" },
            Service = Service0 with { Image = ContainerImage.FromEcr("shop"), Port = 8080, Cpu = 256, MemoryMiB = 1024, EphemeralStorageGiB = 30, Secrets = new() { ["DB_PASSWORD"] = Secret.FromSsm("/shop/db") }, HealthCheck = new HealthCheck { Path = "health" } },
            LoadBalancer = new LoadBalancer { Certificate = new RequestedCertificate() },
            Scaling = new Scaling { MemoryTargetPercent = 150 },
            Accept = { new Accepted("TPL0020", "known") },
            Environments = { Env0_0 with { Name = "qa", IsProduction = false }, Env0_1 with { Name = "dev", IsProduction = false } },
        }
    ];
}
