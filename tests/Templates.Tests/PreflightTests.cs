using Templates.Generation.Cli;
using Templates.Generation.Preflight;

namespace Templates.Tests;

/// <summary>
/// The preflight checks' logic against a scripted AWS CLI: name coverage, zone containment, the statuses AWS documents, what
/// cannot be checked (a warning, never a pass), and the exit codes. The end-to-end tests run the real CLI against moto.
/// </summary>
public sealed class PreflightTests
{
    const string Account = "123456789012";
    const string Region = "us-east-1";
    const string CertificateArn = $"arn:aws:acm:{Region}:{Account}:certificate/0b5ad0ef-1111-2222-3333-444444444444";
    const string ConnectionArn = $"arn:aws:codestar-connections:{Region}:{Account}:connection/0b5ad0ef-1111-2222-3333-444444444444";

    [Theory]
    [InlineData("www.example.com", "www.example.com", true)]
    [InlineData("WWW.Example.COM", "www.example.com.", true)]
    [InlineData("*.example.com", "www.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]          // the wildcard needs a label in its place
    [InlineData("*.example.com", "a.b.example.com", false)]      // and covers one level only
    [InlineData("*.example.com", "wwwexample.com", false)]
    [InlineData("example.com", "www.example.com", false)]
    [InlineData("*.b.example.com", "a.b.example.com", true)]
    public void Certificate_names_cover_a_host_as_ACM_documents(string certificateName, string host, bool covers) =>
        Assert.Equal(covers, DnsNames.Covers(certificateName, host));

    [Theory]
    [InlineData("example.com", "example.com.", true)]
    [InlineData("www.example.com", "example.com.", true)]
    [InlineData("a.b.example.com", "Example.com", true)]
    [InlineData("www.example.org", "example.com.", false)]
    [InlineData("notexample.com", "example.com.", false)]
    [InlineData("example.com", "www.example.com.", false)]
    public void A_name_is_in_a_zone_when_it_equals_or_is_under_its_name(string host, string zone, bool inZone) =>
        Assert.Equal(inZone, DnsNames.InZone(host, zone));

    [Fact]
    public async Task A_prepared_account_passes_every_check_with_exit_code_0_and_only_read_only_calls()
    {
        var aws = Prepared();
        var (exit, stdout, stderr) = await Run(aws);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal("", stderr);
        Assert.DoesNotContain("FAIL", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("WARN", stdout, StringComparison.Ordinal);
        foreach (var check in new[] { "shared stack", "SES identity", "SES sending", "certificate", "hosted zone", "secret DB_PASSWORD", "secret API_KEY", "ECR image", "GitHub connection", "Availability Zones" })
            Assert.Contains($"  PASS {check}: ", stdout, StringComparison.Ordinal);
        Assert.Contains("shop-shared (shop, shared) in us-east-1 (pinned in the definition)", stdout, StringComparison.Ordinal);
        Assert.Contains("shop-dev (shop [dev]) in us-east-1 (pinned in the definition)", stdout, StringComparison.Ordinal);
        Assert.Contains("10 checks: 10 passed, 0 warnings, 0 failed.", stdout, StringComparison.Ordinal);

        // Read-only: every call describes, gets or lists.
        Assert.All(aws.Calls, call => Assert.True(
            call[1].StartsWith("describe-", StringComparison.Ordinal) || call[1].StartsWith("get-", StringComparison.Ordinal) || call[1].StartsWith("list-", StringComparison.Ordinal)
            || (call[0] == "configure" && call[1] == "list"), $"not a read-only call: aws {string.Join(' ', call)}"));
        // Asked once, however many checks need it.
        Assert.Single(aws.Calls, c => c[0] == "cloudformation");
    }

    [Fact]
    public async Task Wildcard_certificate_one_level_too_deep_fails_with_the_request_command()
    {
        var app = Shop(dnsName: "a.www.shop.example.com");
        var (exit, stdout, _) = await Run(Prepared(), app);
        Assert.Equal(1, exit);
        Assert.Contains($"FAIL certificate: ACM certificate {CertificateArn} is ISSUED but does not cover a.www.shop.example.com: it is for *.shop.example.com, shop.example.com.", stdout, StringComparison.Ordinal);
        Assert.Contains("aws acm request-certificate --domain-name a.www.shop.example.com --validation-method DNS --region us-east-1", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PENDING_VALIDATION", "is PENDING_VALIDATION")]
    [InlineData("EXPIRED", "is EXPIRED, not ISSUED")]
    public async Task Certificate_not_issued_fails(string status, string expected)
    {
        var aws = Prepared().On("acm describe-certificate", Ok($$$"""{"Certificate":{"DomainName":"*.shop.example.com","Status":"{{{status}}}"}}"""));
        var (exit, stdout, _) = await Run(aws);
        Assert.Equal(1, exit);
        Assert.Contains($"FAIL certificate: {CertificateArn} {expected}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_of_another_region_fails_without_asking()
    {
        // The definition pins no region (rule TPL0014 would catch a pinned mismatch); the region comes from --region.
        var aws = Prepared();
        var (exit, stdout, _) = await Run(aws, Shop(region: null), region: "eu-west-1");
        Assert.Equal(1, exit);
        Assert.Contains($"FAIL certificate: {CertificateArn} is in us-east-1; the stack deploys to eu-west-1, and a load balancer uses only certificates of its own region.", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(aws.Calls, c => c[0] == "acm");
    }

    [Fact]
    public async Task Missing_certificate_fails()
    {
        var (exit, stdout, _) = await Run(Prepared().On("acm describe-certificate", Error("ResourceNotFoundException", "not found")));
        Assert.Equal(1, exit);
        Assert.Contains($"FAIL certificate: {CertificateArn} does not exist in us-east-1.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requested_certificate_passes_with_the_reason()
    {
        var (exit, stdout, _) = await Run(Prepared(), Shop(certificate: new RequestedCertificate()));
        Assert.Equal(0, exit);
        Assert.Contains("PASS certificate: requested by the stack for www.shop.example.com, validated through the hosted zone ZSHOP; nothing to check before deploying but the zone.", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Private_zone_and_name_outside_the_zone_fail()
    {
        var (exitPrivate, privateOut, _) = await Run(Prepared().On("route53 get-hosted-zone", Ok("""{"HostedZone":{"Id":"/hostedzone/ZSHOP","Name":"shop.example.com.","Config":{"PrivateZone":true}}}""")));
        Assert.Equal(1, exitPrivate);
        Assert.Contains("FAIL hosted zone: ZSHOP (shop.example.com) is a private zone", privateOut, StringComparison.Ordinal);

        var (exitOutside, outsideOut, _) = await Run(Prepared().On("route53 get-hosted-zone", Ok("""{"HostedZone":{"Id":"/hostedzone/ZSHOP","Name":"other.example.com.","Config":{"PrivateZone":false}}}""")));
        Assert.Equal(1, exitOutside);
        Assert.Contains("FAIL hosted zone: www.shop.example.com is not in ZSHOP (other.example.com).", outsideOut, StringComparison.Ordinal);

        var (exitMissing, missingOut, _) = await Run(Prepared().On("route53 get-hosted-zone", Error("NoSuchHostedZone", "No hosted zone found with ID: ZSHOP")));
        Assert.Equal(1, exitMissing);
        Assert.Contains("FAIL hosted zone: ZSHOP is not a hosted zone of account 123456789012.", missingOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_secrets_fail_with_the_commands_that_create_them()
    {
        var aws = Prepared()
            .On("ssm describe-parameters", Ok("""{"Parameters":[]}"""))
            .On("secretsmanager describe-secret", Error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
        var (exit, stdout, _) = await Run(aws);
        Assert.Equal(1, exit);
        Assert.Contains("FAIL secret DB_PASSWORD: the SSM parameter /shop/db-password does not exist in us-east-1.\n       aws ssm put-parameter --name /shop/db-password --type SecureString --value \"$(openssl rand -hex 32)\" --region us-east-1   # a random value; for a secret issued elsewhere, pass its real value\n", stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL secret API_KEY: the Secrets Manager secret shop/api-key does not exist in us-east-1.\n       aws secretsmanager create-secret --name shop/api-key --secret-string \"$(openssl rand -hex 32)\" --region us-east-1   # a random value; for a secret issued elsewhere, pass its real value\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_check_the_credentials_may_not_make_is_a_warning_never_a_pass()
    {
        var aws = Prepared().On("ssm describe-parameters", Error("AccessDeniedException", "User is not authorized to perform: ssm:DescribeParameters"));
        var (exit, stdout, _) = await Run(aws);
        Assert.Equal(0, exit);
        Assert.Contains("WARN secret DB_PASSWORD: could not check: An error occurred (AccessDeniedException) when calling the Op operation: User is not authorized to perform: ssm:DescribeParameters", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("PASS secret DB_PASSWORD", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("PENDING", "FAIL GitHub connection: shop-github is PENDING")]
    [InlineData("ERROR", "FAIL GitHub connection: shop-github is ERROR.")]
    [InlineData("AVAILABLE", "PASS GitHub connection: shop-github is AVAILABLE.")]
    public async Task Connection_status(string status, string expected)
    {
        var (_, stdout, _) = await Run(Prepared().On("codestar-connections get-connection", Ok($$$"""{"Connection":{"ConnectionName":"shop-github","ConnectionStatus":"{{{status}}}"}}""")));
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_the_service_cannot_answer_is_a_warning_and_codeconnections_arns_ask_codeconnections()
    {
        var arn = ConnectionArn.Replace("codestar-connections", "codeconnections", StringComparison.Ordinal);
        var aws = Prepared().On("codeconnections get-connection", new AwsResult(255, "", "\nAn error occurred (500) when calling the GetConnection operation (reached max retries: 4): <!doctype html>\n<html lang=en>\n"));
        var (exit, stdout, _) = await Run(aws, Shop(connectionArn: arn));
        Assert.Equal(0, exit);
        Assert.Contains("WARN GitHub connection: could not check: An error occurred (500) when calling the GetConnection operation (reached max retries: 4)\n", stdout, StringComparison.Ordinal);
        Assert.Contains(aws.Calls, c => c[0] == "codeconnections" && c.Contains(arn));
    }

    [Fact]
    public async Task Connection_from_the_shared_stack_output_is_checked()
    {
        var aws = Prepared()
            .On("cloudformation describe-stacks", Ok($$"""{"Stacks":[{"StackName":"shop-shared","StackStatus":"UPDATE_COMPLETE","Outputs":[{"OutputKey":"GitHubConnectionArn","OutputValue":"{{ConnectionArn}}"}]}]}"""));
        var (exit, stdout, _) = await Run(aws, Shop(connectionArn: null));
        Assert.Equal(0, exit);
        Assert.Contains("PASS GitHub connection: shop-github is AVAILABLE.", stdout, StringComparison.Ordinal);
        Assert.Contains(aws.Calls, c => c[0] == "codestar-connections" && c.Contains(ConnectionArn));
    }

    [Fact]
    public async Task Shared_stack_not_deployed_fails_and_says_it_creates_the_repository()
    {
        var aws = Prepared()
            .On("cloudformation describe-stacks", Error("ValidationError", "Stack with id shop-shared does not exist"))
            .On("ecr describe-images", Error("RepositoryNotFoundException", "The repository with name 'shop' does not exist"))
            .On("ses get-identity-verification-attributes", Ok("""{"VerificationAttributes":{}}"""))
            .On("sesv2 get-email-identity", Error("NotFoundException", "sender@shop.example.com"));
        var (exit, stdout, _) = await Run(aws, Shop(connectionArn: null));
        Assert.Equal(1, exit);
        Assert.Contains("FAIL shared stack: shop-shared is not deployed in us-east-1; the environments' stacks use what it creates (the SES identity, the ECR repository, the GitHub connection).", stdout, StringComparison.Ordinal);
        Assert.Contains("       aws cloudformation deploy --template-file out/shop-shared.template.json --stack-name shop-shared --no-fail-on-empty-changeset --region us-east-1", stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL ECR image: the repository shop does not exist in us-east-1 yet: the shared stack shop-shared creates it (not deployed); then push 1.0.", stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL SES identity: sender@shop.example.com is not an SES identity in us-east-1 yet: the shared stack shop-shared creates it (not deployed).", stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL GitHub connection: the shared stack shop-shared creates it, and is not deployed in us-east-1", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_image_tag_fails_with_the_push_commands()
    {
        var (exit, stdout, _) = await Run(Prepared().On("ecr describe-images", Error("ImageNotFoundException", "The image with imageId {imageTag:'1.0'} does not exist")));
        Assert.Equal(1, exit);
        Assert.Contains("FAIL ECR image: the repository shop has no image tagged 1.0 (the stack's ImageTag) in us-east-1", stdout, StringComparison.Ordinal);
        Assert.Contains("       REPO=123456789012.dkr.ecr.us-east-1.amazonaws.com/shop\n", stdout, StringComparison.Ordinal);
        Assert.Contains("       docker build --tag \"$REPO:1.0\" . && docker push \"$REPO:1.0\"\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unverified_sender_fails_its_verified_domain_passes_and_the_sandbox_warns()
    {
        var pending = Prepared()
            .On("ses get-identity-verification-attributes", Ok("""{"VerificationAttributes":{"sender@shop.example.com":{"VerificationStatus":"Pending"}}}"""))
            .On("sesv2 get-email-identity", Ok("""{"IdentityType":"EMAIL_ADDRESS","VerifiedForSendingStatus":false}"""));
        var (exit, stdout, _) = await Run(pending);
        Assert.Equal(1, exit);
        Assert.Contains("FAIL SES identity: sender@shop.example.com is Pending in us-east-1", stdout, StringComparison.Ordinal);
        Assert.Contains("aws ses verify-email-identity --email-address sender@shop.example.com --region us-east-1", stdout, StringComparison.Ordinal);

        var domain = pending.On("ses get-identity-verification-attributes", Ok("""{"VerificationAttributes":{"sender@shop.example.com":{"VerificationStatus":"Pending"},"shop.example.com":{"VerificationStatus":"Success"}}}"""));
        (exit, stdout, _) = await Run(domain);
        Assert.Equal(0, exit);
        Assert.Contains("PASS SES identity: sender@shop.example.com is not verified itself, but its domain shop.example.com is", stdout, StringComparison.Ordinal);

        (exit, stdout, _) = await Run(Prepared().On("sesv2 get-account", Ok("""{"ProductionAccessEnabled":false,"SendingEnabled":true}""")));
        Assert.Equal(0, exit);
        Assert.Contains("WARN SES sending: the account is in the SES sandbox in us-east-1", stdout, StringComparison.Ordinal);

        (exit, stdout, _) = await Run(Prepared().On("sesv2 get-account", new AwsResult(255, "", "\nAn error occurred (404) when calling the GetAccount operation: <!doctype html>\n<p>Not Found</p>\n")));
        Assert.Equal(0, exit);
        Assert.Contains("WARN SES sending: could not tell whether the account is in the SES sandbox in us-east-1: An error occurred (404) when calling the GetAccount operation\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Availability_zones_count_as_Fn_GetAZs_does()
    {
        var three = Shop(zones: 3);
        var twoZones = Prepared().On("ec2 describe-availability-zones", Ok("""{"AvailabilityZones":[{"ZoneName":"us-east-1a"},{"ZoneName":"us-east-1b"}]}"""));
        var (exit, stdout, _) = await Run(twoZones, three);
        Assert.Equal(1, exit);
        Assert.Contains("FAIL Availability Zones: us-east-1 has 2 for the stack; the VPC asks for 3.", stdout, StringComparison.Ordinal);

        // Fn::GetAZs returns only the zones with a default subnet, when some have one.
        var defaults = Prepared().On("ec2 describe-subnets", Ok("""{"Subnets":[{"AvailabilityZone":"us-east-1a"},{"AvailabilityZone":"us-east-1b"}]}"""));
        (exit, stdout, _) = await Run(defaults, three);
        Assert.Equal(1, exit);
        Assert.Contains("FAIL Availability Zones: us-east-1 has 2 for the stack (Fn::GetAZs returns only the 2 zones with a default subnet, of 3); the VPC asks for 3.", stdout, StringComparison.Ordinal);
        Assert.Contains("aws ec2 create-default-subnet --availability-zone us-east-1c --region us-east-1", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Region_option_overrides_the_pinned_region()
    {
        var aws = Prepared();
        var (_, stdout, _) = await Run(aws, Shop(), region: "eu-west-1");
        Assert.Contains("shop-dev (shop [dev]) in eu-west-1 (--region)", stdout, StringComparison.Ordinal);
        // The connection is asked in its own ARN's region; everything else in the stack's.
        Assert.All(aws.Calls.Where(c => c.Contains("--region") && c[0] != "codestar-connections"), c => Assert.Equal("eu-west-1", c[Array.IndexOf(c, "--region") + 1]));
    }

    [Fact]
    public async Task Without_a_pinned_region_the_CLI_default_is_used_and_named()
    {
        var aws = Prepared();
        var (_, stdout, _) = await Run(aws, Shop(region: null));
        Assert.Contains("shop-dev (shop [dev]) in us-east-1 (the AWS CLI's default)", stdout, StringComparison.Ordinal);

        var none = Prepared().On("configure list", Ok("      Name                    Value             Type    Location\n    region                <not set>             None    None\n"));
        var (exit, _, stderr) = await Run(none, Shop(region: null));
        Assert.Equal(2, exit);
        Assert.Contains("error: no region: pass --region", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_cli_and_invalid_credentials_exit_with_2_and_one_line()
    {
        var (exit, stdout, stderr) = await Run(new MissingCli());
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.StartsWith("error: cannot run the AWS CLI (aws)", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));

        var noCredentials = Prepared().On("sts get-caller-identity", new AwsResult(253, "", "\nUnable to locate credentials. You can configure credentials by running \"aws configure\".\n"));
        (exit, stdout, stderr) = await Run(noCredentials);
        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("error: no valid AWS credentials: aws sts get-caller-identity failed: Unable to locate credentials.", stderr, StringComparison.Ordinal);
        Assert.Single(noCredentials.Calls);
    }

    [Fact]
    public async Task Environment_pinned_to_another_account_fails_and_checks_nothing_else()
    {
        var aws = Prepared();
        var (exit, stdout, _) = await Run(aws, Shop(account: "999999999999", certificate: new AcmCertificate(CertificateArn.Replace(Account, "999999999999", StringComparison.Ordinal))));
        Assert.Equal(1, exit);
        Assert.Contains("FAIL account: the stack is pinned to account 999999999999; the credentials are for 123456789012", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(aws.Calls, c => c[0] is "acm" or "ecr" or "ssm");
    }

    [Fact]
    public void Command_line_registers_preflight_with_its_options()
    {
        var stdout = new StringWriter();
        var exit = TemplatesCli.Run(["preflight", "--help"], stdout, new StringWriter(), Shop());
        Assert.Equal(0, exit);
        foreach (var option in new[] { "--env", "--region", "--profile" }) Assert.Contains(option, stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Emit_prints_the_preflight_step_before_the_environments()
    {
        var stdout = new StringWriter();
        var dir = Directory.CreateTempSubdirectory("templates-preflight-").FullName;
        try
        {
            Assert.Equal(0, TemplatesCli.Run(["--out", dir], stdout, new StringWriter(), Shop()));
        }
        finally { Directory.Delete(dir, recursive: true); }
        var lines = stdout.ToString().Split('\n');
        var preflight = Array.FindIndex(lines, l => l.Contains("dotnet run --project definitions -- preflight", StringComparison.Ordinal));
        var sharedDeploy = Array.FindIndex(lines, l => l.Contains("--stack-name shop-shared", StringComparison.Ordinal));
        var devDeploy = Array.FindIndex(lines, l => l.Contains("--stack-name shop-dev", StringComparison.Ordinal));
        Assert.True(sharedDeploy >= 0 && sharedDeploy < preflight && preflight < devDeploy, stdout.ToString());
    }

    static async Task<(int Exit, string Stdout, string Stderr)> Run(IAwsCli aws, App? app = null, string? region = null)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = await PreflightCommand.RunAsync([app ?? Shop()], [], region, null, aws, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    static App Shop(string dnsName = "www.shop.example.com", Certificate? certificate = null, string? connectionArn = ConnectionArn, int zones = 2, string? region = Region, string? account = null) => new("shop")
    {
        Network = new NewVpc { AvailabilityZones = zones },
        Service = new FargateService
        {
            Image = ContainerImage.FromEcr("shop", "1.0"),
            Port = 8080,
            Secrets = { ["DB_PASSWORD"] = Secret.FromSsm("/shop/db-password"), ["API_KEY"] = Secret.FromSecretsManager("shop/api-key") },
        },
        LoadBalancer = new LoadBalancer { Certificate = certificate ?? new AcmCertificate(CertificateArn) },
        Mail = new MailSender { Address = "sender@shop.example.com" },
        Repository = new NewRepository(),
        Source = new GitHubSource { Repository = "example-org/shop", ConnectionArn = connectionArn },
        Environments =
        {
            new Env("dev")
            {
                Region = region,
                Account = account,
                Tasks = new TaskCount(1, 2),
                Pipeline = new Pipeline { Branch = "main" },
                Dns = new DnsName { Name = dnsName, HostedZoneId = "ZSHOP" },
            },
        },
    };

    /// <summary>An account with everything the shop app needs.</summary>
    static FakeAws Prepared() => new FakeAws()
        .On("sts get-caller-identity", Ok($$"""{"UserId":"AIDA","Account":"{{Account}}","Arn":"arn:aws:iam::{{Account}}:user/deployer"}"""))
        .On("configure list", Ok("      Name                    Value             Type    Location\n      ----                    -----             ----    --------\n    region                us-east-1              env    AWS_DEFAULT_REGION\n"))
        .On("cloudformation describe-stacks", Ok("""{"Stacks":[{"StackName":"shop-shared","StackStatus":"CREATE_COMPLETE"}]}"""))
        .On("ses get-identity-verification-attributes", Ok("""{"VerificationAttributes":{"sender@shop.example.com":{"VerificationStatus":"Success"}}}"""))
        .On("sesv2 get-account", Ok("""{"ProductionAccessEnabled":true,"SendingEnabled":true}"""))
        .On("acm describe-certificate", Ok("""{"Certificate":{"DomainName":"*.shop.example.com","SubjectAlternativeNames":["*.shop.example.com","shop.example.com"],"Status":"ISSUED"}}"""))
        .On("route53 get-hosted-zone", Ok("""{"HostedZone":{"Id":"/hostedzone/ZSHOP","Name":"shop.example.com.","Config":{"PrivateZone":false}}}"""))
        .On("ssm describe-parameters", Ok("""{"Parameters":[{"Name":"/shop/db-password","Type":"SecureString"}]}"""))
        .On("secretsmanager describe-secret", Ok("""{"Name":"shop/api-key"}"""))
        .On("ecr describe-images", Ok("""{"imageDetails":[{"imageTags":["1.0"]}]}"""))
        .On("codestar-connections get-connection", Ok("""{"Connection":{"ConnectionName":"shop-github","ConnectionStatus":"AVAILABLE"}}"""))
        .On("ec2 describe-availability-zones", Ok("""{"AvailabilityZones":[{"ZoneName":"us-east-1a"},{"ZoneName":"us-east-1b"},{"ZoneName":"us-east-1c"}]}"""))
        .On("ec2 describe-subnets", Ok("""{"Subnets":[]}"""));

    static AwsResult Ok(string output) => new(0, output, "");

    static AwsResult Error(string code, string message) => new(254, "", $"\nAn error occurred ({code}) when calling the Op operation: {message}\n");

    /// <summary>Answers each <c>service operation</c> as scripted (the last script for it wins) and records the calls.</summary>
    sealed class FakeAws : IAwsCli
    {
        readonly Dictionary<string, AwsResult> answers = new(StringComparer.Ordinal);
        readonly List<string[]> calls = [];

        public IReadOnlyList<string[]> Calls { get { lock (calls) return [.. calls]; } }

        public FakeAws On(string command, AwsResult answer)
        {
            var copy = new FakeAws();
            foreach (var (key, value) in answers) copy.answers[key] = value;
            copy.answers[command] = answer;
            return copy;
        }

        public Task<AwsResult> RunAsync(IReadOnlyList<string> arguments)
        {
            lock (calls) calls.Add([.. arguments]);
            var key = $"{arguments[0]} {arguments[1]}";
            return Task.FromResult(answers.TryGetValue(key, out var answer) ? answer : Error("NotScripted", $"the test did not script aws {key}"));
        }
    }

    sealed class MissingCli : IAwsCli
    {
        public Task<AwsResult> RunAsync(IReadOnlyList<string> arguments) =>
            throw new AwsCliMissingException("cannot run the AWS CLI (aws): No such file or directory", new System.ComponentModel.Win32Exception(2));
    }
}
