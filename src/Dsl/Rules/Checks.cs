using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Templates.Rules;

/// <summary>
/// The rules as pure functions over plain values. Each returns null when the value is fine, or a
/// <see cref="Violation"/> saying what is wrong and what to do. The generator calls them on the built model;
/// the analyzers call them on the constants they see while the definition is typed.
/// </summary>
public static partial class Checks
{
    /// <summary>
    /// Whether an environment is production: what <paramref name="declared"/> says when it was set explicitly
    /// (<c>IsProduction = …</c>), else true for the names "prod" and "production". <c>Env.IsProduction</c> and the
    /// analyzer both decide with this, on the name in force (constructor, initializer or <c>with</c>).
    /// </summary>
    public static bool IsProduction(string name, bool? declared) => declared ?? name is "prod" or "production";

    static readonly Regex NamePattern = new("^[a-z][a-z0-9-]*$", RegexOptions.CultureInvariant);

    /// <summary>TPL0001: an application name. It names stacks (<c>app-env</c>, at most 128 characters, starting with a letter) and files.</summary>
    public static Violation? AppName(string name)
    {
        if (name.Length == 0 || name.Length > 64 || !NamePattern.IsMatch(name) || name.EndsWith("-", StringComparison.Ordinal))
            return new(RuleCatalog.TPL0001_Name, $"The application name '{name}' cannot name a CloudFormation stack.",
                "Use 1 to 64 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen.");
        return null;
    }

    /// <summary>TPL0001: an environment name. It is spliced into the stack name and the output file name.</summary>
    public static Violation? EnvironmentName(string name)
    {
        if (name.Length == 0 || name.Length > 16 || !NamePattern.IsMatch(name) || name.EndsWith("-", StringComparison.Ordinal))
            return new(RuleCatalog.TPL0001_Name, $"The environment name '{name}' cannot name a CloudFormation stack.",
                "Use 1 to 16 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen.");
        return ReservedEnvironmentName(name);
    }

    /// <summary>TPL0001: two environments with one name would overwrite each other's stack and file.</summary>
    public static Violation? DuplicateEnvironment(string name) =>
        new(RuleCatalog.TPL0001_Name, $"Two environments are named '{name}'; they would overwrite each other's stack.",
            "Give every environment its own name.");

    /// <summary>TPL0001: an app without environments has no stack to write.</summary>
    public static Violation NoEnvironment() =>
        new(RuleCatalog.TPL0001_Name, "The app declares no environment, so there is no stack to write.",
            "Add at least one environment: Environments = { new(\"dev\") { Tasks = new(1, 2) } }.");

    /// <summary>TPL0002: the number of Availability Zones of a new VPC.</summary>
    public static Violation? AvailabilityZones(int count)
    {
        if (count < 2)
            return new(RuleCatalog.TPL0002_AvailabilityZones,
                $"{count} Availability Zone{(count == 1 ? "" : "s")}: an Application Load Balancer needs subnets in at least two, and one zone failing would take the service down.",
                "Set AvailabilityZones to 2 or more.");
        if (count > 6)
            return new(RuleCatalog.TPL0002_AvailabilityZones,
                $"{count} Availability Zones: no AWS region has more than six, so the stack would fail in every region.",
                "Set AvailabilityZones to at most 6 (3 is a common choice).");
        return null;
    }

    static readonly int[] FargateCpus = [256, 512, 1024, 2048, 4096, 8192, 16384];

    /// <summary>The task memory sizes, in MiB, that Fargate offers for a CPU size; empty for a CPU size it does not offer.</summary>
    public static int[] FargateMemoryFor(int cpu) => cpu switch
    {
        256 => [512, 1024, 2048],
        512 => Steps(1024, 4096, 1024),
        1024 => Steps(2048, 8192, 1024),
        2048 => Steps(4096, 16384, 1024),
        4096 => Steps(8192, 30720, 1024),
        8192 => Steps(16384, 61440, 4096),
        16384 => Steps(32768, 122880, 8192),
        _ => [],
    };

    static int[] Steps(int from, int to, int step)
    {
        var values = new int[(to - from) / step + 1];
        for (var i = 0; i < values.Length; i++) values[i] = from + i * step;
        return values;
    }

    /// <summary>The offered memory size nearest to <paramref name="memoryMiB"/> for <paramref name="cpu"/> (the smaller one on a tie), or null for a CPU size Fargate does not offer.</summary>
    public static int? NearestFargateMemory(int cpu, int memoryMiB)
    {
        int? best = null;
        foreach (var m in FargateMemoryFor(cpu))
            if (best is null || Math.Abs(m - memoryMiB) < Math.Abs(best.Value - memoryMiB)) best = m;
        return best;
    }

    /// <summary>TPL0003: a task CPU/memory pair (ECS task-cpu-memory table).</summary>
    public static Violation? FargateCpuMemory(int cpu, int memoryMiB)
    {
        var allowed = FargateMemoryFor(cpu);
        if (allowed.Length == 0)
            return new(RuleCatalog.TPL0003_FargateCpuMemory, $"Fargate has no task size of {cpu} CPU units.",
                "Set Cpu to 256, 512, 1024, 2048, 4096, 8192 or 16384.", "Cpu");
        if (Array.IndexOf(allowed, memoryMiB) >= 0) return null;
        var fitting = new List<string>();
        foreach (var c in FargateCpus)
            if (Array.IndexOf(FargateMemoryFor(c), memoryMiB) >= 0) fitting.Add(c.ToString(CultureInfo.InvariantCulture));
        var choices = allowed.Length <= 4 ? string.Join(", ", allowed) : $"{allowed[0]} to {allowed[allowed.Length - 1]} in steps of {allowed[1] - allowed[0]}";
        var fix = $"Set MemoryMiB to {choices} (nearest: {NearestFargateMemory(cpu, memoryMiB)})";
        fix += fitting.Count > 0 ? $", or set Cpu to {string.Join(" or ", fitting)}." : ".";
        return new(RuleCatalog.TPL0003_FargateCpuMemory, $"Fargate cannot run {cpu} CPU units with {memoryMiB} MiB of memory.", fix, "MemoryMiB");
    }

    /// <summary>TPL0004: task ephemeral storage (ECS API EphemeralStorage: 21 to 200 GiB).</summary>
    public static Violation? EphemeralStorage(int gib) =>
        gib is >= 21 and <= 200 ? null
            : new(RuleCatalog.TPL0004_EphemeralStorage, $"Ephemeral storage of {gib} GiB is outside the 21–200 GiB Fargate accepts.",
                "Set EphemeralStorageGiB between 21 and 200, or leave it null for the default 20 GiB.");

    /// <summary>TPL0005: the bounds the service scales between.</summary>
    public static Violation? TaskBounds(int min, int max)
    {
        if (min < 0)
            return new(RuleCatalog.TPL0005_TaskBounds, $"Tasks.Min is {min}; a task count cannot be negative.", "Set Tasks.Min to 0 or more (1 or more to serve traffic).", "Min");
        if (max < 1)
            return new(RuleCatalog.TPL0005_TaskBounds, $"Tasks.Max is {max}; the service could never run a task.", "Set Tasks.Max to 1 or more.", "Max");
        if (min > max)
            return new(RuleCatalog.TPL0005_TaskBounds, $"Tasks.Min ({min}) is above Tasks.Max ({max}); Application Auto Scaling rejects the scalable target.",
                $"Lower Tasks.Min to {max} or raise Tasks.Max to {min}.", "Min");
        return null;
    }

    /// <summary>TPL0006: production needs at least two tasks: one task means no zone redundancy and a gap during deployments.</summary>
    public static Violation? ProductionMinTasks(int min) =>
        min >= 2 ? null
            : new(RuleCatalog.TPL0006_ProductionMinTasks, $"Production may scale down to {min} task{(min == 1 ? "" : "s")}; one Availability Zone or one crash takes it down.",
                "Set Tasks.Min to 2 or more in production.");

    /// <summary>TPL0007: a target-tracking percentage (CPU or memory utilization).</summary>
    public static Violation? UtilizationTarget(string setting, int percent) =>
        percent is > 0 and <= 100 ? null
            : new(RuleCatalog.TPL0007_ScalingTarget, $"{setting} is {percent}; a utilization target is a percentage above 0 and at most 100.",
                $"Set {setting} between 1 and 100 (50 to 75 leaves headroom for bursts).");

    /// <summary>TPL0007: a request-count target.</summary>
    public static Violation? RequestsTarget(int requests) =>
        requests > 0 ? null
            : new(RuleCatalog.TPL0007_ScalingTarget, $"RequestsPerTarget is {requests}; the request-count target must be positive.",
                "Set RequestsPerTarget to the requests per minute one task handles comfortably, or leave it null.");

    /// <summary>TPL0007: a scaling cooldown.</summary>
    public static Violation? Cooldown(string setting, int seconds) =>
        seconds >= 0 ? null
            : new(RuleCatalog.TPL0007_ScalingTarget, $"{setting} is {seconds}; a cooldown cannot be negative.", $"Set {setting} to 0 or more seconds (300 is the ECS default).");

    /// <summary>TPL0008: a container port.</summary>
    public static Violation? ContainerPort(int port) =>
        port is >= 1 and <= 65535 ? null
            : new(RuleCatalog.TPL0008_ContainerPort, $"Port {port} is not a TCP port.", "Set Port to the port the container listens on, between 1 and 65535.");

    static readonly Regex HealthCheckPathPattern = new("^/[A-Za-z0-9@:%_+.~#?&/=-]{0,1023}$", RegexOptions.CultureInvariant);

    /// <summary>TPL0009: the target group's health-check path (ALB: starts with '/', limited characters, at most 1024).</summary>
    public static Violation? HealthCheckPath(string path)
    {
        if (HealthCheckPathPattern.IsMatch(path)) return null;
        var fix = path.Length > 0 && path[0] != '/' && HealthCheckPathPattern.IsMatch("/" + path)
            ? $"Write it as '/{path}'."
            : "Use a path that starts with '/' and holds only letters, digits and @:%_+.~#?&/=- (at most 1024 characters).";
        return new(RuleCatalog.TPL0009_HealthCheckPath, $"The health-check path '{path}' is rejected by the load balancer.", fix);
    }

    /// <summary>TPL0010: health-check timing and thresholds (ELBv2 CreateTargetGroup).</summary>
    public static Violation? HealthCheckTiming(int intervalSeconds, int timeoutSeconds, int healthyThreshold, int unhealthyThreshold)
    {
        if (intervalSeconds is < 5 or > 300)
            return new(RuleCatalog.TPL0010_HealthCheckTiming, $"HealthCheck.IntervalSeconds is {intervalSeconds}; the load balancer accepts 5 to 300.", "Set IntervalSeconds between 5 and 300.", "IntervalSeconds");
        if (timeoutSeconds is < 2 or > 120)
            return new(RuleCatalog.TPL0010_HealthCheckTiming, $"HealthCheck.TimeoutSeconds is {timeoutSeconds}; the load balancer accepts 2 to 120.", "Set TimeoutSeconds between 2 and 120.", "TimeoutSeconds");
        if (intervalSeconds <= timeoutSeconds)
            return new(RuleCatalog.TPL0010_HealthCheckTiming,
                $"HealthCheck.IntervalSeconds ({intervalSeconds}) is not above TimeoutSeconds ({timeoutSeconds}); the load balancer rejects the target group.",
                $"Raise IntervalSeconds above {timeoutSeconds} or lower TimeoutSeconds below {intervalSeconds}.", "IntervalSeconds");
        if (healthyThreshold is < 2 or > 10)
            return new(RuleCatalog.TPL0010_HealthCheckTiming, $"HealthCheck.HealthyThreshold is {healthyThreshold}; the load balancer accepts 2 to 10.", "Set HealthyThreshold between 2 and 10.", "HealthyThreshold");
        if (unhealthyThreshold is < 2 or > 10)
            return new(RuleCatalog.TPL0010_HealthCheckTiming, $"HealthCheck.UnhealthyThreshold is {unhealthyThreshold}; the load balancer accepts 2 to 10.", "Set UnhealthyThreshold between 2 and 10.", "UnhealthyThreshold");
        return null;
    }

    /// <summary>TPL0011: the success codes of an HTTP health check: <c>200</c>, <c>200,202</c> or <c>200-299</c>, each within 200–499.</summary>
    public static Violation? HealthCheckCodes(string codes)
    {
        var ok = codes.Length > 0;
        foreach (var part in codes.Split(','))
        {
            if (!ok) break;
            var range = part.Split('-');
            ok = range.Length is 1 or 2;
            var previous = 0;
            foreach (var bound in range)
            {
                ok &= bound.Length == 3 && int.TryParse(bound, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                      && code is >= 200 and <= 499 && code >= previous && (previous = code) > 0;
            }
        }
        return ok ? null
            : new(RuleCatalog.TPL0011_HealthCheckCodes, $"The health-check success codes '{codes}' are not codes within 200–499.",
                "Write one code (200), a list (200,204) or a range (200-299), within 200–499.");
    }

    static readonly int[] Retentions = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>TPL0012: the log retention (CloudWatch Logs PutRetentionPolicy).</summary>
    public static Violation? LogRetention(int days)
    {
        if (Array.IndexOf(Retentions, days) >= 0) return null;
        var nearest = Retentions[0];
        foreach (var r in Retentions) if (Math.Abs(r - days) < Math.Abs(nearest - days)) nearest = r;
        return new(RuleCatalog.TPL0012_LogRetention, $"CloudWatch Logs cannot keep logs for {days} days.",
            $"Set LogRetentionDays to one of {string.Join(", ", Retentions)} (nearest: {nearest}).");
    }

    static readonly Regex AcmArn = new(@"^arn:aws[a-zA-Z-]*:acm:([a-z0-9-]+):(\d{12}):certificate/[A-Za-z0-9-]+$", RegexOptions.CultureInvariant);
    static readonly Regex IamCertArn = new(@"^arn:aws[a-zA-Z-]*:iam::(\d{12}):server-certificate/[\w+=,.@/-]+$", RegexOptions.CultureInvariant);

    /// <summary>TPL0013: an ACM certificate ARN.</summary>
    public static Violation? AcmCertificateArn(string arn)
    {
        if (AcmArn.IsMatch(arn)) return null;
        var fix = IamCertArn.IsMatch(arn)
            ? "This is an IAM server certificate: declare it as new IamServerCertificate(\"…\")."
            : "Copy the ARN from the ACM console: arn:aws:acm:REGION:ACCOUNT:certificate/ID.";
        return new(RuleCatalog.TPL0013_CertificateArn, $"'{arn}' is not an ACM certificate ARN.", fix);
    }

    /// <summary>TPL0013: an IAM server-certificate ARN.</summary>
    public static Violation? IamCertificateArn(string arn)
    {
        if (IamCertArn.IsMatch(arn)) return null;
        var fix = AcmArn.IsMatch(arn)
            ? "This is an ACM certificate: declare it as new AcmCertificate(\"…\")."
            : "Use the ARN printed by 'aws iam upload-server-certificate': arn:aws:iam::ACCOUNT:server-certificate/NAME.";
        return new(RuleCatalog.TPL0013_CertificateArn, $"'{arn}' is not an IAM server-certificate ARN.", fix);
    }

    /// <summary>TPL0014: an ACM certificate must be in the load balancer's region (and account).</summary>
    public static Violation? CertificateLocation(string arn, string? region, string? account)
    {
        var m = AcmArn.Match(arn);
        if (!m.Success) return null;
        if (region is not null && m.Groups[1].Value != region)
            return new(RuleCatalog.TPL0014_CertificateLocation,
                $"The certificate is in {m.Groups[1].Value} but the environment deploys to {region}; ACM certificates serve only their own region.",
                $"Request or import the certificate in {region} and use that ARN.");
        if (account is not null && m.Groups[2].Value != account)
            return new(RuleCatalog.TPL0014_CertificateLocation,
                $"The certificate belongs to account {m.Groups[2].Value} but the environment deploys to account {account}.",
                $"Use a certificate of account {account}.");
        return null;
    }

    /// <summary>TPL0015: an IAM server certificate is not renewed by AWS; ACM is the recommended store wherever it is available.</summary>
    public static Violation IamCertificateInUse() =>
        new(RuleCatalog.TPL0015_IamCertificate, "The load balancer presents an IAM server certificate, which AWS never renews (the guide's is self-signed).",
            "Request a certificate in ACM (new AcmCertificate(\"arn:aws:acm:…\")); ACM renews it automatically.");

    // An allow-list by prefix (rules catalog 1.11): every policy of these families admits TLS 1.2 and newer only.
    static readonly string[] AllowedTlsPrefixes = ["ELBSecurityPolicy-TLS13-1-2-", "ELBSecurityPolicy-TLS13-1-3-", "ELBSecurityPolicy-TLS-1-2-", "ELBSecurityPolicy-FS-1-2-"];

    /// <summary>TPL0016: the listener's TLS policy must admit only TLS 1.2 and newer.</summary>
    public static Violation? TlsPolicy(string policy)
    {
        foreach (var prefix in AllowedTlsPrefixes)
            if (policy.StartsWith(prefix, StringComparison.Ordinal)) return null;
        return new(RuleCatalog.TPL0016_TlsPolicy, $"The TLS policy '{policy}' is not on the allow-list: it admits TLS 1.0 or 1.1, or is not an ALB policy.",
            "Use TlsPolicies.Recommended (ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09) or another ELBSecurityPolicy-TLS13-1-2-… policy.");
    }

    static readonly Regex EcrName = new(@"^(?=.{2,256}$)[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant);

    /// <summary>TPL0017: an ECR repository name (2–256 characters, lowercase, may be namespaced).</summary>
    public static Violation? EcrRepositoryName(string name) =>
        EcrName.IsMatch(name) ? null
            : new(RuleCatalog.TPL0017_EcrRepositoryName, $"'{name}' is not a valid ECR repository name.",
                name.ToLowerInvariant() != name && EcrName.IsMatch(name.ToLowerInvariant())
                    ? $"ECR names are lowercase: use '{name.ToLowerInvariant()}'."
                    : "Use 2 to 256 lowercase letters and digits, separated by '.', '_', '-' or '/'.");

    /// <summary>TPL0018: the VPC's IPv4 range.</summary>
    public static Violation? VpcCidr(string cidr)
    {
        if (!TryParseCidr(cidr, out var address, out var prefix))
            return new(RuleCatalog.TPL0018_VpcCidr, $"'{cidr}' is not an IPv4 CIDR block.", "Write it as a.b.c.d/n, for example 10.0.0.0/16.");
        if (prefix is < 16 or > 24)
            return new(RuleCatalog.TPL0018_VpcCidr, $"A /{prefix} VPC cannot be split into sixteen subnets that AWS accepts (VPCs are /16 to /28, subnets at most /28).",
                "Use a prefix from /16 to /23, for example 10.0.0.0/16.");
        var mask = uint.MaxValue << (32 - prefix);
        if ((address & ~mask) != 0)
            return new(RuleCatalog.TPL0018_VpcCidr, $"'{cidr}' has host bits set.", $"Write it as {FormatAddress(address & mask)}/{prefix}.");
        return null;
    }

    /// <summary>The prefix of the subnets carved from a VPC of prefix <paramref name="vpcPrefix"/>: sixteen equal blocks.</summary>
    public static int SubnetPrefix(int vpcPrefix) => vpcPrefix + 4;

    /// <summary>The longest VPC prefix whose carved subnets can hold a load balancer (/27 subnets).</summary>
    public const int LargestPrefixForLoadBalancer = 23;

    /// <summary>
    /// TPL0039: the load balancer's subnets, carved from the VPC, must be at least /27 so that it can scale. "Subnets for your
    /// load balancer": each subnet needs a CIDR block with at least a /27 bitmask and at least 8 free IP addresses
    /// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#subnets-load-balancer).
    /// Judged only on a CIDR that TPL0018 accepts.
    /// </summary>
    public static Violation? LoadBalancerSubnetSize(string cidr)
    {
        if (VpcCidr(cidr) is not null || !TryParseCidr(cidr, out var address, out var prefix) || prefix <= LargestPrefixForLoadBalancer) return null;
        var subnet = SubnetPrefix(prefix);
        return new(RuleCatalog.TPL0039_LoadBalancerSubnetSize,
            $"A /{prefix} VPC gives the load balancer /{subnet} subnets of {(1 << (32 - subnet)) - 5} usable addresses; a load balancer needs /27 subnets with at least 8 free addresses to scale.",
            $"Use a /{LargestPrefixForLoadBalancer} VPC or larger, for example {SuggestedLoadBalancerCidr(cidr)} (a /20 leaves room to grow).");
    }

    /// <summary>The same range widened to /23 (host bits cleared), for TPL0039's fix; null when <paramref name="cidr"/> does not parse.</summary>
    public static string? SuggestedLoadBalancerCidr(string cidr)
    {
        if (!TryParseCidr(cidr, out var address, out _)) return null;
        var mask = uint.MaxValue << (32 - LargestPrefixForLoadBalancer);
        return $"{FormatAddress(address & mask)}/{LargestPrefixForLoadBalancer}";
    }

    /// <summary>Parses <c>a.b.c.d/n</c>.</summary>
    public static bool TryParseCidr(string cidr, out uint address, out int prefix)
    {
        address = 0;
        prefix = 0;
        var slash = cidr.Split('/');
        if (slash.Length != 2 || !int.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 32) return false;
        var octets = slash[0].Split('.');
        if (octets.Length != 4) return false;
        foreach (var octet in octets)
        {
            if (octet.Length is 0 or > 3 || !int.TryParse(octet, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 255) return false;
            address = (address << 8) | (uint)value;
        }
        return true;
    }

    /// <summary>Writes an address as a.b.c.d.</summary>
    public static string FormatAddress(uint address) =>
        string.Join(".", (address >> 24) & 255, (address >> 16) & 255, (address >> 8) & 255, address & 255);

    static readonly Regex VpcIdPattern = new("^vpc-([0-9a-f]{8}|[0-9a-f]{17})$", RegexOptions.CultureInvariant);
    static readonly Regex SubnetIdPattern = new("^subnet-([0-9a-f]{8}|[0-9a-f]{17})$", RegexOptions.CultureInvariant);

    /// <summary>TPL0019: an existing VPC's id.</summary>
    public static Violation? VpcId(string id) =>
        VpcIdPattern.IsMatch(id) ? null
            : new(RuleCatalog.TPL0019_ExistingVpc, $"'{id}' is not a VPC id.", "Copy it from 'aws ec2 describe-vpcs': vpc- followed by 8 or 17 hexadecimal digits.");

    /// <summary>TPL0019: an existing subnet's id.</summary>
    public static Violation? SubnetId(string id) =>
        SubnetIdPattern.IsMatch(id) ? null
            : new(RuleCatalog.TPL0019_ExistingVpc, $"'{id}' is not a subnet id.", "Copy it from 'aws ec2 describe-subnets': subnet- followed by 8 or 17 hexadecimal digits.");

    /// <summary>TPL0019: the load balancer needs subnets in two zones, so at least two subnets.</summary>
    public static Violation? SubnetCount(string setting, int count) =>
        count >= 2 ? null
            : new(RuleCatalog.TPL0019_ExistingVpc, $"{setting} names {count} subnet{(count == 1 ? "" : "s")}; the load balancer and the service need subnets in at least two Availability Zones.",
                $"List one subnet in each of at least two Availability Zones in {setting}, or leave it empty to pass them at deploy time.");

    // Words of a variable name that say it holds a secret, compared whole (BYPASS_CACHE, COMPASS_URL and TOKENIZER_MODEL are not secrets).
    static readonly HashSet<string> SecretWords = new(StringComparer.Ordinal)
    {
        "PASS", "PASSWORD", "PASSWORDS", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS",
        "APIKEY", "PRIVATEKEY", "ACCESSKEY",
    };

    // Two words that make a secret together: API_KEY, PRIVATE_KEY, ACCESS_KEY (and apiKey, privateKey, accessKey).
    static readonly HashSet<string> SecretPairs = new(StringComparer.Ordinal) { "API KEY", "PRIVATE KEY", "ACCESS KEY" };

    // Word boundaries: underscores, hyphens and dots, and camelCase (dbPassword, APIKey).
    static readonly Regex WordPattern = new("[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", RegexOptions.CultureInvariant);

    /// <summary>The words of a variable name, upper-cased: <c>DB_PASSWORD</c> and <c>dbPassword</c> both give DB, PASSWORD.</summary>
    public static IReadOnlyList<string> NameWords(string name)
    {
        var words = new List<string>();
        foreach (Match m in WordPattern.Matches(name)) words.Add(m.Value.ToUpperInvariant());
        return words;
    }

    /// <summary>Whether a variable name says it holds a secret: one of its whole words (or two adjacent ones) names one.</summary>
    public static bool IsSecretName(string name)
    {
        var words = NameWords(name);
        for (var i = 0; i < words.Count; i++)
        {
            if (SecretWords.Contains(words[i])) return true;
            if (i + 1 < words.Count && SecretPairs.Contains(words[i] + " " + words[i + 1])) return true;
        }
        return false;
    }
    static readonly Regex SecretValue = new(@"(^AKIA[0-9A-Z]{16}$|-----BEGIN [A-Z ]*PRIVATE KEY-----|^gh[pousr]_[A-Za-z0-9]{36,}$|^xox[abpr]-)", RegexOptions.CultureInvariant);

    /// <summary>TPL0020: a plain environment variable that looks like it holds a secret (its name or its value).</summary>
    public static Violation? PlainEnvironmentVariable(string name, string value)
    {
        if (!IsSecretName(name) && !SecretValue.IsMatch(value)) return null;
        return new(RuleCatalog.TPL0020_PlainSecret,
            $"The environment variable '{name}' looks like a secret; plain variables are readable by anyone who can describe the task definition.",
            $"Move it to Secrets: [\"{name}\"] = Secret.FromSsm(\"/…\") or Secret.FromSecretsManager(\"…\").");
    }

    static readonly Regex VariableNamePattern = new("^[A-Za-z_][A-Za-z0-9_]{0,254}$", RegexOptions.CultureInvariant);

    /// <summary>TPL0023: an environment variable or secret name.</summary>
    public static Violation? VariableName(string name) =>
        VariableNamePattern.IsMatch(name) ? null
            : new(RuleCatalog.TPL0023_VariableName, $"'{name}' is not a usable environment variable name.",
                "Use letters, digits and underscores, not starting with a digit.");

    /// <summary>TPL0021: rolling-deployment percentages. Below 100 % healthy loses capacity during every deployment; at most 100 % leaves no room to start new tasks first.</summary>
    public static Violation? RollingDeployment(int minimumHealthyPercent, int maximumPercent)
    {
        if (minimumHealthyPercent is < 0 or > 100)
            return new(RuleCatalog.TPL0025_DeploymentSettings, $"MinimumHealthyPercent is {minimumHealthyPercent}; ECS accepts 0 to 100.", "Set MinimumHealthyPercent to 100 for zero-downtime deployments.", "MinimumHealthyPercent");
        if (maximumPercent is < 100 or > 200)
            return new(RuleCatalog.TPL0025_DeploymentSettings, $"MaximumPercent is {maximumPercent}; for a service behind a load balancer use 100 to 200.", "Set MaximumPercent to 200 so new tasks start before old ones stop.", "MaximumPercent");
        if (minimumHealthyPercent < 100)
            return new(RuleCatalog.TPL0021_RollingDeployment, $"MinimumHealthyPercent is {minimumHealthyPercent}: every deployment stops running tasks before their replacements are healthy.",
                "Set MinimumHealthyPercent to 100 and MaximumPercent to 200 for zero-downtime deployments.", "MinimumHealthyPercent");
        if (maximumPercent <= minimumHealthyPercent)
            return new(RuleCatalog.TPL0021_RollingDeployment, $"MaximumPercent ({maximumPercent}) leaves no room above MinimumHealthyPercent ({minimumHealthyPercent}): a deployment can neither start a new task nor stop an old one.",
                "Set MaximumPercent to 200.", "MaximumPercent");
        return null;
    }

    /// <summary>TPL0025: grace period (0 to 2,147,483,647 s, but more than an hour hides broken tasks) and deregistration delay (0 to 3600 s).</summary>
    public static Violation? DeploymentTiming(int gracePeriodSeconds, int deregistrationDelaySeconds)
    {
        if (gracePeriodSeconds is < 0 or > 3600)
            return new(RuleCatalog.TPL0025_DeploymentSettings, $"HealthCheckGracePeriodSeconds is {gracePeriodSeconds}; use 0 to 3600 (longer hides tasks that never become healthy).",
                "Set HealthCheckGracePeriodSeconds to a little more than the container's start-up time.", "HealthCheckGracePeriodSeconds");
        if (deregistrationDelaySeconds is < 0 or > 3600)
            return new(RuleCatalog.TPL0025_DeploymentSettings, $"DeregistrationDelaySeconds is {deregistrationDelaySeconds}; the load balancer accepts 0 to 3600.",
                "Set DeregistrationDelaySeconds to a little more than your slowest request (30 is common).", "DeregistrationDelaySeconds");
        return null;
    }

    /// <summary>TPL0022: production should deploy an exact, immutable tag, not whatever <c>latest</c> points to.</summary>
    public static Violation? ImageTagInProduction(string tag) =>
        tag != "latest" ? null
            : new(RuleCatalog.TPL0022_LatestTagInProduction, "Production deploys the image tag 'latest', so a restart may run a different build than the one tested.",
                "Deploy a commit or version tag: set ImageTag in the environment's Service overrides, or pass ImageTag at deploy time.");

    static readonly Regex RegionPattern = new("^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]$", RegexOptions.CultureInvariant);
    static readonly Regex AccountPattern = new("^[0-9]{12}$", RegexOptions.CultureInvariant);

    /// <summary>TPL0024: an AWS region name.</summary>
    public static Violation? Region(string region) =>
        RegionPattern.IsMatch(region) ? null
            : new(RuleCatalog.TPL0024_RegionAccount, $"'{region}' is not an AWS region name.", "Use a region code such as us-east-1 or eu-west-2.");

    /// <summary>TPL0024: an AWS account id.</summary>
    public static Violation? Account(string account) =>
        AccountPattern.IsMatch(account) ? null
            : new(RuleCatalog.TPL0024_RegionAccount, $"'{account}' is not an AWS account id.", "Use the 12-digit account id, as a string with its leading zeros.");

    /// <summary>TPL0050: plain HTTP forwarded to the application sends requests, cookies and credentials unencrypted.</summary>
    public static Violation HttpWithoutRedirect() =>
        new(RuleCatalog.TPL0050_HttpWithoutRedirect, "The load balancer serves the application over plain HTTP on port 80; requests and cookies travel unencrypted.",
            "Set Http to HttpPort.RedirectToHttps (or HttpPort.Closed).");

    /// <summary>TPL0037: the load balancer's idle timeout (ELBv2 attribute idle_timeout.timeout_seconds: 1 to 4000).</summary>
    public static Violation? IdleTimeout(int seconds) =>
        seconds is >= 1 and <= 4000 ? null
            : new(RuleCatalog.TPL0037_IdleTimeout, $"IdleTimeoutSeconds is {seconds}; the load balancer accepts 1 to 4000.",
                "Set IdleTimeoutSeconds between 1 and 4000 (60 is the default; longer only for slow uploads or long polling).");

    /// <summary>TPL0038: request-count tracking follows one target group, and a blue/green swap moves production to the other.</summary>
    public static Violation BlueGreenRequestCount() =>
        new(RuleCatalog.TPL0038_BlueGreenIncompatible,
            "RequestsPerTarget tracks the requests of one target group, but every blue/green deployment moves production traffic to the other: after the first swap the policy sees no requests and scales in to the minimum.",
            "Track CPU (and memory) only with BlueGreenDeployment, or use a RollingDeployment.");

    /// <summary>TPL0038: ECS moves only the production listener rule (HTTPS) between target groups; a port-80 listener forwarding to the first group serves nothing after a swap.</summary>
    public static Violation BlueGreenHttpForward() =>
        new(RuleCatalog.TPL0038_BlueGreenIncompatible,
            "HttpPort.Forward sends port 80 to the first target group, but a blue/green deployment moves only the HTTPS rule: after the first swap plain HTTP reaches no task.",
            "Set Http to HttpPort.RedirectToHttps (or HttpPort.Closed) with BlueGreenDeployment.");
}
