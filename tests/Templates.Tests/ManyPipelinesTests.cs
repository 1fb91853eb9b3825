using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using Templates.Generation.Model;

namespace Templates.Tests;

/// <summary>
/// Issue 14: an environment's pipeline builds every image of the app that has a build context, one CodeBuild action each in
/// parallel, and deploys every web service, backend service and worker with an ECS action of its own, backends first. Each
/// test states the CodePipeline or CodeBuild fact it holds the template to.
/// </summary>
public class ManyPipelinesTests
{
    static App Shop => Definitions.ShopApp.Definition;

    static JsonArray Stages(TemplateView view) => view.Properties(LogicalIds.Pipeline)["Stages"]!.AsArray();

    static JsonArray Actions(TemplateView view, string stage) => Stages(view).Single(s => (string?)s!["Name"] == stage)!["Actions"]!.AsArray();

    /// <summary>
    /// What CodePipeline hands CodeBuild for an action's EnvironmentVariables once CloudFormation has resolved the template:
    /// the Fn::Join of its text and the registry (for an account, a region and a URL suffix), parsed as the JSON array the
    /// CodeBuild action reference describes (name, value, type).
    /// </summary>
    static (string Text, JsonArray Variables) ResolvedVariables(JsonNode configuration, string registry)
    {
        var value = configuration["EnvironmentVariables"]!;
        string text;
        if (value is JsonValue plain) text = (string)plain!;
        else
        {
            var parts = value["Fn::Join"]![1]!.AsArray();
            Assert.Equal("", (string?)value["Fn::Join"]![0]);
            text = string.Concat(parts.Select(p => p is JsonValue v ? (string)v! : ResolveRegistry(p!, registry)));
        }
        return (text, JsonNode.Parse(text)!.AsArray());
    }

    static string ResolveRegistry(JsonNode sub, string registry)
    {
        Assert.Equal(Fn.EcrRegistry, (string?)sub["Fn::Sub"]);
        return registry;
    }

    static Dictionary<string, string> ByName(JsonArray variables)
    {
        Assert.All(variables, v => Assert.Equal("PLAINTEXT", (string?)v!["type"]));
        return variables.ToDictionary(v => (string)v!["name"]!, v => (string)v!["value"]!);
    }

    const string Registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_shop_builds_its_four_images_in_parallel_each_into_its_own_artifact(string env)
    {
        var view = Fixtures.View(Shop, env);
        var builds = Actions(view, "Build");
        Assert.Equal(["BuildImage", "ApiBuildImage", "OrdersBuildImage", "MailerBuildImage"], builds.Select(a => (string)a!["Name"]!));
        // One RunOrder: CodePipeline runs actions of one stage with the same RunOrder in parallel.
        Assert.All(builds, a => Assert.Equal(1, (int)a!["RunOrder"]!));
        // All from the one source artifact, each into an artifact of its own (a CodeBuild action has 1 to 5 inputs, 0 to 5 outputs).
        Assert.All(builds, a => Assert.Equal("SourceOutput", (string?)Assert.Single(a!["InputArtifacts"]!.AsArray())!["Name"]));
        var outputs = builds.Select(a => (string)Assert.Single(a!["OutputArtifacts"]!.AsArray())!["Name"]!).ToList();
        Assert.Equal(outputs.Count, outputs.Distinct().Count());
        // The one project (every service of the shop runs on X86_64, as its Service does).
        Assert.All(builds, a => Assert.Equal(LogicalIds.BuildProject, (string?)a!["Configuration"]!["ProjectName"]!["Ref"]));
        Assert.Single(view.OfType("AWS::CodeBuild::Project"));
    }

    [Theory]
    [InlineData("api", "shop/api", "services/api")]
    [InlineData("orders", "shop/orders", "services/orders")]
    [InlineData("mailer", "shop/mailer", "services/mailer")]
    public void A_services_build_action_gives_the_build_its_repository_and_folder_and_the_commit(string service, string repository, string context)
    {
        // The CodeBuild action's EnvironmentVariables: a JSON array of {name, value, type}; the build reads the same names from
        // the project (the app's own image), so the action's values are what the shared buildspec builds and pushes.
        var view = Fixtures.View(Shop, "prod");
        var prefix = Rules.Checks.ServiceIdPrefix(service);
        var action = Actions(view, "Build").Single(a => (string?)a!["Name"] == prefix + "BuildImage")!;
        var (text, variables) = ResolvedVariables(action["Configuration"]!, Registry);
        var values = ByName(variables);
        Assert.Equal("#{SourceVariables.CommitId}", values["COMMIT_ID"]);
        Assert.Equal(repository, values["REPOSITORY_NAME"]);
        Assert.Equal($"{Registry}/{repository}", values["REPOSITORY_URI"]);
        Assert.Equal(context, values["BUILD_CONTEXT"]);
        // The project's variables the buildspec reads and the action does not set are the same for every image.
        var project = view.Properties(LogicalIds.BuildProject)["Environment"]!["EnvironmentVariables"]!.AsArray().Select(v => (string)v!["Name"]!).ToHashSet();
        Assert.Subset(project, values.Keys.Except(["COMMIT_ID"]).ToHashSet());
        Assert.Contains("TAG_PREFIX", project);
        Assert.Contains("CONTAINER_NAME", project);
        // "do not exceed the 1000-character limit for the configuration's value field", even with a long region and URL suffix.
        var (longest, _) = ResolvedVariables(action["Configuration"]!, "123456789012.dkr.ecr.ap-southeast-5.amazonaws.com.cn");
        Assert.True(longest.Length <= 1000, $"{longest.Length} characters: {longest}");
        Assert.True(text.Length < longest.Length);
    }

    [Fact]
    public void A_value_with_quotes_or_dollar_signs_stays_one_json_string_and_passes_through_no_substitution()
    {
        var app = Shop with { Services = [.. Shop.Services.Select(s => s.Name == "api" ? s with { BuildContext = "services/\"api\" ${x}" } : s)] };
        var action = Actions(Fixtures.View(app, "dev"), "Build").Single(a => (string?)a!["Name"] == "ApiBuildImage")!;
        var (_, variables) = ResolvedVariables(action["Configuration"]!, Registry);
        Assert.Equal("services/\"api\" ${x}", ByName(variables)["BUILD_CONTEXT"]);
        // The definition's text is never inside the Fn::Sub (which would read ${x} as a reference).
        Assert.Equal(Fn.EcrRegistry, (string?)action["Configuration"]!["EnvironmentVariables"]!["Fn::Join"]![1]![1]!["Fn::Sub"]);
    }

    [Fact]
    public void Backends_deploy_first_then_workers_and_web_services_then_the_apps_service_each_from_its_own_build()
    {
        var view = Fixtures.View(Shop, "prod");
        var stages = Stages(view).Select(s => (string)s!["Name"]!).ToList();
        // The manual approval (on by default in production) comes before every deploy action.
        Assert.Equal(["Source", "Build", "Approve", "Deploy"], stages);
        var deploys = Actions(view, "Deploy");
        Assert.Equal([("DeployOrdersService", 1), ("DeployApiService", 2), ("DeployMailerService", 2), ("DeployService", 3)],
            deploys.Select(a => ((string)a!["Name"]!, (int)a["RunOrder"]!)));
        var builds = Actions(view, "Build");
        foreach (var (deploy, serviceId) in deploys.Zip(new[] { "OrdersService", "ApiService", "MailerService", LogicalIds.Service }))
        {
            Assert.Equal("ECS", (string?)deploy!["ActionTypeId"]!["Provider"]);
            Assert.Equal("Deploy", (string?)deploy["ActionTypeId"]!["Category"]);
            var configuration = deploy["Configuration"]!;
            Assert.Equal(LogicalIds.Cluster, (string?)configuration["ClusterName"]!["Ref"]);
            Assert.Equal([serviceId, "Name"], configuration["ServiceName"]!["Fn::GetAtt"]!.AsArray().Select(x => (string)x!));
            Assert.Equal("imagedefinitions.json", (string?)configuration["FileName"]);
            // An ECS deploy action takes exactly one input artifact: the build output of the same service.
            var input = (string)Assert.Single(deploy["InputArtifacts"]!.AsArray())!["Name"]!;
            var build = builds.Single(b => (string?)b!["OutputArtifacts"]![0]!["Name"] == input)!;
            Assert.Equal(serviceId == LogicalIds.Service ? "BuildImage" : serviceId.Replace("Service", "BuildImage", StringComparison.Ordinal), (string?)build["Name"]);
        }
        // Dev has no approval; the deploy order is the same.
        Assert.Equal(["Source", "Build", "Deploy"], Stages(Fixtures.View(Shop, "dev")).Select(s => (string)s!["Name"]!));
    }

    [Fact]
    public void Every_image_of_prod_is_deployed_by_digest()
    {
        // The one project builds every image, so each build writes the digest ECR holds for its own repository into its own
        // imagedefinitions.json, as the app's image's does (the buildspec reads REPOSITORY_NAME and REPOSITORY_URI).
        var view = Fixtures.View(Shop, "prod");
        var spec = (string)view.Properties(LogicalIds.BuildProject)["Source"]!["BuildSpec"]!;
        Assert.Contains("aws ecr describe-images --repository-name \"$REPOSITORY_NAME\" --image-ids imageTag=\"$IMAGE_TAG\" --query 'imageDetails[0].imageDigest'", spec);
        Assert.Contains("\"$REPOSITORY_URI@$IMAGE_DIGEST\" > imagedefinitions.json", spec);
        Assert.All(Actions(view, "Build"), a => Assert.Equal(LogicalIds.BuildProject, (string?)a!["Configuration"]!["ProjectName"]!["Ref"]));
    }

    [Fact]
    public void A_service_without_a_build_context_or_turned_off_is_neither_built_nor_deployed_nor_granted()
    {
        var app = Shop with
        {
            Services = [.. Shop.Services.Select(s => s.Name == "mailer" ? s with { BuildContext = null } : s)],
            Environments = [.. Shop.Environments.Select(e => e.Name != "dev" ? e : e with { Services = new() { ["api"] = new ServiceOverrides { Enabled = false } } })],
        };
        var view = Fixtures.View(app, "dev");
        Assert.Equal(["BuildImage", "OrdersBuildImage"], Actions(view, "Build").Select(a => (string)a!["Name"]!));
        Assert.Equal(["DeployOrdersService", "DeployService"], Actions(view, "Deploy").Select(a => (string)a!["Name"]!));
        // The groups present are numbered from 1.
        Assert.Equal([1, 2], Actions(view, "Deploy").Select(a => (int)a!["RunOrder"]!));
        var role = view.Properties(LogicalIds.PipelineRole).ToJsonString();
        Assert.Contains("OrdersService", role);
        Assert.Contains("OrdersTaskRole", role);
        foreach (var id in new[] { "MailerService", "MailerTaskRole", "MailerTaskExecutionRole", "ApiService", "ApiTaskRole", "-mailer:", "-api:" })
            Assert.DoesNotContain(id, role);
        Assert.DoesNotContain("shop/mailer", view.Properties(LogicalIds.BuildRole).ToJsonString());
        Assert.DoesNotContain("shop/api", view.Properties(LogicalIds.BuildRole).ToJsonString());
        // The mailer still runs, from its ImageTag parameter.
        Assert.Equal("AWS::ECS::Service", (string?)view.Resource("MailerService")["Type"]);
    }

    [Fact]
    public void A_scheduled_job_is_never_built_by_the_pipeline()
    {
        // No ECS service runs a job, so no deploy action could roll it forward: its image moves with its ImageTag parameter.
        var app = Shop with { Services = [.. Shop.Services, new ScheduledJob("nightly") { Image = ContainerImage.FromEcr("shop/nightly", "1.0.0"), Schedule = "rate(1 day)", BuildContext = "jobs/nightly" }] };
        var model = EnvironmentModel.Resolve(app, app.Environments[0]);
        Assert.Contains(model.Services, s => s.Name == "nightly");
        Assert.Equal([null, "api", "orders", "mailer"], PipelineBuilder.Builds(model, app.Source!).Select(b => b.Name));
    }

    [Fact]
    public void A_service_on_the_other_architecture_is_built_by_a_project_on_that_architecture()
    {
        // CodeBuild builds for the architecture of the machine it runs on; ARM_CONTAINER with an aarch64 image builds ARM64 images.
        var app = Shop with { Services = [.. Shop.Services.Select(s => s.Name == "orders" ? s with { Architecture = CpuArchitecture.Arm64 } : s)] };
        var view = Fixtures.View(app, "prod");
        Assert.Equal([LogicalIds.BuildProject, "BuildProjectArm64"], view.OfType("AWS::CodeBuild::Project"));
        var arm = view.Properties("BuildProjectArm64");
        Assert.Equal("ARM_CONTAINER", (string?)arm["Environment"]!["Type"]);
        Assert.Equal("aws/codebuild/amazonlinux-aarch64-standard:3.0", (string?)arm["Environment"]!["Image"]);
        Assert.Equal("${AWS::StackName}-build-arm64", (string?)arm["Name"]!["Fn::Sub"]);
        // The same buildspec (prod: by digest) and the same variables as the first project but the app's image's own.
        Assert.Equal((string)view.Properties(LogicalIds.BuildProject)["Source"]!["BuildSpec"]!, (string?)arm["Source"]!["BuildSpec"]);
        Assert.Equal(["REGISTRY", "TAG_PREFIX", "CONTAINER_NAME"], arm["Environment"]!["EnvironmentVariables"]!.AsArray().Select(v => (string)v!["Name"]!));
        var builds = Actions(view, "Build");
        Assert.Equal("BuildProjectArm64", (string?)builds.Single(a => (string?)a!["Name"] == "OrdersBuildImage")!["Configuration"]!["ProjectName"]!["Ref"]);
        Assert.All(builds.Where(a => (string?)a!["Name"] != "OrdersBuildImage"), a => Assert.Equal(LogicalIds.BuildProject, (string?)a!["Configuration"]!["ProjectName"]!["Ref"]));
        // Either project may assume the build role, and the pipeline may start either.
        var trust = view.Properties(LogicalIds.BuildRole)["AssumeRolePolicyDocument"]!["Statement"]![0]!["Condition"]!["ArnLike"]!["aws:SourceArn"]!.AsArray();
        Assert.Equal(["project/${AWS::StackName}-build", "project/${AWS::StackName}-build-arm64"],
            trust.Select(a => "project/" + ((string)a!["Fn::Sub"]!).Split(":project/")[1]));
        var runBuild = view.Properties(LogicalIds.PipelineRole)["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray().Single(s => (string?)s!["Sid"] == "RunBuild")!;
        Assert.Equal(["project/${BuildProject}", "project/${BuildProjectArm64}"], runBuild["Resource"]!.AsArray().Select(a => "project/" + ((string)a!["Fn::Sub"]!).Split(":project/")[1]));
        // The guide's single-architecture pipeline keeps its one project and its one-ARN trust.
        Assert.IsAssignableFrom<JsonObject>(Fixtures.View(Fixtures.Guide, "prod").Properties(LogicalIds.BuildRole)["AssumeRolePolicyDocument"]!["Statement"]![0]!["Condition"]!["ArnLike"]!["aws:SourceArn"]);
    }

    [Fact]
    public void Past_fifty_actions_a_stage_continues_in_a_numbered_stage_in_the_same_order()
    {
        // CodePipeline quotas: "Number of actions in a stage: Minimum of 1, maximum of 50".
        var actions = Enumerable.Range(0, 120).Select(i => (new JsonObject { ["Name"] = $"A{i}", ["RunOrder"] = 1 }, Group: i < 70 ? 0 : i < 110 ? 1 : 2)).ToList();
        var stages = PipelineBuilder.Stages("Deploy", actions);
        Assert.Equal(["Deploy", "Deploy2", "Deploy3"], stages.Select(s => (string)s["Name"]!));
        Assert.All(stages, s => Assert.InRange(s["Actions"]!.AsArray().Count, 1, PipelineBuilder.MaxActionsPerStage));
        var flat = stages.SelectMany(s => s["Actions"]!.AsArray().Select(a => (Stage: (string)s["Name"]!, Name: (string)a!["Name"]!, RunOrder: (int)a["RunOrder"]!))).ToList();
        Assert.Equal(Enumerable.Range(0, 120).Select(i => $"A{i}"), flat.Select(a => a.Name));
        // Within a stage, the groups present run in order from RunOrder 1: the 50 first of group 0; then its 20 last (1) and 30 of
        // group 1 (2); then group 1's last 10 (1) and group 2 (2).
        Assert.All(flat.Take(50), a => Assert.Equal(1, a.RunOrder));
        Assert.All(flat.Skip(50).Take(20), a => Assert.Equal(1, a.RunOrder));
        Assert.All(flat.Skip(70).Take(30), a => Assert.Equal(2, a.RunOrder));
        Assert.All(flat.Skip(100).Take(10), a => Assert.Equal(1, a.RunOrder));
        Assert.All(flat.Skip(110), a => Assert.Equal(2, a.RunOrder));
        // Up to fifty, one stage as before.
        Assert.Equal(["Build"], PipelineBuilder.Stages("Build", [.. actions.Take(50).Select(a => (a.Item1.DeepClone().AsObject(), 0))]).Select(s => (string)s["Name"]!));
    }
}
