using System.Diagnostics;
using Templates.Generation;
using Templates.Generation.Cli;

namespace Templates.Tests;

/// <summary>Writing is all or nothing, and every printed command survives being pasted into a shell.</summary>
public sealed class OutputTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("templates-output-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static (int Exit, string Out, string Err) Run(App app, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = TemplatesCli.Run(args, stdout, stderr, app);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The previous run's files, with contents no new run writes.</summary>
    Dictionary<string, byte[]> SeedPrevious(string outDir, params string[] names)
    {
        Directory.CreateDirectory(outDir);
        var previous = new Dictionary<string, byte[]>();
        foreach (var name in names)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes($"{{\"previous\": \"{name}\"}}\n");
            File.WriteAllBytes(Path.Combine(outDir, name), bytes);
            previous[name] = bytes;
        }
        return previous;
    }

    void AssertUnchanged(string outDir, Dictionary<string, byte[]> previous, params string[] directories)
    {
        Assert.Equal(previous.Keys.Concat(directories).Order(StringComparer.Ordinal), Directory.EnumerateFileSystemEntries(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in previous) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(outDir, name)));
    }

    [Fact]
    public void A_file_that_cannot_be_put_in_place_leaves_the_previous_set_byte_for_byte_and_exits_2()
    {
        var outDir = Path.Combine(_dir, "out");
        var previous = SeedPrevious(outDir, "flask-app-shared.template.json", "flask-app-dev.template.json", "flask-app-prod.template.json");
        // A folder where the third of four templates goes: the shared stack's and dev's are in place before it fails.
        Directory.CreateDirectory(Path.Combine(outDir, "flask-app-staging.template.json"));

        var (exit, stdout, stderr) = Run(Fixtures.Guide, "--out", outDir);

        Assert.Equal(TemplatesCli.UsageError, exit);
        Assert.Equal("", stdout);
        Assert.Contains($"cannot put '{Path.Combine(outDir, "flask-app-staging.template.json")}' in place", stderr);
        Assert.Contains("The folder was left as it was.", stderr);
        AssertUnchanged(outDir, previous, "flask-app-staging.template.json");
    }

    [Fact]
    public void A_failure_between_renames_restores_every_replaced_file()
    {
        var outDir = Path.Combine(_dir, "out");
        var previous = SeedPrevious(outDir, "a.json", "b.json", "d.json");
        File.WriteAllText(Path.Combine(outDir, "notes.txt"), "mine");
        previous["notes.txt"] = File.ReadAllBytes(Path.Combine(outDir, "notes.txt"));
        (string, byte[])[] files = [("a.json", [1]), ("b.json", [2]), ("c.json", [3]), ("d.json", [4])];

        var e = Assert.Throws<OutputWriteException>(() => OutputWriter.Write(outDir, files, name =>
        {
            if (name == "d.json") throw new IOException("disk full (injected)");
        }));

        Assert.Equal(Path.Combine(outDir, "d.json"), e.File);
        Assert.Contains("disk full (injected)", e.Message);
        AssertUnchanged(outDir, previous);
    }

    [Fact]
    public void A_failed_first_write_removes_the_folder_it_created()
    {
        var outDir = Path.Combine(_dir, "new", "out");
        Assert.Throws<OutputWriteException>(() => OutputWriter.Write(outDir, [("a.json", [1])], _ => throw new IOException("injected")));
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_successful_write_replaces_the_set_and_leaves_no_staging_behind()
    {
        var outDir = Path.Combine(_dir, "out");
        SeedPrevious(outDir, "a.json");
        OutputWriter.Write(outDir, [("a.json", [1]), ("b.json", [2])]);
        Assert.Equal(["a.json", "b.json"], Directory.EnumerateFileSystemEntries(outDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([1], File.ReadAllBytes(Path.Combine(outDir, "a.json")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_output_folder_is_a_usage_error(string outDir)
    {
        var (exit, _, stderr) = Run(Fixtures.Guide, "--out", outDir);
        Assert.Equal(TemplatesCli.UsageError, exit);
        Assert.Contains($"--out '{outDir}' names no folder", stderr);
    }

    [Theory]
    [InlineData("out/flask-app-dev.template.json", "out/flask-app-dev.template.json")]
    [InlineData("my out/x.json", "'my out/x.json'")]
    [InlineData("it's", "'it'\\''s'")]
    [InlineData("$HOME", "'$HOME'")]
    [InlineData("", "''")]
    [InlineData("a\"b`c`!d", "'a\"b`c`!d'")]
    public void Quote_keeps_plain_words_and_single_quotes_the_rest(string value, string quoted) => Assert.Equal(quoted, Shell.Quote(value));

    [Fact]
    public void A_path_starting_with_a_dash_cannot_be_read_as_an_option() => Assert.Equal("./-out/a.json", Shell.QuotePath("-out/a.json"));

    /// <summary>
    /// The printed commands, run by bash and by sh with stand-ins for aws and docker that record their arguments, pass
    /// exactly the intended arguments for an output folder and a build context full of spaces, quotes and <c>$</c>.
    /// </summary>
    [Theory]
    [InlineData("bash")]
    [InlineData("sh")]
    public void Printed_commands_pass_the_intended_arguments_when_pasted_into_a_shell(string shell)
    {
        var outDir = Path.Combine(_dir, "it's a \"$HOME\" `dir` !x");
        const string context = "examples/it's $PWD";
        var app = Fixtures.Guide with { Source = Fixtures.Guide.Source! with { BuildContext = context } };
        var (exit, stdout, stderr) = Run(app, "--out", outDir);
        Assert.True(exit == 0, stderr);

        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var log = Path.Combine(_dir, "argv.log");
        foreach (var tool in new[] { "aws", "docker" })
        {
            var stub = Path.Combine(bin, tool);
            // Each call: the tool's name and every argument, NUL-separated, one call per line; `aws sts` answers an account.
            File.WriteAllText(stub, $"#!/bin/sh\nprintf '%s\\0' {tool} \"$@\" >> \"$ARGV_LOG\"\nprintf '\\n' >> \"$ARGV_LOG\"\n[ \"$1\" = sts ] && echo 123456789012\n[ \"$1 $2\" = \"ecr describe-images\" ] && exit 254\nexit 0\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var lines = stdout.Split('\n').Select(l => l.Trim()).ToList();
        var deploys = lines.Where(l => l.StartsWith("aws cloudformation deploy ", StringComparison.Ordinal)).ToList();
        var pushBlock = lines.SkipWhile(l => !l.StartsWith("REPO=", StringComparison.Ordinal))
            .TakeWhile(l => l.Length > 0 && !char.IsDigit(l[0]) && !l.StartsWith("Before the environments", StringComparison.Ordinal)).ToList();
        var secrets = lines.Where(l => l.StartsWith("aws ssm put-parameter ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, deploys.Count);
        Assert.NotEmpty(pushBlock);
        Assert.Single(secrets);

        var calls = new List<string[]>();
        foreach (var script in deploys.Concat(secrets).Append(string.Join("\n", pushBlock)))
        {
            File.WriteAllText(log, "");
            var start = new ProcessStartInfo(shell, ["-c", script]) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = Directory.GetCurrentDirectory() };
            start.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            start.Environment["ARGV_LOG"] = log;
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{shell} failed on:\n{script}\n{error}");
            calls.AddRange(File.ReadAllLines(log).Where(l => l.Length > 0).Select(l => l.TrimEnd('\0').Split('\0')));
        }

        var emitted = Emitter.Generate([app]);
        foreach (var file in emitted.Files)
        {
            var deploy = Assert.Single(calls, c => c.Length > 4 && c[1] == "cloudformation" && c[2] == "deploy" && Value(c, "--stack-name") == Path.GetFileName(file.FileName).Replace(".template.json", ""));
            // The argument aws receives is the file that was written, relative to where the command runs.
            Assert.Equal(Path.Combine(outDir, file.FileName), Path.GetFullPath(Value(deploy, "--template-file")!));
            Assert.True(File.Exists(Value(deploy, "--template-file")));
        }
        Assert.Contains(calls, c => c is ["docker", "build", "--tag", "123456789012.dkr.ecr.us-east-1.amazonaws.com/flask-app:1.0.0", context]);
        Assert.Contains(calls, c => c is ["docker", "push", "123456789012.dkr.ecr.us-east-1.amazonaws.com/flask-app:1.0.0"]);
        var put = Assert.Single(calls, c => c.Length > 2 && c[1] == "ssm" && c[2] == "put-parameter");
        Assert.Equal("/flask-app/secret-key", Value(put, "--name"));
        Assert.Matches("^[0-9a-f]{64}$", Value(put, "--value"));
    }

    /// <summary>
    /// The shop's pipelines build four images: the printed first-image steps after its shared stack push each one's ImageTag
    /// default from its own folder into its own repository, in the one registry (run by bash with stand-ins for aws and docker).
    /// </summary>
    [Fact]
    public void The_printed_first_image_steps_push_every_image_the_pipelines_build_from_its_folder()
    {
        var (exit, stdout, stderr) = Run(Definitions.ShopApp.Definition, "--out", Path.Combine(_dir, "out"));
        Assert.True(exit == 0, stderr);
        var lines = stdout.Split('\n').Select(l => l.Trim()).ToList();
        // From REPO= to the next step ("Before deploying the environments, check the account …", or the next template).
        var pushBlock = lines.SkipWhile(l => !l.StartsWith("REPO=", StringComparison.Ordinal))
            .TakeWhile(l => l.Length > 0 && !char.IsDigit(l[0]) && !l.StartsWith("Before ", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, pushBlock.Count);
        var bin = Directory.CreateDirectory(Path.Combine(_dir, "bin")).FullName;
        var log = Path.Combine(_dir, "argv.log");
        foreach (var tool in new[] { "aws", "docker" })
        {
            var stub = Path.Combine(bin, tool);
            File.WriteAllText(stub, $"#!/bin/sh\nprintf '%s\\0' {tool} \"$@\" >> \"$ARGV_LOG\"\nprintf '\\n' >> \"$ARGV_LOG\"\n[ \"$1\" = sts ] && echo 123456789012\n[ \"$1 $2\" = \"ecr describe-images\" ] && exit 254\nexit 0\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(stub, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var start = new ProcessStartInfo("bash", ["-c", string.Join("\n", pushBlock)]) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        start.Environment["ARGV_LOG"] = log;
        using (var process = Process.Start(start)!)
        {
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, error);
        }
        var calls = File.ReadAllLines(log).Where(l => l.Length > 0).Select(l => l.TrimEnd('\0').Split('\0')).ToList();
        const string registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
        var builds = calls.Where(c => c is ["docker", "build", ..]).Select(c => (c[3], c[4])).ToList();
        Assert.Equal([($"{registry}/shop/web:1.4.0", "services/web"), ($"{registry}/shop/api:2.1.0", "services/api"),
            ($"{registry}/shop/orders:0.9.3", "services/orders"), ($"{registry}/shop/mailer:1.0.2", "services/mailer")], builds);
        Assert.Equal(builds.Select(b => b.Item1), calls.Where(c => c is ["docker", "push", _]).Select(c => c[2]));
        // Each only when its repository does not hold the tag yet (the stand-in answers "not found").
        Assert.Equal(["shop/web", "shop/api", "shop/orders", "shop/mailer"], calls.Where(c => c is ["aws", "ecr", "describe-images", ..]).Select(c => Value(c, "--repository-name")));
    }

    static string? Value(string[] call, string option)
    {
        var i = Array.IndexOf(call, option);
        return i >= 0 && i + 1 < call.Length ? call[i + 1] : null;
    }
}
