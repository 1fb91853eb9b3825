using Templates.Generation.Cli;

namespace Templates.Tests;

/// <summary>The command line: what it writes, what it prints, and that a bad definition writes nothing.</summary>
public sealed class CliTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("templates-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    (int Exit, string Out, string Err) Run(App app, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = TemplatesCli.Run(args, stdout, stderr, app);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Writes_one_template_per_environment_with_a_summary_and_the_deploy_command()
    {
        var outDir = Path.Combine(_dir, "out");
        var (exit, stdout, stderr) = Run(Fixtures.Guide, "--out", outDir);
        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Equal(["flask-app-dev.template.json", "flask-app-prod.template.json", "flask-app-shared.template.json", "flask-app-staging.template.json"],
            Directory.GetFiles(outDir).Select(Path.GetFileName).Order());
        Assert.Contains("Wrote 4 templates", stdout);
        Assert.Matches(@"flask-app-prod\.template\.json\s+\d+ resources\s+[\d,]+ bytes", stdout);
        Assert.Contains($"aws cloudformation deploy --template-file {Path.Combine(Path.GetRelativePath(Directory.GetCurrentDirectory(), outDir), "flask-app-prod.template.json")} --stack-name flask-app-prod --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset --region us-east-1", stdout);
    }

    [Fact]
    public void Env_option_selects_environments()
    {
        var (exit, _, _) = Run(Fixtures.Guide, "--out", _dir, "--env", "prod", "--env", "dev");
        Assert.Equal(0, exit);
        // The shared stack comes along: neither environment deploys without it.
        Assert.Equal(["flask-app-dev.template.json", "flask-app-prod.template.json", "flask-app-shared.template.json"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Unknown_environment_is_a_usage_error_listing_the_known_ones()
    {
        var (exit, _, stderr) = Run(Fixtures.Guide, "--out", _dir, "--env", "qa");
        Assert.Equal(TemplatesCli.UsageError, exit);
        Assert.Contains("no environment named 'qa'", stderr);
        Assert.Contains("dev, staging, prod", stderr);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        var (exit, _, stderr) = Run(Fixtures.Guide, "--outt", _dir);
        Assert.Equal(TemplatesCli.UsageError, exit);
        Assert.Contains("--outt", stderr);
    }

    [Fact]
    public void A_bad_definition_names_environment_setting_and_fix_exits_1_and_writes_nothing()
    {
        var guide = Fixtures.Guide;
        var broken = guide with
        {
            Environments = [.. guide.Environments.Select(e => e.Name == "prod" ? e with { Tasks = new TaskCount(Min: 5, Max: 3) } : e)],
        };
        var outDir = Path.Combine(_dir, "out");
        var (exit, stdout, stderr) = Run(broken, "--out", outDir);
        Assert.Equal(TemplatesCli.DefinitionErrors, exit);
        Assert.Equal("", stdout);
        Assert.Contains("error TPL0005: flask-app [prod] Environments[prod].Tasks.Min: Tasks.Min (5) is above Tasks.Max (3)", stderr);
        Assert.Contains("Fix: Lower Tasks.Min to 3 or raise Tasks.Max to 5.", stderr);
        Assert.Contains("no template was written", stderr);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void A_bad_definition_leaves_earlier_output_untouched()
    {
        File.WriteAllText(Path.Combine(_dir, "flask-app-dev.template.json"), "previous");
        var broken = Fixtures.Guide with { Network = new NewVpc { AvailabilityZones = 1 } };
        var (exit, _, _) = Run(broken, "--out", _dir);
        Assert.Equal(1, exit);
        Assert.Equal("previous", File.ReadAllText(Path.Combine(_dir, "flask-app-dev.template.json")));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Warnings_are_printed_and_templates_still_written()
    {
        var app = Fixtures.Minimal(new Env("prod") { Tasks = new TaskCount(2, 4) });
        var (exit, _, stderr) = Run(app, "--out", _dir);
        Assert.Equal(0, exit);
        Assert.Contains("warning TPL0022: shop [prod] Service.Image:", stderr);
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void A_template_over_the_inline_limit_gets_the_s3_form_of_the_command()
    {
        var variables = Enumerable.Range(0, 400).ToDictionary(i => $"SETTING_{i:D3}", i => new string('x', 100));
        var app = Fixtures.Minimal() with { Service = Fixtures.Minimal().Service with { EnvironmentVariables = variables } };
        var (exit, stdout, _) = Run(app, "--out", _dir);
        Assert.Equal(0, exit);
        Assert.True(new FileInfo(Path.Combine(_dir, "shop-dev.template.json")).Length > 51_200);
        Assert.Contains("--s3-bucket", stdout);
        Assert.Contains("51,200-byte inline limit", stdout);
    }

    [Fact]
    public void An_unwritable_output_folder_is_reported()
    {
        var file = Path.Combine(_dir, "not-a-folder");
        File.WriteAllText(file, "");
        var (exit, _, stderr) = Run(Fixtures.Guide, "--out", file);
        Assert.Equal(TemplatesCli.UsageError, exit);
        Assert.Contains($"cannot create the output folder '{file}'", stderr);
        Assert.Contains("No template was written.", stderr);
    }

    sealed class BrokenWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw new IOException("Broken pipe (injected)");
    }

    [Fact]
    public void An_unexpected_exception_is_an_internal_error_exit_3_never_1()
    {
        var stderr = new StringWriter();
        var exit = TemplatesCli.Run(["--out", _dir], new BrokenWriter(), stderr, Fixtures.Guide);
        Assert.Equal(TemplatesCli.InternalError, exit);
        Assert.StartsWith("internal error: IOException: Broken pipe (injected)", stderr.ToString());
        Assert.Contains("at Templates.Generation.Cli.TemplatesCli", stderr.ToString());
    }

    [Fact]
    public void A_null_app_is_a_finding_not_a_crash()
    {
        var stderr = new StringWriter();
        Assert.Equal(TemplatesCli.DefinitionErrors, TemplatesCli.Run(["--out", _dir], TextWriter.Null, stderr, Fixtures.Minimal(), null!));
        Assert.Contains("error TPL0040: app #2 App: The app at position 2 of the definitions is null", stderr.ToString());
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
