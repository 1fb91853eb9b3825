using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Templates.EndToEnd.Infrastructure;
using Templates.Generation;
using Templates.Generation.Cli;
using Templates.Generation.Model;
using Templates.Generation.Preflight;

namespace Templates.EndToEnd;

/// <summary>
/// <c>preflight</c> with the real AWS CLI against moto: an account prepared with everything a definition needs passes, and each
/// thing missing fails on its own line with its fix. The account is prepared once per moto server for an app with a name of its
/// own (so the other moto tests' stacks, repository and identities are untouched); each case changes one thing in the definition.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class PreflightTests(MotoServer moto)
{
    const string Region = MotoServer.Region;

    static readonly SemaphoreSlim gate = new(1, 1);
    static (MotoServer Server, Account Account)? prepared;

    /// <summary>What <see cref="PrepareAsync"/> created in moto for the app <see cref="Name"/>.</summary>
    sealed record Account(string Name, string AcmArn, string IamArn, string ZoneId, string PrivateZoneId)
    {
        public string Domain => $"{Name}.example.org";

        /// <summary>The definition the account was prepared for: dev with the IAM certificate and a pipeline, prod at its DNS name with the ACM one.</summary>
        public App App => new(Name)
        {
            Network = new NewVpc { AvailabilityZones = 2 },
            Service = new FargateService
            {
                Image = ContainerImage.FromEcr(Name, "1.0.0"),
                Port = 5000,
                Secrets = { ["DB_PASSWORD"] = Secret.FromSsm($"/{Name}/db-password"), ["API_KEY"] = Secret.FromSecretsManager($"{Name}/api-key") },
            },
            LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate(AcmArn) },
            Mail = new MailSender { Address = $"sender@{Domain}" },
            Repository = new NewRepository(),
            Source = new GitHubSource { Repository = "example-org/preflight", ConnectionArn = MotoServer.StandInConnectionArn },
            Environments =
            {
                new Env("dev")
                {
                    Region = Region,
                    Tasks = new TaskCount(1, 2),
                    Certificate = new IamServerCertificate(IamArn),
                    Accept = { new Accepted("TPL0015", "A test of the IAM certificate check.") },
                    Pipeline = new Pipeline { Branch = "develop" },
                },
                new Env("prod")
                {
                    Region = Region,
                    Tasks = new TaskCount(2, 4),
                    Dns = new DnsName { Name = $"www.{Domain}", HostedZoneId = ZoneId },
                    Accept = { new Accepted("TPL0034", "moto's hosted zone IDs do not start with Z as Route 53's do.") },
                },
            },
        };
    }

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Prepared_account_passes_and_what_moto_cannot_answer_is_a_warning()
    {
        var account = await PrepareAsync();

        var (exit, stdout, stderr) = await PreflightAsync(account.App);

        Assert.True(exit == 0, $"A prepared account should pass (exit 0):\n{stdout}{stderr}");
        Assert.DoesNotContain("FAIL", stdout, StringComparison.Ordinal);
        foreach (var line in new[]
        {
            $"  PASS shared stack: {account.Name}-shared is CREATE_COMPLETE in {Region}.",
            $"  PASS SES identity: sender@{account.Domain} is verified in {Region}.",
            $"  PASS certificate: the IAM server certificate {account.Name}-dev exists",
            $"  PASS certificate: ACM certificate {account.AcmArn} is ISSUED and covers www.{account.Domain} (*.{account.Domain}).",
            $"  PASS hosted zone: {account.ZoneId} ({account.Domain}) is public and holds www.{account.Domain}.",
            $"  PASS secret DB_PASSWORD: the SSM parameter /{account.Name}/db-password exists in {Region} (SecureString).",
            $"  PASS secret API_KEY: the Secrets Manager secret {account.Name}/api-key exists in {Region}.",
            $"  PASS ECR image: {account.Name}:1.0.0 is in ECR in {Region}.",
            $"  PASS Availability Zones: {Region} has 6 for the stack",
            // moto answers GetConnection with a server error and has no SES v2 GetAccount: neither may pass.
            "  WARN GitHub connection: could not check: ",
            $"  WARN SES sending: could not tell whether the account is in the SES sandbox in {Region}: ",
        })
            Assert.Contains(line, stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("PASS GitHub connection", stdout, StringComparison.Ordinal);
        Assert.Contains($"{account.Name}-prod ({account.Name} [prod]) in {Region} (pinned in the definition)", stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// One thing missing at a time. (A certificate PENDING_VALIDATION is left to the unit tests: moto issues a requested certificate
    /// after a minute, so the state would not hold.)
    /// </summary>
    public static TheoryData<string> Cases => ["ssm-parameter", "secrets-manager-secret", "image-tag", "ses-identity", "hosted-zone", "private-zone", "certificate-coverage", "iam-certificate"];

    [ToolTheory(Tool.Moto, Tool.Aws)]
    [MemberData(nameof(Cases))]
    public async Task Each_missing_thing_fails_on_its_own_line_with_its_fix(string missing)
    {
        var a = await PrepareAsync();
        var app = a.App;
        Env Prod(Func<Env, Env> change) => change(app.Environments.Single(e => e.Name == "prod"));
        Env Dev(Func<Env, Env> change) => change(app.Environments.Single(e => e.Name == "dev"));
        App WithEnvs(Env dev, Env prod) => app with { Environments = [dev, prod] };
        var secrets = app.Service.Secrets;

        // Each case checks the one environment it concerns (an app-wide value would fail once per environment).
        var (definition, env, fail, fix) = missing switch
        {
            "ssm-parameter" => (app with { Service = app.Service with { Secrets = new() { ["DB_PASSWORD"] = Secret.FromSsm($"/{a.Name}/missing"), ["API_KEY"] = secrets["API_KEY"] } } }, "prod",
                $"FAIL secret DB_PASSWORD: the SSM parameter /{a.Name}/missing does not exist in {Region}.",
                $"aws ssm put-parameter --name /{a.Name}/missing --type SecureString --value \"$(openssl rand -hex 32)\" --region {Region}   # a random value; for a secret issued elsewhere, pass its real value"),
            "secrets-manager-secret" => (app with { Service = app.Service with { Secrets = new() { ["DB_PASSWORD"] = secrets["DB_PASSWORD"], ["API_KEY"] = Secret.FromSecretsManager($"{a.Name}/missing") } } }, "prod",
                $"FAIL secret API_KEY: the Secrets Manager secret {a.Name}/missing does not exist in {Region}.",
                $"aws secretsmanager create-secret --name {a.Name}/missing --secret-string \"$(openssl rand -hex 32)\" --region {Region}   # a random value; for a secret issued elsewhere, pass its real value"),
            "image-tag" => (WithEnvs(Dev(e => e), Prod(e => e with { Service = new ServiceOverrides { ImageTag = "9.9.9" } })), "prod",
                $"FAIL ECR image: the repository {a.Name} has no image tagged 9.9.9 (the stack's ImageTag) in {Region}",
                "docker build --tag \"$REPO:9.9.9\" . && docker push \"$REPO:9.9.9\""),
            "ses-identity" => (app with { Mail = new MailSender { Address = $"other@{a.Name}.example.net" } }, "prod",
                $"FAIL SES identity: other@{a.Name}.example.net is not an SES identity in {Region}",
                $"--stack-name {a.Name}-shared --no-fail-on-empty-changeset --region {Region}"),
            "hosted-zone" => (WithEnvs(Dev(e => e), Prod(e => e with { Dns = e.Dns! with { HostedZoneId = "Z0000000000PREFLIGHT" } })), "prod",
                "FAIL hosted zone: Z0000000000PREFLIGHT is not a hosted zone of account 123456789012.",
                $"aws route53 list-hosted-zones-by-name --dns-name www.{a.Domain}"),
            "private-zone" => (WithEnvs(Dev(e => e), Prod(e => e with { Dns = e.Dns! with { HostedZoneId = a.PrivateZoneId } })), "prod",
                $"FAIL hosted zone: {a.PrivateZoneId} ({a.Domain}) is a private zone",
                $"aws route53 list-hosted-zones-by-name --dns-name www.{a.Domain}"),
            // The wildcard covers one level: a.www.NAME is in the zone but not on the certificate.
            "certificate-coverage" => (WithEnvs(Dev(e => e), Prod(e => e with { Dns = e.Dns! with { Name = $"a.www.{a.Domain}" } })), "prod",
                $"FAIL certificate: ACM certificate {a.AcmArn} is ISSUED but does not cover a.www.{a.Domain}: it is for *.{a.Domain}, {a.Domain}.",
                $"aws acm request-certificate --domain-name a.www.{a.Domain} --validation-method DNS --region {Region}"),
            "iam-certificate" => (WithEnvs(Dev(e => e with { Certificate = new IamServerCertificate($"arn:aws:iam::123456789012:server-certificate/{a.Name}-missing") }), Prod(e => e)), "dev",
                $"FAIL certificate: the IAM server certificate {a.Name}-missing does not exist in account 123456789012.",
                $"aws iam upload-server-certificate --server-certificate-name {a.Name}-missing --certificate-body file://certificate.pem --private-key file://private-key.pem"),
            _ => throw new ArgumentOutOfRangeException(nameof(missing)),
        };

        var (exit, stdout, stderr) = await PreflightAsync(definition, "--env", env);

        Assert.True(exit == 1, $"A missing {missing} should fail the preflight (exit 1):\n{stdout}{stderr}");
        var lines = stdout.Split('\n');
        var failed = lines.Where(l => l.StartsWith("  FAIL ", StringComparison.Ordinal)).ToList();
        Assert.True(failed.Count == 1 && failed[0].TrimStart().StartsWith(fail, StringComparison.Ordinal),
            $"Exactly one check should fail, starting with:\n{fail}\n{stdout}");
        var at = Array.IndexOf(lines, failed[0]);
        var fixes = lines.Skip(at + 1).TakeWhile(l => l.StartsWith("       ", StringComparison.Ordinal)).ToList();
        Assert.True(fixes.Any(l => l.Contains(fix, StringComparison.Ordinal)), $"The fix should follow the FAIL line and contain:\n{fix}\n{stdout}");
    }

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Shared_stack_not_deployed_fails_and_the_repository_it_creates_says_so()
    {
        var a = await PrepareAsync();
        var name = $"{a.Name}x";
        var app = a.App with { Name = name, Service = a.App.Service with { Image = ContainerImage.FromEcr(name, "1.0.0") } };

        var (exit, stdout, stderr) = await PreflightAsync(app, "--env", "prod");

        Assert.True(exit == 1, $"The preflight should fail:\n{stdout}{stderr}");
        Assert.Contains($"  FAIL shared stack: {name}-shared is not deployed in {Region}; the environments' stacks use what it creates (the SES identity, the ECR repository).", stdout, StringComparison.Ordinal);
        Assert.Contains($"       aws cloudformation deploy --template-file out/{name}-shared.template.json --stack-name {name}-shared --no-fail-on-empty-changeset --region {Region}", stdout, StringComparison.Ordinal);
        Assert.Contains($"  FAIL ECR image: the repository {name} does not exist in {Region} yet: the shared stack {name}-shared creates it (not deployed); then push 1.0.0.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain($"{name}-dev", stdout, StringComparison.Ordinal);
    }

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Region_option_is_used_and_too_few_availability_zones_fail()
    {
        var a = await PrepareAsync();
        // moto's us-west-1 has two Availability Zones, as AWS's has for most accounts.
        var app = a.App with { Network = new NewVpc { AvailabilityZones = 3 } };

        var (exit, stdout, stderr) = await PreflightAsync(app, "--env", "prod", "--region", "us-west-1");

        Assert.True(exit == 1, $"The preflight should fail:\n{stdout}{stderr}");
        Assert.Contains($"{a.Name}-prod ({a.Name} [prod]) in us-west-1 (--region)", stdout, StringComparison.Ordinal);
        Assert.Contains("  FAIL Availability Zones: us-west-1 has 2 for the stack; the VPC asks for 3.", stdout, StringComparison.Ordinal);
        Assert.Contains($"  FAIL certificate: {a.AcmArn} is in {Region}; the stack deploys to us-west-1", stdout, StringComparison.Ordinal);
    }

    [ToolFact(Tool.Moto, Tool.Aws)]
    public async Task Definitions_program_runs_the_aws_cli_it_finds_with_the_endpoint_of_its_environment()
    {
        // The guide's definition names certificates and a zone of its author's account: the preflight says so, with exit code 1.
        var result = await RunDefinitionsAsync(["preflight", "--env", "dev", "--env", "prod"], moto.CliEnvironment);

        Assert.True(result.ExitCode == 1, $"The guide's definition should fail in an empty account:\n{result}");
        Assert.StartsWith("Preflight (read-only) for account 123456789012 as arn:aws:sts::123456789012:user/moto", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  FAIL certificate: arn:aws:iam::746109777700:server-certificate/CSC belongs to account 746109777700; the credentials are for 123456789012.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  FAIL hosted zone: Z0123456789ABCDEFGHIJ is not a hosted zone of account 123456789012.", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("flask-app-staging", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("", result.StandardError);
    }

    [Fact]
    public async Task Help_lists_the_options()
    {
        var result = await RunDefinitionsAsync(["preflight", "--help"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var option in new[] { "--env", "--region", "--profile" }) Assert.Contains(option, result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_aws_cli_on_PATH_it_exits_with_2_and_one_line()
    {
        using var empty = new TempDirectory("no-aws");
        var result = await RunDefinitionsAsync(["preflight"], new Dictionary<string, string?> { ["PATH"] = empty.Path });

        Assert.True(result.ExitCode == 2, $"A missing AWS CLI should exit with 2:\n{result}");
        Assert.StartsWith("error: cannot run the AWS CLI (aws)", result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.Trim().Split('\n'));
        Assert.Equal("", result.StandardOutput);
    }

    [ToolFact(Tool.Aws)]
    public async Task Without_credentials_it_exits_with_2_and_one_line()
    {
        using var empty = new TempDirectory("no-credentials");
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = null, ["AWS_SECRET_ACCESS_KEY"] = null, ["AWS_SESSION_TOKEN"] = null, ["AWS_PROFILE"] = null, ["AWS_DEFAULT_PROFILE"] = null,
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = null, ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = null, ["AWS_WEB_IDENTITY_TOKEN_FILE"] = null,
            ["AWS_CONFIG_FILE"] = empty.File("config"), ["AWS_SHARED_CREDENTIALS_FILE"] = empty.File("credentials"),
            ["AWS_EC2_METADATA_DISABLED"] = "true", ["AWS_DEFAULT_REGION"] = Region,
        };

        var result = await RunDefinitionsAsync(["preflight"], environment);

        Assert.True(result.ExitCode == 2, $"Missing credentials should exit with 2:\n{result}");
        Assert.StartsWith("error: no valid AWS credentials: aws sts get-caller-identity failed: Unable to locate credentials.", result.StandardError, StringComparison.Ordinal);
        Assert.Single(result.StandardError.Trim().Split('\n'));
    }

    /// <summary>Runs the preflight in-process for a definition, with the real AWS CLI pointed at moto.</summary>
    async Task<(int Exit, string Stdout, string Stderr)> PreflightAsync(App app, params string[] options)
    {
        var environment = new Dictionary<string, string?>(moto.CliEnvironment)
        {
            // moto answers GetConnection with HTTP 500, which the CLI retries with back-off; once is enough against an emulator.
            ["AWS_MAX_ATTEMPTS"] = "1",
        };
        // The subcommand as TemplatesCli registers it, with the process-backed CLI given moto's environment instead of the test process's.
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var command = PreflightCommand.Create(stdout, stderr, [app], profile => new ProcessAwsCli(profile, environment));
        var root = new System.CommandLine.RootCommand { command };
        var exit = await Task.Run(() => root.Parse(["preflight", .. options]).Invoke(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr }));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Prepares the account once per moto server: everything the app <see cref="Account.App"/> takes for granted.</summary>
    async Task<Account> PrepareAsync()
    {
        ExternalTools.Require(MotoServer.Tools);
        await gate.WaitAsync();
        try
        {
            if (prepared is { } done && ReferenceEquals(done.Server, moto)) return done.Account;
            var name = $"pf{Guid.NewGuid().ToString("N")[..6]}";
            var domain = $"{name}.example.org";
            using var work = new TempDirectory("preflight");

            // A wildcard certificate for the domain, imported into ACM and uploaded to IAM.
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest($"CN=*.{domain}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName($"*.{domain}");
            san.AddDnsName(domain);
            request.CertificateExtensions.Add(san.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllTextAsync(work.File("certificate.pem"), certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(work.File("key.pem"), rsa.ExportPkcs8PrivateKeyPem());
            var acm = (string)(await moto.AwsJsonAsync("acm", "import-certificate", "--certificate", "fileb://" + work.File("certificate.pem"), "--private-key", "fileb://" + work.File("key.pem")))["CertificateArn"]!;
            var iam = (string)(await moto.AwsJsonAsync("iam", "upload-server-certificate", "--server-certificate-name", $"{name}-dev",
                "--certificate-body", "file://" + work.File("certificate.pem"), "--private-key", "file://" + work.File("key.pem")))["ServerCertificateMetadata"]!["Arn"]!;

            var zone = ((string)(await moto.AwsJsonAsync("route53", "create-hosted-zone", "--name", domain, "--caller-reference", $"{name}-public"))["HostedZone"]!["Id"]!).Replace("/hostedzone/", "", StringComparison.Ordinal);
            var privateZone = ((string)(await moto.AwsJsonAsync("route53", "create-hosted-zone", "--name", domain, "--caller-reference", $"{name}-private",
                "--hosted-zone-config", "PrivateZone=true", "--vpc", $"VPCRegion={Region},VPCId=vpc-0preflight"))["HostedZone"]!["Id"]!).Replace("/hostedzone/", "", StringComparison.Ordinal);

            await moto.AwsJsonAsync("ssm", "put-parameter", "--name", $"/{name}/db-password", "--type", "SecureString", "--value", "not-a-real-password");
            await moto.AwsJsonAsync("secretsmanager", "create-secret", "--name", $"{name}/api-key", "--secret-string", "not-a-real-key");
            var verify = await moto.AwsAsync("ses", "verify-email-identity", "--email-address", $"sender@{domain}");
            Assert.True(verify.ExitCode == 0, verify.ToString());

            var account = new Account(name, acm, iam, zone, privateZone);
            // The shared stack creates the repository; then the image the stacks run is pushed (a manifest is enough for ECR's records).
            var shared = Emitter.BuildShared(Assert.Single(SharedModel.Resolve(account.App)));
            var deploy = await moto.DeployCopyAsync(shared, shared.Model.StackName);
            Assert.True(deploy.ExitCode == 0, $"Deploying the preflight app's shared stack failed:\n{deploy}");
            const string manifest = """{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[]}""";
            await moto.AwsJsonAsync("ecr", "put-image", "--repository-name", name, "--image-tag", "1.0.0", "--image-manifest", manifest);

            prepared = (moto, account);
            return account;
        }
        finally { gate.Release(); }
    }

    /// <summary>Runs <c>dotnet definitions.dll ARGS</c>, with changes to its environment.</summary>
    static Task<ProcessResult> RunDefinitionsAsync(string[] arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "definitions.dll");
        var dotnet = ExternalTools.Dotnet();
        return ProcessRunner.RunAsync(dotnet, [assembly, .. arguments], TimeSpan.FromMinutes(3), environment);
    }
}
