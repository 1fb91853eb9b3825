using Templates;

namespace Definitions;

/// <summary>
/// A second example, past one container: a web front end (the app's own Service, every request no route takes), an API
/// behind the same load balancer on /api/*, an orders service the API calls by name through Service Connect, a mailer
/// worker draining a queue the front end and the API send to, and a nightly job (which may send to the queue too). Dev runs it
/// small in public subnets; prod in private subnets across three zones. One repository holds the four services' image folders:
/// each environment's pipeline builds all four from one commit and deploys the orders backend first, then the API and the
/// mailer, then the front end; the nightly job's image rolls forward through its NightlyImageTag parameter.
/// </summary>
public static class ShopApp
{
    // Placeholders: your own certificates and hosted zone.
    const string DevCertificate = "arn:aws:acm:eu-west-1:746109777700:certificate/0f4c3b2a-1d2e-4f50-9a8b-7c6d5e4f3a21";
    const string ProdCertificate = "arn:aws:acm:eu-west-1:746109777700:certificate/9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";

    public static App Definition => new("shop")
    {
        Network = new NewVpc { Cidr = "10.10.0.0/16", AvailabilityZones = 2, TaskSubnets = TaskSubnets.Public },
        Service = new FargateService
        {
            Image = ContainerImage.FromEcr("shop/web", "1.4.0"),
            Port = 8080,
            HealthCheck = new HealthCheck { Path = "/health" },
            User = "10001",
        },
        Services =
        {
            new WebService("api")
            {
                Image = ContainerImage.FromEcr("shop/api", "2.1.0"),
                Port = 8000,
                Route = Route.Path("/api/*"),
                HealthCheck = new HealthCheck { Path = "/api/health" },
                Calls = ["orders"],
                User = "10001",
                BuildContext = "services/api",
            },
            new BackendService("orders")
            {
                Image = ContainerImage.FromEcr("shop/orders", "0.9.3"),
                Port = 9000,
                Cpu = 512,
                MemoryMiB = 1024,
                User = "10001",
                BuildContext = "services/orders",
            },
            new Worker("mailer")
            {
                Image = ContainerImage.FromEcr("shop/mailer", "1.0.2"),
                Queue = new WorkQueue { VisibilityTimeoutSeconds = 120, MaxReceives = 5 },
                SentBy = ["shop", "api", "nightly"],
                MessagesPerTask = 50,
                User = "10001",
                BuildContext = "services/mailer",
            },
            // At 03:00 UTC every day; stopped after 45 minutes, tried twice more if it fails, skipped while a run is still going.
            new ScheduledJob("nightly")
            {
                Image = ContainerImage.FromEcr("shop/jobs", "1.3.0"),
                Schedule = "cron(0 3 * * ? *)",
                TimeoutMinutes = 45,
                Retries = 2,
                User = "10001",
            },
        },
        LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate(DevCertificate), Http = HttpPort.RedirectToHttps },
        Source = new GitHubSource { Repository = "example-org/shop", BuildContext = "services/web" },   // the front end's folder; each service names its own
        Environments =
        {
            new Env("dev")
            {
                Region = "eu-west-1",
                Tasks = new TaskCount(Min: 1, Max: 2),
                Pipeline = new Pipeline { Branch = "develop" },
                AllowedCidrs = ["203.0.113.0/24"],                                 // placeholder: your office or VPN range
            },
            new Env("prod")
            {
                Region = "eu-west-1",
                Tasks = new TaskCount(Min: 2, Max: 8),
                Pipeline = new Pipeline { Branch = "main" },                          // manual approval: on by default in prod
                Certificate = new AcmCertificate(ProdCertificate),
                Network = new NewVpc { Cidr = "10.11.0.0/16", AvailabilityZones = 3, TaskSubnets = TaskSubnets.Private, NatGateways = NatGateways.OnePerZone },
                WebAcl = new WebAcl { Action = WafAction.Count },
                Services =
                {
                    ["orders"] = new ServiceOverrides { Tasks = new TaskCount(Min: 2, Max: 4) },
                    ["mailer"] = new ServiceOverrides { Tasks = new TaskCount(Min: 1, Max: 6) },
                },
            },
        },
    };
}
