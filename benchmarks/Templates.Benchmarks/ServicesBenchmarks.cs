using BenchmarkDotNet.Attributes;
using Templates;
using Templates.Generation;

/// <summary>
/// How the cost grows with the services of one app (issue 14): one app, a dev and a prod environment, <see cref="Services"/>
/// services beside its own (web services, backends their web services call, and workers, in turn), each service in a stack of
/// its own (<see cref="StackLayout.StackPerService"/>, which a hundred services need), validated, expanded, written and
/// checked as <c>dotnet run --project definitions</c> does. <see cref="ScalingBenchmarks"/> measures the same across apps.
/// </summary>
[MemoryDiagnoser]
public class ServicesBenchmarks
{
    App app = null!;

    /// <summary>How many services the app declares beside its own.</summary>
    [Params(1, 10, 100)]
    public int Services { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        app = App(Services);
        var result = Emitter.Generate([app]);
        if (result.HasErrors) throw new InvalidOperationException("The generated app should be valid:\n" + string.Join("\n", result.Findings));
    }

    internal static App App(int services) => new("bench")
    {
        Network = new NewVpc { Cidr = "10.20.0.0/16", AvailabilityZones = 3, TaskSubnets = TaskSubnets.Private },
        Service = new FargateService { Image = ContainerImage.FromEcr("bench/web", "1.0.0"), Port = 8080, HealthCheck = new HealthCheck { Path = "/health" } },
        LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b") },
        Stacks = StackLayout.StackPerService,
        Services = [.. Enumerable.Range(1, services).Select(i => Service(i, services))],
        Environments =
        {
            new Env("dev") { Region = "us-east-1", Tasks = new TaskCount(1, 2) },
            new Env("prod") { Region = "us-east-1", Tasks = new TaskCount(2, 10), WebAcl = new WebAcl() },
        },
    };

    // Mostly web services, a backend in four (called by the web service before it), a worker in twenty (sent to by the app's
    // Service): a hundred keep the environment's stack under 500 resources (four resources there per web service or backend,
    // eight per worker).
    static AppService Service(int i, int services)
    {
        var name = $"svc{i:D3}";
        var image = ContainerImage.FromEcr($"bench/{name}", "1.0.0");
        return (i % 20, i % 4) switch
        {
            (_, 2) => new BackendService(name) { Image = image, Port = 9000 },
            (3, _) => new Worker(name) { Image = image, Queue = new WorkQueue { VisibilityTimeoutSeconds = 60 }, SentBy = ["bench"] },
            _ => new WebService(name)
            {
                Image = image,
                Port = 8000,
                Route = Route.Path($"/{name}/*"),
                // Explicit, so that no two of a hundred generated names can draw one priority.
                Priority = i,
                Calls = i % 4 == 1 && i + 1 <= services ? [$"svc{i + 1:D3}"] : [],
            },
        };
    }

    /// <summary>Definition → validated model → every stack → bytes → validated templates.</summary>
    [Benchmark]
    public int EmitAndValidate()
    {
        var result = Emitter.Generate([app]);
        if (result.HasErrors) throw new InvalidOperationException("The generated app should be valid.");
        return result.Templates.Sum(t => t.Bytes.Length);
    }
}
