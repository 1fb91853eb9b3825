using Templates.EndToEnd.Infrastructure;
using Templates.Generation;

namespace Templates.EndToEnd;

/// <summary>The built definitions program, run as a separate process the way an engineer or a pipeline runs it.</summary>
public sealed class CommandLineTests : IDisposable
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    readonly TempDirectory work = new("cli");

    public void Dispose() => work.Dispose();

    [Fact]
    public async Task Writes_one_template_per_environment_byte_identical_across_runs()
    {
        // Every app of the definitions project: the guide's and the shop.
        var emitted = Emitter.Generate(Definition.Apps);
        var expected = emitted.Templates;
        Assert.Equal(Definition.Apps.Sum(a => a.Environments.Count), expected.Count);
        var files = emitted.Files.ToList();

        var first = await RunDefinitionsAsync("--out", "run1");
        var second = await RunDefinitionsAsync("--out", "run2");

        foreach (var (run, result) in new[] { ("run1", first), ("run2", second) })
        {
            Assert.True(result.ExitCode == 0, $"The definitions program failed:\n{result}");
            var written = Directory.GetFiles(work.File(run), "*.template.json").Select(Path.GetFileName).Order(StringComparer.Ordinal);
            Assert.Equal(files.Select(f => f.FileName).Order(StringComparer.Ordinal), written);
            Assert.Empty(Directory.GetFiles(work.File(run), "*.tmp"));
        }

        var deployLines = first.StandardOutput.Split('\n').Where(l => l.Contains("aws cloudformation deploy", StringComparison.Ordinal)).ToList();
        foreach (var template in expected)
        {
            var bytes1 = await File.ReadAllBytesAsync(Path.Combine(work.File("run1"), template.FileName));
            var bytes2 = await File.ReadAllBytesAsync(Path.Combine(work.File("run2"), template.FileName));
            Assert.True(bytes1.AsSpan().SequenceEqual(bytes2), $"Two runs wrote different bytes for {template.FileName}.");
            Assert.True(bytes1.AsSpan().SequenceEqual(template.Bytes), $"The program wrote other bytes for {template.FileName} than the emitter builds in-process.");

            var path = Path.Combine("run1", template.FileName);
            Assert.True(deployLines.Count(l => l.Contains($"--template-file {path} ", StringComparison.Ordinal) && l.Contains($"--stack-name {template.Model.StackName} ", StringComparison.Ordinal)) == 1,
                $"The output should print one deploy command for {path} (stack {template.Model.StackName}):\n{first}");
        }
        foreach (var shared in emitted.SharedTemplates)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(work.File("run1"), shared.FileName));
            Assert.True(bytes.AsSpan().SequenceEqual(shared.Bytes), $"The program wrote other bytes for {shared.FileName} than the emitter builds in-process.");
            var path = Path.Combine("run1", shared.FileName);
            var line = Assert.Single(deployLines, l => l.Contains($"--template-file {path} ", StringComparison.Ordinal));
            Assert.True(deployLines.IndexOf(line) < emitted.SharedTemplates.Count, $"The shared stacks' deploy commands should come first:\n{first}");
        }
    }

    [Fact]
    public async Task Env_option_writes_only_that_environment()
    {
        var environment = Definition.App.Environments[^1].Name;

        var result = await RunDefinitionsAsync("--out", "only", "--env", environment);

        Assert.True(result.ExitCode == 0, $"The definitions program failed:\n{result}");
        var written = Directory.GetFiles(work.File("only"), "*.template.json").Select(Path.GetFileName);
        // With the shared stack the environment needs, which is deployed first; of every app that has the environment.
        var expected = Emitter.Generate(Definition.Apps, [environment]).Files.Select(f => f.FileName);
        Assert.Contains(Definition.Emit(environment).FileName, expected);
        Assert.Contains(Definition.Shared.FileName, expected);
        Assert.Equal(expected.Order(StringComparer.Ordinal), written.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Unknown_environment_is_a_usage_error_and_writes_nothing()
    {
        var result = await RunDefinitionsAsync("--out", "none", "--env", "no-such-env");

        Assert.True(result.ExitCode == 2, $"An unknown environment should exit with 2:\n{result}");
        Assert.Contains("no-such-env", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work.File("none")) && Directory.EnumerateFileSystemEntries(work.File("none")).Any(), "Nothing should be written.");
    }

    [Fact]
    public async Task Validate_accepts_every_emitted_template_and_rejects_a_broken_one_with_exit_1()
    {
        var emitted = await RunDefinitionsAsync("--out", "emitted");
        Assert.True(emitted.ExitCode == 0, $"The definitions program failed:\n{emitted}");

        var valid = await RunDefinitionsAsync("validate", "emitted");
        // Nothing but the size warning (V1001) of a template over the 51,200 bytes sent inline (the guide's staging and prod, the
        // shop's dev and prod, deployed through S3).
        Assert.True(valid.ExitCode == 0, $"validate should pass every emitted template:\n{valid}");
        Assert.Collection(valid.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal),
            line => Assert.Contains("flask-app-prod.template.json:1:1: /: warning: ", line, StringComparison.Ordinal),
            line => Assert.Contains("flask-app-staging.template.json:1:1: /: warning: ", line, StringComparison.Ordinal),
            line => Assert.Contains("shop-dev.template.json:1:1: /: warning: ", line, StringComparison.Ordinal),
            line => Assert.Contains("shop-prod.template.json:1:1: /: warning: ", line, StringComparison.Ordinal));
        Assert.All(valid.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.EndsWith("(V1001)", line.TrimEnd(), StringComparison.Ordinal));

        var broken = Path.Combine(AppContext.BaseDirectory, "Corpus", "invalid", "unknown-property.json");
        var invalid = await RunDefinitionsAsync("validate", broken);
        Assert.True(invalid.ExitCode == 1, $"validate should exit with 1:\n{invalid}");
        Assert.Contains($"{broken}:8:9: /Resources/Bucket/Properties/BucketNam: ", invalid.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("(E3002)", invalid.StandardOutput, StringComparison.Ordinal);

        var unparseable = await RunDefinitionsAsync("validate", Path.Combine(AppContext.BaseDirectory, "definitions.dll"));
        Assert.True(unparseable.ExitCode == 2, $"validate should exit with 2 on a file that is not JSON:\n{unparseable}");
    }

    /// <summary>Runs <c>dotnet definitions.dll ARGS</c> in the test's directory. The test project references the definitions project, so its assembly sits next to the tests'.</summary>
    Task<ProcessResult> RunDefinitionsAsync(params string[] arguments)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "definitions.dll");
        Assert.True(File.Exists(assembly), $"{assembly} is missing: the test project should reference definitions/Definitions.csproj.");
        var dotnet = ExternalTools.Dotnet();
        return ProcessRunner.RunAsync(dotnet, [assembly, .. arguments], Timeout, workingDirectory: work.Path);
    }
}
