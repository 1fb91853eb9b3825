namespace Templates.Rules;

/// <summary>Every rule, by ID. IDs are never reused or renumbered: suppressions in engineers' code name them.</summary>
public static class RuleCatalog
{
    /// <summary>
    /// An application or environment name that cannot name a stack, or a collision: two environments or apps with one name, an
    /// environment named like a shared stack, two templates with one stack name, or two shared stacks creating one account-level name.
    /// </summary>
    public static readonly Rule TPL0001_Name = new("TPL0001", "Invalid or duplicate name", Severity.Error);

    /// <summary>Fewer than two Availability Zones (or more than a region has).</summary>
    public static readonly Rule TPL0002_AvailabilityZones = new("TPL0002", "Too few Availability Zones", Severity.Error);

    /// <summary>A CPU/memory pair that Fargate does not offer.</summary>
    public static readonly Rule TPL0003_FargateCpuMemory = new("TPL0003", "Invalid Fargate CPU/memory pair", Severity.Error);

    /// <summary>Ephemeral storage outside 21–200 GiB.</summary>
    public static readonly Rule TPL0004_EphemeralStorage = new("TPL0004", "Ephemeral storage out of range", Severity.Error);

    /// <summary>Task bounds that cannot hold (min above max, negative, max zero).</summary>
    public static readonly Rule TPL0005_TaskBounds = new("TPL0005", "Invalid task bounds", Severity.Error);

    /// <summary>A production environment that may run a single task.</summary>
    public static readonly Rule TPL0006_ProductionMinTasks = new("TPL0006", "Production runs fewer than two tasks", Severity.Warning, Severity.Error);

    /// <summary>A scaling target outside its range, or a negative cooldown.</summary>
    public static readonly Rule TPL0007_ScalingTarget = new("TPL0007", "Scaling target out of range", Severity.Error);

    /// <summary>A container port outside 1–65535.</summary>
    public static readonly Rule TPL0008_ContainerPort = new("TPL0008", "Invalid container port", Severity.Error);

    /// <summary>A health-check path the load balancer rejects.</summary>
    public static readonly Rule TPL0009_HealthCheckPath = new("TPL0009", "Invalid health-check path", Severity.Error);

    /// <summary>Health-check timing or thresholds the load balancer rejects (interval not above timeout, out of range).</summary>
    public static readonly Rule TPL0010_HealthCheckTiming = new("TPL0010", "Invalid health-check timing", Severity.Error);

    /// <summary>Health-check success codes outside 200–499 or malformed.</summary>
    public static readonly Rule TPL0011_HealthCheckCodes = new("TPL0011", "Invalid health-check success codes", Severity.Error);

    /// <summary>A log retention CloudWatch Logs does not offer.</summary>
    public static readonly Rule TPL0012_LogRetention = new("TPL0012", "Invalid log retention", Severity.Error);

    /// <summary>A certificate ARN that is malformed or of the other kind.</summary>
    public static readonly Rule TPL0013_CertificateArn = new("TPL0013", "Malformed certificate ARN", Severity.Error);

    /// <summary>An ACM certificate from another region or account than the environment's.</summary>
    public static readonly Rule TPL0014_CertificateLocation = new("TPL0014", "Certificate in another region or account", Severity.Error);

    /// <summary>An IAM server certificate (not renewed by AWS) serving an environment; an error in production.</summary>
    public static readonly Rule TPL0015_IamCertificate = new("TPL0015", "IAM server certificate in use", Severity.Warning, Severity.Error);

    /// <summary>A TLS policy outside the allow-list (one that admits TLS 1.0 or 1.1, or an unknown name).</summary>
    public static readonly Rule TPL0016_TlsPolicy = new("TPL0016", "TLS policy not allowed", Severity.Warning, Severity.Error);

    /// <summary>An ECR repository name ECR rejects.</summary>
    public static readonly Rule TPL0017_EcrRepositoryName = new("TPL0017", "Invalid ECR repository name", Severity.Error);

    /// <summary>A VPC range that is not a valid IPv4 CIDR block from /16 to /24 (TPL0039 then asks /23 or larger for the load balancer).</summary>
    public static readonly Rule TPL0018_VpcCidr = new("TPL0018", "Invalid VPC CIDR", Severity.Error);

    /// <summary>Existing-VPC identifiers that are malformed, or load-balancer subnets fewer than two.</summary>
    public static readonly Rule TPL0019_ExistingVpc = new("TPL0019", "Invalid existing-VPC identifiers", Severity.Error);

    /// <summary>A value that looks like a secret in a plain environment variable.</summary>
    // A heuristic (names like *_TOKEN, values like AKIA…): a warning in development, an error in production, where a leak costs most.
    public static readonly Rule TPL0020_PlainSecret = new("TPL0020", "Secret in a plain environment variable", Severity.Warning, Severity.Error);

    /// <summary>Rolling-deployment percentages that lose capacity or block the deployment.</summary>
    public static readonly Rule TPL0021_RollingDeployment = new("TPL0021", "Rolling deployment loses capacity", Severity.Warning, Severity.Error);

    /// <summary>The mutable <c>latest</c> tag deployed to production.</summary>
    public static readonly Rule TPL0022_LatestTagInProduction = new("TPL0022", "Image tag 'latest' in production", Severity.Warning);

    /// <summary>An environment variable or secret name that a container cannot use.</summary>
    public static readonly Rule TPL0023_VariableName = new("TPL0023", "Invalid environment variable name", Severity.Error);

    /// <summary>A region or account that is not well formed.</summary>
    public static readonly Rule TPL0024_RegionAccount = new("TPL0024", "Invalid region or account", Severity.Error);

    /// <summary>Deployment settings outside what ECS and the load balancer accept.</summary>
    public static readonly Rule TPL0025_DeploymentSettings = new("TPL0025", "Invalid deployment settings", Severity.Error);

    /// <summary>An SES sender address that is not a usable email address.</summary>
    public static readonly Rule TPL0026_MailSender = new("TPL0026", "Invalid SES sender", Severity.Error);

    /// <summary>A GitHub source that is not <c>owner/name</c>, or a connection ARN that is malformed.</summary>
    public static readonly Rule TPL0027_SourceRepository = new("TPL0027", "Invalid pipeline source", Severity.Error);

    /// <summary>A pipeline branch that Git or the push trigger cannot use.</summary>
    public static readonly Rule TPL0028_PipelineBranch = new("TPL0028", "Invalid pipeline branch", Severity.Error);

    /// <summary>A pipeline declared for an environment while the app names no source to build from.</summary>
    public static readonly Rule TPL0029_PipelineWithoutSource = new("TPL0029", "Pipeline without a source", Severity.Error);

    /// <summary>An immutable-tag repository that a pipeline pushes a fixed tag to: the second push fails.</summary>
    public static readonly Rule TPL0030_ImmutableFixedTag = new("TPL0030", "Fixed tag pushed to an immutable repository", Severity.Error);

    /// <summary>Blue/green settings ECS rejects (bake time outside 0–1440 minutes).</summary>
    public static readonly Rule TPL0031_BlueGreenSettings = new("TPL0031", "Invalid blue/green settings", Severity.Error);

    /// <summary>A blue/green deployment without bake time in production: the old version is gone before anyone can roll back.</summary>
    public static readonly Rule TPL0032_NoBakeTime = new("TPL0032", "Blue/green without bake time", Severity.Warning);

    /// <summary>Build or repository settings outside what CodeBuild and ECR accept (build timeout, images kept, extra tag).</summary>
    public static readonly Rule TPL0033_DeliverySettings = new("TPL0033", "Invalid build or repository settings", Severity.Error);

    /// <summary>An environment's DNS name that is not a host name, or a hosted zone ID that is malformed.</summary>
    public static readonly Rule TPL0034_DnsSettings = new("TPL0034", "Invalid DNS name or hosted zone", Severity.Error);

    /// <summary>A certificate to request from ACM in an environment with no DNS name to request and validate it for.</summary>
    public static readonly Rule TPL0035_RequestedCertificateWithoutDns = new("TPL0035", "Requested certificate without a DNS name", Severity.Error);

    /// <summary>An image tag Docker and the stack's ImageTag parameter reject.</summary>
    public static readonly Rule TPL0036_ImageTag = new("TPL0036", "Invalid image tag", Severity.Error);

    /// <summary>A load balancer idle timeout outside 1–4000 seconds.</summary>
    public static readonly Rule TPL0037_IdleTimeout = new("TPL0037", "Idle timeout out of range", Severity.Error);

    /// <summary>A setting that stops working after the first blue/green swap.</summary>
    public static readonly Rule TPL0038_BlueGreenIncompatible = new("TPL0038", "Setting incompatible with blue/green", Severity.Error);

    /// <summary>A VPC too small for its carved load balancer subnets to be /27 (the load balancer could not scale).</summary>
    public static readonly Rule TPL0039_LoadBalancerSubnetSize = new("TPL0039", "Load balancer subnets too small", Severity.Error);
    /// <summary>A required value (string, object, collection or element) that is null, such as one read from an unset environment variable.</summary>
    public static readonly Rule TPL0040_MissingValue = new("TPL0040", "Missing value", Severity.Error);

    /// <summary>The application served over plain HTTP without a redirect to HTTPS.</summary>
    public static readonly Rule TPL0050_HttpWithoutRedirect = new("TPL0050", "HTTP served without redirect", Severity.Warning, Severity.Error);

    /// <summary>An alarm threshold outside its range (a percentage outside 1–100, a response time, request or task count below 1).</summary>
    public static readonly Rule TPL0060_AlarmThreshold = new("TPL0060", "Alarm threshold out of range", Severity.Error);

    /// <summary>An alert address SNS cannot mail.</summary>
    public static readonly Rule TPL0061_AlertAddress = new("TPL0061", "Invalid alert address", Severity.Error);

    /// <summary>A production environment whose deployments are not rolled back when an alarm goes off.</summary>
    public static readonly Rule TPL0062_NoAlarmRollback = new("TPL0062", "Production deploys without alarm rollback", Severity.Warning);

    /// <summary>A production container that runs as root or with a writable root file system.</summary>
    public static readonly Rule TPL0063_ContainerHardening = new("TPL0063", "Container not hardened", Severity.Warning);

    /// <summary>A container user or writable path ECS rejects or cannot mount.</summary>
    public static readonly Rule TPL0064_ContainerUserOrPath = new("TPL0064", "Invalid container user or writable path", Severity.Error);

    /// <summary>A Strict-Transport-Security max-age that is negative.</summary>
    public static readonly Rule TPL0065_Hsts = new("TPL0065", "Invalid HSTS max-age", Severity.Error);

    /// <summary>An access-log expiry or flow-log retention that S3 or CloudWatch Logs refuses.</summary>
    public static readonly Rule TPL0066_LogDelivery = new("TPL0066", "Invalid access-log or flow-log retention", Severity.Error);

    /// <summary>A web ACL rate limit or window that AWS WAF refuses.</summary>
    public static readonly Rule TPL0067_WebAcl = new("TPL0067", "Invalid web ACL rate limit", Severity.Error);

    /// <summary>Allowed CIDRs that are malformed, have host bits set, overlap, or are too many.</summary>
    public static readonly Rule TPL0068_AllowedCidrs = new("TPL0068", "Invalid allowed CIDRs", Severity.Error);

    /// <summary>A production load balancer open to the world without a web ACL.</summary>
    public static readonly Rule TPL0069_OpenWithoutWebAcl = new("TPL0069", "Production open to the world without a web ACL", Severity.Warning);

    /// <summary>A service name that is malformed, used twice, the app's own, or whose resources' logical IDs another's take.</summary>
    public static readonly Rule TPL0070_ServiceName = new("TPL0070", "Invalid or duplicate service name", Severity.Error);

    /// <summary>A service, sender or override that names no service of the app, or a call Service Connect cannot serve.</summary>
    public static readonly Rule TPL0071_ServiceReference = new("TPL0071", "Reference to a service that does not exist", Severity.Error);

    /// <summary>A web service's route that a listener rule cannot hold, or that another service's route takes first.</summary>
    public static readonly Rule TPL0072_Route = new("TPL0072", "Invalid or conflicting route", Severity.Error);

    /// <summary>A schedule expression EventBridge Scheduler refuses.</summary>
    public static readonly Rule TPL0073_Schedule = new("TPL0073", "Invalid schedule expression", Severity.Error);

    /// <summary>A worker's queue or a scheduled job's timeout or retries that SQS or the job cannot take.</summary>
    public static readonly Rule TPL0074_WorkerOrJob = new("TPL0074", "Invalid worker queue or job settings", Severity.Error);

    /// <summary>Every rule, in ID order.</summary>
    public static readonly Rule[] All =
    [
        TPL0001_Name, TPL0002_AvailabilityZones, TPL0003_FargateCpuMemory, TPL0004_EphemeralStorage, TPL0005_TaskBounds,
        TPL0006_ProductionMinTasks, TPL0007_ScalingTarget, TPL0008_ContainerPort, TPL0009_HealthCheckPath, TPL0010_HealthCheckTiming,
        TPL0011_HealthCheckCodes, TPL0012_LogRetention, TPL0013_CertificateArn, TPL0014_CertificateLocation, TPL0015_IamCertificate,
        TPL0016_TlsPolicy, TPL0017_EcrRepositoryName, TPL0018_VpcCidr, TPL0019_ExistingVpc, TPL0020_PlainSecret,
        TPL0021_RollingDeployment, TPL0022_LatestTagInProduction, TPL0023_VariableName, TPL0024_RegionAccount, TPL0025_DeploymentSettings,
        TPL0026_MailSender, TPL0027_SourceRepository, TPL0028_PipelineBranch, TPL0029_PipelineWithoutSource, TPL0030_ImmutableFixedTag,
        TPL0031_BlueGreenSettings, TPL0032_NoBakeTime, TPL0033_DeliverySettings, TPL0034_DnsSettings, TPL0035_RequestedCertificateWithoutDns,
        TPL0036_ImageTag, TPL0037_IdleTimeout, TPL0038_BlueGreenIncompatible, TPL0039_LoadBalancerSubnetSize,
        TPL0040_MissingValue,
        TPL0050_HttpWithoutRedirect,
        TPL0060_AlarmThreshold, TPL0061_AlertAddress, TPL0062_NoAlarmRollback, TPL0063_ContainerHardening, TPL0064_ContainerUserOrPath, TPL0065_Hsts,
        TPL0066_LogDelivery, TPL0067_WebAcl, TPL0068_AllowedCidrs, TPL0069_OpenWithoutWebAcl,
        TPL0070_ServiceName, TPL0071_ServiceReference, TPL0072_Route, TPL0073_Schedule, TPL0074_WorkerOrJob,
    ];
}
