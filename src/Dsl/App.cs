namespace Templates;

/// <summary>
/// A containerized web application: one Fargate service behind an HTTPS load balancer (and, optionally, more services:
/// <see cref="Services"/>), deployed once per environment. Each environment becomes one CloudFormation stack.
/// </summary>
public sealed record App
{
    /// <param name="name">The application's name: lowercase letters, digits and hyphens. It names the stacks (<c>&lt;app&gt;-&lt;env&gt;</c>) and the files.</param>
    public App(string name) => Name = name;

    /// <summary>The application's name, as given to the constructor.</summary>
    public string Name { get; init; }

    /// <summary>Where the application runs: a new VPC, or an existing one.</summary>
    public required Network Network { get; init; }

    /// <summary>The container and how it runs.</summary>
    public required FargateService Service { get; init; }

    /// <summary>
    /// More services of the app, beside <see cref="Service"/>: web services behind the same load balancer, backend services,
    /// workers and scheduled jobs, each named. Empty for an app of one container.
    /// </summary>
    public List<AppService> Services { get; init; } = [];

    /// <summary>
    /// How an environment's resources are split into stacks: all in one (the default), or the app's <see cref="Services"/> each
    /// in a stack of its own beside the environment's, for an app whose environment would not fit CloudFormation's 500 resources
    /// per stack. Changing it moves the services' resources between stacks, which replaces them: choose it before the first deploy.
    /// </summary>
    public StackLayout Stacks { get; init; } = StackLayout.OnePerEnvironment;

    /// <summary>The internet-facing Application Load Balancer in front of the service.</summary>
    public required LoadBalancer LoadBalancer { get; init; }

    /// <summary>How the number of tasks follows the load; the bounds are set per environment.</summary>
    public Scaling Scaling { get; init; } = new();

    /// <summary>How a new image version replaces the running one.</summary>
    public Deployment Deployment { get; init; } = new RollingDeployment();

    /// <summary>The CloudWatch alarms and dashboard of every environment, and whether a deployment that sets off an alarm is rolled back.</summary>
    public Alarms Alarms { get; init; } = new();

    /// <summary>The SES sender the application mails from; null when it sends no mail.</summary>
    public MailSender? Mail { get; init; }

    /// <summary>The ECR repository of <see cref="ContainerTask.Image"/>: created in the shared stack, or existing (the default).</summary>
    public ImageRepository Repository { get; init; } = new ExistingRepository();

    /// <summary>The GitHub repository the environments' pipelines build from; needed by any <see cref="Env.Pipeline"/>.</summary>
    public GitHubSource? Source { get; init; }

    /// <summary>Rules deliberately accepted in every environment, each with its reason.</summary>
    public List<Accepted> Accept { get; init; } = [];

    /// <summary>The environments, each deployed as its own stack.</summary>
    public List<Env> Environments { get; init; } = [];
}

/// <summary>How an environment's resources are split into CloudFormation stacks.</summary>
public enum StackLayout
{
    /// <summary>One stack per environment (<c>app-env</c>) holds everything.</summary>
    OnePerEnvironment,

    /// <summary>
    /// The environment's stack (<c>app-env</c>) holds what the services share (network, load balancer, cluster, security
    /// groups, queues) and shares it through SSM parameters; each of <see cref="App.Services"/> has a stack of its own (<c>app-env-NAME</c>) that
    /// reads it, deployed after the environment's. A service's stack holds about ten resources; the environment's keeps four per
    /// web or backend service and eight per worker (security groups, the rules between them, queues, and the SSM parameters that
    /// share them), so it fits CloudFormation's 500 resources per stack up to about a hundred services.
    /// </summary>
    StackPerService,
}
