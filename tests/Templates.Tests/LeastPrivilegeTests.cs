using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Templates.Generation.CloudFormation;

namespace Templates.Tests;

/// <summary>
/// The pipeline's roles grant what the services document they need, each on the narrowest resource and with the conditions the
/// service authorization reference allows; trust policies carry aws:SourceArn where the service documents it; production names
/// its image by digest. Each test states the AWS fact it holds the template to.
/// </summary>
public class LeastPrivilegeTests
{
    static JsonArray Statements(TemplateView view, string role) =>
        view.Properties(role)["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();

    static IEnumerable<string> Actions(JsonNode statement) =>
        statement["Action"] is JsonArray list ? list.Select(a => (string)a!) : [(string)statement["Action"]!];

    static JsonNode Sid(TemplateView view, string role, string sid) =>
        Statements(view, role).Single(s => s is JsonObject o && !o.ContainsKey("Fn::If") && (string?)s["Sid"] == sid)!;

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void The_pipeline_role_grants_resource_star_only_for_actions_that_take_no_narrower_resource(string env)
    {
        // Service authorization reference for ECS: DescribeTaskDefinition has no resource type; ListTasks's type
        // (container-instance) does not exist on Fargate, so it is limited by ecs:cluster instead; RegisterTaskDefinition is
        // granted on "*" as CodePipeline's ECS deploy action reference grants it.
        var view = Fixtures.View(Fixtures.Guide, env);
        var onStar = Statements(view, LogicalIds.PipelineRole)
            .Where(s => s is JsonObject o && !o.ContainsKey("Fn::If") && s["Resource"] is JsonValue v && (string?)v == "*")
            .SelectMany(s => Actions(s!)).Order(StringComparer.Ordinal);
        Assert.Equal(["ecs:DescribeTaskDefinition", "ecs:ListTasks", "ecs:RegisterTaskDefinition"], onStar);
        var listTasks = Sid(view, LogicalIds.PipelineRole, "ListTasks");
        Assert.Equal(ClusterArn, (string?)listTasks["Condition"]!["ArnEquals"]!["ecs:cluster"]!["Fn::Sub"]);
    }

    const string ClusterArn = "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:cluster/${Cluster}";

    [Fact]
    public void The_pipeline_may_tag_only_its_own_task_definition_family_and_only_while_registering_it()
    {
        // CodePipeline's ECS deploy action reference: ecs:TagResource on task-definition/<family>:* with
        // ecs:CreateAction = RegisterTaskDefinition. The family is the one the stack's task definition declares.
        var view = Fixtures.View(Fixtures.Guide, "prod");
        var tag = Sid(view, LogicalIds.PipelineRole, "TagTaskDefinitionOnRegister");
        Assert.Equal(["ecs:TagResource"], Actions(tag));
        Assert.Equal("RegisterTaskDefinition", (string?)tag["Condition"]!["StringEquals"]!["ecs:CreateAction"]);
        var family = (string)view.Properties(LogicalIds.TaskDefinition)["Family"]!["Fn::Sub"]!;
        Assert.Equal("${AWS::StackName}", family);
        Assert.Equal($"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{family}:*", (string?)tag["Resource"]!["Fn::Sub"]);
    }

    [Fact]
    public void The_pipeline_may_describe_only_the_tasks_of_its_own_cluster()
    {
        var view = Fixtures.View(Fixtures.Guide, "prod");
        var describe = Sid(view, LogicalIds.PipelineRole, "DescribeTasks");
        Assert.Equal(["ecs:DescribeTasks"], Actions(describe));
        // The task ARN (new format) is task/<cluster name>/<id>; Ref on the cluster is its name.
        Assert.Equal("arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/${Cluster}/*", (string?)describe["Resource"]!["Fn::Sub"]);
        Assert.Equal(ClusterArn, (string?)describe["Condition"]!["ArnEquals"]!["ecs:cluster"]!["Fn::Sub"]);
        // The service it updates is its own.
        var update = Sid(view, LogicalIds.PipelineRole, "UpdateService");
        Assert.Equal(LogicalIds.Service, (string?)update["Resource"]!["Ref"]);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void With_several_services_each_grant_names_exactly_the_services_the_pipeline_deploys(string env)
    {
        // The same ECS deploy action permissions, once per deployed service (the shop deploys its four): TagResource on each
        // service's own task definition family (the family its task definition declares), UpdateService/DescribeServices on each
        // service (Ref is its ARN), PassRole on each service's two task roles; the build role pushes to each built repository.
        var view = Fixtures.View(Definitions.ShopApp.Definition, env);
        string[] services = [LogicalIds.Service, "ApiService", "OrdersService", "MailerService"];
        string[] definitions = [LogicalIds.TaskDefinition, "ApiTaskDefinition", "OrdersTaskDefinition", "MailerTaskDefinition"];

        var tag = Sid(view, LogicalIds.PipelineRole, "TagTaskDefinitionOnRegister");
        Assert.Equal("RegisterTaskDefinition", (string?)tag["Condition"]!["StringEquals"]!["ecs:CreateAction"]);
        var families = definitions.Select(d => (string)view.Properties(d)["Family"]!["Fn::Sub"]!).ToList();
        Assert.Equal(["${AWS::StackName}", "${AWS::StackName}-api", "${AWS::StackName}-orders", "${AWS::StackName}-mailer"], families);
        Assert.Equal(families.Select(f => $"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{f}:*"),
            tag["Resource"]!.AsArray().Select(r => (string)r!["Fn::Sub"]!));

        var update = Sid(view, LogicalIds.PipelineRole, "UpdateService");
        Assert.Equal(services.Order(StringComparer.Ordinal), update["Resource"]!.AsArray().Select(r => (string)r!["Ref"]!).Order(StringComparer.Ordinal));
        Assert.All(services, id => Assert.Equal("AWS::ECS::Service", (string?)view.Resource(id)["Type"]));

        var pass = Sid(view, LogicalIds.PipelineRole, "PassTaskRoles");
        Assert.Equal("ecs-tasks.amazonaws.com", (string?)pass["Condition"]!["StringEquals"]!["iam:PassedToService"]);
        var roles = definitions.SelectMany(d => new[] { (string)view.Properties(d)["ExecutionRoleArn"]!["Fn::GetAtt"]![0]!, (string)view.Properties(d)["TaskRoleArn"]!["Fn::GetAtt"]![0]! });
        Assert.Equal(roles.Order(StringComparer.Ordinal), pass["Resource"]!.AsArray().Select(r => (string)r!["Fn::GetAtt"]![0]!).Order(StringComparer.Ordinal));

        // Still nothing on "*" but the three actions that take no narrower resource.
        var onStar = Statements(view, LogicalIds.PipelineRole)
            .Where(s => s is JsonObject o && !o.ContainsKey("Fn::If") && s["Resource"] is JsonValue v && (string?)v == "*")
            .SelectMany(s => Actions(s!)).Order(StringComparer.Ordinal);
        Assert.Equal(["ecs:DescribeTaskDefinition", "ecs:ListTasks", "ecs:RegisterTaskDefinition"], onStar);

        var push = Sid(view, LogicalIds.BuildRole, "PushImage");
        Assert.Equal(new[] { "shop/web", "shop/api", "shop/orders", "shop/mailer" }.Select(Fn.EcrRepositoryArn), push["Resource"]!.AsArray().Select(r => (string)r!["Fn::Sub"]!));
    }

    [Fact]
    public void The_pipeline_role_of_the_shop_stays_well_inside_iams_inline_policy_size()
    {
        // IAM counts a role's inline policies together, at most 10,240 characters without white space, after CloudFormation
        // resolved them ("IAM and AWS STS quotas", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html:
        // "Role policy size cannot exceed 10,240 characters", white space not counted). Resolved here with names as long as CloudFormation makes
        // them: a role's physical name is at most 64 characters, a service's ARN names its cluster and itself.
        foreach (var env in new[] { "dev", "prod" })
        {
            var view = Fixtures.View(Definitions.ShopApp.Definition, env);
            var size = ResolvedSize(view.Properties(LogicalIds.PipelineRole)["Policies"]!, $"shop-{env}");
            Assert.InRange(size, 2000, 10240 / 2);
        }
    }

    /// <summary>The length of a policy list as IAM counts it (no white space), with every reference replaced by the longest value CloudFormation gives it.</summary>
    static int ResolvedSize(JsonNode node, string stack)
    {
        string Name(string id) => $"{stack}-{id}-{new string('X', 12)}";
        JsonNode? Resolve(JsonNode? n) => n switch
        {
            JsonObject o when o.ContainsKey("Fn::Sub") => Regex.Replace((string)o["Fn::Sub"]!, @"\$\{([^}]+)\}", m => m.Groups[1].Value switch
            {
                "AWS::Partition" => "aws-us-gov",
                "AWS::Region" => "ap-southeast-5",
                "AWS::AccountId" => "123456789012",
                "AWS::StackName" => stack,
                "AWS::URLSuffix" => "amazonaws.com.cn",
                var id => Name(id),
            }),
            JsonObject o when o.ContainsKey("Ref") => (string)o["Ref"]! switch
            {
                "GitHubConnectionArn" => "arn:aws:codeconnections:ap-southeast-5:123456789012:connection/00000000-1111-2222-3333-444444444444",
                var id => $"arn:aws-us-gov:ecs:ap-southeast-5:123456789012:service/{Name("Cluster")}/{Name(id)}",
            },
            JsonObject o when o.ContainsKey("Fn::GetAtt") => $"arn:aws-us-gov:iam::123456789012:role/{new string('R', 64)}",
            JsonObject o when o.ContainsKey("Fn::If") => Resolve(o["Fn::If"]![1]),
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Resolve(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(Resolve)]),
            _ => n?.DeepClone(),
        };
        return Resolve(node)!.ToJsonString().Length;
    }

    [Theory]
    [InlineData(true, "codeconnections")]
    [InlineData(false, "codestar-connections")]
    public void The_connection_may_be_used_only_for_the_definitions_repository_with_the_key_of_its_own_prefix(bool codeConnections, string prefix)
    {
        // The connection permissions reference: UseConnection supports <prefix>:FullRepositoryId, present when the connection is
        // used for a specific repository. Key and action carry the ARN's own prefix (the CodeConnections rename page).
        var view = Fixtures.View(Fixtures.Guide, "prod");
        var choice = Assert.Single(Statements(view, LogicalIds.PipelineRole), s => s is JsonObject o && o.ContainsKey("Fn::If"))!["Fn::If"]!.AsArray();
        Assert.Equal(LogicalIds.CodeConnectionsCondition, (string?)choice[0]);
        var statement = choice[codeConnections ? 1 : 2]!;
        Assert.Equal([$"{prefix}:UseConnection"], Actions(statement));
        Assert.Equal(LogicalIds.GitHubConnectionArnParameter, (string?)statement["Resource"]!["Ref"]);
        var condition = Assert.Single(statement["Condition"]!.AsObject());
        Assert.Equal("StringEqualsIfExists", condition.Key);
        var key = Assert.Single(condition.Value!.AsObject());
        Assert.Equal($"{prefix}:FullRepositoryId", key.Key);
        Assert.Equal(Fixtures.Guide.Source!.Repository, (string?)key.Value);
        // The condition is true exactly for a codeconnections ARN: its third field.
        var equals = view.Json["Conditions"]![LogicalIds.CodeConnectionsCondition]!["Fn::Equals"]!.AsArray();
        Assert.Equal("codeconnections", (string?)equals[1]);
        Assert.Equal(2, (int)equals[0]!["Fn::Select"]![0]!);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("prod")]
    public void Only_this_stacks_build_project_may_assume_the_build_role(string env)
    {
        // CodeBuild's confused-deputy guidance (and ECR's repository policy examples for codebuild.amazonaws.com): the source ARN
        // is the build project's ARN. The project's name is the stack's name and "-build", so the ARN is built, not read.
        var view = Fixtures.View(Fixtures.Guide, env);
        var condition = view.Properties(LogicalIds.BuildRole)["AssumeRolePolicyDocument"]!["Statement"]![0]!["Condition"]!;
        Assert.Equal("AWS::AccountId", (string?)condition["StringEquals"]!["aws:SourceAccount"]!["Ref"]);
        var projectName = (string)view.Properties(LogicalIds.BuildProject)["Name"]!["Fn::Sub"]!;
        Assert.Equal($"arn:${{AWS::Partition}}:codebuild:${{AWS::Region}}:${{AWS::AccountId}}:project/{projectName}", (string?)condition["ArnLike"]!["aws:SourceArn"]!["Fn::Sub"]);
    }

    [Fact]
    public void A_source_arn_without_the_source_account_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => StackBuilder.ServiceTrust("codebuild.amazonaws.com", confusedDeputyCondition: false, sourceArn: Fn.Sub("arn:x")));
        Assert.Contains("aws:SourceAccount", error.Message);
    }

    [Fact]
    public void Prod_takes_an_optional_digest_that_replaces_the_tag_in_its_task_definition()
    {
        var view = Fixtures.View(Fixtures.Guide, "prod");
        var parameter = view.Parameters[LogicalIds.ImageDigestParameter]!;
        Assert.Equal("", (string?)parameter["Default"]);
        var pattern = new Regex((string)parameter["AllowedPattern"]!);
        Assert.Matches(pattern, "");
        Assert.Matches(pattern, "sha256:" + new string('a', 64));
        Assert.DoesNotMatch(pattern, "1.0.0");
        Assert.DoesNotMatch(pattern, "sha256:" + new string('A', 64));
        Assert.DoesNotMatch(pattern, "sha256:" + new string('a', 63));
        // CloudFormation matches AllowedPattern against the whole value: the pattern is anchored anyway.
        Assert.DoesNotMatch(pattern, "x sha256:" + new string('a', 64));

        var condition = view.Json["Conditions"]![LogicalIds.ImageByDigestCondition]!["Fn::Not"]![0]!["Fn::Equals"]!.AsArray();
        Assert.Equal(LogicalIds.ImageDigestParameter, (string?)condition[0]!["Ref"]);
        Assert.Equal("", (string?)condition[1]);
        var image = view.Properties(LogicalIds.TaskDefinition)["ContainerDefinitions"]![0]!["Image"]!["Fn::If"]!.AsArray();
        Assert.Equal(LogicalIds.ImageByDigestCondition, (string?)image[0]);
        Assert.Equal("${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/flask-app@${ImageDigest}", (string?)image[1]!["Fn::Sub"]);
        Assert.Equal("${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/flask-app:${ImageTag}", (string?)image[2]!["Fn::Sub"]);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    public void Other_environments_run_their_tag(string env)
    {
        var view = Fixtures.View(Fixtures.Guide, env);
        Assert.Null(view.Parameters[LogicalIds.ImageDigestParameter]);
        Assert.Equal("${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/flask-app:${ImageTag}",
            (string?)view.Properties(LogicalIds.TaskDefinition)["ContainerDefinitions"]![0]!["Image"]!["Fn::Sub"]);
    }

    [Fact]
    public void Only_prods_build_names_the_image_by_digest()
    {
        // The deploy action writes imageUri into the container definition as it is; ECS accepts repository@digest for an ECR image.
        // The commands themselves are run with stand-in aws and docker commands in the end-to-end AwsFactsTests.
        string Spec(string env) => (string)Fixtures.View(Fixtures.Guide, env).Properties(LogicalIds.BuildProject)["Source"]!["BuildSpec"]!;
        var prod = Spec("prod");
        Assert.Contains("--query 'imageDetails[0].imageDigest' --output text", prod);
        Assert.Contains("\"$REPOSITORY_URI@$IMAGE_DIGEST\" > imagedefinitions.json", prod);
        Assert.DoesNotContain("\"$REPOSITORY_URI:$IMAGE_TAG\" > imagedefinitions.json", prod);
        foreach (var env in new[] { "dev", "staging" })
        {
            Assert.DoesNotContain("IMAGE_DIGEST", Spec(env));
            Assert.Contains("\"$REPOSITORY_URI:$IMAGE_TAG\" > imagedefinitions.json", Spec(env));
        }
    }

    [Fact]
    public void Prods_approval_names_the_digest_its_build_resolved()
    {
        // CodeBuild exports the variables a buildspec lists under env/exported-variables to the build action's namespace; the
        // approval's CustomData then reads it, so the approver sees the image the deploy action will register.
        var view = Fixtures.View(Fixtures.Guide, "prod");
        Assert.Contains("env:\n  exported-variables:\n    - IMAGE_DIGEST\n", (string)view.Properties(LogicalIds.BuildProject)["Source"]!["BuildSpec"]!);
        var stages = view.Properties(LogicalIds.Pipeline)["Stages"]!.AsArray();
        JsonNode Action(string stage) => stages.Single(s => (string?)s!["Name"] == stage)!["Actions"]![0]!;
        Assert.Equal("BuildVariables", (string?)Action("Build")["Namespace"]);
        Assert.Contains("#{BuildVariables.IMAGE_DIGEST}", (string?)Action("Approve")["Configuration"]!["CustomData"]);
        // Elsewhere the build exports nothing and the approval (when there is one) names the commit only.
        var dev = Fixtures.View(Fixtures.Guide, "dev").Properties(LogicalIds.Pipeline)["Stages"]!.AsArray();
        Assert.Null(dev.Single(s => (string?)s!["Name"] == "Build")!["Actions"]![0]!["Namespace"]);
    }
}
