using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Templates.EndToEnd.Infrastructure;

namespace Templates.EndToEnd;

/// <summary>
/// The sample application the pipelines build (examples/flask-app) starts on 127.0.0.1 and answers the load balancer's
/// health check on the path the definition names. Skipped with the reason when Flask is missing, unless CI=true.
/// </summary>
public sealed class SampleAppTests
{
    static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    static string AppDirectory([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "examples", "flask-app"));

    [Fact]
    public void The_sample_app_has_what_the_pipeline_and_the_definition_expect()
    {
        var dir = AppDirectory();
        foreach (var file in new[] { "app.py", "requirements.txt", "Dockerfile" })
            Assert.True(File.Exists(Path.Combine(dir, file)), $"examples/flask-app/{file} is missing.");
        // The pipeline builds this folder, and the container listens where the definition says.
        Assert.Equal("examples/flask-app", Definition.App.Source?.BuildContext);
        var port = Definition.App.Service.Port.ToString(CultureInfo.InvariantCulture);
        Assert.Contains($"0.0.0.0:{port}", File.ReadAllText(Path.Combine(dir, "Dockerfile")), StringComparison.Ordinal);
        Assert.Contains("MAIL_SENDER", File.ReadAllText(Path.Combine(dir, "app.py")), StringComparison.Ordinal);
        Assert.Equal("MAIL_SENDER", Definition.App.Mail?.EnvironmentVariable);
    }

    [ToolFact(Tool.Flask)]
    public async Task The_sample_app_answers_its_health_check_on_127_0_0_1()
    {
        var python = ExternalTools.PathOf(Tool.Flask);
        var port = FreePort();
        var start = new ProcessStartInfo(python)
        {
            WorkingDirectory = AppDirectory(),
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("app.py");
        start.Environment["HOST"] = "127.0.0.1";
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment.Remove("MAIL_SENDER");
        await RunAndCheckAsync(start, port);
    }

    /// <summary>
    /// The Dockerfile and the task definition agree: the image's USER is the task's User, and every writable path of the task is
    /// a VOLUME of the image (ECS gives a bind mount the owner and mode of the image's VOLUME at the same path, else root 0755,
    /// which a non-root user cannot write: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html).
    /// </summary>
    [Fact]
    public void The_dockerfile_runs_as_the_task_definitions_user_and_declares_its_writable_paths_as_volumes()
    {
        var lines = File.ReadAllLines(Path.Combine(AppDirectory(), "Dockerfile")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Trim();
        var volumes = lines.Where(l => l.StartsWith("VOLUME ", StringComparison.Ordinal))
            .SelectMany(l => JsonNode.Parse(l["VOLUME ".Length..])!.AsArray().Select(v => (string)v!)).ToHashSet(StringComparer.Ordinal);
        // The VOLUME comes before USER's switch and after the mode is set, so the copied mode is the image's.
        Assert.True(lines.FindIndex(l => l.StartsWith("VOLUME ", StringComparison.Ordinal)) > lines.FindIndex(l => l.Contains("chmod 1777 /tmp", StringComparison.Ordinal)));

        var service = Definition.App.Service;
        Assert.Equal(service.User, user);
        Assert.False(Templates.Rules.Checks.RunsAsRoot(user));
        Assert.True(service.ReadOnlyRootFilesystem);
        foreach (var environment in Definition.App.Environments)
        {
            var template = Definition.Emit(environment.Name);
            var task = template.Json["Resources"]!["TaskDefinition"]!["Properties"]!;
            var container = task["ContainerDefinitions"]![0]!;
            Assert.Equal(user, (string?)container["User"]);
            Assert.True((bool)container["ReadonlyRootFilesystem"]!);
            var mounts = container["MountPoints"]!.AsArray();
            var taskVolumes = task["Volumes"]!.AsArray().Select(v => (string)v!["Name"]!).ToList();
            Assert.Equal(template.Model.Service.WritablePaths, mounts.Select(m => (string)m!["ContainerPath"]!));
            foreach (var mount in mounts)
            {
                Assert.Contains((string)mount!["ContainerPath"]!, volumes);
                Assert.False((bool)mount["ReadOnly"]!);
                // A bind mount: a task volume with a name and nothing else (no host, no EFS, no Docker volume).
                Assert.Contains((string)mount["SourceVolume"]!, taskVolumes);
            }
            Assert.All(task["Volumes"]!.AsArray(), v => Assert.Equal(["Name"], v!.AsObject().Select(p => p.Key)));
        }
    }

    /// <summary>
    /// The app runs as the task runs it: as UID 10001, with the root file system and its own folder read-only and only /tmp
    /// writable (an empty tmpfs, as the scratch volume starts). Done in a private mount namespace, which needs root and
    /// unshare(1); the interpreter is bind-mounted where that user can run it. Skipped with the reason where the machine
    /// does not allow it.
    /// </summary>
    [SandboxFact]
    public async Task The_sample_app_runs_as_a_non_root_user_with_only_tmp_writable()
    {
        var unshare = ExternalTools.FindOnPath("unshare")!;
        var setpriv = ExternalTools.FindOnPath("setpriv")!;
        var python = ExternalTools.PathOf(Tool.Flask);
        // The interpreter's installation (sys.prefix, with Flask in its site-packages) is bind-mounted on /mnt/python and run from there:
        // the app's user cannot enter a prefix under /root (pyenv's), and a bind mount needs no access to the path it came from.
        var prefix = (await ProcessRunner.RunAsync(python, ["-c", "import flask, sys; print(sys.prefix)"], TimeSpan.FromSeconds(30))).StandardOutput.Trim();
        var app = AppDirectory();
        var port = FreePort();
        var user = Definition.App.Service.User!.Split(':')[0];
        // The probe runs first, as the app's user: it must not be root, must fail to write the app's folder and /, and must write /tmp.
        const string probe = """
            import os, sys, tempfile
            assert os.getuid() != 0, "running as root"
            for path in (".", "/", "/etc"):
                try:
                    open(os.path.join(path, ".write-probe"), "w").close()
                    sys.exit(f"{path} is writable")
                except OSError:
                    pass
            with tempfile.NamedTemporaryFile(dir="/tmp") as f:
                f.write(b"ok")
            print("probe: uid", os.getuid(), "writes only /tmp")
            """;
        // /mnt becomes a small tmpfs holding the interpreter (python) and the app's folder (app), both bind-mounted read-only:
        // the app's folder may itself lie under /tmp (a checkout there, as CI's may be), which the scratch tmpfs then covers.
        var script = string.Join(" && ",
            "mount -t tmpfs -o mode=0755 tmpfs /mnt", "mkdir /mnt/python /mnt/app",
            "mount --bind \"$PREFIX\" /mnt/python",
            "mount --bind \"$APP\" /mnt/app", "mount -o remount,bind,ro /mnt/app",
            "mount -o remount,ro /mnt",
            "mount -o remount,bind,ro /",
            "mount -t tmpfs -o mode=1777 tmpfs /tmp",
            "cd /mnt/app",
            $"{setpriv} --reuid={user} --regid={user} --clear-groups env HOME=/tmp LD_LIBRARY_PATH=/mnt/python/lib /mnt/python/bin/python3 -c \"$PROBE\"",
            $"exec {setpriv} --reuid={user} --regid={user} --clear-groups env HOME=/tmp LD_LIBRARY_PATH=/mnt/python/lib HOST=127.0.0.1 PORT=$PORT /mnt/python/bin/python3 app.py");
        var start = new ProcessStartInfo(unshare)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in new[] { "--mount", "--propagation", "private", "sh", "-c", script }) start.ArgumentList.Add(argument);
        start.Environment["PREFIX"] = prefix;
        start.Environment["APP"] = app;
        start.Environment["PROBE"] = probe;
        start.Environment["PORT"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment.Remove("MAIL_SENDER");
        var log = await RunAndCheckAsync(start, port);
        Assert.Contains(log, l => l.StartsWith("probe: uid " + user + " writes only /tmp", StringComparison.Ordinal));
    }

    static async Task<IReadOnlyCollection<string>> RunAndCheckAsync(ProcessStartInfo start, int port)
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromSeconds(2) };
            var healthPath = Definition.App.Service.HealthCheck.Path.TrimStart('/');
            var stopwatch = Stopwatch.StartNew();
            HttpResponseMessage? health = null;
            while (health is null)
            {
                Assert.False(process.HasExited, $"app.py exited with {(process.HasExited ? process.ExitCode : 0)}:\n{string.Join("\n", log)}");
                try { health = await http.GetAsync(healthPath); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Assert.True(stopwatch.Elapsed < StartTimeout, $"app.py did not answer on port {port} within {StartTimeout.TotalSeconds:0} s:\n{string.Join("\n", log)}");
                    await Task.Delay(100);
                }
            }
            using (health)
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
                Assert.Equal("ok", (string?)JsonNode.Parse(await health.Content.ReadAsStringAsync())!["status"]);
            }
            using var index = await http.GetAsync("");
            Assert.Equal(HttpStatusCode.OK, index.StatusCode);
            // Without the sender variable the mail endpoint refuses before any AWS call.
            using var mail = await http.PostAsync("mail", new StringContent("{\"to\":\"someone@example.com\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, mail.StatusCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return log;
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
