using System.Text.Json.Nodes;
using Templates.Generation;
using Templates.Generation.CloudFormation;
using Templates.Generation.Cli;
using Templates.Rules;

namespace Templates.Tests;

/// <summary>The delivery part of the guide: the SES sender, ECR, the shared stack, the pipelines, blue/green.</summary>
public class DeliveryTests
{
    static EmitResult Guide => Emitter.Generate([Fixtures.Guide]);

    static TemplateView Shared => new(Assert.Single(Guide.SharedTemplates).Json);

    static IEnumerable<(string Stack, TemplateView View)> AllStacks =>
        Guide.SharedTemplates.Select(t => (t.Model.StackName, new TemplateView(t.Json)))
            .Concat(Guide.Templates.Select(t => (t.Model.StackName, new TemplateView(t.Json))));

    [Theory]
    [InlineData("AWS::SES::EmailIdentity")]
    [InlineData("AWS::ECR::Repository")]
    [InlineData("AWS::CodeStarConnections::Connection")]
    public void Account_level_singletons_exist_once_across_all_stacks_in_the_shared_one(string type)
    {
        var holders = AllStacks.SelectMany(s => s.View.OfType(type).Select(id => s.Stack)).ToList();
        Assert.Equal(["flask-app-shared"], holders);
    }

    [Fact]
    public void The_repository_scans_on_push_and_has_immutable_tags()
    {
        var repository = Shared.Properties(LogicalIds.Repository);
        Assert.Equal("flask-app", (string?)repository["RepositoryName"]);
        Assert.True((bool)repository["ImageScanningConfiguration"]!["ScanOnPush"]!);
        Assert.Equal("IMMUTABLE", (string?)repository["ImageTagMutability"]);
        Assert.Equal("Retain", (string?)Shared.Resource(LogicalIds.Repository)["DeletionPolicy"]);
    }

    static JsonArray LifecycleRules(TemplateView shared) =>
        JsonNode.Parse((string)shared.Properties(LogicalIds.Repository)["LifecyclePolicy"]!["LifecyclePolicyText"]!)!["rules"]!.AsArray();

    [Fact]
    public void The_lifecycle_policy_keeps_each_environments_last_images_production_first()
    {
        // One rule per environment with a pipeline, matching exactly the tags that environment's build pushes, so dev's pushes
        // never count against (and expire) the images prod runs or would roll back to. ECR evaluates rules by rulePriority
        // and never lets a later rule expire an image an earlier one matched: prod's rule comes first.
        var rules = LifecycleRules(Shared);
        Assert.Equal(["prod_*", "dev_*", "staging_*"], rules.Select(r => (string)r!["selection"]!["tagPatternList"]!.AsArray().Single()!));
        Assert.Equal([1, 2, 3], rules.Select(r => (int)r!["rulePriority"]!));
        Assert.All(rules, r =>
        {
            Assert.Equal("tagged", (string?)r!["selection"]!["tagStatus"]);
            Assert.Equal("imageCountMoreThan", (string?)r["selection"]!["countType"]);
            Assert.Equal(30, (int)r["selection"]!["countNumber"]!);
            Assert.Equal("expire", (string?)r["action"]!["type"]);
        });
        // No catch-all rule: the images pushed by hand (the ImageTag defaults, 1.0.0 for prod) are never expired.
        Assert.DoesNotContain(rules, r => (string?)r!["selection"]!["tagStatus"] == "any");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void Each_pipeline_pushes_only_tags_its_own_lifecycle_rule_matches(string env)
    {
        // The build's tag is TAG_PREFIX + the commit; the rule's pattern is that prefix followed by '*'. Another environment's
        // pattern never matches it, even for names that start alike (dev and dev-eu).
        var variables = Fixtures.View(Fixtures.Guide, env).Properties(LogicalIds.BuildProject)["Environment"]!["EnvironmentVariables"]!.AsArray();
        var prefix = (string)variables.Single(v => (string?)v!["Name"] == "TAG_PREFIX")!["Value"]!;
        var tag = prefix + "0123456789ab";
        var matching = LifecycleRules(Shared).Where(r => Glob((string)r!["selection"]!["tagPatternList"]![0]!, tag)).ToList();
        Assert.Equal($"{env}_*", (string?)Assert.Single(matching)!["selection"]!["tagPatternList"]![0]);
        Assert.False(Glob("dev_*", "dev-eu_0123456789ab"));
    }

    static bool Glob(string pattern, string tag) =>
        System.Text.RegularExpressions.Regex.IsMatch(tag, "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*") + "$");

    [Fact]
    public void Without_any_pipeline_the_repository_has_no_lifecycle_policy()
    {
        var app = Fixtures.Minimal() with { Repository = new NewRepository() };
        var shared = new TemplateView(Assert.Single(Emitter.Generate([app]).SharedTemplates).Json);
        Assert.Null(shared.Properties(LogicalIds.Repository)["LifecyclePolicy"]);
    }

    [Fact]
    public void The_shared_stack_tells_what_to_click_to_verify_the_sender_and_complete_the_connection()
    {
        Assert.Equal("sender@example.com", (string?)Shared.Properties(LogicalIds.MailIdentity)["EmailIdentity"]);
        Assert.Contains("click the link", (string)Shared.Outputs[LogicalIds.MailVerificationOutput]!["Value"]!);
        Assert.Contains("Update pending connection", (string)Shared.Outputs[LogicalIds.GitHubConnectionNextStepOutput]!["Value"]!);
        Assert.Equal(LogicalIds.GitHubConnection, (string?)Shared.Outputs[LogicalIds.GitHubConnectionArnOutput]!["Value"]!["Ref"]);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    [InlineData("prod")]
    public void The_task_role_may_send_only_as_the_sender_on_the_accounts_identities(string env)
    {
        var view = Fixtures.View(Fixtures.Guide, env);
        var statement = Assert.Single(view.Properties(LogicalIds.TaskRole)["Policies"]!.AsArray())!["PolicyDocument"]!["Statement"]![0]!;
        Assert.Equal(["ses:SendEmail", "ses:SendRawEmail"], statement["Action"]!.AsArray().Select(a => (string)a!));
        // In the SES sandbox SES authorizes the send against the recipient's identity too: a resource naming only the sender's
        // identity fails there with AccessDenied. The From address stays pinned by the condition.
        Assert.Equal("arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/*", (string?)statement["Resource"]!["Fn::Sub"]);
        Assert.Equal("sender@example.com", (string?)statement["Condition"]!["StringEquals"]!["ses:FromAddress"]);
        var environment = view.Properties(LogicalIds.TaskDefinition)["ContainerDefinitions"]![0]!["Environment"]!.AsArray();
        Assert.Contains(environment, v => (string?)v!["Name"] == "MAIL_SENDER" && (string?)v["Value"] == "sender@example.com");
    }

    [Fact]
    public void A_domain_identity_has_easy_dkim_records_and_the_policy_names_the_domain()
    {
        var app = Fixtures.Minimal() with { Mail = new MailSender { Address = "noreply@shop.example.com", Identity = SenderIdentity.Domain } };
        var result = Emitter.Generate([app]);
        var shared = new TemplateView(Assert.Single(result.SharedTemplates).Json);
        Assert.Equal("shop.example.com", (string?)shared.Properties(LogicalIds.MailIdentity)["EmailIdentity"]);
        Assert.Contains("DkimRecord3", shared.Outputs.Select(o => o.Key));
        var view = new TemplateView(Assert.Single(result.Templates).Json);
        var statement = view.Properties(LogicalIds.TaskRole)["Policies"]![0]!["PolicyDocument"]!["Statement"]![0]!;
        Assert.EndsWith(":identity/*", (string?)statement["Resource"]!["Fn::Sub"]);
        Assert.Equal("noreply@shop.example.com", (string?)statement["Condition"]!["StringEquals"]!["ses:FromAddress"]);
    }

    [Theory]
    [InlineData("dev", "develop", false)]
    [InlineData("staging", "staging", false)]
    [InlineData("prod", "main", true)]
    public void Every_environment_has_a_v2_pipeline_triggered_by_pushes_to_its_branch(string env, string branch, bool approval)
    {
        var view = Fixtures.View(Fixtures.Guide, env);
        var pipeline = view.Properties(Assert.Single(view.OfType("AWS::CodePipeline::Pipeline")));
        Assert.Equal("V2", (string?)pipeline["PipelineType"]);
        var push = pipeline["Triggers"]![0]!["GitConfiguration"]!;
        Assert.Equal("Source", (string?)push["SourceActionName"]);
        Assert.Equal(branch, (string?)push["Push"]![0]!["Branches"]!["Includes"]![0]);
        var stages = pipeline["Stages"]!.AsArray().Select(s => (string)s!["Name"]!).ToList();
        Assert.Equal(approval ? ["Source", "Build", "Approve", "Deploy"] : ["Source", "Build", "Deploy"], stages);
        var source = pipeline["Stages"]![0]!["Actions"]![0]!;
        Assert.Equal("CodeStarSourceConnection", (string?)source["ActionTypeId"]!["Provider"]);
        Assert.Equal("example-org/flask-app", (string?)source["Configuration"]!["FullRepositoryId"]);
        Assert.Equal(LogicalIds.GitHubConnectionArnParameter, (string?)source["Configuration"]!["ConnectionArn"]!["Ref"]);
        var deploy = pipeline["Stages"]![stages.Count - 1]!["Actions"]![0]!;
        Assert.Equal("ECS", (string?)deploy["ActionTypeId"]!["Provider"]);
        Assert.Equal("imagedefinitions.json", (string?)deploy["Configuration"]!["FileName"]);
    }

    [Fact]
    public void The_build_runs_docker_in_privileged_mode_tags_with_the_commit_and_writes_imagedefinitions()
    {
        var build = Fixtures.View(Fixtures.Guide, "dev").Properties(LogicalIds.BuildProject);
        Assert.True((bool)build["Environment"]!["PrivilegedMode"]!);
        var spec = (string)build["Source"]!["BuildSpec"]!;
        Assert.Contains("docker build --tag \"$REPOSITORY_URI:$IMAGE_TAG\" \"$BUILD_CONTEXT\"", spec);
        Assert.Contains("docker push \"$REPOSITORY_URI:$IMAGE_TAG\"", spec);
        Assert.Contains("> imagedefinitions.json", spec);
        Assert.Contains("IMAGE_TAG=\"$TAG_PREFIX$(echo \"$COMMIT_ID\" | cut -c1-12)\"", spec);
        Assert.DoesNotContain(":latest", spec);
        Assert.Contains(build["Environment"]!["EnvironmentVariables"]!.AsArray(), v => (string?)v!["Name"] == "BUILD_CONTEXT" && (string?)v["Value"] == "examples/flask-app");
    }

    [Fact]
    public void The_artifact_bucket_is_encrypted_private_and_ssl_only()
    {
        var view = Fixtures.View(Fixtures.Guide, "prod");
        var bucket = view.Properties(LogicalIds.ArtifactBucket);
        Assert.Equal("AES256", (string?)bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]);
        Assert.All(bucket["PublicAccessBlockConfiguration"]!.AsObject(), p => Assert.True((bool)p.Value!));
        Assert.Equal(4, bucket["PublicAccessBlockConfiguration"]!.AsObject().Count);
        var deny = view.Properties(LogicalIds.ArtifactBucketPolicy)["PolicyDocument"]!["Statement"]![0]!;
        Assert.Equal("Deny", (string?)deny["Effect"]);
        Assert.Equal("false", (string?)deny["Condition"]!["Bool"]!["aws:SecureTransport"]);
    }

    [Fact]
    public void The_pipeline_may_pass_only_the_task_roles_and_only_to_ecs_tasks()
    {
        var statements = Fixtures.View(Fixtures.Guide, "prod").Properties(LogicalIds.PipelineRole)["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        var pass = Assert.Single(statements, s => s!["Action"] is JsonValue a && (string?)a == "iam:PassRole")!;
        Assert.Equal([LogicalIds.ExecutionRole, LogicalIds.TaskRole], pass["Resource"]!.AsArray().Select(r => (string)r!["Fn::GetAtt"]![0]!));
        Assert.Equal("ecs-tasks.amazonaws.com", (string?)pass["Condition"]!["StringEquals"]!["iam:PassedToService"]);
        Assert.DoesNotContain(statements, s => s!["Action"] is JsonValue a && ((string)a!).EndsWith(":*", StringComparison.Ordinal));
    }

    [Fact]
    public void Prod_deploys_blue_green_natively_with_two_target_groups_a_listener_rule_and_bake_time()
    {
        var view = Fixtures.View(Fixtures.Guide, "prod");
        var service = view.Properties(LogicalIds.Service);
        Assert.Equal("ECS", (string?)service["DeploymentController"]!["Type"]);
        Assert.Equal("BLUE_GREEN", (string?)service["DeploymentConfiguration"]!["Strategy"]);
        Assert.Equal(15, (int)service["DeploymentConfiguration"]!["BakeTimeInMinutes"]!);
        var advanced = service["LoadBalancers"]![0]!["AdvancedConfiguration"]!;
        Assert.Equal(LogicalIds.AlternateTargetGroup, (string?)advanced["AlternateTargetGroupArn"]!["Ref"]);
        Assert.Equal(LogicalIds.ProductionListenerRule, (string?)advanced["ProductionListenerRule"]!["Ref"]);
        Assert.Equal(LogicalIds.EcsInfrastructureRole, (string?)advanced["RoleArn"]!["Fn::GetAtt"]![0]);
        Assert.Equal(2, view.OfType("AWS::ElasticLoadBalancingV2::TargetGroup").Count());
        var weights = view.Properties(LogicalIds.ProductionListenerRule)["Actions"]![0]!["ForwardConfig"]!["TargetGroups"]!.AsArray()
            .Select(g => ((string)g!["TargetGroupArn"]!["Ref"]!, (int)g["Weight"]!));
        Assert.Equal([(LogicalIds.TargetGroup, 100), (LogicalIds.AlternateTargetGroup, 0)], weights);
        // The AWS managed policy reference (and cfn-lint's Serverless/ManagedPolicies.json) give this policy without the
        // service-role/ path; with it IAM answers NoSuchEntity and prod rolls back.
        Assert.Equal("arn:${AWS::Partition}:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers",
            (string?)view.Properties(LogicalIds.EcsInfrastructureRole)["ManagedPolicyArns"]![0]!["Fn::Sub"]);
        Assert.Equal("ecs.amazonaws.com", (string?)view.Properties(LogicalIds.EcsInfrastructureRole)["AssumeRolePolicyDocument"]!["Statement"]![0]!["Principal"]!["Service"]);
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("staging")]
    public void Rolling_environments_have_one_target_group_and_no_listener_rule(string env)
    {
        var view = Fixtures.View(Fixtures.Guide, env);
        Assert.Single(view.OfType("AWS::ElasticLoadBalancingV2::TargetGroup"));
        Assert.Empty(view.OfType("AWS::ElasticLoadBalancingV2::ListenerRule"));
        Assert.Null(view.Properties(LogicalIds.Service)["DeploymentConfiguration"]!["Strategy"]);
    }

    // moto accepts these types but cannot answer Fn::GetAtt on them from another resource; Ref is fine.
    static readonly string[] Unmodeled = ["AWS::CodePipeline::Pipeline", "AWS::CodeBuild::Project", "AWS::SES::EmailIdentity", "AWS::CodeStarConnections::Connection", "AWS::ApplicationAutoScaling::ScalableTarget", "AWS::ApplicationAutoScaling::ScalingPolicy"];

    [Fact]
    public void No_resource_reads_an_attribute_of_a_type_moto_cannot_model()
    {
        foreach (var (_, view) in AllStacks)
        {
            var unmodeled = view.Resources.Where(r => Unmodeled.Contains((string?)r.Value!["Type"])).Select(r => r.Key).ToHashSet();
            var text = view.Resources.ToJsonString();
            foreach (var id in unmodeled)
            {
                Assert.DoesNotContain($"\"Fn::GetAtt\":[\"{id}\"", text);
                Assert.DoesNotContain($"${{{id}.", text);
            }
        }
    }

    [Fact]
    public void An_app_without_delivery_settings_has_no_shared_stack_and_no_pipeline()
    {
        var result = Emitter.Generate([Fixtures.Minimal()]);
        Assert.Empty(result.SharedTemplates);
        var view = new TemplateView(Assert.Single(result.Templates).Json);
        Assert.Empty(view.OfType("AWS::CodePipeline::Pipeline"));
        Assert.False(view.Parameters.ContainsKey(LogicalIds.GitHubConnectionArnParameter));
        Assert.False(view.Resource(LogicalIds.TaskRole)["Properties"]!.AsObject().ContainsKey("Policies"));
    }

    [Fact]
    public void An_existing_connection_becomes_the_parameter_default_and_no_connection_is_created()
    {
        const string arn = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
        var app = Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), Pipeline = new Pipeline { Branch = "main" } }) with
        {
            Source = new GitHubSource { Repository = "shop-org/shop", ConnectionArn = arn },
        };
        var result = Emitter.Generate([app]);
        Assert.Empty(result.SharedTemplates);
        Assert.Equal(arn, (string?)new TemplateView(Assert.Single(result.Templates).Json).Parameters[LogicalIds.GitHubConnectionArnParameter]!["Default"]);
    }

    [Fact]
    public void Environments_in_two_regions_get_one_shared_stack_each()
    {
        var app = Fixtures.Minimal(
                new Env("dev") { Region = "eu-west-1", Tasks = new TaskCount(1, 2) },
                new Env("qa") { Region = "eu-west-1", Tasks = new TaskCount(1, 2) },
                new Env("prod") { Region = "us-east-1", Tasks = new TaskCount(2, 4), Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/abc-123") }) with
        {
            Repository = new NewRepository(),
            Service = new FargateService { Image = ContainerImage.FromEcr("shop", "v1"), Port = 8080 },
        };
        var shared = Emitter.Generate([app]).SharedTemplates;
        Assert.Equal(["shop-shared-eu-west-1", "shop-shared-us-east-1"], shared.Select(s => s.Model.StackName));
        Assert.Equal(["dev", "qa"], shared[0].Model.Environments.Select(e => e.Name));
        Assert.All(shared, s => Assert.Single(new TemplateView(s.Json).OfType("AWS::ECR::Repository")));
    }

    [Fact]
    public void The_command_line_prints_the_shared_stack_first_with_the_steps_no_template_can_take()
    {
        var stdout = new StringWriter();
        var dir = Directory.CreateTempSubdirectory("templates-delivery-").FullName;
        try
        {
            Assert.Equal(TemplatesCli.Success, TemplatesCli.Run(["--out", dir], stdout, TextWriter.Null, Fixtures.Guide));
        }
        finally { Directory.Delete(dir, recursive: true); }
        var text = stdout.ToString();
        var order = new[] { "flask-app-shared", "flask-app-dev", "flask-app-staging", "flask-app-prod" }.Select(s => text.IndexOf($"--stack-name {s} ", StringComparison.Ordinal)).ToList();
        Assert.All(order, i => Assert.True(i >= 0));
        Assert.Equal(order.Order(), order);
        Assert.Contains("Deploy in this order", text);
        Assert.Contains("verification link to sender@example.com", text);
        Assert.Contains("Update pending connection", text);
        Assert.Contains("docker push \"$REPO:1.0.0\"", text);
        Assert.Contains("GitHubConnectionArn=\"$(aws cloudformation describe-stacks --stack-name flask-app-shared", text);
    }

    public static TheoryData<string, App, string, string> Broken => new()
    {
        { "TPL0026", Fixtures.Minimal() with { Mail = new MailSender { Address = "sender(at)example.com" } }, "Mail.Address", "not an email address" },
        { "TPL0027", WithPipeline(new Pipeline { Branch = "main" }) with { Source = new GitHubSource { Repository = "https://github.com/shop-org/shop" } }, "Source.Repository", "owner/name" },
        { "TPL0028", WithPipeline(new Pipeline { Branch = "feature..x" }), "Environments[dev].Pipeline.Branch", "not a Git branch name" },
        { "TPL0029", WithPipeline(new Pipeline { Branch = "main" }) with { Source = null }, "Environments[dev].Pipeline", "names no source" },
        { "TPL0030", WithPipeline(new Pipeline { Branch = "main", AlsoTagAs = "latest" }) with { Repository = new NewRepository { TagMutability = TagMutability.Immutable } }, "Environments[dev].Pipeline.AlsoTagAs", "immutable" },
        { "TPL0031", Fixtures.Minimal() with { Deployment = new BlueGreenDeployment { BakeTimeMinutes = 2000 } }, "Deployment.BakeTimeMinutes", "0 to 1440" },
        { "TPL0033", WithPipeline(new Pipeline { Branch = "main", BuildTimeoutMinutes = 2 }), "Environments[dev].Pipeline.BuildTimeoutMinutes", "5 to 480" },
        { "TPL0033", Fixtures.Minimal() with { Repository = new NewRepository { KeepImages = 0 } }, "Repository.KeepImages", "1 to 10000" },
    };

    static App WithPipeline(Pipeline pipeline) =>
        Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), Pipeline = pipeline }) with { Source = new GitHubSource { Repository = "shop-org/shop" } };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Delivery_mistakes_are_errors_naming_the_setting(string id, App app, string setting, string message)
    {
        var finding = Assert.Single(Fixtures.Findings(app));
        Assert.Equal(id, finding.Rule.Id);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(setting, finding.Setting);
        Assert.Contains(message, finding.Message);
        Assert.True(Emitter.Generate([app]).HasErrors);
    }

    [Fact]
    public void Blue_green_without_bake_time_is_a_warning_in_production_only()
    {
        var app = Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2) }, new Env("prod") { Tasks = new TaskCount(2, 4), Service = new ServiceOverrides { ImageTag = "v1" }, WebAcl = new WebAcl() }) with
        {
            Deployment = new BlueGreenDeployment { BakeTimeMinutes = 0 },
        };
        var finding = Assert.Single(Fixtures.Findings(app));
        Assert.Equal("TPL0032", finding.Rule.Id);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(["prod"], finding.Environments);
    }

    [Theory]
    [InlineData("a@example.com", true)]
    [InlineData("first.last+tag@mail.example.co.uk", true)]
    [InlineData("example.com", false)]
    [InlineData("a@b", false)]
    [InlineData("", false)]
    public void Sender_addresses(string address, bool valid) => Assert.Equal(valid, Checks.MailSender(address) is null);

    [Theory]
    [InlineData("main", true)]
    [InlineData("release/1.2", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("/leading", false)]
    [InlineData("trailing/", false)]
    [InlineData("x.lock", false)]
    public void Branch_names(string branch, bool valid) => Assert.Equal(valid, Checks.PipelineBranch(branch) is null);

    [Theory]
    [InlineData("example-org/flask-app", true)]
    [InlineData("o/r.js", true)]
    [InlineData("flask-app", false)]
    [InlineData("a/b/c", false)]
    [InlineData("o/r.git", false)]
    public void Github_repositories(string repository, bool valid) => Assert.Equal(valid, Checks.SourceRepository(repository) is null);
}
