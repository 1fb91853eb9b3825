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
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }
}
