using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Templates.Rules;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>
/// An environment's CI/CD pipeline: CodePipeline V2 with a GitHub source through a CodeStar connection and a push trigger on
/// the environment's branch, a CodeBuild project that builds the image, tags it with the commit, pushes it to ECR and writes
/// <c>imagedefinitions.json</c>, an optional manual approval, and the ECS deploy action that rolls the service forward.
/// Each of the app's other services with a <see cref="AppService.BuildContext"/> gets a build action of its own (the same
/// project, its repository and folder given by the action's variables) and a deploy action of its own.
/// </summary>
/// <remarks>
/// moto has no CloudFormation model for CodePipeline or CodeBuild: it accepts them but cannot answer <c>Fn::GetAtt</c> on them.
/// So nothing here reads an attribute of the pipeline or the project: their names are set (from the stack's name) and the
/// ARNs the roles need are built with <c>Fn::Sub</c> from those names or from <c>Ref</c>.
/// </remarks>
public static class PipelineBuilder
{
    const string SourceAction = "Source";
    const string SourceNamespace = "SourceVariables";
    const string BuildNamespace = "BuildVariables";

    /// <summary>Adds the pipeline's resources.</summary>
    public static void Add(Template t, EnvironmentModel m, Pipeline pipeline)
    {
        var source = m.App.Source ?? throw new InvalidOperationException("A pipeline needs the app's Source (TPL0029).");
        var builds = Builds(m, source);
        // One project per processor architecture the images are built for: the app's own Service's first (BuildProject, as
        // ever), then the other one when a built service runs on it. CodeBuild builds for the architecture of the machine it
        // runs on, and a project has one environment type.
        var projects = builds.Select(b => b.Architecture).Distinct().Select(a => ProjectOf(m, a)).ToList();
        // The image actions on every repository the pipeline pushes to (ECR's own action names), each repository once.
        var repositoryArns = builds.Select(b => b.Repository).Distinct(StringComparer.Ordinal).Select(r => (JsonNode)Fn.Sub(Fn.EcrRepositoryArn(r))).ToArray();
        var production = m.Env.IsProduction;

        t.AddResource(Ids.ArtifactBucket, "AWS::S3::Bucket", StackBuilder.PrivateBucket(new()
        {
            ["VersioningConfiguration"] = new JsonObject { ["Status"] = "Enabled" },
            // Artifacts are only needed while a release is in flight (and to re-run a recent one).
            ["LifecycleConfiguration"] = new JsonObject
            {
                ["Rules"] = new JsonArray(new JsonObject
                {
                    ["Id"] = "expire-artifacts",
                    ["Status"] = "Enabled",
                    ["ExpirationInDays"] = 30,
                    ["NoncurrentVersionExpiration"] = new JsonObject { ["NoncurrentDays"] = 7 },
                }),
            },
        // CloudFormation cannot delete a bucket that still holds objects: keep it rather than fail the stack's deletion.
        })).Retention("Retain");
        t.AddResource(Ids.ArtifactBucketPolicy, "AWS::S3::BucketPolicy", new()
        {
            ["Bucket"] = Fn.Ref(Ids.ArtifactBucket),
            ["PolicyDocument"] = new JsonObject
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new JsonArray(StackBuilder.DenyInsecureTransport(Ids.ArtifactBucket)),
            },
        });
        // Scanner check IDs are verified against the scanners' sources by ScannerCheckTests (which names the file of each).
        t.Get(Ids.ArtifactBucket)
            // No CloudFormation check of Checkov or cfn_nag reports SSE-S3 (Checkov's CKV_AWS_19 and cfn_nag's W41 accept it; Checkov's
            // KMS-by-default check, CKV_AWS_145, exists for Terraform only), so this decision carries no suppression.
            .TradeOff("AWS managed keys, not a customer managed one: default encryption SSE-S3, and with no artifact store EncryptionKey CodePipeline and CodeBuild write with aws/s3; a customer managed key would add a key policy, cost and a KMS call per object, not narrow who can read.")
            .TradeOff("No server access logs: only the pipeline's roles use the bucket and CloudTrail records their calls; logs would need another bucket.",
                checkovIds: ["CKV_AWS_18"], cfnNagIds: ["W35"]);

        t.AddResource(Ids.BuildLogGroup, "AWS::Logs::LogGroup", new()
        {
            ["RetentionInDays"] = m.Service.LogRetentionDays,
        }).Retention(production ? "Retain" : "Delete")
            .TradeOff(ServiceBuilder.LogGroupKeyTradeOff, checkovIds: [ServiceBuilder.LogGroupKmsCheckov], cfnNagIds: [ServiceBuilder.LogGroupKmsCfnNag]);

        var artifacts = Fn.Sub($"${{{Ids.ArtifactBucket}.Arn}}/*");
        t.AddResource(Ids.BuildRole, "AWS::IAM::Role", new()
        {
            ["Description"] = $"{m.StackName}: lets CodeBuild build the image and push it to ECR",
            // CodeBuild documents aws:SourceAccount and aws:SourceArn (the build project's ARN) for its service role's trust
            // policy (CodeBuild user guide, "Cross-service confused deputy prevention"; the same keys with the project ARN in ECR's
            // repository policy examples for codebuild.amazonaws.com): only this stack's build project, in this account, may
            // assume the role. The project's name is set below from the stack's name, so its ARN needs no Fn::GetAtt.
            ["AssumeRolePolicyDocument"] = StackBuilder.ServiceTrust("codebuild.amazonaws.com", confusedDeputyCondition: true,
                sourceArn: OneOrMany([.. projects.Select(p => (JsonNode)Fn.Sub($"arn:${{AWS::Partition}}:codebuild:${{AWS::Region}}:${{AWS::AccountId}}:project/{p.Name}"))])),
            ["Policies"] = new JsonArray(new JsonObject
            {
                ["PolicyName"] = "build",
                ["PolicyDocument"] = new JsonObject
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = new JsonArray(
                        StackBuilder.Statement("WriteLogs", ["logs:CreateLogStream", "logs:PutLogEvents"], Fn.GetAtt(Ids.BuildLogGroup, "Arn")),
                        StackBuilder.Statement("Artifacts", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], artifacts.DeepClone()),
                        // GetAuthorizationToken is account-wide: IAM has no resource to scope it to.
                        StackBuilder.Statement("AuthenticateToEcr", ["ecr:GetAuthorizationToken"], "*"),
                        // DescribeImages: the build looks the commit's tag up first and skips the build when it is already
                        // pushed (a retried build, or a re-run of the same commit), as an immutable repository refuses it again.
                        StackBuilder.Statement("PushImage",
                            ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"],
                            OneOrMany(repositoryArns))),
                },
            }),
        }).TradeOff(repositoryArns.Length == 1 ? ServiceBuilder.EcrAuthorizationTradeOff
                : "Resource \"*\" for ecr:GetAuthorizationToken only, which has no resource type; image actions name the repositories the pipeline pushes to.",
            checkovIds: [], cfnNagIds: [ServiceBuilder.WildcardResourceCfnNag]);

        foreach (var project in projects)
        {
            // The primary project also holds the app's own image's repository and folder, which its build action reads as they
            // are; every other build action overrides them with its own service's (action-level EnvironmentVariables).
            var primary = project.Id == Ids.BuildProject;
            var variables = new JsonArray(Variable("REGISTRY", Fn.Sub(Fn.EcrRegistry)));
            if (primary)
            {
                variables.Add((JsonNode)Variable("REPOSITORY_NAME", m.Service.Image.Repository));
                variables.Add((JsonNode)Variable("REPOSITORY_URI", Fn.Sub($"{Fn.EcrRegistry}/{m.Service.Image.Repository}")));
            }
            // The environment's own tag namespace: its images are "<env>_<commit>", so two environments never push the same tag
            // and the repository's lifecycle policy keeps each environment's last images separately.
            variables.Add((JsonNode)Variable("TAG_PREFIX", CommitTagPrefix(m.Env.Name)));
            // Every container of the stack has this one name (each task definition holds one container), so no action overrides it.
            variables.Add((JsonNode)Variable("CONTAINER_NAME", StackBuilder.ContainerName));
            if (primary) variables.Add((JsonNode)Variable("BUILD_CONTEXT", source.BuildContext));
            AddProject(t, m, pipeline, source, project, variables, production, repositoryArns.Length);
        }

        t.AddResource(Ids.PipelineRole, "AWS::IAM::Role", new()
        {
            ["Description"] = builds.Count == 1
                ? $"{m.StackName}: lets CodePipeline read the source, run the build and deploy the service"
                : $"{m.StackName}: lets CodePipeline read the source, run the builds and deploy the services",
            // The trust policy of CodePipeline's own guide, without conditions: no AWS document shows that CodePipeline sends
            // aws:SourceAccount or aws:SourceArn when it assumes its service role (its service-role page gives the bare trust policy,
            // and CodePipeline has no confused-deputy page), and a condition on a key it does not send would stop every run
            // (https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-service-role-cli.html).
            ["AssumeRolePolicyDocument"] = StackBuilder.ServiceTrust("codepipeline.amazonaws.com", confusedDeputyCondition: false),
            ["Policies"] = new JsonArray(new JsonObject
            {
                ["PolicyName"] = "pipeline",
                ["PolicyDocument"] = new JsonObject
                {
                    ["Version"] = "2012-10-17",
                    ["Statement"] = PipelineStatements(artifacts),
                },
            }),
        }).TradeOff("Resource \"*\" for three ECS actions: ecs:DescribeTaskDefinition (no resource type), ecs:ListTasks (this cluster only, by ecs:cluster), and ecs:RegisterTaskDefinition, which takes a task definition but is granted on \"*\" as CodePipeline's ECS deploy action reference grants it, since a narrower grant AWS does not show working would fail every deployment.",
            checkovIds: [], cfnNagIds: [ServiceBuilder.WildcardResourceCfnNag])
            .TradeOff(StackBuilder.NoSourceConditionTradeOff("https://docs.aws.amazon.com/codepipeline/latest/userguide/pipelines-create-service-role-cli.html"));

        var stages = new JsonArray(
            Stage("Source", new JsonObject
            {
                ["Name"] = SourceAction,
                ["Namespace"] = SourceNamespace,
                ["ActionTypeId"] = ActionType("Source", "CodeStarSourceConnection"),
                ["Configuration"] = new JsonObject
                {
                    ["ConnectionArn"] = Fn.Ref(Ids.GitHubConnectionArnParameter),
                    ["FullRepositoryId"] = source.Repository,
                    ["BranchName"] = pipeline.Branch,
                    ["OutputArtifactFormat"] = "CODE_ZIP",
                },
                ["OutputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = "SourceOutput" }),
                ["RunOrder"] = 1,
            }));
        // Every image at once, from the one commit: the build actions share a RunOrder, so CodePipeline runs them in parallel.
        foreach (var stage in Stages("Build", [.. builds.Select(b => (BuildAction(m, b, projects, production), 1))])) stages.Add((JsonNode)stage);
        if (m.ManualApproval)
            stages.Add((JsonNode)Stage("Approve", new JsonObject
            {
                ["Name"] = "ApproveRelease",
                ["ActionTypeId"] = ActionType("Approval", "Manual", owner: "AWS"),
                ["Configuration"] = new JsonObject
                {
                    ["CustomData"] = production
                        ? $"Deploy commit #{{{SourceNamespace}.CommitId}} of {source.Repository} to {m.StackName} as image #{{{BuildNamespace}.IMAGE_DIGEST}}?"
                        : $"Deploy commit #{{{SourceNamespace}.CommitId}} of {source.Repository} to {m.StackName}?",
                },
                ["RunOrder"] = 1,
            }));
        // Backend services first, then workers and web services, then the app's own Service (RunOrder 1, 2, 3 of the groups
        // present): a caller's new version then never meets its backend's old one, and the front door moves last.
        foreach (var stage in Stages("Deploy", [.. builds.Select(b => (DeployAction(b), b.DeployGroup))])) stages.Add((JsonNode)stage);

        t.AddResource(Ids.Pipeline, "AWS::CodePipeline::Pipeline", new()
        {
            ["Name"] = Fn.Sub("${AWS::StackName}"),
            ["PipelineType"] = "V2",
            ["ExecutionMode"] = "QUEUED",
            ["RoleArn"] = Fn.GetAtt(Ids.PipelineRole, "Arn"),
            ["ArtifactStore"] = new JsonObject { ["Type"] = "S3", ["Location"] = Fn.Ref(Ids.ArtifactBucket) },
            ["Stages"] = stages,
            // A push to the environment's branch starts the pipeline: this replaces the guide's GitHub webhook.
            ["Triggers"] = new JsonArray(new JsonObject
            {
                ["ProviderType"] = "CodeStarSourceConnection",
                ["GitConfiguration"] = new JsonObject
                {
                    ["SourceActionName"] = SourceAction,
                    ["Push"] = new JsonArray(new JsonObject
                    {
                        ["Branches"] = new JsonObject { ["Includes"] = new JsonArray(pipeline.Branch) },
                    }),
                },
            }),
        // The bucket policy must be in place before the first run writes an artifact.
        }).DependsOn(Ids.ArtifactBucketPolicy);

        JsonArray PipelineStatements(JsonNode artifactObjects)
        {
            // Each deployed service's two task roles, which its new task definition revision names.
            var passRole = StackBuilder.Statement("PassTaskRoles", ["iam:PassRole"],
                new JsonArray([.. builds.SelectMany(b => new JsonNode[] { Fn.GetAtt(b.Ids.ExecutionRole, "Arn"), Fn.GetAtt(b.Ids.TaskRole, "Arn") })]));
            passRole["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } };
            // The ECS deploy action's permissions, as CodePipeline's "Amazon Elastic Container Service deploy action reference"
            // (section "Service role permissions: Amazon ECS standard action") lists them, each scoped as far as the service
            // authorization reference ("Actions, resources, and condition keys for Amazon Elastic Container Service") allows:
            // - DescribeTaskDefinition has no resource type; RegisterTaskDefinition is granted on "*" as that page grants it (while
            //   scoping TagResource beside it), rather than risk a narrower resource the page does not show working.
            var taskDefinitions = StackBuilder.Statement("RegisterTaskDefinition", ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"], "*");
            // - TagResource only on this stack's task definition family and only while registering it (ecs:CreateAction): tags given
            //   to RegisterTaskDefinition are authorized as ecs:TagResource (ECS, "Grant permission to tag resources on creation"),
            //   and the page grants it on task-definition/<family>:* with the same condition.
            //   Each deployed service's family is its own (the stack's name, and "-<name>" for the app's other services).
            var tagOnRegister = StackBuilder.Statement("TagTaskDefinitionOnRegister", ["ecs:TagResource"],
                OneOrMany([.. builds.Select(b => (JsonNode)Fn.Sub($"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task-definition/{b.Ids.Family}:*"))]));
            tagOnRegister["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["ecs:CreateAction"] = "RegisterTaskDefinition" } };
            // - DescribeTasks and ListTasks: not in the page's current minimum, but in its earlier list for the action ("Manage the
            //   CodePipeline service role", which advised narrowing them); kept, for this cluster only. DescribeTasks takes the task
            //   resource and the ecs:cluster key; ListTasks names no task (its resource type, container-instance, does not exist on
            //   Fargate, and ECS authorizes it on "*"), so the ecs:cluster key alone limits it to this cluster.
            var cluster = Fn.Sub($"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:cluster/${{{Ids.Cluster}}}");
            var describeTasks = StackBuilder.Statement("DescribeTasks", ["ecs:DescribeTasks"],
                Fn.Sub($"arn:${{AWS::Partition}}:ecs:${{AWS::Region}}:${{AWS::AccountId}}:task/${{{Ids.Cluster}}}/*"));
            describeTasks["Condition"] = new JsonObject { ["ArnEquals"] = new JsonObject { ["ecs:cluster"] = cluster.DeepClone() } };
            var listTasks = StackBuilder.Statement("ListTasks", ["ecs:ListTasks"], "*");
            listTasks["Condition"] = new JsonObject { ["ArnEquals"] = new JsonObject { ["ecs:cluster"] = cluster.DeepClone() } };
            return new JsonArray(
                StackBuilder.Statement("Artifacts", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], artifactObjects.DeepClone()),
                StackBuilder.Statement("ArtifactBucket", ["s3:GetBucketVersioning", "s3:GetBucketLocation"], Fn.GetAtt(Ids.ArtifactBucket, "Arn")),
                UseConnection(source.Repository),
                StackBuilder.Statement("RunBuild", ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
                    OneOrMany([.. projects.Select(p => (JsonNode)Fn.Sub($"arn:${{AWS::Partition}}:codebuild:${{AWS::Region}}:${{AWS::AccountId}}:project/${{{p.Id}}}"))])),
                // - DescribeServices and UpdateService on the services it deploys only (resource type service; Ref is the ARN).
                StackBuilder.Statement("UpdateService", ["ecs:DescribeServices", "ecs:UpdateService"],
                    OneOrMany([.. builds.Select(b => (JsonNode)Fn.Ref(b.ServiceId))])),
                taskDefinitions,
                tagOnRegister,
                describeTasks,
                listTasks,
                passRole);
        }

        JsonNode UseConnection(string repository)
        {
            // The action and the condition key of the connection ARN's own service prefix: connections made since mid-2024 are
            // arn:aws:codeconnections:…, older ones arn:aws:codestar-connections:…, and "the service prefix needs to match that of
            // the resource" (https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html). A condition key cannot be computed
            // (it is a JSON key), so the statement of each prefix is written out and the condition on the ARN's third field picks
            // one; the parameter's pattern guarantees that field is one of the two.
            t.Conditions[Ids.CodeConnectionsCondition] = Fn.EqualsTo(
                Fn.Select(2, Fn.Split(":", Fn.Ref(Ids.GitHubConnectionArnParameter))), "codeconnections");
            return Fn.If(Ids.CodeConnectionsCondition, Statement("codeconnections"), Statement("codestar-connections"));

            // Only for the definition's repository. UseConnection supports <prefix>:FullRepositoryId, "supported only when the
            // connection is being used to access a specific repository" (Developer Tools console user guide, "Permissions reference
            // for connections", Using a connection): IfExists, so that a use of the connection for no particular repository still
            // passes, while any use for another repository carries the key with another value and is refused.
            JsonObject Statement(string prefix)
            {
                var statement = StackBuilder.Statement("UseConnection", [$"{prefix}:UseConnection"], Fn.Ref(Ids.GitHubConnectionArnParameter));
                statement["Condition"] = new JsonObject { ["StringEqualsIfExists"] = new JsonObject { [$"{prefix}:FullRepositoryId"] = repository } };
                return statement;
            }
        }
    }

    /// <summary>The build project's name, as text for <c>Fn::Sub</c>: set from the stack's name, so its ARN is known without <c>Fn::GetAtt</c> (which moto cannot answer for CodeBuild).</summary>
    const string BuildProjectName = "${AWS::StackName}-build";

    /// <summary>
    /// The most actions one stage holds: "Number of actions in a stage: Minimum of 1, maximum of 50", as many in parallel or in
    /// sequence (CodePipeline quotas, https://docs.aws.amazon.com/codepipeline/latest/userguide/limits.html). Past it, the
    /// actions go on in a next stage of the same name and a number ("Build2"), which runs after the first.
    /// </summary>
    public const int MaxActionsPerStage = 50;

    /// <summary>One image the pipeline builds, and the ECS service its deploy action then rolls forward.</summary>
    /// <param name="Name">The service's name; null for the app's own Service.</param>
    /// <param name="Ids">Its task resources' IDs (roles, family).</param>
    /// <param name="Repository">Its ECR repository.</param>
    /// <param name="Context">The folder of the source repository its Dockerfile is in.</param>
    /// <param name="Architecture">The architecture its task runs on, which its build machine must have.</param>
    /// <param name="DeployGroup">Its place in the Deploy stage: 0 backend services, 1 workers and web services, 2 the app's Service.</param>
    internal sealed record ImageBuild(string? Name, TaskIds Ids, string Repository, string Context, CpuArchitecture Architecture, int DeployGroup)
    {
        string Prefix => Name is null ? "" : Checks.ServiceIdPrefix(Name);

        /// <summary>The build action's name: <c>BuildImage</c>, <c>ApiBuildImage</c>.</summary>
        public string BuildActionName => Prefix + "BuildImage";

        /// <summary>Its output artifact, which holds its <c>imagedefinitions.json</c>: <c>BuildOutput</c>, <c>ApiBuildOutput</c>.</summary>
        public string Artifact => Prefix + "BuildOutput";

        /// <summary>The deploy action's name: <c>DeployService</c>, <c>DeployApiService</c>.</summary>
        public string DeployActionName => $"Deploy{Prefix}Service";

        /// <summary>The ECS service's logical ID.</summary>
        public string ServiceId => Ids.Of("Service");
    }

    /// <summary>
    /// The images an environment's pipeline builds: the app's Service's, then, in declaration order, each web service, backend
    /// service and worker of the environment with a <see cref="AppService.BuildContext"/>. Scheduled jobs are not built: no ECS
    /// service runs them, so no deploy action could roll one forward (its image moves with its ImageTag parameter).
    /// </summary>
    internal static IReadOnlyList<ImageBuild> Builds(EnvironmentModel m, GitHubSource source)
    {
        var builds = new List<ImageBuild> { new(null, TaskIds.Primary, m.Service.Image.Repository, source.BuildContext, m.Service.Architecture, 2) };
        foreach (var sm in m.Services)
        {
            if (sm.Service.BuildContext is not { } context || sm.Service is ScheduledJob) continue;
            builds.Add(new(sm.Name, TaskIds.For(sm.Name), sm.Service.Image.Repository, context, sm.Service.Architecture, sm.Service is BackendService ? 0 : 1));
        }
        return builds;
    }

    /// <summary>A build project: its logical ID, its name (as text for <c>Fn::Sub</c>) and the architecture it builds for.</summary>
    internal sealed record BuildProjectRef(string Id, string Name, CpuArchitecture Architecture);

    /// <summary>The project building for <paramref name="architecture"/>: <c>BuildProject</c> for the app's Service's, else <c>BuildProjectArm64</c> or <c>BuildProjectX86</c>.</summary>
    static BuildProjectRef ProjectOf(EnvironmentModel m, CpuArchitecture architecture) =>
        architecture == m.Service.Architecture ? new(Ids.BuildProject, BuildProjectName, architecture)
        : architecture == CpuArchitecture.Arm64 ? new(Ids.BuildProject + "Arm64", BuildProjectName + "-arm64", architecture)
        : new(Ids.BuildProject + "X86", BuildProjectName + "-x86", architecture);

    static void AddProject(Template t, EnvironmentModel m, Pipeline pipeline, GitHubSource source, BuildProjectRef project, JsonArray variables, bool production, int repositories)
    {
        var arm = project.Architecture == CpuArchitecture.Arm64;
        var primary = project.Id == Ids.BuildProject;
        t.AddResource(project.Id, "AWS::CodeBuild::Project", new()
        {
            ["Name"] = Fn.Sub(project.Name),
            ["Description"] = primary
                ? $"{m.StackName}: builds the image from {source.Repository} ({pipeline.Branch}), tags it with the commit and pushes it to ECR"
                : $"{m.StackName}: builds the {(arm ? "ARM64" : "X86_64")} images from {source.Repository} ({pipeline.Branch}), tags them with the commit and pushes them to ECR",
            ["ServiceRole"] = Fn.GetAtt(Ids.BuildRole, "Arn"),
            ["Source"] = new JsonObject { ["Type"] = "CODEPIPELINE", ["BuildSpec"] = BuildSpec(pipeline, byDigest: production) },
            ["Artifacts"] = new JsonObject { ["Type"] = "CODEPIPELINE" },
            ["Environment"] = new JsonObject
            {
                // The image is built for the task's architecture by building on a machine of that architecture.
                ["Type"] = arm ? "ARM_CONTAINER" : "LINUX_CONTAINER",
                ["ComputeType"] = pipeline.Compute switch { BuildCompute.Medium => "BUILD_GENERAL1_MEDIUM", BuildCompute.Large => "BUILD_GENERAL1_LARGE", _ => "BUILD_GENERAL1_SMALL" },
                ["Image"] = arm ? "aws/codebuild/amazonlinux-aarch64-standard:3.0" : "aws/codebuild/standard:7.0",
                ["ImagePullCredentialsType"] = "CODEBUILD",
                // Docker builds need the Docker daemon, which runs only in privileged mode (rules catalog TPL-SEC-44).
                ["PrivilegedMode"] = true,
                ["EnvironmentVariables"] = variables,
            },
            ["LogsConfig"] = new JsonObject
            {
                ["CloudWatchLogs"] = new JsonObject { ["Status"] = "ENABLED", ["GroupName"] = Fn.Ref(Ids.BuildLogGroup) },
            },
            ["TimeoutInMinutes"] = pipeline.BuildTimeoutMinutes,
        });
        t.Get(project.Id)
            // Neither scanner has a CloudFormation check for privileged mode (Checkov's CKV_AWS_316 is for Terraform only; rules catalog
            // TPL-SEC-44), so the decision is recorded with its reason alone.
            .TradeOff("Privileged mode: docker build needs the Docker daemon, which CodeBuild runs only in privileged mode; the build runs this repository's Dockerfile with a role that may push to "
                + (repositories == 1 ? "one repository." : $"the {repositories} repositories of the images the pipeline builds."))
            .TradeOff("No EncryptionKey: CodeBuild encrypts its output with the AWS managed key for S3 (aws/s3); a customer managed key would need a key policy for both pipeline roles.",
                checkovIds: [], cfnNagIds: ["W32"]);
    }

    /// <summary>
    /// The build action of one image. The app's Service's reads the project's variables as they are; another service's sets its
    /// own repository and folder through the action's <c>EnvironmentVariables</c>, which CodePipeline passes to the build it
    /// starts: "The value of this parameter is used to set environment variables for the CodeBuild action in your pipeline",
    /// a JSON array of name/value/type objects, at most 1000 characters once CodePipeline has resolved it (AWS CodeBuild build
    /// and test action reference, https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html).
    /// They win over the project's variables of the same name: "The value in the start build operation call takes highest
    /// precedence. The value in the build project definition takes next precedence" (CodeBuild user guide, "Run a build",
    /// https://docs.aws.amazon.com/codebuild/latest/userguide/run-build-console.html). Each action
    /// has its own output artifact (a CodeBuild action has 0 to 5; an ECS deploy action reads exactly 1, "Valid input and output
    /// artifacts for each action type", https://docs.aws.amazon.com/codepipeline/latest/userguide/reference-action-artifacts.html),
    /// so every artifact holds its own <c>imagedefinitions.json</c> under that one name and each deploy action reads its own.
    /// </summary>
    static JsonObject BuildAction(EnvironmentModel m, ImageBuild build, IReadOnlyList<BuildProjectRef> projects, bool production)
    {
        var project = projects.Single(p => p.Architecture == build.Architecture);
        const string commit = $"{{\"name\":\"COMMIT_ID\",\"value\":\"#{{{SourceNamespace}.CommitId}}\",\"type\":\"PLAINTEXT\"}}";
        JsonNode variables;
        if (build.Name is null)
        {
            // The commit the source action fetched, from its variables: the image's tag.
            variables = $"[{commit}]";
        }
        else
        {
            // REPOSITORY_URI holds the registry, which only CloudFormation knows (account, region): the text around it is written
            // out (each value escaped as JSON) and joined with it, so no part of the definition passes through Fn::Sub.
            static string Plain(string name, string value) => new JsonObject { ["name"] = name, ["value"] = value, ["type"] = "PLAINTEXT" }.ToJsonString();
            var repository = JsonValue.Create(build.Repository).ToJsonString()[1..^1];
            variables = Fn.Join("",
                $"[{commit},{Plain("REPOSITORY_NAME", build.Repository)},{{\"name\":\"REPOSITORY_URI\",\"value\":\"",
                Fn.Sub(Fn.EcrRegistry),
                $"/{repository}\",\"type\":\"PLAINTEXT\"}},{Plain("BUILD_CONTEXT", build.Context)}]");
        }
        var action = new JsonObject
        {
            ["Name"] = build.BuildActionName,
            ["ActionTypeId"] = ActionType("Build", "CodeBuild"),
            ["Configuration"] = new JsonObject
            {
                ["ProjectName"] = Fn.Ref(project.Id),
                ["EnvironmentVariables"] = variables,
            },
            ["InputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = "SourceOutput" }),
            ["OutputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = build.Artifact }),
            ["RunOrder"] = 1,
        };
        // Production's build of the app's image exports the digest it resolved (buildspec env/exported-variables), so the approval
        // names the very image the deploy action will register.
        if (production && build.Name is null) action["Namespace"] = BuildNamespace;
        return action;
    }

    /// <summary>
    /// The deploy action of one service: the standard ECS action, which registers a task definition revision with the new image
    /// and updates the service, which then deploys with its own strategy (rolling, or ECS-native blue/green).
    /// </summary>
    static JsonObject DeployAction(ImageBuild build) => new()
    {
        ["Name"] = build.DeployActionName,
        ["ActionTypeId"] = ActionType("Deploy", "ECS"),
        ["Configuration"] = new JsonObject
        {
            ["ClusterName"] = Fn.Ref(Ids.Cluster),
            ["ServiceName"] = Fn.GetAtt(build.ServiceId, "Name"),
            ["FileName"] = "imagedefinitions.json",
        },
        ["InputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = build.Artifact }),
        ["RunOrder"] = 1,
    };

    /// <summary>
    /// The stages holding <paramref name="actions"/>, each with its group (actions of one group run in parallel, groups in
    /// ascending order): <paramref name="name"/>, then <c>name2</c>, … when they exceed <see cref="MaxActionsPerStage"/>.
    /// Within each stage the groups present are numbered 1, 2, … as the actions' RunOrder.
    /// </summary>
    internal static IReadOnlyList<JsonObject> Stages(string name, IReadOnlyList<(JsonObject Action, int Group)> actions)
    {
        var ordered = actions.Select((a, i) => (a.Action, a.Group, Index: i)).OrderBy(a => a.Group).ThenBy(a => a.Index).ToList();
        var stages = new List<JsonObject>();
        for (var start = 0; start < ordered.Count; start += MaxActionsPerStage)
        {
            var chunk = ordered.Skip(start).Take(MaxActionsPerStage).ToList();
            var runOrders = chunk.Select(a => a.Group).Distinct().Order().Select((g, i) => (g, i + 1)).ToDictionary(x => x.g, x => x.Item2);
            foreach (var (action, group, _) in chunk) action["RunOrder"] = runOrders[group];
            stages.Add(new JsonObject
            {
                ["Name"] = stages.Count == 0 ? name : name + (stages.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Actions"] = new JsonArray([.. chunk.Select(a => (JsonNode)a.Action)]),
            });
        }
        return stages;
    }

    /// <summary>One resource as itself, several as a list (a policy's Resource, a condition's values): one keeps the form it always had.</summary>
    static JsonNode OneOrMany(JsonNode[] items) => items.Length == 1 ? items[0] : new JsonArray(items);

    static JsonObject Variable(string name, JsonNode value) => new() { ["Name"] = name, ["Type"] = "PLAINTEXT", ["Value"] = value };

    static JsonObject ActionType(string category, string provider, string owner = "AWS") => new()
    {
        ["Category"] = category,
        ["Owner"] = owner,
        ["Provider"] = provider,
        ["Version"] = "1",
    };

    static JsonObject Stage(string name, JsonObject action) => new() { ["Name"] = name, ["Actions"] = new JsonArray(action) };

    /// <summary>
    /// The prefix of the tags an environment's pipeline pushes: the environment's name and an underscore. Environment names
    /// hold no underscore (TPL0001), so no environment's prefix is the start of another's ("dev_" never matches "dev-eu_…").
    /// </summary>
    public static string CommitTagPrefix(string environment) => environment + "_";

    /// <summary>
    /// The inline buildspec: log in to ECR; tag with the environment's prefix and the first 12 characters of the commit; when
    /// that tag is already in the repository (a retried build, the same commit released again) skip the build and push, which
    /// an immutable repository would refuse with ImageTagAlreadyExistsException; else build and push (with the fixed extra tag,
    /// if any); and write <c>imagedefinitions.json</c> for the ECS deploy action. Buildspec 0.2 runs a phase's commands in one
    /// shell, so the variables set in pre_build reach the later phases.
    /// With <paramref name="byDigest"/> (production), the image is named by the digest ECR holds for the tag once it is pushed
    /// (<c>repository@sha256:…</c>), so what the deploy action registers is the image this build produced (or found), whatever the
    /// tag points at later; a lookup that yields no digest fails the build instead of writing a broken definition.
    /// </summary>
    public static string BuildSpec(Pipeline pipeline, bool byDigest = false)
    {
        var extra = pipeline.AlsoTagAs;
        var lines = new List<string>
        {
            "version: 0.2",
        };
        // CodeBuild hands an exported variable's value at the end of the build to the pipeline's later actions.
        if (byDigest) lines.AddRange(["env:", "  exported-variables:", "    - IMAGE_DIGEST"]);
        lines.AddRange(
        [
            "phases:",
            "  pre_build:",
            "    on-failure: ABORT",
            "    commands:",
            "      - aws ecr get-login-password --region \"$AWS_DEFAULT_REGION\" | docker login --username AWS --password-stdin \"$REGISTRY\"",
            "      - IMAGE_TAG=\"$TAG_PREFIX$(echo \"$COMMIT_ID\" | cut -c1-12)\"",
            "      - test -n \"$COMMIT_ID\"",
            // Found: skip the build. Not found (ImageNotFoundException): build. Anything else (no permission, throttling): stop,
            // rather than build and fail on the push.
            "      - if LOOKUP=\"$(aws ecr describe-images --repository-name \"$REPOSITORY_NAME\" --image-ids imageTag=\"$IMAGE_TAG\" 2>&1)\"; then IMAGE_EXISTS=yes; elif echo \"$LOOKUP\" | grep -q ImageNotFoundException; then IMAGE_EXISTS=no; else echo \"$LOOKUP\" >&2; false; fi",
            "      - echo \"IMAGE_TAG=$IMAGE_TAG IMAGE_EXISTS=$IMAGE_EXISTS\"",
            "  build:",
            "    on-failure: ABORT",
            "    commands:",
            "      - if [ \"$IMAGE_EXISTS\" = no ]; then docker build --tag \"$REPOSITORY_URI:$IMAGE_TAG\" \"$BUILD_CONTEXT\"; fi",
        ]);
        if (extra is not null) lines.Add($"      - if [ \"$IMAGE_EXISTS\" = no ]; then docker tag \"$REPOSITORY_URI:$IMAGE_TAG\" \"$REPOSITORY_URI:{extra}\"; fi");
        lines.Add("  post_build:");
        lines.Add("    commands:");
        lines.Add("      - if [ \"$IMAGE_EXISTS\" = no ]; then docker push \"$REPOSITORY_URI:$IMAGE_TAG\"; fi");
        if (extra is not null)
        {
            lines.Add($"      - if [ \"$IMAGE_EXISTS\" = no ]; then docker push \"$REPOSITORY_URI:{extra}\"; fi");
            // Already built: move the extra tag to that image without pulling it (ECR's retagging: the manifest, put again under
            // the new tag); an unchanged tag answers ImageAlreadyExistsException, which is fine.
            lines.Add($"      - if [ \"$IMAGE_EXISTS\" = yes ]; then MANIFEST=\"$(aws ecr batch-get-image --repository-name \"$REPOSITORY_NAME\" --image-ids imageTag=\"$IMAGE_TAG\" --query 'images[0].imageManifest' --output text)\" && {{ aws ecr put-image --repository-name \"$REPOSITORY_NAME\" --image-tag {extra} --image-manifest \"$MANIFEST\" 2>retag.err || grep -q ImageAlreadyExistsException retag.err; }}; fi");
        }
        if (byDigest)
        {
            // ECR's own record of the pushed (or already present) image: it answers for a build that skipped the push, where the
            // local Docker has no image to inspect. ecr:DescribeImages is already granted for the lookup before the build. ECS takes
            // an ECR image as registry/repository:tag or registry/repository@digest (task definition parameters, "image"), and the
            // deploy action puts imageUri into the container definition as it is.
            lines.Add("      - IMAGE_DIGEST=\"$(aws ecr describe-images --repository-name \"$REPOSITORY_NAME\" --image-ids imageTag=\"$IMAGE_TAG\" --query 'imageDetails[0].imageDigest' --output text)\"");
            lines.Add("      - echo \"$IMAGE_DIGEST\" | grep -Eqx 'sha256:[0-9a-f]{64}'");
            lines.Add("      - echo \"IMAGE_TAG=$IMAGE_TAG IMAGE_DIGEST=$IMAGE_DIGEST\"");
            lines.Add("      - printf '[{\"name\":\"%s\",\"imageUri\":\"%s\"}]' \"$CONTAINER_NAME\" \"$REPOSITORY_URI@$IMAGE_DIGEST\" > imagedefinitions.json");
        }
        else
        {
            lines.Add("      - printf '[{\"name\":\"%s\",\"imageUri\":\"%s\"}]' \"$CONTAINER_NAME\" \"$REPOSITORY_URI:$IMAGE_TAG\" > imagedefinitions.json");
        }
        lines.Add("artifacts:");
        lines.Add("  files:");
        lines.Add("    - imagedefinitions.json");
        return string.Join("\n", lines) + "\n";
    }
}
