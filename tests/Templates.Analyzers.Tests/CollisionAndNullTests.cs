using Templates.Generation;

namespace Templates.Analyzers.Tests;

/// <summary>TPL0001's collisions inside one app and TPL0040's constant nulls, at compile time, with the generator's message.</summary>
public class CollisionAndNullTests
{
    static string App(string environments, string members = "", string certificate = "new AcmCertificate(\"arn:aws:acm:eu-west-1:123456789012:certificate/abc-123\")", string image = "ContainerImage.FromEcr(\"shop\", \"v1\")", string service = "") => $$"""
        using Templates;
        public static class Definition
        {
            public static App Value => new("shop")
            {
                Network = new NewVpc(),
                Service = new FargateService { Image = {{image}}, Port = 8080, {{service}} },
                LoadBalancer = new LoadBalancer { Certificate = {{certificate}} },
                {{members}}
                Environments = { {{environments}} },
            };
        }
        """;

    [Fact]
    public async Task An_environment_named_shared_is_reported_where_it_is_named()
    {
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(App("new Env(\"shared\") { Tasks = new TaskCount(1, 2) },")));
        Assert.Equal("TPL0001", diagnostic.Id);
        Assert.Contains("is the name of a shared stack", diagnostic.GetMessage());
        Assert.Equal("\"shared\"", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
    }

    [Fact]
    public async Task A_pinned_and_an_unpinned_environment_creating_one_repository_get_the_generators_message()
    {
        const string environments = "new Env(\"dev\") { Tasks = new TaskCount(1, 2) }, new Env(\"prod\") { WebAcl = new WebAcl(), Region = \"eu-west-1\", Tasks = new TaskCount(2, 4) },";
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(App(environments, "Repository = new NewRepository(),")));
        Assert.Equal("TPL0001", diagnostic.Id);
        Assert.Equal("\"dev\"", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));

        var app = new App("shop")
        {
            Network = new NewVpc(),
            Service = new FargateService { Image = ContainerImage.FromEcr("shop", "v1"), Port = 8080 },
            LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:eu-west-1:123456789012:certificate/abc-123") },
            Repository = new NewRepository(),
            Environments = { new Env("dev") { Tasks = new TaskCount(1, 2) }, new Env("prod") { WebAcl = new WebAcl(), Region = "eu-west-1", Tasks = new TaskCount(2, 4) } },
        };
        var finding = Assert.Single(Emitter.Generate([app]).Findings);
        Assert.Equal($"{finding.Message} Fix: {finding.Fix}", diagnostic.GetMessage());
    }

    [Fact]
    public async Task Environments_pinned_alike_or_apart_raise_nothing_and_non_constant_regions_are_left_to_the_generator()
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(
            "new Env(\"dev\") { Region = \"eu-west-1\", Tasks = new TaskCount(1, 2) }, new Env(\"prod\") { WebAcl = new WebAcl(), Region = \"eu-west-1\", Tasks = new TaskCount(2, 4) },",
            "Repository = new NewRepository(),")));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(
            "new Env(\"dev\") { Region = System.Environment.GetEnvironmentVariable(\"REGION\"), Tasks = new TaskCount(1, 2) }, new Env(\"prod\") { WebAcl = new WebAcl(), Region = \"eu-west-1\", Tasks = new TaskCount(2, 4) },",
            "Repository = new NewRepository(),")));
    }

    [Fact]
    public async Task One_github_connection_for_two_regions_is_reported_on_the_source()
    {
        const string environments = "new Env(\"dev\") { Region = \"eu-west-1\", Tasks = new TaskCount(1, 2), Pipeline = new Pipeline { Branch = \"develop\" } }, "
            + "new Env(\"prod\") { WebAcl = new WebAcl(), Region = \"us-east-1\", Tasks = new TaskCount(2, 4), Certificate = new AcmCertificate(\"arn:aws:acm:us-east-1:123456789012:certificate/abc-123\"), Pipeline = new Pipeline { Branch = \"main\" } },";
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(App(environments, "Source = new GitHubSource { Repository = \"shop-org/shop\" },")));
        Assert.Equal("TPL0001", diagnostic.Id);
        Assert.Contains("the GitHub connection 'shop-github'", diagnostic.GetMessage());
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App(environments,
            "Source = new GitHubSource { Repository = \"shop-org/shop\", ConnectionArn = \"arn:aws:codestar-connections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d\" },")));
    }

    [Theory]
    [InlineData("certificate", "AcmCertificate.Arn")]
    [InlineData("image", "ContainerImage.Repository")]
    [InlineData("mail", "MailSender.Address")]
    [InlineData("secret", "SsmParameter.Name")]
    public async Task A_constant_null_is_TPL0040_with_the_generators_wording(string where, string what)
    {
        var source = where switch
        {
            "certificate" => App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) },", certificate: "new AcmCertificate(null!)"),
            "image" => App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) },", image: "ContainerImage.FromEcr(null!)"),
            "mail" => App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) },", "Mail = new MailSender { Address = null! },"),
            _ => App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) },", service: "Secrets = { [\"KEY\"] = Secret.FromSsm(null!) }"),
        };
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(source));
        Assert.Equal("TPL0040", diagnostic.Id);
        Assert.Equal($"{Rules.Checks.MissingValue(what).Message} Fix: {Rules.Checks.MissingValue(what).Fix}", diagnostic.GetMessage());
    }

    [Fact]
    public async Task A_value_read_at_run_time_is_left_to_the_generator() =>
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(App("new Env(\"dev\") { Tasks = new TaskCount(1, 2) },",
            certificate: "new AcmCertificate(System.Environment.GetEnvironmentVariable(\"UNSET\")!)")));
}
