namespace Templates.Generation.CloudFormation;

/// <summary>
/// The logical IDs of the generated resources. They name what a resource is for, never a C# variable or a
/// position in the definition, and they never change between versions: CloudFormation replaces a resource whose
/// logical ID changes, and a replaced log group, load balancer or VPC loses its data and its address.
/// A test pins every one of them.
/// </summary>
public static class LogicalIds
{
    public const string ImageTagParameter = "ImageTag";
    /// <summary>Production only: the digest of the image to run instead of the tag (empty: the tag).</summary>
    public const string ImageDigestParameter = "ImageDigest";
    public const string ImageByDigestCondition = "ImageByDigest";
    public const string CertificateArnParameter = "CertificateArn";
    public const string VpcIdParameter = "VpcId";
    public const string PublicSubnetIdsParameter = "PublicSubnetIds";
    public const string PrivateSubnetIdsParameter = "PrivateSubnetIds";
    public const string DeletionProtectionParameter = "DeletionProtection";

    public const string Vpc = "Vpc";
    public const string InternetGateway = "InternetGateway";
    public const string InternetGatewayAttachment = "InternetGatewayAttachment";
    public const string PublicRouteTable = "PublicRouteTable";
    public const string PublicDefaultRoute = "PublicDefaultRoute";

    /// <summary>The public subnet of the <paramref name="zone"/>th Availability Zone, counting from 1.</summary>
    public static string PublicSubnet(int zone) => $"PublicSubnet{zone}";
    public static string PublicSubnetRouteTableAssociation(int zone) => $"PublicSubnet{zone}RouteTableAssociation";
    public static string PrivateSubnet(int zone) => $"PrivateSubnet{zone}";
    public static string PrivateRouteTable(int zone) => $"PrivateRouteTable{zone}";
    public static string PrivateDefaultRoute(int zone) => $"PrivateRouteTable{zone}DefaultRoute";
    public static string PrivateSubnetRouteTableAssociation(int zone) => $"PrivateSubnet{zone}RouteTableAssociation";
    public static string NatGateway(int zone) => $"NatGateway{zone}";
    public static string NatGatewayAddress(int zone) => $"NatGateway{zone}Address";

    public const string LoadBalancerSecurityGroup = "LoadBalancerSecurityGroup";
    public const string ServiceSecurityGroup = "ServiceSecurityGroup";
    public const string ServiceIngressFromLoadBalancer = "ServiceSecurityGroupIngressFromLoadBalancer";
    public const string LoadBalancer = "LoadBalancer";
    public const string TargetGroup = "TargetGroup";
    public const string HttpsListener = "HttpsListener";
    public const string HttpListener = "HttpListener";

    public const string LogGroup = "LogGroup";
    public const string ExecutionRole = "TaskExecutionRole";
    public const string TaskRole = "TaskRole";
    public const string Cluster = "Cluster";
    public const string TaskDefinition = "TaskDefinition";
    public const string Service = "Service";

    public const string ScalableTarget = "ScalableTarget";
    public const string CpuScalingPolicy = "CpuScalingPolicy";
    public const string MemoryScalingPolicy = "MemoryScalingPolicy";
    public const string RequestCountScalingPolicy = "RequestCountScalingPolicy";

    // Blue/green (ECS native): the second target group, the rule ECS moves production traffic with, and the role it does it as.
    public const string AlternateTargetGroup = "AlternateTargetGroup";
    public const string ProductionListenerRule = "ProductionListenerRule";
    public const string EcsInfrastructureRole = "EcsInfrastructureRole";

    // Observability (Alarms): the alarms, the topic they are sent to, the dashboard.
    public const string LoadBalancer5xxAlarm = "LoadBalancer5xxAlarm";
    public const string Target5xxAlarm = "Target5xxAlarm";
    public const string ResponseTimeAlarm = "ResponseTimeAlarm";
    public const string UnhealthyTasksAlarm = "UnhealthyTasksAlarm";
    public const string CpuAlarm = "CpuAlarm";
    public const string MemoryAlarm = "MemoryAlarm";
    public const string AlertTopic = "AlertTopic";
    public const string Dashboard = "Dashboard";

    // Protection (access logs, flow logs, the web ACL and the IP allow-list).
    public const string AccessLogBucket = "AccessLogBucket";
    public const string AccessLogBucketPolicy = "AccessLogBucketPolicy";
    public const string ElbLogDeliveryAccountsMapping = "ElbLogDeliveryAccounts";
    public const string ElbAccountRegionCondition = "ElbAccountRegion";
    public const string FlowLogGroup = "FlowLogGroup";
    public const string FlowLogRole = "FlowLogRole";
    public const string FlowLog = "FlowLog";
    public const string WebAcl = "WebAcl";
    public const string WebAclAssociation = "WebAclAssociation";
    public const string AllowedAddresses = "AllowedAddresses";

    // The environment's pipeline.
    public const string GitHubConnectionArnParameter = "GitHubConnectionArn";
    public const string ArtifactBucket = "ArtifactBucket";
    public const string ArtifactBucketPolicy = "ArtifactBucketPolicy";
    public const string BuildLogGroup = "BuildLogGroup";
    public const string BuildRole = "BuildRole";
    public const string BuildProject = "BuildProject";
    public const string PipelineRole = "PipelineRole";
    public const string Pipeline = "Pipeline";
    /// <summary>Whether GitHubConnectionArn is a codeconnections ARN (else codestar-connections): picks the UseConnection statement of that prefix.</summary>
    public const string CodeConnectionsCondition = "ConnectionIsCodeConnections";

    // The environment's DNS name (Env.Dns) and the certificate requested for it (RequestedCertificate).
    public const string DomainNameParameter = "DomainName";
    public const string HostedZoneIdParameter = "HostedZoneId";
    public const string RequestCertificateCondition = "RequestCertificate";
    public const string Certificate = "Certificate";
    public const string DnsRecord = "DnsRecord";

    // The shared stack (once per account and region).
    public const string MailIdentity = "MailIdentity";
    public const string Repository = "Repository";
    public const string GitHubConnection = "GitHubConnection";

    public const string ServiceUrlOutput = "ServiceUrl";
    public const string LoadBalancerDnsNameOutput = "LoadBalancerDnsName";
    public const string ClusterNameOutput = "ClusterName";
    public const string ServiceNameOutput = "ServiceName";
    public const string MailSenderOutput = "MailSender";
    public const string PipelineNameOutput = "PipelineName";
    public const string PipelineConsoleUrlOutput = "PipelineConsoleUrl";

    public const string MailIdentityOutput = "MailIdentity";
    public const string MailVerificationOutput = "MailVerification";
    public const string RepositoryUriOutput = "RepositoryUri";
    public const string GitHubConnectionArnOutput = "GitHubConnectionArn";
    public const string GitHubConnectionNextStepOutput = "GitHubConnectionNextStep";
    public static string DkimRecordOutput(int n) => $"DkimRecord{n}";
}
