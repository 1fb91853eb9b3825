using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Templates.Generation;

namespace Templates.EndToEnd.Infrastructure;

/// <summary>The tests that deploy into the moto emulator share one server, and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
    public const string Name = "moto";
}

/// <summary>
/// A moto server (<c>python3 -m moto.server</c>) on a free port of 127.0.0.1, with a self-signed certificate imported
/// into its ACM (moto refuses a listener whose certificate it does not know), and the AWS command line pointed at it.
/// When python3 + moto or aws are missing, nothing is started and every use throws the reason (see <see cref="ToolFactAttribute"/>).
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    /// <summary>The region every stack is deployed to: the one of the definitions, and where the certificate is imported.</summary>
    public const string Region = "us-east-1";

    /// <summary>What a moto test needs.</summary>
    public static readonly Tool[] Tools = [Tool.Moto, Tool.Aws];

    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    static readonly TimeSpan AwsTimeout = TimeSpan.FromSeconds(90);

    readonly Queue<string> log = new();
    Process? server;
    TempDirectory? work;
    Uri? endpoint;
    string? certificateArn;
    Dictionary<string, string?> awsEnvironment = [];
    int files;

    /// <summary>The server's address.</summary>
    public Uri Endpoint => Ready(endpoint);

    /// <summary>The ARN of the certificate imported into the emulator's ACM, to pass as the <c>CertificateArn</c> parameter.</summary>
    public string CertificateArn => Ready(certificateArn);

    public async Task InitializeAsync()
    {
        if (ExternalTools.WhyUnavailable(Tools) is not null) return;
        work = new TempDirectory("moto");
        // Dummy credentials, and nothing from the user's own AWS configuration.
        awsEnvironment = new()
        {
            ["AWS_ACCESS_KEY_ID"] = "testing",
            ["AWS_SECRET_ACCESS_KEY"] = "testing",
            ["AWS_DEFAULT_REGION"] = Region,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_SECURITY_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_DEFAULT_PROFILE"] = null,
            ["AWS_ENDPOINT_URL"] = null,
            ["AWS_CONFIG_FILE"] = work.File("aws-config-none"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = work.File("aws-credentials-none"),
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_PAGER"] = "",
        };
        AppDomain.CurrentDomain.ProcessExit += KillOnExit;

        try
        {
            // The free port is released before moto binds it; another process could take it in between, so try a few.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await StartAsync();
                    break;
                }
                catch (InvalidOperationException) when (attempt < 3)
                {
                    StopServer();
                }
            }
            certificateArn = await ImportCertificateAsync();
        }
        catch
        {
            StopServer();
            throw;
        }
    }

    public Task DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= KillOnExit;
        StopServer();
        work?.Dispose();
        sharedLock.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The environment that points a program running <c>aws</c> itself (the preflight) at the emulator: the dummy credentials and
    /// region of <see cref="AwsAsync"/>, nothing from the user's configuration, and <c>AWS_ENDPOINT_URL</c>, which the AWS CLI honours.
    /// </summary>
    public IReadOnlyDictionary<string, string?> CliEnvironment =>
        new Dictionary<string, string?>(awsEnvironment) { ["AWS_ENDPOINT_URL"] = Endpoint.ToString().TrimEnd('/') };

    /// <summary>Runs <c>aws ARGS --endpoint-url … --region …</c> against the emulator.</summary>
    public Task<ProcessResult> AwsAsync(params string[] arguments)
    {
        var url = Endpoint.ToString().TrimEnd('/');
        return ProcessRunner.RunAsync(ExternalTools.PathOf(Tool.Aws), [.. arguments, "--endpoint-url", url, "--region", Region], AwsTimeout, awsEnvironment);
    }

    /// <summary>
    /// The environment under which a plain <c>aws</c> command (one a shell script runs, without <c>--endpoint-url</c>) reaches the
    /// emulator: the dummy credentials, and <c>AWS_ENDPOINT_URL</c>, which the AWS command line honours for every service.
    /// </summary>
    public IReadOnlyDictionary<string, string?> CommandLineEnvironment
    {
        get
        {
            var environment = new Dictionary<string, string?>(awsEnvironment) { ["AWS_ENDPOINT_URL"] = Endpoint.ToString().TrimEnd('/') };
            return environment;
        }
    }

    /// <summary>Runs an <c>aws</c> command that must succeed and returns its JSON answer.</summary>
    public async Task<JsonNode> AwsJsonAsync(params string[] arguments)
    {
        var result = await AwsAsync([.. arguments, "--output", "json"]);
        Assert.True(result.ExitCode == 0, $"The AWS command line failed against moto.\n{result}");
        return JsonNode.Parse(result.StandardOutput) ?? throw new InvalidOperationException($"No JSON from:\n{result}");
    }

    /// <summary>
    /// <c>aws cloudformation deploy</c> of the template's exact bytes to <paramref name="stackName"/>, with the imported
    /// certificate as <c>CertificateArn</c> and <paramref name="parameterOverrides"/> (<c>Key=Value</c>) besides.
    /// </summary>
    /// <remarks>
    /// A template with a <c>HostedZoneId</c> parameter (an environment with a DNS name) is deployed into a hosted zone that this
    /// method creates in moto for the template's <c>DomainName</c>, once per stack name (an update keeps the zone): the definition's
    /// zone ID exists only in its author's account. Passing the certificate ARN makes the <c>RequestCertificate</c> condition false,
    /// so no certificate is requested (moto has no CloudFormation model for <c>AWS::CertificateManager::Certificate</c>).
    /// </remarks>
    public async Task<ProcessResult> DeployAsync(EmittedTemplate template, string stackName, params string[] parameterOverrides)
    {
        var file = Ready(work).File($"{Interlocked.Increment(ref files).ToString(CultureInfo.InvariantCulture)}-{template.FileName}");
        File.WriteAllBytes(file, template.Bytes);
        var parameters = template.Json["Parameters"];
        // The connection's ARN is the only other value an environment stack needs: see StandInConnectionArn.
        string[] connection = parameters?["GitHubConnectionArn"] is JsonObject p && p["Default"] is null
            ? [$"GitHubConnectionArn={StandInConnectionArn}"] : [];
        string[] zone = [];
        if (parameters?["HostedZoneId"] is not null && !parameterOverrides.Any(o => o.StartsWith("HostedZoneId=", StringComparison.Ordinal)))
        {
            var domain = parameterOverrides.FirstOrDefault(o => o.StartsWith("DomainName=", StringComparison.Ordinal))?["DomainName=".Length..]
                ?? (string)parameters["DomainName"]!["Default"]!;
            zone = [$"HostedZoneId={await HostedZoneForAsync(stackName, domain)}"];
        }
        string[] deploy = ["cloudformation", "deploy", "--template-file", file, "--stack-name", stackName, "--capabilities", "CAPABILITY_IAM",
            .. await UploadBucketAsync(template.NeedsS3),
            "--parameter-overrides", $"CertificateArn={CertificateArn}", .. connection, .. zone, .. parameterOverrides];
        if (!template.NeedsS3) return await AwsAsync(deploy);
        // Through S3: --endpoint-url reaches only CloudFormation (the upload would go to the real S3), so the endpoint is given
        // to every client by AWS_ENDPOINT_URL, as the README's quick start runs; see UploadEnvironment for the host name.
        return await ProcessRunner.RunAsync(ExternalTools.PathOf(Tool.Aws), [.. deploy, "--region", Region], AwsTimeout, UploadEnvironment);
    }

    /// <summary>
    /// <see cref="CommandLineEnvironment"/> with the endpoint named <c>localhost</c>: the AWS CLI passes an uploaded template as
    /// <c>s3://bucket/key</c> resolved against the endpoint, and moto 5.2.1 finds the bucket in the URL's path only when the host
    /// contains "localhost" (cloudformation/utils.py, get_stack_from_s3_url); with 127.0.0.1 it reads the bucket from the host
    /// name and answers NoSuchBucket. The server listens on 127.0.0.1, which localhost resolves to.
    /// </summary>
    public IReadOnlyDictionary<string, string?> UploadEnvironment =>
        new Dictionary<string, string?>(awsEnvironment) { ["AWS_ENDPOINT_URL"] = $"http://localhost:{Endpoint.Port.ToString(CultureInfo.InvariantCulture)}" };

    /// <summary>The bucket <c>aws cloudformation deploy --s3-bucket</c> uploads a template through, created in moto on first use.</summary>
    public const string UploadBucket = "templates-e2e-uploads";

    readonly SemaphoreSlim uploadBucketLock = new(1, 1);
    bool uploadBucketCreated;

    /// <summary>
    /// <c>--s3-bucket</c> for a template over the 51,200 bytes the AWS CLI sends inline (it refuses a larger one without it, as
    /// the printed deploy command says), nothing otherwise.
    /// </summary>
    async Task<string[]> UploadBucketAsync(bool needsS3)
    {
        if (!needsS3) return [];
        await uploadBucketLock.WaitAsync();
        try
        {
            if (!uploadBucketCreated) await AwsJsonAsync("s3api", "create-bucket", "--bucket", UploadBucket);
            uploadBucketCreated = true;
        }
        finally { uploadBucketLock.Release(); }
        return ["--s3-bucket", UploadBucket];
    }

    readonly Dictionary<string, string> hostedZones = [];

    /// <summary>The ID (without <c>/hostedzone/</c>) of the hosted zone <see cref="DeployAsync"/> created for a stack, if it created one.</summary>
    public string? HostedZoneOf(string stackName)
    {
        lock (hostedZones) return hostedZones.GetValueOrDefault(stackName);
    }

    async Task<string> HostedZoneForAsync(string stackName, string domain)
    {
        if (HostedZoneOf(stackName) is { } existing) return existing;
        var answer = await AwsJsonAsync("route53", "create-hosted-zone", "--name", domain, "--caller-reference", UniqueStackName(stackName));
        // moto answers /hostedzone/Z…; the parameter (AWS::Route53::HostedZone::Id) and the record set take the bare ID.
        var id = ((string)answer["HostedZone"]!["Id"]!).Replace("/hostedzone/", "", StringComparison.Ordinal);
        lock (hostedZones) hostedZones[stackName] = id;
        return id;
    }

    /// <summary>
    /// A stand-in for the shared stack's GitHubConnectionArn output, passed to every environment stack with a pipeline. moto has no
    /// model for <c>AWS::CodeStarConnections::Connection</c>: it answers <c>Ref</c> on it with an empty string, and it evaluates no
    /// outputs after <c>aws cloudformation deploy</c>, so the real output cannot be read back. In AWS the printed command reads it.
    /// </summary>
    public const string StandInConnectionArn = "arn:aws:codestar-connections:us-east-1:123456789012:connection/00000000-1111-2222-3333-444444444444";

    readonly SemaphoreSlim sharedLock = new(1, 1);
    readonly Dictionary<string, ProcessResult> sharedStacks = [];

    /// <summary>
    /// Deploys a shared stack under its own name, once per server: it holds account-level singletons (the ECR repository), so a
    /// second copy would fail with AlreadyExists exactly as in AWS. Later calls return the first deployment's result.
    /// </summary>
    public async Task<ProcessResult> EnsureSharedAsync(EmittedSharedTemplate template)
    {
        await sharedLock.WaitAsync();
        try
        {
            if (sharedStacks.TryGetValue(template.Model.StackName, out var done)) return done;
            var file = Ready(work).File($"{Interlocked.Increment(ref files).ToString(CultureInfo.InvariantCulture)}-{template.FileName}");
            File.WriteAllBytes(file, template.Bytes);
            var result = await AwsAsync(["cloudformation", "deploy", "--template-file", file, "--stack-name", template.Model.StackName]);
            if (result.ExitCode == 0) sharedStacks[template.Model.StackName] = result;
            return result;
        }
        finally { sharedLock.Release(); }
    }

    /// <summary>Deploys a copy of a shared stack under another name (to show that a second copy fails on the singletons).</summary>
    public Task<ProcessResult> DeployCopyAsync(EmittedSharedTemplate template, string stackName)
    {
        var file = Ready(work).File($"{Interlocked.Increment(ref files).ToString(CultureInfo.InvariantCulture)}-{template.FileName}");
        File.WriteAllBytes(file, template.Bytes);
        return AwsAsync(["cloudformation", "deploy", "--template-file", file, "--stack-name", stackName]);
    }

    /// <summary>The stack's status (CREATE_COMPLETE, …).</summary>
    public async Task<string> StackStatusAsync(string stackName)
    {
        var answer = await AwsJsonAsync("cloudformation", "describe-stacks", "--stack-name", stackName);
        return (string)answer["Stacks"]![0]!["StackStatus"]!;
    }

    /// <summary>The physical id of one of the stack's resources, by logical id.</summary>
    public async Task<string> PhysicalIdAsync(string stackName, string logicalId)
    {
        // describe-stack-resource can answer 500 after an update in moto; the listing does not.
        var answer = await AwsJsonAsync("cloudformation", "list-stack-resources", "--stack-name", stackName);
        var summaries = answer["StackResourceSummaries"]!.AsArray();
        var resource = summaries.SingleOrDefault(r => (string?)r!["LogicalResourceId"] == logicalId);
        Assert.True(resource is not null, $"Stack {stackName} has no resource {logicalId}; it has: {string.Join(", ", summaries.Select(r => (string?)r!["LogicalResourceId"]))}");
        return (string)resource["PhysicalResourceId"]!;
    }

    /// <summary>A stack name no other test uses: <c>PREFIX-xxxxxxxx</c>.</summary>
    public static string UniqueStackName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    T Ready<T>(T? value) where T : class
    {
        ExternalTools.Require(Tools);
        return value ?? throw new InvalidOperationException("The moto server did not start; see the fixture's error.");
    }

    async Task StartAsync()
    {
        var port = FreePort();
        var python = ExternalTools.PathOf(Tool.Moto);
        var start = new ProcessStartInfo(python)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "-m", "moto.server", "-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(argument);
        lock (log) log.Clear();
        server = new Process { StartInfo = start };
        server.OutputDataReceived += (_, e) => Log(e.Data);
        server.ErrorDataReceived += (_, e) => Log(e.Data);
        server.Start();
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        var commandLine = ProcessRunner.Describe(python, start.ArgumentList);

        var url = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (server.HasExited)
                throw new InvalidOperationException($"`{commandLine}` exited with {server.ExitCode} before answering.\n{Log()}");
            try
            {
                using var response = await http.GetAsync(url);
                endpoint = url; // any HTTP answer means it is listening
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                if (stopwatch.Elapsed > StartTimeout)
                    throw new TimeoutException($"`{commandLine}` did not answer HTTP on {url} within {StartTimeout.TotalSeconds:0} s.\n{Log()}");
                await Task.Delay(100);
            }
        }
    }

    async Task<string> ImportCertificateAsync()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=app.example.com", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("app.example.com");
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var dir = Ready(work);
        File.WriteAllText(dir.File("certificate.pem"), certificate.ExportCertificatePem());
        File.WriteAllText(dir.File("key.pem"), rsa.ExportPkcs8PrivateKeyPem());

        var result = await AwsAsync("acm", "import-certificate",
            "--certificate", "fileb://" + dir.File("certificate.pem"), "--private-key", "fileb://" + dir.File("key.pem"),
            "--query", "CertificateArn", "--output", "text");
        var arn = result.StandardOutput.Trim();
        if (result.ExitCode != 0 || !arn.StartsWith("arn:aws:acm:", StringComparison.Ordinal))
            throw new InvalidOperationException($"Importing the self-signed certificate into moto's ACM failed.\n{result}\n{Log()}");
        return arn;
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    void Log(string? line)
    {
        if (line is null) return;
        lock (log)
        {
            log.Enqueue(line);
            while (log.Count > 100) log.Dequeue();
        }
    }

    string Log()
    {
        lock (log) return "--- moto server (last lines) ---\n" + string.Join("\n", log) + "\n---";
    }

    void KillOnExit(object? sender, EventArgs e) => StopServer();

    void StopServer()
    {
        var process = Interlocked.Exchange(ref server, null);
        if (process is null) return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { /* already gone */ }
        process.Dispose();
        endpoint = null;
    }
}
