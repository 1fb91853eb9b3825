namespace Templates.Generation.Diff;

/// <summary>
/// The resource types whose replacement or deletion loses something a new resource does not bring back: data, a name others
/// know, an address, a verification. The base is cfn-lint's list of stateful types (cfn-lint 1.51.0,
/// <c>data/AdditionalSpecs/StatefulResources.json</c>; a test checks every type there is here), to which come the ones
/// that carry an environment of ours: the image repository, the DNS record, the certificate, the VPC and its subnets, the
/// load balancer (its DNS name changes), the SES identity and the GitHub connection (both need a person again).
/// </summary>
public static class StatefulResources
{
    const string Data = "it holds data, which the new one does not have";

    static readonly Dictionary<string, string> Reasons = new(StringComparer.Ordinal)
    {
        // cfn-lint's list.
        ["AWS::Backup::BackupVault"] = "it holds the backups",
        ["AWS::CloudFormation::Stack"] = "a nested stack: replacing it replaces everything in it",
        ["AWS::Cognito::UserPool"] = "it holds the users",
        ["AWS::DocDB::DBCluster"] = Data,
        ["AWS::DocDB::DBInstance"] = Data,
        ["AWS::DynamoDB::GlobalTable"] = Data,
        ["AWS::DynamoDB::Table"] = Data,
        ["AWS::EC2::Volume"] = Data,
        ["AWS::EFS::FileSystem"] = Data,
        ["AWS::EMR::Cluster"] = Data,
        ["AWS::ElastiCache::CacheCluster"] = Data,
        ["AWS::ElastiCache::ReplicationGroup"] = Data,
        ["AWS::Elasticsearch::Domain"] = Data,
        ["AWS::FSx::FileSystem"] = Data,
        ["AWS::KMS::Key"] = "what it encrypted cannot be decrypted with a new key",
        ["AWS::Kinesis::Stream"] = Data,
        ["AWS::Logs::LogGroup"] = "its log events are deleted with it",
        ["AWS::Neptune::DBCluster"] = Data,
        ["AWS::Neptune::DBInstance"] = Data,
        ["AWS::OpenSearchService::Domain"] = Data,
        ["AWS::Organizations::Account"] = "an AWS account and everything in it",
        ["AWS::QLDB::Ledger"] = Data,
        ["AWS::RDS::DBCluster"] = Data,
        ["AWS::RDS::DBInstance"] = Data,
        ["AWS::Redshift::Cluster"] = Data,
        ["AWS::S3::Bucket"] = "its objects are lost (and CloudFormation cannot delete a bucket that is not empty)",
        ["AWS::SDB::Domain"] = Data,
        ["AWS::SQS::Queue"] = "its messages are lost",
        ["AWS::SecretsManager::Secret"] = "its value is lost",
        // Ours.
        ["AWS::ECR::Repository"] = "its images are lost, the ones the services run and roll back to included",
        ["AWS::Route53::RecordSet"] = "the name stops resolving between the deletion and the new record, and resolvers cache the gap",
        ["AWS::Route53::HostedZone"] = "a new zone has new name servers, which the registrar does not know",
        ["AWS::CertificateManager::Certificate"] = "a new certificate waits for validation before listeners can use it",
        ["AWS::EC2::VPC"] = "replacing it replaces everything in it: subnets, security groups, load balancer targets, NAT addresses",
        ["AWS::EC2::Subnet"] = "what runs in it (tasks, the load balancer's nodes) must move, and its addresses change",
        ["AWS::ElasticLoadBalancingV2::LoadBalancer"] = "a new load balancer has a new DNS name: clients and DNS records still pointing at the old one fail",
        ["AWS::SES::EmailIdentity"] = "a new identity must be verified again before mail is sent",
        ["AWS::CodeStarConnections::Connection"] = "a new connection is PENDING until someone completes it in the console",
    };

    /// <summary>Why the type is stateful, or null when it is not.</summary>
    public static string? Reason(string type) => Reasons.GetValueOrDefault(type);

    /// <summary>Every stateful type.</summary>
    public static IReadOnlyCollection<string> Types => Reasons.Keys;
}
