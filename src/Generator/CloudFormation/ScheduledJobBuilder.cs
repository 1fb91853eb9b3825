using System.Globalization;
using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>
/// A <see cref="ScheduledJob"/>: an EventBridge Scheduler schedule (in a schedule group of its own) starts a Step Functions
/// Standard execution, which skips the run while another is going (unless overlap is allowed), runs the job's Fargate task,
/// watches it until it stops, stops it when it outlives the job's timeout, and runs it again when it fails.
/// </summary>
/// <remarks>
/// <para>
/// Why the execution watches the task itself rather than with <c>arn:aws:states:::ecs:runTask.sync</c> and the state's
/// <c>TimeoutSeconds</c>: ECS has no task timeout (aws/containers-roadmap#572, #291), and no Step Functions page says that a
/// <c>.sync</c> state that times out stops the ECS task it started. The service integration patterns page
/// (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html) says only that <c>.sync</c> waits for the job;
/// the ECS page (https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html) and its IAM page
/// (https://docs.aws.amazon.com/step-functions/latest/dg/ecs-iam.html) grant <c>ecs:StopTask</c> without saying when it is
/// used; and a timed-out <c>.sync</c> state's error output carries no task ARN to stop it with. So the execution starts the
/// task with the request-response <c>arn:aws:states:::ecs:runTask</c>, whose output is RunTask's response with the task's ARN,
/// polls <c>ecs:DescribeTasks</c> until the task is STOPPED, and calls <c>ecs:StopTask</c> itself at the deadline: the task is
/// stopped by a call this template makes, not by behaviour AWS does not document.
/// </para>
/// <para>
/// The deadline is counted in polls: <see cref="PollSeconds"/> apart, <see cref="Polls"/> of them. Each poll also takes the time
/// of one DescribeTasks call, so a task is stopped at most one poll interval plus those calls after its timeout, never before.
/// Polls are at most <see cref="MaxPollsPerRun"/> per run, so that a run and all its retries stay far below a Standard
/// execution's 25,000 history events (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html): each poll
/// writes 13 events (Wait 2, Task 5, two Choices 4, Pass 2).
/// </para>
/// </remarks>
internal static class ScheduledJobBuilder
{
    /// <summary>The most polls one run of a job makes: longer timeouts poll less often.</summary>
    internal const int MaxPollsPerRun = 120;

    /// <summary>The shortest interval between two polls of the task, in seconds.</summary>
    internal const int MinPollSeconds = 60;

    /// <summary>The error a run ends with when its task stopped without exit code 0, or could not start: retried.</summary>
    public const string FailedError = "Job.Failed";

    /// <summary>The error a run ends with when its task outlived the timeout and was stopped: never retried.</summary>
    public const string TimedOutError = "Job.TimedOut";

    /// <summary>Seconds between two polls of a job's task: one minute, or more for timeouts above <see cref="MaxPollsPerRun"/> minutes.</summary>
    internal static int PollSeconds(ScheduledJob job) => Math.Max(MinPollSeconds, CeilDiv(job.TimeoutMinutes * 60, MaxPollsPerRun));

    /// <summary>Polls before the deadline: enough that their intervals add up to at least the job's timeout.</summary>
    internal static int Polls(ScheduledJob job) => CeilDiv(job.TimeoutMinutes * 60, PollSeconds(job));

    static int CeilDiv(int a, int b) => (a + b - 1) / b;

    public static void Add(Template t, EnvironmentModel m, ServiceModel job, TaskIds ids, ServiceRefs refs)
    {
        var s = (ScheduledJob)job.Service;
        var network = refs.Network;
        var securityGroup = refs.SecurityGroup(s.Name);
        var stateMachine = ids.Of("StateMachine");
        var stateMachineRole = ids.Of("StateMachineRole");
        var scheduleGroup = ids.Of("ScheduleGroup");
        var schedulerRole = ids.Of("SchedulerRole");
        // In a job's own stack (StackLayout.StackPerService) the cluster is the environment's, known by its name.
        JsonNode InCluster(string arn) => refs.InEnvironmentStack
            ? Fn.Sub(arn.Replace("${Cluster}", $"${{{Ids.Cluster}}}", StringComparison.Ordinal))
            : new JsonObject { ["Fn::Sub"] = new JsonArray(arn, new JsonObject { ["Cluster"] = refs.Cluster() }) };
        var clusterArn = refs.InEnvironmentStack ? Fn.GetAtt(Ids.Cluster, "Arn") : InCluster("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${Cluster}");

        // The state machine's role: start this job's task on this cluster, watch and stop this cluster's tasks, pass this job's two
        // roles to ECS tasks. Step Functions' trust policy with the confused-deputy keys it documents
        // (https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html: aws:SourceAccount and an
        // aws:SourceArn of the account's state machines).
        var runTask = StackBuilder.Statement("RunJobTask", ["ecs:RunTask"],
            Fn.Sub($"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{ids.Family}:*"));
        runTask["Condition"] = ClusterCondition(clusterArn);
        // DescribeTasks and StopTask take a task ARN, which is not known before the run: every task of this cluster, and only it.
        var watch = StackBuilder.Statement("WatchAndStopJobTask", ["ecs:DescribeTasks", "ecs:StopTask"],
            InCluster("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Cluster}/*"));
        watch["Condition"] = ClusterCondition(clusterArn);
        var passRoles = StackBuilder.Statement("PassJobRoles", ["iam:PassRole"],
            new JsonArray(Fn.GetAtt(ids.TaskRole, "Arn"), Fn.GetAtt(ids.ExecutionRole, "Arn")));
        passRoles["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } };
        var role = t.AddResource(stateMachineRole, "AWS::IAM::Role", new()
        {
            ["Description"] = $"{m.StackName}: lets Step Functions run, watch and stop {s.Name}'s task",
            ["AssumeRolePolicyDocument"] = StackBuilder.ServiceTrust("states.amazonaws.com", confusedDeputyCondition: true,
                Fn.Sub("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:*")),
        });
        ServiceBuilder.AddPolicy(role, "run-job", runTask, watch, passRoles);

        var definition = Definition(s, network);
        t.AddResource(stateMachine, "AWS::StepFunctions::StateMachine", new()
        {
            // Standard, not Express: ListExecutions (the overlap guard) and runs longer than five minutes need it.
            ["StateMachineType"] = "STANDARD",
            ["RoleArn"] = Fn.GetAtt(stateMachineRole, "Arn"),
            // The definition as an object, not a DefinitionString built with Fn::Sub: cfn-lint validates an object against the
            // States Language schema and does not look inside a substituted string (tried with cfn-lint 1.51.0: a Parallel state
            // with a field the schema refuses passes as a string and fails as an object). moto 5.2.1 keeps either as an empty
            // definition. The stack's values reach it through DefinitionSubstitutions.
            ["Definition"] = definition,
            ["DefinitionSubstitutions"] = new JsonObject
            {
                ["Cluster"] = clusterArn.DeepClone(),
                ["TaskDefinition"] = Fn.Ref(ids.TaskDefinition),
                ["SecurityGroup"] = securityGroup.DeepClone(),
                // A list in a string (States.StringSplit splits it again): the subnets may be a parameter's list of unknown length.
                ["Subnets"] = new JsonObject { ["Fn::Join"] = new JsonArray(",", network.TaskSubnets.DeepClone()) },
            },
        }).TradeOff(NoExecutionLogsTradeOff);

        string[] scheduleDependsOn = [];
        if (!s.AllowOverlap)
        {
            // Listing this state machine's executions needs its ARN, which exists only once it does; the state machine needs the
            // role first, so the permission is a policy of its own, attached after both (a role policy naming the state machine
            // would make a cycle). The schedule waits for it: a rate() schedule starts at once.
            var policy = ids.Of("StateMachinePolicy");
            t.AddResource(policy, "AWS::IAM::Policy", new()
            {
                ["PolicyName"] = "list-own-executions",
                ["Roles"] = new JsonArray(Fn.Ref(stateMachineRole)),
                ["PolicyDocument"] = new JsonObject
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = new JsonArray(StackBuilder.Statement("ListOwnExecutions", ["states:ListExecutions"], Fn.Ref(stateMachine))),
                },
            });
            scheduleDependsOn = [policy];
        }

        // EventBridge Scheduler's execution role: start this state machine's executions and nothing else. The confused-deputy
        // condition is the one Scheduler documents: aws:SourceAccount, and aws:SourceArn equal to the schedule GROUP's ARN ("Do not
        // scope the aws:SourceArn statement to a specific schedule or a schedule name prefix. The ARN you specify must be a schedule
        // group.", https://docs.aws.amazon.com/scheduler/latest/UserGuide/cross-service-confused-deputy-prevention.html), so each
        // job has a schedule group of its own and its role trusts only that group.
        t.AddResource(scheduleGroup, "AWS::Scheduler::ScheduleGroup", new());
        // The group's ARN built from its name (its Ref, https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-scheduler-schedulegroup.html)
        // rather than its Arn attribute: the same ARN, and moto, which models no schedule group, can still deploy the stack.
        var schedulerTrust = StackBuilder.ServiceTrust("scheduler.amazonaws.com", confusedDeputyCondition: true,
            Fn.Sub($"arn:${{AWS::Partition}}:scheduler:${{AWS::Region}}:${{AWS::AccountId}}:schedule-group/${{{scheduleGroup}}}"));
        var startExecution = StackBuilder.Statement("StartJobExecution", ["states:StartExecution"], Fn.Ref(stateMachine));
        var scheduler = t.AddResource(schedulerRole, "AWS::IAM::Role", new()
        {
            ["Description"] = $"{m.StackName}: lets EventBridge Scheduler start {s.Name}'s runs",
            ["AssumeRolePolicyDocument"] = schedulerTrust,
        });
        ServiceBuilder.AddPolicy(scheduler, "start-job", startExecution);

        var schedule = t.AddResource(ids.Of("Schedule"), "AWS::Scheduler::Schedule", new()
        {
            ["Description"] = $"{m.StackName}: runs {s.Name}",
            ["GroupName"] = Fn.Ref(scheduleGroup),
            ["ScheduleExpression"] = s.Schedule,
            // The expression is read in UTC, as the DSL documents.
            ["ScheduleExpressionTimezone"] = "UTC",
            // On time: a flexible window would let Scheduler start a run up to that many minutes late.
            ["FlexibleTimeWindow"] = new JsonObject { ["Mode"] = "OFF" },
            ["State"] = "ENABLED",
            ["Target"] = new JsonObject
            {
                ["Arn"] = Fn.Ref(stateMachine),
                ["RoleArn"] = Fn.GetAtt(schedulerRole, "Arn"),
                ["Input"] = "{}",
                // Retries of the StartExecution call (throttling, a transient error), not of the job: the state machine retries
                // failed runs. Scheduler gives up on an invocation older than an hour.
                ["RetryPolicy"] = new JsonObject { ["MaximumRetryAttempts"] = 5, ["MaximumEventAgeInSeconds"] = 3600 },
            },
        });
        if (scheduleDependsOn.Length > 0) schedule.DependsOn(scheduleDependsOn);
    }

    /// <summary>Why the state machine writes no CloudWatch Logs (recorded in its Metadata).</summary>
    internal const string NoExecutionLogsTradeOff =
        "No CloudWatch Logs or X-Ray for the state machine: Step Functions keeps a Standard execution's history (every state's input, output and error) for 90 days after it closes (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html), which is where a run is read; the task's own output is in its log group. Logging would need eight log-delivery actions (logs:CreateLogDelivery, logs:PutResourcePolicy, …) on \"*\", as the Step Functions logging page grants them (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).";

    static JsonObject ClusterCondition(JsonNode clusterArn) =>
        new() { ["ArnEquals"] = new JsonObject { ["ecs:cluster"] = clusterArn.DeepClone() } };

    /// <summary>
    /// The state machine's definition (Amazon States Language, JSONPath), with <c>${Cluster}</c>, <c>${TaskDefinition}</c>,
    /// <c>${SecurityGroup}</c> and <c>${Subnets}</c> for CloudFormation's DefinitionSubstitutions.
    /// </summary>
    internal static JsonObject Definition(ScheduledJob s, NetworkRefs network)
    {
        var states = new JsonObject();
        string start;
        if (!s.AllowOverlap)
        {
            // The overlap guard: this execution is one of the RUNNING ones, so a second means another run is still going.
            // ListExecutions is eventually consistent ("The results are best effort and may not reflect very recent updates",
            // https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html): two starts within moments of
            // each other could both go ahead; a schedule at most once a minute leaves the earlier run well listed.
            start = "CheckOverlap";
            states["CheckOverlap"] = new JsonObject
            {
                ["Type"] = "Task",
                ["Comment"] = "Lists this state machine's running executions; this one is among them.",
                ["Resource"] = "arn:aws:states:::aws-sdk:sfn:listExecutions",
                ["Parameters"] = new JsonObject
                {
                    ["StateMachineArn.$"] = "$$.StateMachine.Id",
                    ["StatusFilter"] = "RUNNING",
                    ["MaxResults"] = 2,
                },
                ["ResultSelector"] = new JsonObject { ["Running.$"] = "States.ArrayLength($.Executions)" },
                ["ResultPath"] = "$.Overlap",
                ["Retry"] = new JsonArray(ApiRetry()),
                ["Next"] = "SkipIfRunning",
            };
            states["SkipIfRunning"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject
                {
                    ["Variable"] = "$.Overlap.Running",
                    ["NumericGreaterThan"] = 1,
                    ["Next"] = "Skipped",
                }),
                ["Default"] = "Run",
            };
            states["Skipped"] = new JsonObject
            {
                ["Type"] = "Succeed",
                ["Comment"] = "Skipped: the previous run is still going.",
            };
        }
        else
        {
            start = "Run";
        }

        var retry = new JsonArray(new JsonObject
        {
            // A run stopped at its timeout is not tried again (the first retrier whose errors match decides).
            ["ErrorEquals"] = new JsonArray(TimedOutError),
            ["MaxAttempts"] = 0,
        });
        if (s.Retries > 0)
            // States.TaskFailed matches every error but States.Timeout
            // (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html): a task that failed or could not
            // start (Job.Failed), and a failed RunTask call.
            retry.Add((JsonNode)new JsonObject
            {
                ["ErrorEquals"] = new JsonArray(FailedError, "States.TaskFailed"),
                ["IntervalSeconds"] = 60,
                ["BackoffRate"] = 2,
                ["MaxDelaySeconds"] = 900,
                ["MaxAttempts"] = s.Retries,
            });

        states["Run"] = new JsonObject
        {
            ["Type"] = "Parallel",
            ["Comment"] = $"One run of the task, tried {s.Retries + 1} time(s) at most.",
            ["Branches"] = new JsonArray(new JsonObject { ["StartAt"] = "StartClock", ["States"] = RunStates(s, network) }),
            ["ResultPath"] = null,
            ["Retry"] = retry,
            ["Next"] = "Done",
        };
        states["Done"] = new JsonObject { ["Type"] = "Succeed" };

        return new JsonObject
        {
            ["Comment"] = $"Runs {s.Name}: {(s.AllowOverlap ? "" : "skipped while the previous run is going; ")}stopped after {s.TimeoutMinutes} minute(s); {s.Retries} retr{(s.Retries == 1 ? "y" : "ies")} of a failed run.",
            ["StartAt"] = start,
            ["States"] = states,
        };
    }

    static JsonObject RunStates(ScheduledJob s, NetworkRefs network)
    {
        var task = "$.Started.Tasks[0].TaskArn";
        var minutes = s.TimeoutMinutes.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            // Each run (a retry too) starts with a full clock: the polls left before the deadline.
            ["StartClock"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Result"] = new JsonObject { ["Remaining"] = Polls(s) },
                ["ResultPath"] = "$.Clock",
                ["Next"] = "StartTask",
            },
            ["StartTask"] = new JsonObject
            {
                ["Type"] = "Task",
                // Request-response: the output is RunTask's response, with the task's ARN (not .sync: see the class's remarks).
                ["Resource"] = "arn:aws:states:::ecs:runTask",
                ["Parameters"] = new JsonObject
                {
                    ["Cluster"] = "${Cluster}",
                    ["TaskDefinition"] = "${TaskDefinition}",
                    ["LaunchType"] = "FARGATE",
                    ["Count"] = 1,
                    ["NetworkConfiguration"] = new JsonObject
                    {
                        ["AwsvpcConfiguration"] = new JsonObject
                        {
                            ["Subnets.$"] = "States.StringSplit('${Subnets}', ',')",
                            ["SecurityGroups"] = new JsonArray("${SecurityGroup}"),
                            ["AssignPublicIp"] = network.TasksArePublic ? "ENABLED" : "DISABLED",
                        },
                    },
                },
                ["ResultPath"] = "$.Started",
                ["Next"] = "CheckStarted",
            },
            // RunTask answers 200 with an empty task list and Failures when ECS cannot place the task, and the request-response
            // integration returns that answer without failing the state ("Request Response: Return the response and do not fail
            // the task", https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html).
            ["CheckStarted"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = task, ["IsPresent"] = true, ["Next"] = "WaitForTask" }),
                ["Default"] = "NotStarted",
            },
            ["NotStarted"] = new JsonObject
            {
                ["Type"] = "Fail",
                ["Error"] = FailedError,
                ["Cause"] = "ECS did not start the task (see the StartTask state's output: Failures).",
            },
            ["WaitForTask"] = new JsonObject
            {
                ["Type"] = "Wait",
                ["Seconds"] = PollSeconds(s),
                ["Next"] = "DescribeTask",
            },
            ["DescribeTask"] = new JsonObject
            {
                ["Type"] = "Task",
                ["Resource"] = "arn:aws:states:::aws-sdk:ecs:describeTasks",
                ["Parameters"] = new JsonObject
                {
                    ["Cluster"] = "${Cluster}",
                    ["Tasks.$"] = $"States.Array({task})",
                },
                ["ResultSelector"] = new JsonObject { ["Tasks.$"] = "$.Tasks" },
                ["ResultPath"] = "$.Described",
                ["Retry"] = new JsonArray(ApiRetry()),
                // Unable to watch the task any longer: stop it rather than leave it running unwatched, and fail the run.
                ["Catch"] = new JsonArray(new JsonObject { ["ErrorEquals"] = new JsonArray("States.ALL"), ["ResultPath"] = "$.Error", ["Next"] = "StopUnwatchedTask" }),
                ["Next"] = "CheckStopped",
            },
            // Choice rules are tried in order and the first that matches decides
            // (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html), so the presence test comes first as a
            // rule of its own: a comparison on a path that is not there fails the execution with States.Runtime, and no page says
            // that And stops at its first false member. DescribeTasks lists a task it cannot find under Failures, not Tasks.
            ["CheckStopped"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(
                    new JsonObject { ["Variable"] = "$.Described.Tasks[0].LastStatus", ["IsPresent"] = false, ["Next"] = "CheckDeadline" },
                    new JsonObject { ["Variable"] = "$.Described.Tasks[0].LastStatus", ["StringEquals"] = "STOPPED", ["Next"] = "CheckExitCode" }),
                ["Default"] = "CheckDeadline",
            },
            // Success is the container's exit code 0; a task stopped without one (its image could not be pulled, it was stopped
            // from outside) failed.
            ["CheckExitCode"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(
                    new JsonObject { ["Variable"] = "$.Described.Tasks[0].Containers[0].ExitCode", ["IsPresent"] = false, ["Next"] = "TaskFailed" },
                    new JsonObject { ["Variable"] = "$.Described.Tasks[0].Containers[0].ExitCode", ["NumericEquals"] = 0, ["Next"] = "Succeeded" }),
                ["Default"] = "TaskFailed",
            },
            ["Succeeded"] = new JsonObject { ["Type"] = "Succeed" },
            ["TaskFailed"] = new JsonObject
            {
                ["Type"] = "Fail",
                ["Error"] = FailedError,
                ["Cause"] = "The task stopped without exit code 0 (see the DescribeTask state's output: StoppedReason, Containers).",
            },
            ["CheckDeadline"] = new JsonObject
            {
                ["Type"] = "Choice",
                ["Choices"] = new JsonArray(new JsonObject { ["Variable"] = "$.Clock.Remaining", ["NumericLessThanEquals"] = 1, ["Next"] = "StopTask" }),
                ["Default"] = "CountDown",
            },
            ["CountDown"] = new JsonObject
            {
                ["Type"] = "Pass",
                ["Parameters"] = new JsonObject { ["Remaining.$"] = "States.MathAdd($.Clock.Remaining, -1)" },
                ["ResultPath"] = "$.Clock",
                ["Next"] = "WaitForTask",
            },
            ["StopTask"] = StopTask(task, $"Ran longer than its timeout of {minutes} minute(s).", "TimedOut"),
            ["TimedOut"] = new JsonObject
            {
                ["Type"] = "Fail",
                ["Error"] = TimedOutError,
                ["Cause"] = $"The task ran longer than {minutes} minute(s) and was stopped.",
            },
            ["StopUnwatchedTask"] = StopTask(task, "Step Functions could no longer describe it.", "Unwatched"),
            ["Unwatched"] = new JsonObject
            {
                ["Type"] = "Fail",
                ["Error"] = FailedError,
                ["Cause"] = "DescribeTasks kept failing; the task was stopped (see the DescribeTask state's error).",
            },
        };
    }

    static JsonObject StopTask(string task, string reason, string next) => new()
    {
        ["Type"] = "Task",
        ["Resource"] = "arn:aws:states:::aws-sdk:ecs:stopTask",
        ["Parameters"] = new JsonObject
        {
            ["Cluster"] = "${Cluster}",
            ["Task.$"] = task,
            ["Reason"] = reason,
        },
        ["ResultPath"] = null,
        ["Retry"] = new JsonArray(ApiRetry()),
        // Whether or not the stop call got through, the run ends here: the state of the call is in the execution's history.
        ["Catch"] = new JsonArray(new JsonObject { ["ErrorEquals"] = new JsonArray("States.ALL"), ["ResultPath"] = "$.StopError", ["Next"] = next }),
        ["Next"] = next,
    };

    /// <summary>Retries of one AWS API call (throttling, a transient error): six attempts over about five minutes.</summary>
    static JsonObject ApiRetry() => new()
    {
        ["ErrorEquals"] = new JsonArray("States.TaskFailed"),
        ["IntervalSeconds"] = 5,
        ["BackoffRate"] = 2,
        ["MaxAttempts"] = 6,
    };
}
