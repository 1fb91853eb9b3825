using System.Reflection;
using System.Runtime.Loader;
using System.Text;

namespace Templates.Analyzers.Tests.Properties;

/// <summary>
/// Random definitions written as C# source: the constant form the analyzer sees. Compiling and running the same source
/// gives the apps the generator sees, so both moments judge exactly one definition. Every choice is an index into a
/// list whose first entry is the plainest valid value, so shrinking toward zero reaches the smallest failing definition.
/// </summary>
public static class Definitions
{
    sealed class Choices(int[] values)
    {
        int _next;

        public T Pick<T>(params T[] options) => options[values[_next++ % values.Length] % options.Length];
    }

    /// <summary>The C# source of the definition chosen by <paramref name="values"/>: a class <c>Definition</c> with <c>App[] Apps</c>.</summary>
    public static string Render(int[] values)
    {
        var c = new Choices(values);
        var members = new StringBuilder();
        var apps = new List<string>();
        var appCount = c.Pick(1, 2, 1, 3);
        for (var a = 0; a < appCount; a++) apps.Add(RenderApp(c, a, members));
        return $$"""
            using Templates;

            public static class Definition
            {
            {{members}}
                public static App[] Apps => [
            {{string.Join(",\n", apps)}}
                ];
            }
            """;
    }

    static string Join(params string?[] parts) => string.Join(", ", parts.Where(p => !string.IsNullOrEmpty(p)));

    static string RenderApp(Choices c, int a, StringBuilder members)
    {
        var name = c.Pick("shop", "api", "shop", "Bad_Name", "web-");
        var network = c.Pick("new NewVpc()", "new NewVpc { Cidr = \"10.0.0.0/23\" }", "new NewVpc { Cidr = \"10.0.0.0/24\" }", "new NewVpc { Cidr = \"10.0.0.0/8\" }",
            "new NewVpc { Cidr = \"10.0.0.1/16\" }", "new NewVpc { AvailabilityZones = 1 }", "new NewVpc { AvailabilityZones = 3, TaskSubnets = TaskSubnets.Private }",
            "new ExistingVpc { VpcId = \"vpc-0123456789abcdef0\", PublicSubnetIds = [\"subnet-0123456789abcdef0\", \"subnet-0123456789abcdef1\"] }",
            "new ExistingVpc { VpcId = \"vpc-123\", PublicSubnetIds = [\"subnet-0123456789abcdef0\"] }");
        var image = c.Pick("ContainerImage.FromEcr(\"shop\", \"v1\")", "ContainerImage.FromEcr(\"shop\")", "ContainerImage.FromEcr(\"Shop\", \"v1\")", "ContainerImage.FromEcr(\"shop\", \"bad tag\")");
        var port = c.Pick("Port = 8080", "Port = 8080", "Port = 0");
        var cpu = c.Pick("", "Cpu = 512", "Cpu = 300", "Cpu = 1024", "Cpu = 256");
        var memory = c.Pick("", "MemoryMiB = 1024", "MemoryMiB = 4096", "MemoryMiB = 300", "MemoryMiB = 2048");
        var retention = c.Pick("", "LogRetentionDays = 14", "LogRetentionDays = 45");
        var storage = c.Pick("", "EphemeralStorageGiB = 30", "EphemeralStorageGiB = 10");
        var variables = new[] { ("LOG_LEVEL", "info"), ("DB_PASSWORD", "x"), ("BYPASS_CACHE", "1"), ("COMPASS_URL", "u"), ("TOKENIZER_MODEL", "m"), ("bad-name", "x"), ("AUTH", "AKIAABCDEFGHIJKLMNOP"), ("apiKey", "k") };
        var chosen = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = c.Pick(0, 1, 2); i > 0; i--)
        {
            var (key, value) = c.Pick(variables);
            chosen[key] = value;
        }
        var secrets = c.Pick("", "", "Secrets = new() { [\"DB_PASSWORD\"] = Secret.FromSsm(\"/shop/db\") }", "Secrets = new() { [\"bad-name\"] = Secret.FromSsm(\"/shop/x\") }");
        var env = chosen.Count == 0 ? "" : "EnvironmentVariables = new() { " + string.Join(", ", chosen.Select(v => $"[\"{v.Key}\"] = \"{v.Value}\"")) + " }";
        var health = c.Pick("", "HealthCheck = new HealthCheck { Path = \"/health\" }", "HealthCheck = new HealthCheck { IntervalSeconds = 4 }", "HealthCheck = new HealthCheck { TimeoutSeconds = 1 }",
            "HealthCheck = new HealthCheck { IntervalSeconds = 5, TimeoutSeconds = 5 }", "HealthCheck = new HealthCheck { Path = \"health\" }", "HealthCheck = new HealthCheck { SuccessCodes = \"600\" }",
            "HealthCheck = new HealthCheck { HealthyThreshold = 1 }");
        string service;
        if (c.Pick(false, true))
        {
            // `with` on a valid service written elsewhere, replacing the chosen settings.
            members.AppendLine($"    static readonly FargateService Service{a} = new() {{ Image = ContainerImage.FromEcr(\"shop\", \"v1\"), Port = 8080 }};");
            service = $"Service{a} with {{ {Join($"Image = {image}", port, cpu, memory, retention, storage, env, secrets, health)} }}";
        }
        else service = $"new FargateService {{ {Join($"Image = {image}", port, cpu, memory, retention, storage, env, secrets, health)} }}";

        var certificate = c.Pick("new AcmCertificate(\"arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c\")",
            "new IamServerCertificate(\"arn:aws:iam::123456789012:server-certificate/self\")", "new AcmCertificate(\"not-an-arn\")", "new RequestedCertificate()");
        var loadBalancer = $"new LoadBalancer {{ {Join($"Certificate = {certificate}", c.Pick("", "TlsPolicy = \"ELBSecurityPolicy-2016-08\""), c.Pick("", "", "Http = HttpPort.Forward"), c.Pick("", "", "IdleTimeoutSeconds = 0"))} }}";
        var scaling = c.Pick("", "", "Scaling = new Scaling { RequestsPerTarget = 100 }", "Scaling = new Scaling { CpuTargetPercent = 0 }", "Scaling = new Scaling { MemoryTargetPercent = 150 }", "Scaling = new Scaling { ScaleInCooldownSeconds = -1 }");
        var deployment = c.Pick("", "", "Deployment = new RollingDeployment { MinimumHealthyPercent = 50 }", "Deployment = new RollingDeployment { MaximumPercent = 100 }",
            "Deployment = new RollingDeployment { DeregistrationDelaySeconds = 4000 }", "Deployment = new BlueGreenDeployment { BakeTimeMinutes = 0 }", "Deployment = new BlueGreenDeployment()");
        var accept = c.Pick("", "", "", "Accept = { new Accepted(\"TPL0015\", \"known\") }", "Accept = { new Accepted(\"TPL0020\", \"known\") }");
        var mail = c.Pick("", "", "Mail = new MailSender { Address = \"sender@example.com\" }", "Mail = new MailSender { Address = \"not-an-address\" }");
        var source = c.Pick("", "Source = new GitHubSource { Repository = \"example-org/shop\" }", "Source = new GitHubSource { Repository = \"shop\" }");
        var repository = c.Pick("", "", "Repository = new NewRepository()", "Repository = new NewRepository { TagMutability = TagMutability.Mutable }", "Repository = new NewRepository { KeepImages = 0 }");
        // The app's other services (issue #14): valid ones of every kind, and each of TPL0070-0074 broken in turn.
        var services = c.Pick("", "", ServicesValid,
            $"{Backend("Orders")}", $"{Backend("orders")}, {Backend("orders")}", $"{Backend("a-1")}, {Backend("a1")}", $"{Backend("shop")}",
            $"{Web("web", "Route.Path(\"/web/*\")", ", Calls = [\"nobody\"]")}", $"{Backend("orders")}, {Job("nightly", "rate(1 hour)", ", Calls = [\"orders\"]")}",
            $"{Backend("orders")}, {Worker("mailer", ", SentBy = [\"orders\", \"nobody\"]")}",
            $"{Web("web", "Route.Path(\"/a b\")")}", $"{Web("web", "new Route()")}", $"{Web("a", "Route.Path(\"/api/*\")", ", Priority = 1")}, {Web("b", "Route.Path(\"/api/v1/*\")", ", Priority = 2")}",
            $"{Web("a", "Route.Host(\"a.example.com\")", ", Priority = 7")}, {Web("b", "Route.Host(\"b.example.com\")", ", Priority = 7")}",
            $"{Job("nightly", "rate(1 hours)")}", $"{Job("nightly", "cron(0 3 * * *)")}", $"{Job("nightly", "rate(1 hour)", ", TimeoutMinutes = 0")}",
            $"{Worker("mailer", "", "new WorkQueue { DeadLetterRetentionDays = 4 }")}", $"{Worker("mailer", ", MessagesPerTask = 0")}",
            $"{Backend("orders", ", LogRetentionDays = 45")}", $"{Web("web", "Route.Path(\"/web/*\")", ", MemoryMiB = 4096")}",
            $"{Backend("orders")}, new BackendService(\"cache\") {{ Image = ContainerImage.FromEcr(\"shop\"), Port = 6379 }}");

        var environments = new List<string>();
        var envCount = c.Pick(1, 2, 3, 0);
        for (var i = 0; i < envCount; i++) environments.Add(RenderEnv(c, a, i, members));
        var envList = c.Pick(true, true, false) || environments.Count > 0 ? $"Environments = {{ {string.Join(", ", environments)} }}" : "";
        var (constructed, renamed) = c.Pick(true, true, false) ? (name, "") : ("tmp", $"Name = \"{name}\"");

        return $"        new App(\"{constructed}\")\n        {{\n            " + string.Join(",\n            ",
            new[] { renamed, $"Network = {network}", $"Service = {service}", $"LoadBalancer = {loadBalancer}", scaling, deployment, mail, source, repository, accept,
                services.Length > 0 ? $"Services = [{services}]" : "", envList }.Where(p => p.Length > 0)) + ",\n        }";
    }

    const string ServiceImage = "Image = ContainerImage.FromEcr(\"shop\", \"v1\")";

    static string Web(string name, string route, string extra = "") => $"new WebService(\"{name}\") {{ {ServiceImage}, Port = 8080, Route = {route}{extra} }}";

    static string Backend(string name, string extra = "") => $"new BackendService(\"{name}\") {{ {ServiceImage}, Port = 9000{extra} }}";

    static string Worker(string name, string extra = "", string queue = "new WorkQueue()") => $"new Worker(\"{name}\") {{ {ServiceImage}, Queue = {queue}{extra} }}";

    static string Job(string name, string schedule, string extra = "") => $"new ScheduledJob(\"{name}\") {{ {ServiceImage}, Schedule = \"{schedule}\"{extra} }}";

    static readonly string ServicesValid = string.Join(", ", Web("web", "Route.Host(\"api.example.com\").AndPath(\"/v1/*\")", ", Calls = [\"orders\"]"), Backend("orders"),
        Worker("mailer", ", SentBy = [\"web\", \"orders\"]"), Job("nightly", "cron(0 3 * * ? *)"));

    static string RenderEnv(Choices c, int a, int i, StringBuilder members)
    {
        var name = c.Pick("dev", "prod", "qa", "production", "staging", "Bad", "dev");
        var way = c.Pick("constructor", "initializer", "with");
        var settings = Join(
            c.Pick("", "", "IsProduction = true", "IsProduction = false"),
            "Tasks = " + c.Pick("new TaskCount(1, 2)", "new TaskCount(2, 4)", "new TaskCount(1, 4)", "new TaskCount(5, 3)", "new TaskCount(0, 0)", "new TaskCount(-1, 2)"),
            c.Pick("", "Service = new ServiceOverrides { ImageTag = \"v2\" }", "Service = new ServiceOverrides { Cpu = 512 }", "Service = new ServiceOverrides { MemoryMiB = 4096 }",
                "Service = new ServiceOverrides { Cpu = 300 }", "Service = new ServiceOverrides { Cpu = 1024, MemoryMiB = 2048 }", "Service = new ServiceOverrides { LogRetentionDays = 45 }",
                "Service = new ServiceOverrides { ImageTag = \"latest\" }", "Service = new ServiceOverrides { EnvironmentVariables = { [\"DB_PASSWORD\"] = \"y\" } }",
                "Service = new ServiceOverrides { HealthCheck = new HealthCheck(), LogRetentionDays = 30, EphemeralStorageGiB = 21, ImageTag = \"v3\" }"),
            c.Pick("", "", "Deployment = new RollingDeployment()", "Deployment = new RollingDeployment { MaximumPercent = 300 }"),
            c.Pick("", "", "Network = new NewVpc()", "Network = new NewVpc { Cidr = \"10.0.0.0/24\" }"),
            c.Pick("", "", "Certificate = new AcmCertificate(\"arn:aws:acm:us-east-1:123456789012:certificate/aa\")", "Certificate = new IamServerCertificate(\"arn:aws:iam::123456789012:server-certificate/e\")",
                "Certificate = new RequestedCertificate()"),
            c.Pick("", "", "", "Region = \"eu-west-1\"", "Region = \"nowhere\"", "Account = \"123\"", "Account = \"210987654321\""),
            c.Pick("", "", "Dns = new DnsName { Name = \"shop.example.com\", HostedZoneId = \"Z0123456789ABCDEFGHIJ\" }", "Dns = new DnsName { Name = \"shop.example.com.\", HostedZoneId = \"/hostedzone/Z0123\" }"),
            c.Pick("", "", "", "Pipeline = new Pipeline { Branch = \"main\" }", "Pipeline = new Pipeline { Branch = \"bad..branch\" }", "Pipeline = new Pipeline { Branch = \"main\", AlsoTagAs = \"dev\" }",
                "Pipeline = new Pipeline { Branch = \"main\", BuildTimeoutMinutes = 1 }"),
            c.Pick("", "", "", "Accept = { new Accepted(\"TPL0006\", \"known\") }", "Accept = { new Accepted(\"TPL0003\", \"known\") }", "Accept = { new Accepted(\"TPL0022\", \"known\") }",
                "Accept = { new Accepted(\"TPL0069\", \"known\") }"),
            // Overrides of the app's services: one turned off, one the app does not have, a size Fargate does not offer, a valid one.
            c.Pick("", "", "Services = new() { [\"orders\"] = new ServiceOverrides { Enabled = false } }", "Services = new() { [\"nobody\"] = new ServiceOverrides { Cpu = 512, MemoryMiB = 1024 } }",
                "Services = new() { [\"orders\"] = new ServiceOverrides { MemoryMiB = 4096 } }", "Services = new() { [\"orders\"] = new ServiceOverrides { LogRetentionDays = 14 } }",
                "Services = new() { [\"orders\"] = new ServiceOverrides { Enabled = false, LogRetentionDays = 45 } }",
                "Services = new() { [\"orders\"] = new ServiceOverrides { HealthCheck = new HealthCheck { Path = \"health\" } } }",
                "Services = new() { [\"web\"] = new ServiceOverrides { HealthCheck = new HealthCheck { Path = \"health\" } } }"),
            // Protection: a web ACL, allowed ranges (valid, with host bits, overlapping), access logs with a bad expiry.
            c.Pick("", "", "WebAcl = new WebAcl()", "WebAcl = new WebAcl { Action = WafAction.Count, RateLimitRequests = 5 }", "AllowedCidrs = [\"203.0.113.0/24\"]",
                "AllowedCidrs = [\"203.0.113.5/24\"]", "WebAcl = new WebAcl(), AllowedCidrs = [\"10.0.0.0/8\", \"10.1.0.0/16\"]", "AccessLogs = new AccessLogs { ExpirationDays = 0 }",
                "WebAcl = null"));
        switch (way)
        {
            case "constructor":
                return $"new Env(\"{name}\") {{ {settings} }}";
            case "initializer":
                return $"new Env(\"tmp\") {{ Name = \"{name}\", {settings} }}";
            default:
                members.AppendLine($"    static readonly Env Env{a}_{i} = new(\"base\") {{ {settings} }};");
                return $"Env{a}_{i} with {{ Name = \"{name}\"{c.Pick("", "", ", IsProduction = true", ", IsProduction = false")}{c.Pick("", "", ", Tasks = new TaskCount(2, 3)", ", Tasks = new TaskCount(5, 3)")} }}";
        }
    }

    /// <summary>Runs the compiled definition and returns its apps (the assembly is loaded in a collectible context that shares the DSL).</summary>
    public static App[] Load(byte[] assembly)
    {
        var context = new AssemblyLoadContext("definition", isCollectible: true);
        try
        {
            var loaded = context.LoadFromStream(new MemoryStream(assembly));
            var property = loaded.GetType("Definition")!.GetProperty("Apps", BindingFlags.Public | BindingFlags.Static)!;
            return (App[])property.GetValue(null)!;
        }
        finally
        {
            context.Unload();
        }
    }
}
