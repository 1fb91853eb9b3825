using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Templates.Generation.CloudFormation;
using Templates.Generation.Model;

namespace Templates.Tests;

/// <summary>
/// A scheduled job's schedule, state machine and roles, each held to what AWS documents: EventBridge Scheduler (on time, in UTC,
/// its role trusted only for the job's schedule group), the Step Functions definition, run in <see cref="StatesSimulator"/> against
/// a fake ECS (the overlap guard, the deadline that stops the task, retries of failed runs but not of timed-out ones), and
/// least-privilege policies that grant exactly the calls the definition makes.
/// </summary>
public class ScheduledJobTests
{
    static ScheduledJob Nightly => new("nightly")
    {
        Image = ContainerImage.FromEcr("shop-nightly"),
        Schedule = "cron(0 3 * * ? *)",
        TimeoutMinutes = 30,
        Retries = 2,
    };

    const string Prefix = "Nightly";

    /// <summary>A template holding what the job needs around it (network, cluster, its security group and task) and the job.</summary>
    internal static TemplateView Build(ScheduledJob job, Network? network = null)
    {
        var app = Fixtures.Minimal() with { Services = [job] };
        if (network is not null) app = app with { Network = network };
        var m = EnvironmentModel.Resolve(app, app.Environments.Single());
        var t = new Template("A scheduled job");
        var refs = NetworkBuilder.Add(t, m);
        t.AddResource(LogicalIds.Cluster, "AWS::ECS::Cluster", new());
        var ids = TaskIds.For(job.Name);
        var prefix = Templates.Rules.Checks.ServiceIdPrefix(job.Name);
        t.AddResource(prefix + "SecurityGroup", "AWS::EC2::SecurityGroup", new()
        {
            ["GroupDescription"] = "job",
            ["VpcId"] = refs.VpcId.DeepClone(),
        });
        ServiceBuilder.AddTaskRoles(t, m, ids, job, "job");
        ServiceBuilder.AddTaskDefinition(t, m, ids, job, null, Fn.Sub($"{Fn.EcrRegistry}/{job.Image.Repository}:latest"), null);
        ScheduledJobBuilder.Add(t, m, m.Services.Single(), ids, ServiceRefs.Local(m, refs));
        return new TemplateView(t.ToJson());
    }

    static JsonObject Definition(TemplateView view) => view.Properties(Prefix + "StateMachine")["Definition"]!.AsObject();

    // ---- EventBridge Scheduler ----

    [Fact]
    public void The_schedule_runs_the_expression_in_UTC_without_a_flexible_window_and_starts_the_state_machine()
    {
        // AWS::Scheduler::Schedule: FlexibleTimeWindow is required, Mode OFF starts the target at the scheduled minute
        // (https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-flexible-time-windows.html); the target of a
        // Step Functions StartExecution is the state machine's ARN (Ref of AWS::StepFunctions::StateMachine).
        var view = Build(Nightly);
        var schedule = view.Properties(Prefix + "Schedule");
        Assert.Equal("cron(0 3 * * ? *)", (string?)schedule["ScheduleExpression"]);
        Assert.Equal("UTC", (string?)schedule["ScheduleExpressionTimezone"]);
        Assert.Equal("OFF", (string?)schedule["FlexibleTimeWindow"]!["Mode"]);
        Assert.Null(schedule["FlexibleTimeWindow"]!["MaximumWindowInMinutes"]);
        Assert.Equal(Prefix + "ScheduleGroup", (string?)schedule["GroupName"]!["Ref"]);
        Assert.Equal(Prefix + "StateMachine", (string?)schedule["Target"]!["Arn"]!["Ref"]);
        Assert.Equal(Prefix + "SchedulerRole", (string?)schedule["Target"]!["RoleArn"]!["Fn::GetAtt"]![0]);
        // RetryPolicy ranges of AWS::Scheduler::Schedule: MaximumRetryAttempts 0-185, MaximumEventAgeInSeconds 60-86400.
        var retry = schedule["Target"]!["RetryPolicy"]!;
        Assert.InRange((int)retry["MaximumRetryAttempts"]!, 0, 185);
        Assert.InRange((int)retry["MaximumEventAgeInSeconds"]!, 60, 86400);
        Assert.Equal("AWS::Scheduler::ScheduleGroup", (string?)view.Resource(Prefix + "ScheduleGroup")["Type"]);
    }

    [Fact]
    public void The_scheduler_role_is_trusted_only_for_the_jobs_schedule_group_and_may_only_start_the_state_machine()
    {
        // "The value of aws:SourceArn must be your EventBridge Scheduler schedule group ARN ... Do not scope the aws:SourceArn
        // statement to a specific schedule or a schedule name prefix" (Scheduler's cross-service confused deputy prevention page).
        var view = Build(Nightly);
        var role = view.Properties(Prefix + "SchedulerRole");
        var trust = Assert.Single(role["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("scheduler.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Equal("AWS::AccountId", (string?)trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]!["Ref"]);
        Assert.Equal("arn:${AWS::Partition}:scheduler:${AWS::Region}:${AWS::AccountId}:schedule-group/${NightlyScheduleGroup}",
            (string?)trust["Condition"]!["ArnLike"]!["aws:SourceArn"]!["Fn::Sub"]);
        var statement = Assert.Single(Statements(role));
        Assert.Equal("states:StartExecution", (string?)statement["Action"]);
        Assert.Equal(Prefix + "StateMachine", (string?)statement["Resource"]!["Ref"]);
    }

    // ---- The state machine's roles ----

    [Fact]
    public void The_state_machine_role_is_trusted_by_step_functions_of_this_account_for_its_state_machines()
    {
        // The trust policy of Step Functions' "Creating a state machine role" procedure: aws:SourceAccount and an aws:SourceArn of the
        // account's state machines (the role exists before the state machine, whose ARN is not known yet).
        var trust = Assert.Single(Build(Nightly).Properties(Prefix + "StateMachineRole")["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
        Assert.Equal("states.amazonaws.com", (string?)trust["Principal"]!["Service"]);
        Assert.Equal("AWS::AccountId", (string?)trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]!["Ref"]);
        Assert.Equal("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:*", (string?)trust["Condition"]!["ArnLike"]!["aws:SourceArn"]!["Fn::Sub"]);
    }

    [Fact]
    public void The_state_machine_role_runs_only_the_jobs_family_on_the_cluster_and_passes_only_the_jobs_roles_to_ecs_tasks()
    {
        var view = Build(Nightly);
        var statements = Statements(view.Properties(Prefix + "StateMachineRole")).ToDictionary(s => (string)s["Sid"]!);
        var run = statements["RunJobTask"];
        Assert.Equal("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${AWS::StackName}-nightly:*", (string?)run["Resource"]!["Fn::Sub"]);
        Assert.Equal((string?)view.Properties(Prefix + "TaskDefinition")["Family"]!["Fn::Sub"] + ":*", ((string)run["Resource"]!["Fn::Sub"]!).Split("task-definition/")[1]);
        Assert.Equal(["Cluster", "Arn"], run["Condition"]!["ArnEquals"]!["ecs:cluster"]!["Fn::GetAtt"]!.AsArray().Select(n => (string)n!));
        var watch = statements["WatchAndStopJobTask"];
        Assert.Equal("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Cluster}/*", (string?)watch["Resource"]!["Fn::Sub"]);
        Assert.NotNull(watch["Condition"]!["ArnEquals"]!["ecs:cluster"]);
        var pass = statements["PassJobRoles"];
        Assert.Equal([Prefix + "TaskRole", Prefix + "TaskExecutionRole"], pass["Resource"]!.AsArray().Select(r => (string)r!["Fn::GetAtt"]![0]!));
        Assert.Equal("ecs-tasks.amazonaws.com", (string?)pass["Condition"]!["StringEquals"]!["iam:PassedToService"]);
        // No statement on "*".
        Assert.DoesNotContain(statements.Values, s => s["Resource"] is JsonValue v && (string?)v == "*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_roles_grant_exactly_the_calls_the_definition_makes(bool allowOverlap)
    {
        // Each Task state's Resource names one API action (an optimized integration or arn:aws:states:::aws-sdk:SERVICE:action):
        // the state machine's role must hold each, and nothing else.
        var view = Build(Nightly with { AllowOverlap = allowOverlap });
        var used = TaskResources(Definition(view)).Select(ActionOf).ToHashSet();
        var granted = Statements(view.Properties(Prefix + "StateMachineRole")).Concat(allowOverlap ? [] : PolicyStatements(view, Prefix + "StateMachinePolicy"))
            .SelectMany(Actions).Where(a => a != "iam:PassRole").ToHashSet();
        Assert.Equal(used.Order(), granted.Order());
        Assert.Equal(allowOverlap ? [] : ["states:ListExecutions"], used.Where(a => a.StartsWith("states:", StringComparison.Ordinal)));
    }

    [Fact]
    public void Listing_executions_is_granted_on_the_state_machine_alone_and_the_schedule_waits_for_that_grant()
    {
        var view = Build(Nightly);
        var policy = view.Properties(Prefix + "StateMachinePolicy");
        Assert.Equal(Prefix + "StateMachineRole", (string?)Assert.Single(policy["Roles"]!.AsArray())!["Ref"]);
        var statement = Assert.Single(PolicyStatements(view, Prefix + "StateMachinePolicy"));
        Assert.Equal(Prefix + "StateMachine", (string?)statement["Resource"]!["Ref"]);
        Assert.Equal(Prefix + "StateMachinePolicy", (string?)view.Resource(Prefix + "Schedule")["DependsOn"]);
        Assert.DoesNotContain(Prefix + "StateMachinePolicy", Build(Nightly with { AllowOverlap = true }).Resources.Select(r => r.Key));
    }

    // ---- The definition ----

    [Fact]
    public void Every_placeholder_of_the_definition_has_a_substitution_and_every_substitution_is_used()
    {
        var view = Build(Nightly);
        var text = Definition(view).ToJsonString();
        var placeholders = Regex.Matches(text, @"\$\{([^}]+)\}").Select(m => m.Groups[1].Value).ToHashSet();
        var substitutions = view.Properties(Prefix + "StateMachine")["DefinitionSubstitutions"]!.AsObject().Select(p => p.Key).ToHashSet();
        Assert.Equal(substitutions.Order(), placeholders.Order());
        Assert.Equal("STANDARD", (string?)view.Properties(Prefix + "StateMachine")["StateMachineType"]);
    }

    [Fact]
    public void The_overlap_guard_is_there_only_when_overlap_is_not_allowed()
    {
        var guarded = Definition(Build(Nightly));
        Assert.Equal("CheckOverlap", (string?)guarded["StartAt"]);
        var check = guarded["States"]!["CheckOverlap"]!;
        Assert.Equal("arn:aws:states:::aws-sdk:sfn:listExecutions", (string?)check["Resource"]);
        Assert.Equal("RUNNING", (string?)check["Parameters"]!["StatusFilter"]);
        Assert.Equal("$$.StateMachine.Id", (string?)check["Parameters"]!["StateMachineArn.$"]);

        var open = Definition(Build(Nightly with { AllowOverlap = true }));
        Assert.Equal("Run", (string?)open["StartAt"]);
        Assert.DoesNotContain("listExecutions", open.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(10)]
    public void A_failed_run_is_retried_Retries_times_and_a_timed_out_run_never(int retries)
    {
        var retry = Definition(Build(Nightly with { Retries = retries }))["States"]!["Run"]!["Retry"]!.AsArray();
        // The first retrier whose ErrorEquals matches decides: the timeout's comes first, with no attempt.
        Assert.Equal([ScheduledJobBuilder.TimedOutError], retry[0]!["ErrorEquals"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(0, (int)retry[0]!["MaxAttempts"]!);
        if (retries == 0)
        {
            Assert.Single(retry);
            return;
        }
        Assert.Equal(2, retry.Count);
        Assert.Equal(retries, (int)retry[1]!["MaxAttempts"]!);
        Assert.DoesNotContain("States.Timeout", retry[1]!["ErrorEquals"]!.AsArray().Select(e => (string)e!));
        Assert.DoesNotContain("States.ALL", retry[1]!["ErrorEquals"]!.AsArray().Select(e => (string)e!));
    }

    [Theory]
    [InlineData(1, 60, 1)]
    [InlineData(30, 60, 30)]
    [InlineData(120, 60, 120)]
    [InlineData(121, 61, 120)]
    [InlineData(1440, 720, 120)]
    public void The_deadline_is_the_timeout_counted_in_polls(int minutes, int pollSeconds, int polls)
    {
        var job = Nightly with { TimeoutMinutes = minutes };
        var states = Definition(Build(job))["States"]!["Run"]!["Branches"]![0]!["States"]!;
        Assert.Equal(pollSeconds, (int)states["WaitForTask"]!["Seconds"]!);
        Assert.Equal(polls, (int)states["StartClock"]!["Result"]!["Remaining"]!);
        Assert.True(pollSeconds * polls >= minutes * 60, "The polls must add up to the timeout at least.");
        Assert.True(pollSeconds * (polls - 1) < minutes * 60, "One poll fewer must fall short of the timeout.");
    }

    [Theory]
    [InlineData(false, "ENABLED")]
    [InlineData(true, "DISABLED")]
    public void The_task_runs_in_the_task_subnets_with_the_jobs_security_group(bool privateSubnets, string assignPublicIp)
    {
        var view = Build(Nightly, privateSubnets ? new NewVpc { TaskSubnets = TaskSubnets.Private } : null);
        var start = Definition(view)["States"]!["Run"]!["Branches"]![0]!["States"]!["StartTask"]!;
        Assert.Equal("arn:aws:states:::ecs:runTask", (string?)start["Resource"]);
        var vpc = start["Parameters"]!["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
        Assert.Equal(assignPublicIp, (string?)vpc["AssignPublicIp"]);
        var substitutions = view.Properties(Prefix + "StateMachine")["DefinitionSubstitutions"]!;
        Assert.Equal(Prefix + "SecurityGroup", (string?)substitutions["SecurityGroup"]!["Fn::GetAtt"]![0]);
        var subnets = substitutions["Subnets"]!["Fn::Join"]![1]!.AsArray().Select(s => (string)s!["Ref"]!);
        Assert.All(subnets, s => Assert.StartsWith(privateSubnets ? "PrivateSubnet" : "PublicSubnet", s, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_template_with_a_job_is_valid_and_written_the_same_bytes_twice(bool allowOverlap)
    {
        var job = Nightly with { AllowOverlap = allowOverlap };
        var bytes = TemplateWriter.Write(Build(job).Json);
        var problems = Templates.Generation.Validation.TemplateValidator.Validate(bytes);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(bytes, TemplateWriter.Write(Build(job).Json));
    }

    // ---- The definition, run ----

    [Fact]
    public void A_run_whose_task_exits_0_succeeds_once()
    {
        var ecs = new FakeAws { Runs = { new(StopsAfterPolls: 3, ExitCode: 0) } };
        var outcome = ecs.Run(Nightly);
        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Single(ecs.Started);
        Assert.Empty(ecs.Stopped);
        // The task ran in the subnets and security group the stack substituted.
        var vpc = ecs.Started[0]["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
        Assert.Equal(["subnet-a", "subnet-b"], vpc["Subnets"]!.AsArray().Select(s => (string)s!));
        Assert.Equal("sg-job", (string?)vpc["SecurityGroups"]![0]);
        Assert.Equal(FakeAws.TaskDefinition, (string?)ecs.Started[0]["TaskDefinition"]);
        Assert.Equal("FARGATE", (string?)ecs.Started[0]["LaunchType"]);
    }

    [Fact]
    public void A_run_whose_task_exits_non_zero_is_retried_Retries_times_then_fails()
    {
        var ecs = new FakeAws { Runs = { new(1, 1), new(1, 1), new(1, 1), new(1, 0) } };
        var outcome = ecs.Run(Nightly);
        Assert.False(outcome.Succeeded);
        Assert.Equal(ScheduledJobBuilder.FailedError, outcome.Error);
        Assert.Equal(3, ecs.Started.Count); // the first run and Retries = 2 more
        Assert.Empty(ecs.Stopped);
    }

    [Fact]
    public void A_failed_run_followed_by_a_good_one_succeeds()
    {
        var ecs = new FakeAws { Runs = { new(2, 137), new(2, 0) } };
        Assert.True(ecs.Run(Nightly).Succeeded);
        Assert.Equal(2, ecs.Started.Count);
    }

    [Fact]
    public void A_task_that_stopped_without_an_exit_code_or_never_started_is_a_failed_run()
    {
        // A task whose image cannot be pulled stops with no exit code; RunTask answers with Failures and no task when ECS cannot
        // place it (both retried).
        var ecs = new FakeAws { Runs = { new(1, null), FakeAws.NotPlaced, new(1, 0) } };
        Assert.True(ecs.Run(Nightly).Succeeded);
        Assert.Equal(3, ecs.RunTaskCalls);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    [InlineData(1440)]
    public void A_task_that_outlives_the_timeout_is_stopped_by_its_ARN_after_the_timeout_and_not_retried(int minutes)
    {
        var job = Nightly with { TimeoutMinutes = minutes, Retries = 3 };
        var ecs = new FakeAws { Runs = { new(StopsAfterPolls: null, ExitCode: null), new(1, 0) } };
        var outcome = ecs.Run(job);
        Assert.False(outcome.Succeeded);
        Assert.Equal(ScheduledJobBuilder.TimedOutError, outcome.Error);
        Assert.Single(ecs.Started);
        var (arn, at, reason) = Assert.Single(ecs.Stopped);
        Assert.Equal(FakeAws.TaskArn(0), arn);
        Assert.Contains("timeout", reason, StringComparison.Ordinal);
        // Stopped once the timeout has passed, and at most one poll later.
        Assert.True(at >= minutes * 60 && at < minutes * 60 + ScheduledJobBuilder.PollSeconds(job), $"Stopped at {at} s for a timeout of {minutes * 60} s.");
    }

    [Fact]
    public void A_run_is_skipped_while_another_is_going_unless_overlap_is_allowed()
    {
        var busy = new FakeAws { RunningExecutions = 2, Runs = { new(1, 0) } };
        var skipped = busy.Run(Nightly);
        Assert.True(skipped.Succeeded);
        Assert.Equal(0, busy.RunTaskCalls);
        Assert.Contains("Skipped", busy.Simulator!.Trace);

        var alone = new FakeAws { RunningExecutions = 1, Runs = { new(1, 0) } };
        Assert.True(alone.Run(Nightly).Succeeded);
        Assert.Equal(1, alone.RunTaskCalls);

        var overlapping = new FakeAws { RunningExecutions = 2, Runs = { new(1, 0) } };
        Assert.True(overlapping.Run(Nightly with { AllowOverlap = true }).Succeeded);
        Assert.Equal(1, overlapping.RunTaskCalls);
        Assert.Equal(0, overlapping.ListExecutionsCalls);
    }

    [Fact]
    public void A_task_that_DescribeTasks_does_not_list_yet_is_polled_again()
    {
        var ecs = new FakeAws { Runs = { new(2, 0) }, MissingDescribes = 2 };
        var outcome = ecs.Run(Nightly);
        Assert.True(outcome.Succeeded, outcome.Error);
        Assert.Single(ecs.Started);
        Assert.Equal(4, ecs.Simulator!.Trace.Count(s => s.EndsWith("/DescribeTask", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_task_that_can_no_longer_be_described_is_stopped_rather_than_left_running()
    {
        var ecs = new FakeAws { Runs = { new(null, null) }, DescribeFails = true };
        var outcome = ecs.Run(Nightly with { Retries = 0 });
        Assert.Equal(ScheduledJobBuilder.FailedError, outcome.Error);
        Assert.Equal(FakeAws.TaskArn(0), Assert.Single(ecs.Stopped).Arn);
    }

    [Fact]
    public void The_longest_job_with_the_most_retries_stays_below_a_standard_executions_history_limit()
    {
        // 25,000 events per execution (Step Functions service quotas). Worst case: every run fails just before its deadline and
        // is retried ten times. Events per state: a Task writes 5 (entered, scheduled, started, succeeded, exited), the others 2
        // (the branch's states are counted one by one, and the Parallel itself as 5 per attempt, started, failed and retried:
        // an estimate from above).
        var job = Nightly with { TimeoutMinutes = 1440, Retries = 10 };
        var polls = ScheduledJobBuilder.Polls(job);
        var ecs = new FakeAws();
        for (var i = 0; i < 11; i++) ecs.Runs.Add(new(polls - 1, 1));
        var outcome = ecs.Run(job);
        Assert.Equal(ScheduledJobBuilder.FailedError, outcome.Error);
        Assert.Equal(11, ecs.Started.Count);
        var tasks = new HashSet<string> { "CheckOverlap", "StartTask", "DescribeTask", "StopTask", "StopUnwatchedTask" };
        var events = ecs.Simulator!.Trace.Where(s => s != "Run").Sum(s => tasks.Contains(s.Split('/')[^1]) ? 5 : 2) + 5 * ecs.Started.Count;
        Assert.InRange(events, 11 * ScheduledJobBuilder.MaxPollsPerRun, 25_000);
    }

    // ---- Helpers ----

    static IEnumerable<JsonObject> Statements(JsonObject role) =>
        role["Policies"]!.AsArray().SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray()).Select(s => s!.AsObject());

    static IEnumerable<JsonObject> PolicyStatements(TemplateView view, string policy) =>
        view.Properties(policy)["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject());

    static IEnumerable<string> Actions(JsonObject statement) =>
        statement["Action"] is JsonArray list ? list.Select(a => (string)a!) : [(string)statement["Action"]!];

    static IEnumerable<string> TaskResources(JsonNode node) => node switch
    {
        JsonObject o when (string?)o["Type"] == "Task" => [(string)o["Resource"]!],
        JsonObject o => o.SelectMany(p => p.Value is null ? [] : TaskResources(p.Value)),
        JsonArray a => a.SelectMany(n => n is null ? [] : TaskResources(n)),
        _ => [],
    };

    /// <summary>The IAM action a Task state's Resource calls: <c>arn:aws:states:::ecs:runTask</c> → <c>ecs:RunTask</c>, <c>…:aws-sdk:sfn:listExecutions</c> → <c>states:ListExecutions</c>.</summary>
    static string ActionOf(string resource)
    {
        var parts = resource.Split(':');
        var (service, action) = parts[^3] == "aws-sdk" ? (parts[^2], parts[^1]) : (parts[^2], parts[^1]);
        Assert.DoesNotContain(".", action); // no .sync or .waitForTaskToken
        return $"{(service == "sfn" ? "states" : service)}:{char.ToUpperInvariant(action[0])}{action[1..]}";
    }

    /// <summary>A fake ECS and Step Functions for <see cref="StatesSimulator"/>: each RunTask takes the next of <see cref="Runs"/>.</summary>
    sealed class FakeAws
    {
        public const string TaskDefinition = "arn:aws:ecs:us-east-1:123456789012:task-definition/shop-dev-nightly:1";
        const string Cluster = "arn:aws:ecs:us-east-1:123456789012:cluster/shop-dev";

        /// <summary>How one started task behaves: the polls after which it is STOPPED (null: never), and its container's exit code (null: none).</summary>
        public sealed record TaskRun(int? StopsAfterPolls, int? ExitCode, bool Placed = true);

        public static readonly TaskRun NotPlaced = new(null, null, Placed: false);

        public static string TaskArn(int index) => $"arn:aws:ecs:us-east-1:123456789012:task/shop-dev/{index:D32}";

        public List<TaskRun> Runs { get; } = [];
        public int RunningExecutions { get; init; } = 1;
        public bool DescribeFails { get; init; }
        public int MissingDescribes { get; set; }
        public List<JsonObject> Started { get; } = [];
        public List<(string Arn, double At, string Reason)> Stopped { get; } = [];
        public int RunTaskCalls { get; private set; }
        public int ListExecutionsCalls { get; private set; }
        public StatesSimulator? Simulator { get; private set; }
        readonly Dictionary<string, (TaskRun Run, int Polls)> tasks = [];

        public StatesSimulator.Outcome Run(ScheduledJob job)
        {
            var view = Build(job);
            // What CloudFormation does with DefinitionSubstitutions, with this fake's values.
            var values = new Dictionary<string, string> { ["Cluster"] = Cluster, ["TaskDefinition"] = TaskDefinition, ["SecurityGroup"] = "sg-job", ["Subnets"] = "subnet-a,subnet-b" };
            var text = Regex.Replace(Definition(view).ToJsonString(), @"\$\{([^}]+)\}", m => values[m.Groups[1].Value]);
            Simulator = new StatesSimulator(Call);
            return Simulator.Run(JsonNode.Parse(text)!.AsObject());
        }

        JsonNode Call(string resource, JsonObject parameters)
        {
            switch (resource)
            {
                case "arn:aws:states:::aws-sdk:sfn:listExecutions":
                    ListExecutionsCalls++;
                    Assert.Equal("RUNNING", (string?)parameters["StatusFilter"]);
                    return new JsonObject { ["Executions"] = new JsonArray([.. Enumerable.Range(0, RunningExecutions).Select(i => (JsonNode)new JsonObject { ["Name"] = $"e{i}" })]) };
                case "arn:aws:states:::ecs:runTask":
                {
                    Assert.Equal(Cluster, (string?)parameters["Cluster"]);
                    var run = Runs[RunTaskCalls++];
                    if (!run.Placed)
                        return new JsonObject { ["Tasks"] = new JsonArray(), ["Failures"] = new JsonArray(new JsonObject { ["Reason"] = "RESOURCE:CPU" }) };
                    var arn = TaskArn(Started.Count);
                    Started.Add(parameters);
                    tasks[arn] = (run, 0);
                    return new JsonObject { ["Tasks"] = new JsonArray(new JsonObject { ["TaskArn"] = arn, ["LastStatus"] = "PROVISIONING" }), ["Failures"] = new JsonArray() };
                }
                case "arn:aws:states:::aws-sdk:ecs:describeTasks":
                {
                    if (DescribeFails) throw new StatesSimulator.ServiceError("Ecs.EcsException", "Service unavailable");
                    var arn = (string)Assert.Single(parameters["Tasks"]!.AsArray())!;
                    if (MissingDescribes > 0)
                    {
                        // DescribeTasks is eventually consistent: a task just started may be reported MISSING under Failures.
                        MissingDescribes--;
                        return new JsonObject { ["Tasks"] = new JsonArray(), ["Failures"] = new JsonArray(new JsonObject { ["Arn"] = arn, ["Reason"] = "MISSING" }) };
                    }
                    var (run, polls) = tasks[arn];
                    tasks[arn] = (run, ++polls);
                    var stopped = run.StopsAfterPolls is { } after && polls >= after;
                    var container = new JsonObject { ["Name"] = "app" };
                    if (stopped && run.ExitCode is { } code) container["ExitCode"] = code;
                    return new JsonObject
                    {
                        ["Tasks"] = new JsonArray(new JsonObject { ["TaskArn"] = arn, ["LastStatus"] = stopped ? "STOPPED" : "RUNNING", ["Containers"] = new JsonArray(container) }),
                        ["Failures"] = new JsonArray(),
                    };
                }
                case "arn:aws:states:::aws-sdk:ecs:stopTask":
                    Assert.Equal(Cluster, (string?)parameters["Cluster"]);
                    Stopped.Add(((string)parameters["Task"]!, Simulator!.Clock, (string)parameters["Reason"]!));
                    return new JsonObject();
                default:
                    throw new Xunit.Sdk.XunitException($"The fake does not serve {resource}.");
            }
        }
    }
}
