using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Templates.Generation.Cli;
using Templates.Generation.CloudFormation;
using Templates.Generation.Model;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.Generation.Preflight;

/// <summary>The outcome of one check.</summary>
public enum CheckStatus
{
    /// <summary>What the stack takes for granted is there.</summary>
    Pass,

    /// <summary>Worth knowing, or could not be checked; the deploy may still work.</summary>
    Warn,

    /// <summary>The deploy (or the running service) would fail; the fix is printed.</summary>
    Fail,
}

/// <summary>One check's line, <c>PASS|WARN|FAIL check: detail</c>, and the commands that fix a failure.</summary>
public sealed record CheckResult(CheckStatus Status, string Check, string Detail, IReadOnlyList<string> Fix)
{
    /// <summary>A passed check.</summary>
    public static CheckResult Passed(string check, string detail) => new(CheckStatus.Pass, check, detail, []);

    /// <summary>A warning, with what to do about it, if anything.</summary>
    public static CheckResult Warned(string check, string detail, params string[] fix) => new(CheckStatus.Warn, check, detail, fix);

    /// <summary>A failed check, with the commands or steps that fix it.</summary>
    public static CheckResult Failed(string check, string detail, params string[] fix) => new(CheckStatus.Fail, check, detail, fix);

    /// <summary>A check that could not be made: a warning, never a pass.</summary>
    public static CheckResult CouldNotCheck(string check, AwsResult answer) => Warned(check, $"could not check: {answer.Error}");

    /// <summary>PASS, WARN or FAIL.</summary>
    public string Label => Status switch { CheckStatus.Pass => "PASS", CheckStatus.Warn => "WARN", _ => "FAIL" };

    /// <inheritdoc/>
    public override string ToString() => $"{Label} {Check}: {Detail}";
}

/// <summary>A CloudFormation stack as <c>describe-stacks</c> reports it.</summary>
public sealed record StackState(bool Exists, string? Status, IReadOnlyDictionary<string, string> Outputs, AwsResult Answer)
{
    /// <summary>Whether the call failed for another reason than the stack's absence.</summary>
    public bool Unknown => !Exists && !Answer.Succeeded && !IsMissing(Answer);

    internal static bool IsMissing(AwsResult answer) =>
        answer.ErrorCode == "ValidationError" && answer.StandardError.Contains("does not exist", StringComparison.Ordinal);
}

/// <summary>
/// Read-only checks of what an environment's stack takes for granted in the account: its certificate, hosted zone, secrets, SES
/// identity, image, GitHub connection, Availability Zones and shared stack. They read the resolved model
/// (<see cref="EnvironmentModel"/>, <see cref="SharedModel"/>) and ask the AWS CLI; nothing they call changes anything.
/// </summary>
/// <param name="aws">The AWS CLI.</param>
/// <param name="account">The account the credentials belong to (<c>aws sts get-caller-identity</c>).</param>
public sealed class PreflightChecks(IAwsCli aws, string account)
{
    /// <summary>Stack states that leave the stack's resources in place, as last deployed successfully.</summary>
    static readonly HashSet<string> Deployed = ["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"];

    /// <summary>States after a failed update or import: the resources are back to the previous successful deployment.</summary>
    static readonly HashSet<string> RolledBack = ["UPDATE_ROLLBACK_COMPLETE", "IMPORT_ROLLBACK_COMPLETE"];

    /// <summary>The account the checks run in.</summary>
    public string Account => account;

    /// <summary><c>aws cloudformation describe-stacks</c> of one stack (asked once per name and region).</summary>
    public async Task<StackState> StackAsync(string stackName, string region)
    {
        var answer = await aws.RunAsync(["cloudformation", "describe-stacks", "--stack-name", stackName, "--region", region]);
        if (answer.Json?["Stacks"]?[0] is not JsonObject stack) return new StackState(false, null, new Dictionary<string, string>(), answer);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var output in stack["Outputs"]?.AsArray() ?? [])
            if (output?["OutputKey"]?.GetValue<string>() is { } key && output["OutputValue"]?.GetValue<string>() is { } value) outputs[key] = value;
        return new StackState(true, stack["StackStatus"]?.GetValue<string>(), outputs, answer);
    }

    /// <summary>The shared stack is deployed and usable.</summary>
    public async Task<CheckResult> SharedStackAsync(SharedModel shared, string region)
    {
        const string check = "shared stack";
        var stack = await StackAsync(shared.StackName, region);
        var name = shared.StackName;
        if (stack.Unknown) return CheckResult.CouldNotCheck(check, stack.Answer);
        if (!stack.Exists)
            return CheckResult.Failed(check, $"{name} is not deployed in {region}; the environments' stacks use what it creates ({SharedContents(shared)}).",
                "dotnet run --project definitions", SharedDeploy(shared, region));
        var status = stack.Status ?? "(no status)";
        if (Deployed.Contains(status)) return CheckResult.Passed(check, $"{name} is {status} in {region}.");
        if (RolledBack.Contains(status))
            return CheckResult.Warned(check, $"{name} is {status} in {region}: its last update failed and rolled back, so it holds the previous version.",
                $"aws cloudformation describe-stack-events --stack-name {name} --region {region} --max-items 20");
        if (status.EndsWith("_IN_PROGRESS", StringComparison.Ordinal))
            return CheckResult.Warned(check, $"{name} is {status} in {region}; wait until it is complete before deploying the environments.",
                $"aws cloudformation describe-stacks --stack-name {name} --region {region} --query \"Stacks[0].StackStatus\"");
        string[] fix = status == "ROLLBACK_COMPLETE"
            ? [$"aws cloudformation describe-stack-events --stack-name {name} --region {region} --max-items 20", $"aws cloudformation delete-stack --stack-name {name} --region {region}", SharedDeploy(shared, region)]
            : [$"aws cloudformation describe-stack-events --stack-name {name} --region {region} --max-items 20"];
        return CheckResult.Failed(check, $"{name} is {status} in {region}: its resources cannot be relied on.", fix);
    }

    static string SharedContents(SharedModel shared) => string.Join(", ", new[]
    {
        shared.App.Mail is null ? null : "the SES identity",
        shared.CreatesRepository ? "the ECR repository" : null,
        shared.CreatesConnection ? "the GitHub connection" : null,
    }.OfType<string>());

    static string SharedDeploy(SharedModel shared, string region) =>
        TemplatesCli.SharedDeployCommand(Path.Combine("out", shared.FileName), shared with { Region = region }, needsS3: false);

    /// <summary>The shared stack's SES identity exists and is verified; and whether the account can mail anyone (the sandbox).</summary>
    public async Task<IReadOnlyList<CheckResult>> MailAsync(SharedModel shared, string region)
    {
        if (shared.App.Mail is not { } mail) return [];
        var identity = StackBuilder.MailIdentityName(mail);
        var domain = mail.Address[(mail.Address.LastIndexOf('@') + 1)..];
        var identities = identity == domain ? [identity] : new[] { identity, domain };
        var identityCheck = IdentityAsync(shared, mail, identity, identities, region);
        var sandbox = SandboxAsync(region);
        return [await identityCheck, await sandbox];
    }

    async Task<CheckResult> IdentityAsync(SharedModel shared, MailSender mail, string identity, string[] identities, string region)
    {
        const string check = "SES identity";
        // SES v1 reports an address verified through its link as Success, and so does moto; SES v2's VerifiedForSendingStatus is
        // asked too when v1 does not say Success (a domain verified through Easy DKIM), and moto leaves it false.
        var answer = await aws.RunAsync(["ses", "get-identity-verification-attributes", "--identities", .. identities, "--region", region]);
        if (!answer.Succeeded) return CheckResult.CouldNotCheck(check, answer);
        var attributes = answer.Json?["VerificationAttributes"] as JsonObject;
        string? Status(string id) => attributes?[id]?["VerificationStatus"]?.GetValue<string>();
        if (Status(identity) == "Success") return CheckResult.Passed(check, $"{identity} is verified in {region}.");

        var v2 = await aws.RunAsync(["sesv2", "get-email-identity", "--email-identity", identity, "--region", region]);
        if (v2.Json?["VerifiedForSendingStatus"]?.GetValue<bool>() == true) return CheckResult.Passed(check, $"{identity} is verified in {region}.");
        if (identity != identities[^1] && Status(identities[^1]) == "Success")
            // "If you verified a domain, you can send from any address of it": https://docs.aws.amazon.com/ses/latest/dg/creating-identities.html
            return CheckResult.Passed(check, $"{identity} is not verified itself, but its domain {identities[^1]} is, so SES sends as any address of it in {region}.");

        var stack = await StackAsync(shared.StackName, region);
        if (Status(identity) is null)
        {
            return stack.Exists
                ? CheckResult.Failed(check, $"{identity} is not an SES identity in {region}, although the shared stack {shared.StackName} is deployed: update it.",
                    "dotnet run --project definitions", SharedDeploy(shared, region))
                : CheckResult.Failed(check, $"{identity} is not an SES identity in {region} yet: the shared stack {shared.StackName} creates it (not deployed).",
                    "dotnet run --project definitions", SharedDeploy(shared, region));
        }
        var status = Status(identity)!;
        var outputs = $"aws cloudformation describe-stacks --stack-name {shared.StackName} --region {region} --query \"Stacks[0].Outputs\" --output table";
        return mail.Identity == SenderIdentity.Domain
            ? CheckResult.Failed(check, $"the domain {identity} is {status} in {region}: SES sends once it sees the DKIM records.",
                $"publish the three CNAME records of the outputs DkimRecord1-3 in the DNS of {identity}: {outputs}")
            : CheckResult.Failed(check, $"{identity} is {status} in {region}: SES mailed it a verification link, not clicked yet.",
                $"open the mailbox of {identity} and click the link; to have it mailed again: aws ses verify-email-identity --email-address {Shell.Quote(identity)} --region {Shell.Quote(region)}");
    }

    async Task<CheckResult> SandboxAsync(string region)
    {
        const string check = "SES sending";
        var answer = await aws.RunAsync(["sesv2", "get-account", "--region", region]);
        var json = answer.Json;
        if (json?["ProductionAccessEnabled"] is not JsonValue production)
            return CheckResult.Warned(check, $"could not tell whether the account is in the SES sandbox in {region}: {(answer.Succeeded ? "no ProductionAccessEnabled in the answer" : answer.Error)}");
        if (json["SendingEnabled"]?.GetValue<bool>() == false)
            return CheckResult.Failed(check, $"sending is paused for the account in {region} (enforcement status {json["EnforcementStatus"]?.GetValue<string>() ?? "unknown"}).",
                $"see SES > Reputation metrics in {region}, then: aws sesv2 put-account-sending-attributes --sending-enabled --region {region}");
        if (!production.GetValue<bool>())
            // https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html
            return CheckResult.Warned(check, $"the account is in the SES sandbox in {region}: mail goes only to verified addresses, at most 200 a day.",
                $"request production access: SES console > Get set up > Request production access, or aws sesv2 put-account-details --production-access-enabled --mail-type TRANSACTIONAL --website-url https://YOUR.SITE --use-case-description '…' --region {region}");
        return CheckResult.Passed(check, $"the account has SES production access in {region}.");
    }

    /// <summary>Every check of one environment, in a fixed order.</summary>
    public async Task<IReadOnlyList<CheckResult>> EnvironmentAsync(EnvironmentModel model, SharedModel? shared, string region)
    {
        var checks = new List<Task<IReadOnlyList<CheckResult>>>
        {
            One(CertificateAsync(model, region)),
            HostedZoneAsync(model),
            SecretsAsync(model, region),
            One(ImageAsync(model, shared, region)),
            ConnectionAsync(model, shared, region),
            AvailabilityZonesAsync(model, region),
        };
        await Task.WhenAll(checks);
        return [.. checks.SelectMany(c => c.Result)];
    }

    static async Task<IReadOnlyList<CheckResult>> One(Task<CheckResult> check) => [await check];

    /// <summary>The load balancer's certificate exists, is issued, is in the stack's region and account, and covers the DNS name.</summary>
    public async Task<CheckResult> CertificateAsync(EnvironmentModel model, string region)
    {
        const string check = "certificate";
        var host = model.Dns?.Name;
        switch (model.LoadBalancer.Certificate)
        {
            case RequestedCertificate:
                return host is null
                    ? CheckResult.Failed(check, "RequestedCertificate needs Dns on the environment (rule TPL0035).", "dotnet run --project definitions")
                    : CheckResult.Passed(check, $"requested by the stack for {host}, validated through the hosted zone {model.Dns!.HostedZoneId}; nothing to check before deploying but the zone.");
            case IamServerCertificate iam:
                return await IamCertificateAsync(iam.Arn, host);
            case AcmCertificate acm:
                return await AcmCertificateAsync(acm.Arn, host, region);
            default:
                return CheckResult.Warned(check, $"could not check: {model.LoadBalancer.Certificate.GetType().Name} is not a certificate kind the preflight knows.");
        }
    }

    async Task<CheckResult> AcmCertificateAsync(string arn, string? host, string region)
    {
        const string check = "certificate";
        var parts = arn.Split(':', 6);
        var request = $"aws acm request-certificate --domain-name {host ?? "YOUR.DOMAIN"} --validation-method DNS --region {region}";
        if (parts.Length < 6 || parts[2] != "acm") return CheckResult.Failed(check, $"{arn} is not an ACM certificate ARN.", request);
        if (parts[3] != region)
            // A load balancer's listener takes a certificate of its own region only.
            return CheckResult.Failed(check, $"{arn} is in {parts[3]}; the stack deploys to {region}, and a load balancer uses only certificates of its own region.",
                request, "then pass its ARN as CertificateArn (or put it in the definition)");
        if (parts[4] != account)
            return CheckResult.Failed(check, $"{arn} belongs to account {parts[4]}; the credentials are for {account}.",
                "deploy with the credentials of that account (--profile), or use a certificate of this one: " + request);

        var answer = await aws.RunAsync(["acm", "describe-certificate", "--certificate-arn", arn, "--region", region]);
        if (answer.ErrorCode == "ResourceNotFoundException")
            return CheckResult.Failed(check, $"{arn} does not exist in {region}.", request);
        if (answer.Json?["Certificate"] is not JsonObject certificate) return CheckResult.CouldNotCheck(check, answer);
        var status = certificate["Status"]?.GetValue<string>() ?? "(no status)";
        var names = new[] { certificate["DomainName"]?.GetValue<string>() }
            .Concat((certificate["SubjectAlternativeNames"]?.AsArray() ?? []).Select(n => n?.GetValue<string>()))
            .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (status != "ISSUED")
        {
            return status == "PENDING_VALIDATION"
                ? CheckResult.Failed(check, $"{arn} is PENDING_VALIDATION: ACM issues it once it sees the validation records.",
                    $"aws acm describe-certificate --certificate-arn {arn} --region {region} --query \"Certificate.DomainValidationOptions[].ResourceRecord\" (publish these CNAME records)")
                : CheckResult.Failed(check, $"{arn} is {status}, not ISSUED: a listener cannot use it.", request);
        }
        return Coverage(check, $"ACM certificate {arn} is ISSUED", names, host, request);
    }

    async Task<CheckResult> IamCertificateAsync(string arn, string? host)
    {
        const string check = "certificate";
        var parts = arn.Split(':', 6);
        var name = parts.Length == 6 ? parts[5][(parts[5].LastIndexOf('/') + 1)..] : "";
        var upload = $"aws iam upload-server-certificate --server-certificate-name {(name.Length > 0 ? name : "NAME")} --certificate-body file://certificate.pem --private-key file://private-key.pem";
        if (parts.Length < 6 || parts[2] != "iam" || !parts[5].StartsWith("server-certificate/", StringComparison.Ordinal))
            return CheckResult.Failed(check, $"{arn} is not an IAM server certificate ARN (arn:aws:iam::ACCOUNT:server-certificate/NAME).", upload);
        if (parts[4] != account)
            return CheckResult.Failed(check, $"{arn} belongs to account {parts[4]}; the credentials are for {account}.",
                "deploy with the credentials of that account (--profile), or upload the certificate to this one: " + upload);

        var answer = await aws.RunAsync(["iam", "get-server-certificate", "--server-certificate-name", name]);
        if (answer.ErrorCode == "NoSuchEntity")
            return CheckResult.Failed(check, $"the IAM server certificate {name} does not exist in account {account}.", upload);
        if (answer.Json?["ServerCertificate"] is not JsonObject certificate) return CheckResult.CouldNotCheck(check, answer);
        X509Certificate2 x509;
        try
        {
            x509 = X509Certificate2.CreateFromPem(certificate["CertificateBody"]?.GetValue<string>() ?? "");
        }
        catch (CryptographicException)
        {
            return CheckResult.Passed(check, $"the IAM server certificate {name} exists (its body could not be read to check its names).");
        }
        using (x509)
        {
            if (x509.NotAfter.ToUniversalTime() < DateTime.UtcNow)
                return CheckResult.Failed(check, $"the IAM server certificate {name} expired on {x509.NotAfter.ToUniversalTime():yyyy-MM-dd}.", upload.Replace(name, name + "-new", StringComparison.Ordinal));
            var names = x509.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames()).ToList();
            if (names.Count == 0 && x509.GetNameInfo(X509NameType.DnsName, forIssuer: false) is { Length: > 0 } cn) names.Add(cn);
            return Coverage(check, $"the IAM server certificate {name} exists (until {x509.NotAfter.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})", names, host, upload);
        }
    }

    static CheckResult Coverage(string check, string what, IReadOnlyList<string> names, string? host, string fix)
    {
        var list = names.Count == 0 ? "no name" : string.Join(", ", names);
        if (host is null) return CheckResult.Passed(check, $"{what} for {list} (the environment has no Dns: point one of these names at the load balancer).");
        var covering = names.FirstOrDefault(n => DnsNames.Covers(n, host));
        return covering is null
            ? CheckResult.Failed(check, $"{what} but does not cover {host}: it is for {list}.", fix)
            : CheckResult.Passed(check, $"{what} and covers {host}{(covering.StartsWith('*') ? $" ({covering})" : "")}.");
    }

    /// <summary>The environment's hosted zone exists, is public and holds its DNS name.</summary>
    public async Task<IReadOnlyList<CheckResult>> HostedZoneAsync(EnvironmentModel model)
    {
        const string check = "hosted zone";
        if (model.Dns is not { } dns) return [];
        var find = $"aws route53 list-hosted-zones-by-name --dns-name {dns.Name} --query \"HostedZones[?Config.PrivateZone==`false`].[Id,Name]\" --output text";
        var answer = await aws.RunAsync(["route53", "get-hosted-zone", "--id", dns.HostedZoneId]);
        if (answer.ErrorCode is "NoSuchHostedZone" or "InvalidInput")
            return [CheckResult.Failed(check, $"{dns.HostedZoneId} is not a hosted zone of account {account}.",
                $"find the public zone that holds {dns.Name}: {find}", "then set Dns.HostedZoneId to its ID (without /hostedzone/), or pass HostedZoneId=… when deploying")];
        if (answer.Json?["HostedZone"] is not JsonObject zone) return [CheckResult.CouldNotCheck(check, answer)];
        var zoneName = (zone["Name"]?.GetValue<string>() ?? "").TrimEnd('.');
        if (zone["Config"]?["PrivateZone"]?.GetValue<bool>() == true)
            return [CheckResult.Failed(check, $"{dns.HostedZoneId} ({zoneName}) is a private zone: the alias record would not be seen on the internet, and ACM cannot validate a certificate through it.",
                $"use the public zone that holds {dns.Name}: {find}")];
        if (!DnsNames.InZone(dns.Name, zoneName))
            return [CheckResult.Failed(check, $"{dns.Name} is not in {dns.HostedZoneId} ({zoneName}).",
                $"use the public zone that holds {dns.Name}: {find}")];
        return [CheckResult.Passed(check, $"{dns.HostedZoneId} ({zoneName}) is public and holds {dns.Name}.")];
    }

    /// <summary>Every SSM parameter and Secrets Manager secret the task reads exists.</summary>
    public async Task<IReadOnlyList<CheckResult>> SecretsAsync(EnvironmentModel model, string region)
    {
        var checks = model.Service.Secrets.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => SecretAsync(s.Key, s.Value, region)).ToList();
        return await Task.WhenAll(checks);
    }

    async Task<CheckResult> SecretAsync(string variable, Secret secret, string region)
    {
        var check = $"secret {variable}";
        switch (secret)
        {
            case SsmParameter p:
            {
                // describe-parameters tells whether it exists without reading (or decrypting) its value.
                var filter = new JsonArray(new JsonObject { ["Key"] = "Name", ["Option"] = "Equals", ["Values"] = new JsonArray(p.Name) }).ToJsonString();
                var answer = await aws.RunAsync(["ssm", "describe-parameters", "--parameter-filters", filter, "--region", region]);
                if (answer.Json?["Parameters"] is not JsonArray found) return CheckResult.CouldNotCheck(check, answer);
                if (found.Count == 0)
                    return CheckResult.Failed(check, $"the SSM parameter {p.Name} does not exist in {region}.",
                        $"{TemplatesCli.CreateSecretCommand(p, $" --region {Shell.Quote(region)}")}   {RandomValueNote}");
                return CheckResult.Passed(check, $"the SSM parameter {p.Name} exists in {region} ({found[0]?["Type"]?.GetValue<string>() ?? "type unknown"}).");
            }
            case SecretsManagerSecret s:
            {
                var answer = await aws.RunAsync(["secretsmanager", "describe-secret", "--secret-id", s.Name, "--region", region]);
                if (answer.ErrorCode == "ResourceNotFoundException")
                    return CheckResult.Failed(check, $"the Secrets Manager secret {s.Name} does not exist in {region}.",
                        $"{TemplatesCli.CreateSecretCommand(s, $" --region {Shell.Quote(region)}")}   {RandomValueNote}");
                if (answer.Json is not JsonObject described) return CheckResult.CouldNotCheck(check, answer);
                if (described["DeletedDate"] is not null)
                    return CheckResult.Failed(check, $"the Secrets Manager secret {s.Name} is scheduled for deletion in {region}.",
                        $"aws secretsmanager restore-secret --secret-id {Shell.Quote(s.Name)} --region {Shell.Quote(region)}");
                return CheckResult.Passed(check, $"the Secrets Manager secret {s.Name} exists in {region}.");
            }
            default:
                return CheckResult.Warned(check, $"could not check: {secret.GetType().Name} is not a secret kind the preflight knows.");
        }
    }

    /// <summary>The ECR repository exists and holds the image tag the stack runs (its ImageTag default).</summary>
    public async Task<CheckResult> ImageAsync(EnvironmentModel model, SharedModel? shared, string region)
    {
        const string check = "ECR image";
        var repository = model.Service.Image.Repository;
        var tag = model.Service.Image.Tag;
        var answer = await aws.RunAsync(["ecr", "describe-images", "--repository-name", repository, "--image-ids", $"imageTag={tag}", "--region", region]);
        if (answer.Json?["imageDetails"] is JsonArray { Count: > 0 }) return CheckResult.Passed(check, $"{repository}:{tag} is in ECR in {region}.");
        var push = PushCommands(model, region);
        if (answer.ErrorCode == "ImageNotFoundException" || answer.Json?["imageDetails"] is JsonArray)
            return CheckResult.Failed(check, $"the repository {repository} has no image tagged {tag} (the stack's ImageTag) in {region}: the service could not start.", push);
        if (answer.ErrorCode != "RepositoryNotFoundException") return CheckResult.CouldNotCheck(check, answer);

        if (shared is { CreatesRepository: true })
        {
            var stack = await StackAsync(shared.StackName, region);
            return stack.Exists
                ? CheckResult.Failed(check, $"the repository {repository} does not exist in {region}, although the shared stack {shared.StackName} that creates it is deployed: update it.",
                    ["dotnet run --project definitions", SharedDeploy(shared, region), .. push])
                : CheckResult.Failed(check, $"the repository {repository} does not exist in {region} yet: the shared stack {shared.StackName} creates it (not deployed); then push {tag}.",
                    ["dotnet run --project definitions", SharedDeploy(shared, region), .. push]);
        }
        return CheckResult.Failed(check, $"the repository {repository} does not exist in {region} (the definition uses an existing repository).",
            [$"aws ecr create-repository --repository-name {repository} --region {region}   (or Repository = new NewRepository() in the definition)", .. push]);
    }

    const string RandomValueNote = "# a random value; for a secret issued elsewhere, pass its real value";

    string[] PushCommands(EnvironmentModel model, string region)
    {
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        var context = model.App.Source?.BuildContext ?? ".";
        var tag = model.Service.Image.Tag;
        return
        [
            $"REPO={Shell.Quote($"{account}.dkr.ecr.{region}.{suffix}/{model.Service.Image.Repository}")}",
            $"aws ecr get-login-password --region {Shell.Quote(region)} | docker login --username AWS --password-stdin \"${{REPO%%/*}}\"",
            $"docker build --tag {Shell.Expansion("$REPO:", tag)} {Shell.QuotePath(context)} && docker push {Shell.Expansion("$REPO:", tag)}",
        ];
    }

    /// <summary>The GitHub connection the pipeline reads through is AVAILABLE.</summary>
    public async Task<IReadOnlyList<CheckResult>> ConnectionAsync(EnvironmentModel model, SharedModel? shared, string region)
    {
        const string check = "GitHub connection";
        if (model.Pipeline is null || model.App.Source is not { } source) return [];
        var arn = source.ConnectionArn;
        if (arn is null)
        {
            if (shared is null) return [CheckResult.Warned(check, "could not check: no ConnectionArn and no shared stack to read it from.")];
            var stack = await StackAsync(shared.StackName, region);
            if (stack.Unknown) return [CheckResult.CouldNotCheck(check, stack.Answer)];
            if (!stack.Exists)
                return [CheckResult.Failed(check, $"the shared stack {shared.StackName} creates it, and is not deployed in {region}; then complete the connection in the console.",
                    "dotnet run --project definitions", SharedDeploy(shared, region))];
            if (!stack.Outputs.TryGetValue(Ids.GitHubConnectionArnOutput, out arn) || arn.Length == 0)
                return [CheckResult.Warned(check, $"could not check: the shared stack {shared.StackName} has no {Ids.GitHubConnectionArnOutput} output.")];
        }

        var parts = arn.Split(':', 6);
        var service = parts.Length == 6 ? parts[2] : "";
        if (service is not ("codestar-connections" or "codeconnections"))
            return [CheckResult.Failed(check, $"{arn} is not a CodeConnections (codestar-connections) ARN.", "set GitHubSource.ConnectionArn to the ARN of a connection: aws codestar-connections list-connections --provider-type-filter GitHub")];
        var answer = await aws.RunAsync([service, "get-connection", "--connection-arn", arn, "--region", parts[3]]);
        if (answer.ErrorCode == "ResourceNotFoundException")
            return [CheckResult.Failed(check, $"{arn} does not exist.", $"list the connections: aws {service} list-connections --region {parts[3]}")];
        if (answer.Json?["Connection"]?["ConnectionStatus"]?.GetValue<string>() is not { } status) return [CheckResult.CouldNotCheck(check, answer)];
        var name = answer.Json["Connection"]?["ConnectionName"]?.GetValue<string>() ?? arn;
        return status switch
        {
            "AVAILABLE" => [CheckResult.Passed(check, $"{name} is AVAILABLE.")],
            "PENDING" => [CheckResult.Failed(check, $"{name} is PENDING: the pipeline's source stage fails until it is authorized.",
                $"console: Developer Tools > Settings > Connections, choose {name}, 'Update pending connection', authorize the GitHub app for {source.Repository}")],
            _ => [CheckResult.Failed(check, $"{name} is {status}.", $"console: Developer Tools > Settings > Connections, choose {name} and fix or recreate it")],
        };
    }

    /// <summary>The region has as many Availability Zones as the new VPC spreads over, as <c>Fn::GetAZs</c> counts them.</summary>
    public async Task<IReadOnlyList<CheckResult>> AvailabilityZonesAsync(EnvironmentModel model, string region)
    {
        const string check = "Availability Zones";
        if (model.Network is not NewVpc vpc) return [];
        var zonesTask = aws.RunAsync(["ec2", "describe-availability-zones", "--filters", "Name=state,Values=available", "Name=zone-type,Values=availability-zone", "--region", region]);
        var defaultsTask = aws.RunAsync(["ec2", "describe-subnets", "--filters", "Name=default-for-az,Values=true", "--region", region]);
        var (zones, defaults) = (await zonesTask, await defaultsTask);
        if (zones.Json?["AvailabilityZones"] is not JsonArray available) return [CheckResult.CouldNotCheck(check, zones)];
        var names = available.Select(z => z?["ZoneName"]?.GetValue<string>()).OfType<string>().Order(StringComparer.Ordinal).ToList();
        // "Fn::GetAZs returns only Availability Zones that have a default subnet unless none of the Availability Zones has a default
        // subnet": https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getavailabilityzones.html
        var withDefault = (defaults.Json?["Subnets"]?.AsArray() ?? []).Select(s => s?["AvailabilityZone"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var usable = withDefault.Count == 0 ? names : [.. names.Where(withDefault.Contains)];
        if (usable.Count >= vpc.AvailabilityZones)
            return [CheckResult.Passed(check, $"{region} has {usable.Count} for the stack ({string.Join(", ", usable)}); the VPC uses {vpc.AvailabilityZones}.")];
        var limited = usable.Count < names.Count;
        return [CheckResult.Failed(check,
            $"{region} has {usable.Count} for the stack{(limited ? $" (Fn::GetAZs returns only the {usable.Count} zones with a default subnet, of {names.Count})" : "")}; the VPC asks for {vpc.AvailabilityZones}.",
            limited
                ? [.. names.Except(usable).Select(z => $"aws ec2 create-default-subnet --availability-zone {z} --region {region}")]
                : [$"set AvailabilityZones = {usable.Count} on this environment's NewVpc, or deploy it to a region with {vpc.AvailabilityZones} zones"])];
    }
}
