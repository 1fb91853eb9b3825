// The guide's system written with the AWS CDK, as close as its constructs allow to definitions/FlaskApp.cs:
// a new VPC over two Availability Zones, a Fargate service behind an HTTPS load balancer that redirects HTTP,
// CPU auto scaling with per-environment bounds, an SES sender and a pipeline per environment (GitHub through a
// CodeStar connection, CodeBuild, ECS deploy). It exists only to compare synthesis time with ours
// (benchmarks/compare-cdk.sh); it is not part of the product.
//
// Usage: NODE_PATH=<dir with aws-cdk-lib>/node_modules node benchmarks/cdk/app.js OUTDIR
const cdk = require('aws-cdk-lib');
const { aws_ec2: ec2, aws_ecs: ecs, aws_ecs_patterns: patterns, aws_ecr: ecr, aws_certificatemanager: acm,
        aws_ses: ses, aws_codepipeline: codepipeline, aws_codepipeline_actions: actions, aws_codebuild: codebuild,
        aws_elasticloadbalancingv2: elbv2, aws_ssm: ssm } = cdk;

const app = new cdk.App({ outdir: process.argv[2] || 'cdk.out' });
const environments = [
  { name: 'dev', min: 1, max: 2, branch: 'develop' },
  { name: 'staging', min: 1, max: 4, branch: 'staging' },
  { name: 'prod', min: 2, max: 10, branch: 'main' },
];

for (const env of environments) {
  const stack = new cdk.Stack(app, `flask-app-${env.name}`);
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), maxAzs: 2, natGateways: 0,
    subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsights: true });
  const repository = ecr.Repository.fromRepositoryName(stack, 'Repository', 'flask-app');
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate',
    'arn:aws:acm:us-east-1:746109777700:certificate/6c1e7f1a-1b2c-4d3e-8f90-0a1b2c3d4e5f');
  const secretKey = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'SecretKey', { parameterName: '/flask-app/secret-key' });

  const web = new patterns.ApplicationLoadBalancedFargateService(stack, 'Web', {
    cluster, cpu: 256, memoryLimitMiB: 512, publicLoadBalancer: true, assignPublicIp: true,
    taskSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    taskImageOptions: {
      image: ecs.ContainerImage.fromEcrRepository(repository, 'latest'), containerPort: 5000,
      environment: { FLASK_ENV: 'production', MAIL_SENDER: 'sender@example.com' },
      secrets: { FLASK_SECRET_KEY: ecs.Secret.fromSsmParameter(secretKey) },
    },
    protocol: elbv2.ApplicationProtocol.HTTPS, certificate, redirectHTTP: true, sslPolicy: elbv2.SslPolicy.TLS13_12,
    circuitBreaker: { rollback: true }, minHealthyPercent: 100, maxHealthyPercent: 200,
    healthCheckGracePeriod: cdk.Duration.seconds(60),
  });
  web.targetGroup.configureHealthCheck({ path: '/health', interval: cdk.Duration.seconds(15), timeout: cdk.Duration.seconds(5) });
  const scaling = web.service.autoScaleTaskCount({ minCapacity: env.min, maxCapacity: env.max });
  scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: 60 });

  new ses.EmailIdentity(stack, 'Sender', { identity: ses.Identity.email('sender@example.com') });

  const source = new codepipeline.Artifact('Source');
  const image = new codepipeline.Artifact('Image');
  const build = new codebuild.PipelineProject(stack, 'Build', {
    environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, privileged: true },
    buildSpec: codebuild.BuildSpec.fromObject({
      version: '0.2',
      phases: {
        pre_build: { commands: ['aws ecr get-login-password | docker login --username AWS --password-stdin $REPOSITORY_URI'] },
        build: { commands: ['docker build -t $REPOSITORY_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION .'] },
        post_build: { commands: ['docker push $REPOSITORY_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION',
          'printf \'[{"name":"web","imageUri":"%s"}]\' $REPOSITORY_URI:$CODEBUILD_RESOLVED_SOURCE_VERSION > imagedefinitions.json'] },
      },
      artifacts: { files: ['imagedefinitions.json'] },
    }),
    environmentVariables: { REPOSITORY_URI: { value: repository.repositoryUri } },
  });
  repository.grantPullPush(build);
  new codepipeline.Pipeline(stack, 'Pipeline', {
    pipelineType: codepipeline.PipelineType.V2,
    stages: [
      { stageName: 'Source', actions: [new actions.CodeStarConnectionsSourceAction({
        actionName: 'GitHub', owner: 'example-org', repo: 'flask-app', branch: env.branch, output: source,
        connectionArn: 'arn:aws:codestar-connections:us-east-1:746109777700:connection/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b' })] },
      { stageName: 'Build', actions: [new actions.CodeBuildAction({ actionName: 'Docker', project: build, input: source, outputs: [image] })] },
      { stageName: 'Deploy', actions: [new actions.EcsDeployAction({ actionName: 'Deploy', service: web.service, input: image })] },
    ],
  });
}

app.synth();
