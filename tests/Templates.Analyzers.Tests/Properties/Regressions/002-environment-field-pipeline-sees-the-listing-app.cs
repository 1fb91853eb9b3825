// Found by PropertyTests (seed c0xjmrD5uMm1): an environment written as a field, with a pipeline pushing a fixed tag, listed
// by an app whose new repository is immutable: the generator found TPL0030, the analyzer did not look at the listing app.
using Templates;

public static class Definition
{
    static readonly FargateService Service0 = new() { Image = ContainerImage.FromEcr("shop", "v1"), Port = 8080 };
    static readonly Env Env1_0 = new("base") { IsProduction = true, Tasks = new TaskCount(5, 3), Service = new ServiceOverrides { ImageTag = "latest" }, Network = new NewVpc(), Certificate = new IamServerCertificate("arn:aws:iam::123456789012:server-certificate/e"), Region = "nowhere", Pipeline = new Pipeline { Branch = "main", AlsoTagAs = "dev" } };
    public static App[] Apps => [
        new App("tmp")
        {
            Name = "api",
            Network = new NewVpc { Cidr = "10.0.0.0/8" },
            Service = Service0 with { Image = ContainerImage.FromEcr("shop", "bad tag"), Port = 8080, MemoryMiB = 2048, LogRetentionDays = 14, EphemeralStorageGiB = 30, EnvironmentVariables = new() { ["AUTH"] = "AKIAABCDEFGHIJKLMNOP" }, Secrets = new() { ["DB_PASSWORD"] = Secret.FromSsm("/shop/db") }, HealthCheck = new HealthCheck { HealthyThreshold = 1 } },
            LoadBalancer = new LoadBalancer { Certificate = new IamServerCertificate("arn:aws:iam::123456789012:server-certificate/self"), IdleTimeoutSeconds = 0 },
            Scaling = new Scaling { ScaleInCooldownSeconds = -1 },
            Deployment = new BlueGreenDeployment { BakeTimeMinutes = 0 },
            Accept = { new Accepted("TPL0020", "known") },
            Environments = { new Env("qa") { Tasks = new TaskCount(5, 3), Service = new ServiceOverrides { Cpu = 1024, MemoryMiB = 2048 }, Deployment = new RollingDeployment(), Certificate = new RequestedCertificate(), Pipeline = new Pipeline { Branch = "main", BuildTimeoutMinutes = 1 }, Accept = { new Accepted("TPL0022", "known") } } },
        },
        new App("tmp")
        {
            Name = "api",
            Network = new NewVpc { Cidr = "10.0.0.0/8" },
            Service = new FargateService { Image = ContainerImage.FromEcr("shop"), Port = 8080, MemoryMiB = 2048, LogRetentionDays = 14, EphemeralStorageGiB = 10, EnvironmentVariables = new() { ["LOG_LEVEL"] = "info" }, Secrets = new() { ["DB_PASSWORD"] = Secret.FromSsm("/shop/db") }, HealthCheck = new HealthCheck { IntervalSeconds = 5, TimeoutSeconds = 5 } },
            LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c"), Http = HttpPort.Forward },
            Scaling = new Scaling { MemoryTargetPercent = 150 },
            Mail = new MailSender { Address = "sender@example.com" },
            Source = new GitHubSource { Repository = "example-org/shop" },
            Repository = new NewRepository { KeepImages = 0 },
            Accept = { new Accepted("TPL0020", "known") },
            Environments = { Env1_0 with { Name = "dev" }, new Env("tmp") { Name = "production", IsProduction = true, Tasks = new TaskCount(2, 4), Deployment = new RollingDeployment { MaximumPercent = 300 }, Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/aa"), Account = "123", Pipeline = new Pipeline { Branch = "main", BuildTimeoutMinutes = 1 } } },
        }
    ];
}
