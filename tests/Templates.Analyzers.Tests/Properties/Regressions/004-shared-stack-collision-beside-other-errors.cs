// Found by PropertyTests after the branches for issue #10 were merged (seed ffeKYR35FwL1): environments pinned to an account
// beside unpinned ones give two shared stacks that both create the repository and the identity. The analyzer reported the
// collision (TPL0001) while the generator judged collisions only once nothing else was wrong.
using Templates;

public static class Definition
{
    public static App[] Apps => [
        new App("shop")
        {
            Network = new ExistingVpc { VpcId = "vpc-0123456789abcdef0", PublicSubnetIds = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"] },
            Service = new FargateService { Image = ContainerImage.FromEcr("shop", "bad tag"), Port = 0, Cpu = 300, EphemeralStorageGiB = 10, EnvironmentVariables = new() { ["AUTH"] = "AKIAABCDEFGHIJKLMNOP", ["BYPASS_CACHE"] = "1" }, Secrets = new() { ["bad-name"] = Secret.FromSsm("/shop/x") } },
            LoadBalancer = new LoadBalancer { Certificate = new IamServerCertificate("arn:aws:iam::123456789012:server-certificate/self") },
            Mail = new MailSender { Address = "sender@example.com" },
            Source = new GitHubSource { Repository = "example-org/shop" },
            Repository = new NewRepository(),
            Accept = { new Accepted("TPL0020", "known") },
            Environments = { new Env("production") { IsProduction = false, Tasks = new TaskCount(0, 0), Service = new ServiceOverrides { EnvironmentVariables = { ["DB_PASSWORD"] = "y" } }, Deployment = new RollingDeployment(), Network = new NewVpc { Cidr = "10.0.0.0/24" }, Account = "123", Dns = new DnsName { Name = "shop.example.com", HostedZoneId = "Z0123456789ABCDEFGHIJ" } }, new Env("prod") { IsProduction = true, Tasks = new TaskCount(-1, 2), Service = new ServiceOverrides { Cpu = 300 }, Network = new NewVpc { Cidr = "10.0.0.0/24" }, Dns = new DnsName { Name = "shop.example.com", HostedZoneId = "Z0123456789ABCDEFGHIJ" }, Pipeline = new Pipeline { Branch = "main", BuildTimeoutMinutes = 1 }, Accept = { new Accepted("TPL0003", "known") } }, new Env("dev") { Tasks = new TaskCount(1, 2), Service = new ServiceOverrides { Cpu = 1024, MemoryMiB = 2048 }, Deployment = new RollingDeployment { MaximumPercent = 300 }, Certificate = new RequestedCertificate(), Dns = new DnsName { Name = "shop.example.com.", HostedZoneId = "/hostedzone/Z0123" }, Accept = { new Accepted("TPL0022", "known") } } },
        }
    ];
}
