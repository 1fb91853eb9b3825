// Found by PropertyTests: an environment written as a static field, listed by an app that accepts TPL0020, was judged
// alone by the analyzer (TPL0020 on its DB_PASSWORD override) while the generator honoured the app's Accept.
using Templates;

public static class Definition
{
    static readonly Env Env0_0 = new("base") { IsProduction = false, Tasks = new TaskCount(1, 2), Service = new ServiceOverrides { EnvironmentVariables = { ["DB_PASSWORD"] = "y" } }, Deployment = new RollingDeployment { MaximumPercent = 300 }, Certificate = new IamServerCertificate("arn:aws:iam::123456789012:server-certificate/e") };
    static readonly Env Env0_1 = new("base") { Tasks = new TaskCount(-1, 2), Service = new ServiceOverrides { HealthCheck = new HealthCheck(), LogRetentionDays = 30, EphemeralStorageGiB = 21, ImageTag = "v3" } };

    public static App[] Apps => [
        new App("shop")
        {
            Network = new NewVpc { Cidr = "10.0.0.0/23" },
            Service = new FargateService { Image = ContainerImage.FromEcr("shop"), Port = 8080, MemoryMiB = 2048, EphemeralStorageGiB = 30, EnvironmentVariables = new() { ["bad-name"] = "x" }, HealthCheck = new HealthCheck { Path = "health" } },
            LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("not-an-arn"), TlsPolicy = "ELBSecurityPolicy-2016-08", Http = HttpPort.Forward },
            Scaling = new Scaling { ScaleInCooldownSeconds = -1 },
            Deployment = new BlueGreenDeployment(),
            Accept = { new Accepted("TPL0020", "known") },
            Environments = { Env0_0 with { Name = "staging" }, Env0_1 with { Name = "qa" }, new Env("tmp") { Name = "production", IsProduction = true, Tasks = new TaskCount(0, 0), Service = new ServiceOverrides { LogRetentionDays = 45 }, Deployment = new RollingDeployment(), Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/aa"), Accept = { new Accepted("TPL0006", "known") } } },
        }
    ];
}
