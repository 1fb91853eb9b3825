using Templates;

namespace Definitions;

/// <summary>
/// The Flask web application of the guide (shared/seed/deploying-web-application-in-aws.md): a container on ECS Fargate
/// across two Availability Zones, behind an HTTPS load balancer that redirects HTTP, scaling on CPU with fewer tasks in dev
/// than in prod, rolled forward without downtime. It mails through an SES-verified sender, its image lives in an ECR
/// repository of its own, every push to an environment's branch reaches that environment through its pipeline, and prod
/// deploys blue/green.
/// </summary>
public static class FlaskApp
{
    // The guide's certificate is self-signed and uploaded to IAM; dev keeps it, staging uses an ACM certificate, prod requests one.
    const string GuideCertificate = "arn:aws:iam::746109777700:server-certificate/CSC";

    // Placeholder for your office or VPN range (203.0.113.0/24 is a documentation range): dev and staging answer only there.
    const string OfficeRange = "203.0.113.0/24";

    public static App Definition => new("flask-app")
    {
        Network = new NewVpc { Cidr = "10.0.0.0/16", AvailabilityZones = 2, TaskSubnets = TaskSubnets.Public },
        Service = new FargateService
        {
            Image = ContainerImage.FromEcr("flask-app"),
            Cpu = 256,
            MemoryMiB = 512,
            Port = 5000,
            EnvironmentVariables = { ["FLASK_ENV"] = "production" },
            Secrets = { ["FLASK_SECRET_KEY"] = Secret.FromSsm("/flask-app/secret-key") },
            HealthCheck = new HealthCheck { Path = "/health", IntervalSeconds = 15, TimeoutSeconds = 5 },
            LogRetentionDays = 30,
            // The Dockerfile's non-root user; the root file system is read-only (the default) and /tmp its one writable path.
            User = "10001",
            WritablePaths = ["/tmp"],
        },
        LoadBalancer = new LoadBalancer
        {
            Certificate = new AcmCertificate("arn:aws:acm:us-east-1:746109777700:certificate/6c1e7f1a-1b2c-4d3e-8f90-0a1b2c3d4e5f"),
            TlsPolicy = TlsPolicies.Recommended,
            Http = HttpPort.RedirectToHttps,
        },
        // The guide's "verify the sender before deploying": the shared stack creates the identity and prints what to click.
        Mail = new MailSender { Address = "sender@example.com", Identity = SenderIdentity.EmailAddress, EnvironmentVariable = "MAIL_SENDER" },
        // The guide created the repository by hand; here the shared stack does. Pipelines push commit tags, so tags can be immutable.
        Repository = new NewRepository { ScanOnPush = true, TagMutability = TagMutability.Immutable, KeepImages = 30 },
        // Placeholders: point this at your fork; the connection is completed once in the console.
        Source = new GitHubSource { Repository = "example-org/flask-app", BuildContext = "examples/flask-app" },
        Scaling = new Scaling { CpuTargetPercent = 60, ScaleInCooldownSeconds = 300, ScaleOutCooldownSeconds = 60 },
        Deployment = new RollingDeployment { MinimumHealthyPercent = 100, MaximumPercent = 200 },
        Environments =
        {
            new Env("dev")
            {
                Region = "us-east-1",
                Tasks = new TaskCount(Min: 1, Max: 2),
                Certificate = new IamServerCertificate(GuideCertificate),
                Accept = { new Accepted("TPL0015", "The guide's self-signed IAM certificate is good enough for dev; staging and prod use ACM.") },
                Service = new ServiceOverrides { LogRetentionDays = 7 },
                Pipeline = new Pipeline { Branch = "develop" },
                AllowedCidrs = [OfficeRange],                                   // the load balancer's security group admits only this range
            },
            new Env("staging")
            {
                Region = "us-east-1",
                Tasks = new TaskCount(Min: 1, Max: 4),
                Network = new NewVpc { Cidr = "10.1.0.0/16", AvailabilityZones = 2, TaskSubnets = TaskSubnets.Private, NatGateways = NatGateways.Single },
                Pipeline = new Pipeline { Branch = "staging" },
                // Blocks what prod only counts, so a rule that would refuse real requests shows up here first; the web ACL
                // also enforces the office range (its security group stays open so that refused requests are counted).
                WebAcl = new WebAcl { Action = WafAction.Block },
                AllowedCidrs = [OfficeRange],
            },
            new Env("prod")
            {
                Region = "us-east-1",
                Tasks = new TaskCount(Min: 2, Max: 10),
                // Reached at its own name: an alias record to the load balancer, and a certificate ACM issues for that name, validated
                // through the hosted zone and renewed by ACM (placeholders: your domain and zone).
                Dns = new DnsName { Name = "flask.example.com", HostedZoneId = "Z0123456789ABCDEFGHIJ" },
                Certificate = new RequestedCertificate(),
                Network = new NewVpc { Cidr = "10.2.0.0/16", AvailabilityZones = 3, TaskSubnets = TaskSubnets.Private, NatGateways = NatGateways.OnePerZone },
                Service = new ServiceOverrides { Cpu = 512, MemoryMiB = 1024, ImageTag = "1.0.0", LogRetentionDays = 90 },
                Scaling = new Scaling { CpuTargetPercent = 50, MemoryTargetPercent = 70, ScaleInCooldownSeconds = 300, ScaleOutCooldownSeconds = 60 },
                // The guide's separate production pipeline: from main, with a manual approval (the default in production).
                Pipeline = new Pipeline { Branch = "main", ManualApproval = true },
                Deployment = new BlueGreenDeployment { BakeTimeMinutes = 15 },
                // Open to the world behind AWS WAF, counting first: watch the web ACL's metrics, then switch to Block. Access logs
                // and VPC flow logs are on by default in production.
                WebAcl = new WebAcl { Action = WafAction.Count },
            },
        },
    };
}
