namespace Templates;

/// <summary>
/// What every container of an app sets, whether it is the app's <see cref="App.Service"/> or one of its
/// <see cref="App.Services"/>: the image, the task's size, its variables and secrets, its logs, and how it is hardened.
/// </summary>
public abstract record ContainerTask
{
    /// <summary>The container image.</summary>
    public required ContainerImage Image { get; init; }

    /// <summary>Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384 (1024 = one vCPU).</summary>
    public int Cpu { get; init; } = 256;

    /// <summary>Task memory in MiB; it must be allowed for <see cref="Cpu"/> (256 CPU: 512, 1024 or 2048; …).</summary>
    public int MemoryMiB { get; init; } = 512;

    /// <summary>Plain environment variables. Never put secrets here: use <see cref="Secrets"/>.</summary>
    public Dictionary<string, string> EnvironmentVariables { get; init; } = [];

    /// <summary>Environment variables whose values come from SSM Parameter Store or Secrets Manager when the task starts.</summary>
    public Dictionary<string, Secret> Secrets { get; init; } = [];

    /// <summary>Days the container's logs are kept: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653.</summary>
    public int LogRetentionDays { get; init; } = 30;

    /// <summary>Task ephemeral storage in GiB, 21 to 200; null keeps Fargate's default of 20 GiB.</summary>
    public int? EphemeralStorageGiB { get; init; }

    /// <summary>The processor architecture the image is built for.</summary>
    public CpuArchitecture Architecture { get; init; } = CpuArchitecture.X86_64;

    /// <summary>
    /// The user the container runs as: a name or UID, optionally with a group (<c>10001</c>, <c>10001:10001</c>, <c>app</c>);
    /// null runs the image's own <c>USER</c>. Root (<c>root</c>, <c>0</c>) is a warning in production (TPL0063).
    /// </summary>
    public string? User { get; init; }

    /// <summary>
    /// Whether the container's root file system is read-only (on by default): only <see cref="WritablePaths"/> can be written.
    /// Turning it off is a warning in production (TPL0063).
    /// </summary>
    public bool ReadOnlyRootFilesystem { get; init; } = true;

    /// <summary>
    /// The absolute paths the application writes to, each an empty scratch volume of the task's ephemeral storage (a bind
    /// mount), writable whatever <see cref="ReadOnlyRootFilesystem"/> says. ECS creates it owned by root with mode 0755 unless
    /// the image declares the same path as a <c>VOLUME</c>, whose owner and mode it then copies: a non-root <see cref="User"/>
    /// needs that <c>VOLUME</c> (the sample app's Dockerfile declares <c>/tmp</c>).
    /// </summary>
    public List<string> WritablePaths { get; init; } = ["/tmp"];

    /// <summary>
    /// The <see cref="BackendService"/>s of the app this container calls, by name: each is reached at
    /// <c>http://NAME:PORT</c> through ECS Service Connect, and its security group admits this container's. A name that is
    /// no backend service of the app is an error (TPL0071). Scheduled jobs cannot call backends: ECS runs them as standalone
    /// tasks, which Service Connect does not serve.
    /// </summary>
    public List<string> Calls { get; init; } = [];
}

/// <summary>
/// One more service of an app, beside its <see cref="App.Service"/>: a <see cref="WebService"/> behind the same load
/// balancer, a <see cref="BackendService"/> reached by name, a <see cref="Worker"/> draining a queue, or a
/// <see cref="ScheduledJob"/>. Its resources' logical IDs start with its name in PascalCase (<c>api</c> → <c>ApiService</c>):
/// renaming a service replaces its resources.
/// </summary>
public abstract record AppService : ContainerTask
{
    /// <param name="name">The service's name: lowercase letters, digits and hyphens, starting with a letter, at most 24 characters, unique in the app and not the app's own name.</param>
    protected AppService(string name) => Name = name;

    /// <summary>The service's name, as given to the constructor; other services refer to it by this name.</summary>
    public string Name { get; init; }

    /// <summary>
    /// The folder of the app's <see cref="App.Source"/> repository holding this service's Dockerfile, relative to its root
    /// (<c>services/api</c>, <c>.</c> for the root). With it, each environment's pipeline builds this image in its Build stage
    /// (beside the app's own, from the same commit) and rolls a web service, backend service or worker forward in its Deploy
    /// stage. Null: the pipeline neither builds nor deploys this service; its image comes from elsewhere and it rolls forward
    /// only through its <c>&lt;Name&gt;ImageTag</c> stack parameter (<c>api</c> → <c>ApiImageTag</c>). A
    /// <see cref="ScheduledJob"/> is never built by the pipeline (it has no ECS service for a deploy action to update): its
    /// image rolls forward through that parameter whatever this says.
    /// </summary>
    public string? BuildContext { get; init; }
}

/// <summary>
/// A service behind the environment's load balancer, beside the app's own <see cref="App.Service"/>: its own target group,
/// health check, task definition and scaling bounds, reached through a listener rule for its <see cref="Route"/>.
/// </summary>
public sealed record WebService : AppService
{
    /// <inheritdoc cref="AppService(string)"/>
    public WebService(string name) : base(name) { }

    /// <summary>The port the container listens on; the load balancer sends the route's traffic to it.</summary>
    public required int Port { get; init; }

    /// <summary>Which requests reach this service: host names and/or path patterns (<c>Route.Path("/api/*")</c>). Everything no route takes goes to the app's <see cref="App.Service"/>.</summary>
    public required Route Route { get; init; }

    /// <summary>
    /// The listener rule's priority, 1 (tried first) to 50000; null derives it from the name alone, so that adding or removing
    /// other services never renumbers this one's rule. Set it when a narrower route must be tried before a broader one.
    /// </summary>
    public int? Priority { get; init; }

    /// <summary>How the load balancer decides that a task is healthy.</summary>
    public HealthCheck HealthCheck { get; init; } = new();
}

/// <summary>
/// A service with no load balancer, reached by the app's other services at <c>http://NAME:PORT</c> through ECS Service Connect
/// (one namespace per environment), by those that list it in <see cref="ContainerTask.Calls"/>.
/// </summary>
public sealed record BackendService : AppService
{
    /// <inheritdoc cref="AppService(string)"/>
    public BackendService(string name) : base(name) { }

    /// <summary>The port the container listens on; callers reach it at <c>http://NAME:PORT</c>.</summary>
    public required int Port { get; init; }
}

/// <summary>
/// A service draining an SQS queue of its own (with a dead-letter queue), scaled on the queue's backlog per task. Its task
/// role may receive and delete the queue's messages and nothing more; the services named in <see cref="SentBy"/> may send to it.
/// The queue's URL reaches this container and every sender as <c>&lt;NAME&gt;_QUEUE_URL</c> (<c>mailer</c> → <c>MAILER_QUEUE_URL</c>).
/// </summary>
public sealed record Worker : AppService
{
    /// <inheritdoc cref="AppService(string)"/>
    public Worker(string name) : base(name) { }

    /// <summary>The queue the worker reads.</summary>
    public required WorkQueue Queue { get; init; }

    /// <summary>The services that may send to the queue, by name: the app's name for its <see cref="App.Service"/>, or another service's.</summary>
    public List<string> SentBy { get; init; } = [];

    /// <summary>The messages waiting per running task that the worker is scaled to keep (target tracking on the backlog), 1 or more.</summary>
    public int MessagesPerTask { get; init; } = 100;
}

/// <summary>A worker's SQS queue and its dead-letter queue.</summary>
public sealed record WorkQueue
{
    /// <summary>Seconds a received message stays hidden from other receivers, 0 to 43200: longer than the worker takes to process one.</summary>
    public int VisibilityTimeoutSeconds { get; init; } = 30;

    /// <summary>Receives of a message before it moves to the dead-letter queue, 1 to 1000.</summary>
    public int MaxReceives { get; init; } = 5;

    /// <summary>Days a message is kept in the queue, 1 to 14.</summary>
    public int RetentionDays { get; init; } = 4;

    /// <summary>Days a message is kept in the dead-letter queue, 1 to 14: longer than <see cref="RetentionDays"/>, since a message's age is counted from when it was first sent.</summary>
    public int DeadLetterRetentionDays { get; init; } = 14;
}

/// <summary>
/// A task run on a schedule (EventBridge Scheduler starts a Step Functions execution that runs the task and waits for it),
/// stopped when it runs longer than <see cref="TimeoutMinutes"/>, retried on failure, and never started while the previous
/// run is still going unless <see cref="AllowOverlap"/> says so.
/// </summary>
public sealed record ScheduledJob : AppService
{
    /// <inheritdoc cref="AppService(string)"/>
    public ScheduledJob(string name) : base(name) { }

    /// <summary>
    /// When it runs, in EventBridge Scheduler's syntax, in UTC: <c>rate(1 hour)</c>, <c>cron(0 3 * * ? *)</c> (minutes hours
    /// day-of-month month day-of-week year) or <c>at(2027-01-31T09:00:00)</c>. Checked at compile time (TPL0073).
    /// </summary>
    public required string Schedule { get; init; }

    /// <summary>Minutes a run may take before it is stopped, 1 to 1440.</summary>
    public int TimeoutMinutes { get; init; } = 60;

    /// <summary>How many times a failed run is tried again, 0 to 10 (a run stopped at its timeout is not).</summary>
    public int Retries { get; init; }

    /// <summary>Whether a run may start while the previous one is still going; by default it is skipped.</summary>
    public bool AllowOverlap { get; init; }
}

/// <summary>The requests a <see cref="WebService"/> takes: every listed host name (any when none) and path pattern (any when none) must match.</summary>
public sealed record Route
{
    /// <summary>Host names, case insensitive, with <c>*</c> and <c>?</c> wildcards (<c>api.example.com</c>, <c>*.example.com</c>); any host when empty. At most three.</summary>
    public List<string> Hosts { get; init; } = [];

    /// <summary>Path patterns, case sensitive, with <c>*</c> and <c>?</c> wildcards (<c>/api/*</c>); any path when empty. At most three.</summary>
    public List<string> Paths { get; init; } = [];

    /// <summary>Requests whose path matches one of <paramref name="patterns"/>.</summary>
    public static Route Path(params string[] patterns) => new() { Paths = [.. patterns] };

    /// <summary>Requests for one of the host names <paramref name="names"/>.</summary>
    public static Route Host(params string[] names) => new() { Hosts = [.. names] };

    /// <summary>This route's hosts, also requiring one of the path patterns <paramref name="patterns"/>.</summary>
    public Route AndPath(params string[] patterns) => this with { Paths = [.. Paths, .. patterns] };
}
