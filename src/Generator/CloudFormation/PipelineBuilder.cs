using System.Text.Json.Nodes;
using Templates.Generation.Model;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.CloudFormation;

/// <summary>
/// An environment's CI/CD pipeline: CodePipeline V2 with a GitHub source through a CodeStar connection and a push trigger on
/// the environment's branch, a CodeBuild project that builds the image, tags it with the commit, pushes it to ECR and writes
/// <c>imagedefinitions.json</c>, an optional manual approval, and the ECS deploy action that rolls the service forward.
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

    /// <summary>Adds the pipeline's resources.</summary>
    public static void Add(Template t, EnvironmentModel m, Pipeline pipeline)
    {
        var source = m.App.Source ?? throw new InvalidOperationException("A pipeline needs the app's Source (TPL0029).");
        var repositoryArn = Fn.Sub(Fn.EcrRepositoryArn(m.Service.Image.Repository));
        var production = m.Env.IsProduction;

        t.AddResource(Ids.ArtifactBucket, "AWS::S3::Bucket", new()
        {
            ["BucketEncryption"] = new JsonObject
            {
                ["ServerSideEncryptionConfiguration"] = new JsonArray(new JsonObject
                {
                    ["ServerSideEncryptionByDefault"] = new JsonObject { ["SSEAlgorithm"] = "AES256" },
                }),
            },
            ["PublicAccessBlockConfiguration"] = new JsonObject
            {
                ["BlockPublicAcls"] = true,
                ["BlockPublicPolicy"] = true,
                ["IgnorePublicAcls"] = true,
                ["RestrictPublicBuckets"] = true,
            },
            ["OwnershipControls"] = new JsonObject { ["Rules"] = new JsonArray(new JsonObject { ["ObjectOwnership"] = "BucketOwnerEnforced" }) },
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
        }).Retention("Retain");
        t.AddResource(Ids.ArtifactBucketPolicy, "AWS::S3::BucketPolicy", new()
        {
            ["Bucket"] = Fn.Ref(Ids.ArtifactBucket),
            ["PolicyDocument"] = new JsonObject
            {
                ["Version"] = "2012-10-17",
                ["Statement"] = new JsonArray(new JsonObject
                {
                    ["Sid"] = "DenyInsecureTransport",
                    ["Effect"] = "Deny",
                    ["Principal"] = "*",
                    ["Action"] = "s3:*",
                    ["Resource"] = new JsonArray(Fn.GetAtt(Ids.ArtifactBucket, "Arn"), Fn.Sub($"${{{Ids.ArtifactBucket}.Arn}}/*")),
                    ["Condition"] = new JsonObject { ["Bool"] = new JsonObject { ["aws:SecureTransport"] = "false" } },
                }),
            },
        });
        t.Get(Ids.ArtifactBucket).TradeOff(
            "Encrypted with S3-managed keys (SSE-S3), not a customer managed KMS key: the artifacts are the source and image definitions the pipeline already reads, kept 30 days; a KMS key would add a key policy, cost and a KMS call per object without narrowing who can read them (the bucket policy and the roles do).",
            checkov: "CKV_AWS_145");

        t.AddResource(Ids.BuildLogGroup, "AWS::Logs::LogGroup", new()
        {
            ["RetentionInDays"] = m.Service.LogRetentionDays,
        }).Retention(production ? "Retain" : "Delete");

        var artifacts = Fn.Sub($"${{{Ids.ArtifactBucket}.Arn}}/*");
        t.AddResource(Ids.BuildRole, "AWS::IAM::Role", new()
        {
            ["Description"] = $"{m.StackName}: lets CodeBuild build the image and push it to ECR",
            // CodeBuild documents aws:SourceAccount/aws:SourceArn in its service role's trust policy (CodeBuild user guide,
            // "Cross-service confused deputy prevention"): only CodeBuild acting for this account may assume the role.
            ["AssumeRolePolicyDocument"] = StackBuilder.ServiceTrust("codebuild.amazonaws.com", confusedDeputyCondition: true),
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
                            repositoryArn.DeepClone())),
                },
            }),
        });

        var arm = m.Service.Architecture == CpuArchitecture.Arm64;
        const string registry = Fn.EcrRegistry;
        t.AddResource(Ids.BuildProject, "AWS::CodeBuild::Project", new()
        {
            ["Name"] = Fn.Sub("${AWS::StackName}-build"),
            ["Description"] = $"{m.StackName}: builds the image from {source.Repository} ({pipeline.Branch}), tags it with the commit and pushes it to ECR",
            ["ServiceRole"] = Fn.GetAtt(Ids.BuildRole, "Arn"),
            ["Source"] = new JsonObject { ["Type"] = "CODEPIPELINE", ["BuildSpec"] = BuildSpec(pipeline) },
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
                ["EnvironmentVariables"] = new JsonArray(
                    Variable("REGISTRY", Fn.Sub(registry)),
                    Variable("REPOSITORY_NAME", m.Service.Image.Repository),
                    Variable("REPOSITORY_URI", Fn.Sub($"{registry}/{m.Service.Image.Repository}")),
                    // The environment's own tag namespace: its images are "<env>_<commit>", so two environments never push the
                    // same tag and the repository's lifecycle policy keeps each environment's last images separately.
                    Variable("TAG_PREFIX", CommitTagPrefix(m.Env.Name)),
                    Variable("CONTAINER_NAME", StackBuilder.ContainerName),
                    Variable("BUILD_CONTEXT", source.BuildContext)),
            },
            ["LogsConfig"] = new JsonObject
            {
                ["CloudWatchLogs"] = new JsonObject { ["Status"] = "ENABLED", ["GroupName"] = Fn.Ref(Ids.BuildLogGroup) },
            },
            ["TimeoutInMinutes"] = pipeline.BuildTimeoutMinutes,
        });
        t.Get(Ids.BuildProject).TradeOff(
            "Privileged mode: docker build needs the Docker daemon, which CodeBuild runs only in privileged mode; the build runs only this repository's Dockerfile from the pipeline's branch, with a role that may push to this one ECR repository.",
            checkov: "CKV_AWS_316");

        var serviceArn = Fn.Ref(Ids.Service);
        t.AddResource(Ids.PipelineRole, "AWS::IAM::Role", new()
        {
            ["Description"] = $"{m.StackName}: lets CodePipeline read the source, run the build and deploy the service",
            // The trust policy of CodePipeline's own guide, without conditions: no AWS document shows that CodePipeline sends
            // aws:SourceAccount when it assumes its service role, and a condition on a key it does not send would stop every run
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
        });

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
            }),
            Stage("Build", new JsonObject
            {
                ["Name"] = "BuildImage",
                ["ActionTypeId"] = ActionType("Build", "CodeBuild"),
                ["Configuration"] = new JsonObject
                {
                    ["ProjectName"] = Fn.Ref(Ids.BuildProject),
                    // The commit the source action fetched, from its variables: the image's tag.
                    ["EnvironmentVariables"] = $"[{{\"name\":\"COMMIT_ID\",\"value\":\"#{{{SourceNamespace}.CommitId}}\",\"type\":\"PLAINTEXT\"}}]",
                },
                ["InputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = "SourceOutput" }),
                ["OutputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = "BuildOutput" }),
                ["RunOrder"] = 1,
            }));
        if (m.ManualApproval)
            stages.Add((JsonNode)Stage("Approve", new JsonObject
            {
                ["Name"] = "ApproveRelease",
                ["ActionTypeId"] = ActionType("Approval", "Manual", owner: "AWS"),
                ["Configuration"] = new JsonObject
                {
                    ["CustomData"] = $"Deploy commit #{{{SourceNamespace}.CommitId}} of {source.Repository} to {m.StackName}?",
                },
                ["RunOrder"] = 1,
            }));
        stages.Add((JsonNode)Stage("Deploy", new JsonObject
        {
            ["Name"] = "DeployService",
            // The standard ECS action: it registers a task definition with the new image and updates the service, which then
            // deploys with the service's own strategy (rolling, or ECS-native blue/green).
            ["ActionTypeId"] = ActionType("Deploy", "ECS"),
            ["Configuration"] = new JsonObject
            {
                ["ClusterName"] = Fn.Ref(Ids.Cluster),
                ["ServiceName"] = Fn.GetAtt(Ids.Service, "Name"),
                ["FileName"] = "imagedefinitions.json",
            },
            ["InputArtifacts"] = new JsonArray(new JsonObject { ["Name"] = "BuildOutput" }),
            ["RunOrder"] = 1,
        }));

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
            var passRole = StackBuilder.Statement("PassTaskRoles", ["iam:PassRole"],
                new JsonArray(Fn.GetAtt(Ids.ExecutionRole, "Arn"), Fn.GetAtt(Ids.TaskRole, "Arn")));
            passRole["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["iam:PassedToService"] = "ecs-tasks.amazonaws.com" } };
            return new JsonArray(
                StackBuilder.Statement("Artifacts", ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"], artifactObjects.DeepClone()),
                StackBuilder.Statement("ArtifactBucket", ["s3:GetBucketVersioning", "s3:GetBucketLocation"], Fn.GetAtt(Ids.ArtifactBucket, "Arn")),
                // The action of the connection ARN's own service prefix: connections made since mid-2024 are
                // arn:aws:codeconnections:…, older ones arn:aws:codestar-connections:…, and "the service prefix needs to match that
                // of the resource" (https://docs.aws.amazon.com/dtconsole/latest/userguide/rename.html). The parameter's pattern
                // guarantees the ARN's third field is one of the two.
                StackBuilder.Statement("UseConnection",
                    Fn.Join("", Fn.Select(2, Fn.Split(":", Fn.Ref(Ids.GitHubConnectionArnParameter))), ":UseConnection"),
                    Fn.Ref(Ids.GitHubConnectionArnParameter)),
                StackBuilder.Statement("RunBuild", ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
                    Fn.Sub($"arn:${{AWS::Partition}}:codebuild:${{AWS::Region}}:${{AWS::AccountId}}:project/${{{Ids.BuildProject}}}")),
                StackBuilder.Statement("UpdateService", ["ecs:DescribeServices", "ecs:UpdateService"], serviceArn.DeepClone()),
                // These ECS actions take no resource-level permissions (the service authorization reference lists none).
                StackBuilder.Statement("RegisterTaskDefinition",
                    ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition", "ecs:DescribeTasks", "ecs:ListTasks", "ecs:TagResource"], "*"),
                passRole);
        }
    }

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
    /// </summary>
    public static string BuildSpec(Pipeline pipeline)
    {
        var extra = pipeline.AlsoTagAs;
        var lines = new List<string>
        {
            "version: 0.2",
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
        };
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
        lines.Add("      - printf '[{\"name\":\"%s\",\"imageUri\":\"%s\"}]' \"$CONTAINER_NAME\" \"$REPOSITORY_URI:$IMAGE_TAG\" > imagedefinitions.json");
        lines.Add("artifacts:");
        lines.Add("  files:");
        lines.Add("    - imagedefinitions.json");
        return string.Join("\n", lines) + "\n";
    }
}
