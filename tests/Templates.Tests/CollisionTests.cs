using Templates.Generation;
using Templates.Generation.Cli;
using Templates.Generation.Model;

namespace Templates.Tests;

/// <summary>TPL0001's collisions: names that two files, stacks or account-level resources would share, reported before anything is written.</summary>
public sealed class CollisionTests
{
    static App WithShared(App app) => app with { Repository = new NewRepository(), Service = app.Service with { Image = ContainerImage.FromEcr(app.Service.Image.Repository, "v1") } };

    static IReadOnlyList<Finding> Errors(params App[] apps)
    {
        var result = Emitter.Generate(apps);
        return [.. result.Findings.Where(f => f.Severity == Rules.Severity.Error)];
    }

    [Fact]
    public void An_environment_named_like_the_shared_stack_is_an_error_and_nothing_is_written()
    {
        var app = Fixtures.Guide with { Environments = [.. Fixtures.Guide.Environments, new Env("shared") { Region = "us-east-1", Tasks = new TaskCount(1, 2) }] };
        var finding = Assert.Single(Errors(app));
        Assert.Equal("TPL0001", finding.Rule.Id);
        Assert.Equal("Environments[shared]", finding.Setting);
        Assert.Contains("name of a shared stack", finding.Message);

        var dir = Directory.CreateTempSubdirectory("templates-collision-").FullName;
        try
        {
            var stderr = new StringWriter();
            Assert.Equal(TemplatesCli.DefinitionErrors, TemplatesCli.Run(["--out", dir], TextWriter.Null, stderr, app));
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
            Assert.Contains("error TPL0001: flask-app [shared] Environments[shared]:", stderr.ToString());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("shared", true)]
    [InlineData("shared-default", true)]
    [InlineData("shared-us-east-1", true)]
    [InlineData("shared-dev", false)]
    [InlineData("sharedservices", false)]
    public void Only_names_a_shared_stack_can_take_are_reserved(string name, bool reserved) =>
        Assert.Equal(reserved, Rules.Checks.EnvironmentName(name) is not null);

    [Fact]
    public void Two_apps_with_one_name_are_an_error()
    {
        var finding = Assert.Single(Errors(Fixtures.Minimal(), Fixtures.Minimal(new Env("prod") { Tasks = new TaskCount(2, 4), Service = new ServiceOverrides { ImageTag = "v1" } })));
        Assert.Equal(("TPL0001", "App name"), (finding.Rule.Id, finding.Setting));
        Assert.Contains("Two apps are named 'shop'", finding.Message);
    }

    [Fact]
    public void Two_apps_whose_names_join_to_one_stack_name_are_an_error_naming_both()
    {
        var first = Fixtures.Minimal(new Env("b-c") { Tasks = new TaskCount(1, 2) }) with { Name = "a" };
        var second = Fixtures.Minimal(new Env("c") { Tasks = new TaskCount(1, 2) }) with { Name = "a-b" };
        var finding = Assert.Single(Errors(first, second));
        Assert.Equal("TPL0001", finding.Rule.Id);
        Assert.Contains("a-b-c", finding.Message);
        Assert.Contains("app a, environment b-c", finding.Message);
        Assert.Contains("app a-b, environment c", finding.Message);
    }

    [Fact]
    public void A_pinned_and_an_unpinned_region_may_meet_so_their_shared_stacks_collide()
    {
        var app = WithShared(Fixtures.Minimal(
            new Env("dev") { Tasks = new TaskCount(1, 2) },
            new Env("prod") { Region = "eu-west-1", Tasks = new TaskCount(2, 4) }));
        var finding = Assert.Single(Errors(app));
        Assert.Equal(("TPL0001", "Environments[dev].Region"), (finding.Rule.Id, finding.Setting));
        Assert.Equal(["dev"], finding.Environments);
        Assert.Contains("shop-shared-eu-west-1", finding.Message);
        Assert.Contains("shop-shared-default", finding.Message);
        Assert.Contains("the ECR repository 'shop'", finding.Message);
        Assert.Contains("may deploy to the same account and region", finding.Message);
        Assert.StartsWith("Pin Region on every environment of shop", finding.Fix);

        // The fix: pinned alike, one shared stack.
        var pinned = app with { Environments = [new Env("dev") { Region = "eu-west-1", Tasks = new TaskCount(1, 2) }, app.Environments[1]] };
        Assert.Empty(Errors(pinned));
        Assert.Single(Emitter.Generate([pinned]).SharedTemplates);
    }

    [Fact]
    public void Regions_pinned_apart_do_not_collide_but_one_github_connection_per_account_does()
    {
        var app = WithShared(Fixtures.Minimal(
            new Env("dev") { Region = "eu-west-1", Tasks = new TaskCount(1, 2), Pipeline = new Pipeline { Branch = "develop" } },
            new Env("prod") { Region = "us-east-1", Tasks = new TaskCount(2, 4), Certificate = new AcmCertificate("arn:aws:acm:us-east-1:123456789012:certificate/abc-123"), Pipeline = new Pipeline { Branch = "main" } }))
            with { Source = new GitHubSource { Repository = "shop-org/shop" } };
        var finding = Assert.Single(Errors(app));
        Assert.Equal(("TPL0001", "Source.ConnectionArn"), (finding.Rule.Id, finding.Setting));
        Assert.Contains("the GitHub connection 'shop-github'", finding.Message);
        Assert.Contains("connections are global", finding.Message);
        Assert.Contains("Source.ConnectionArn", finding.Fix);

        var withConnection = app with { Source = app.Source! with { ConnectionArn = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" } };
        Assert.Empty(Errors(withConnection));
        Assert.Equal(2, Emitter.Generate([withConnection]).SharedTemplates.Count);
    }

    [Fact]
    public void Two_apps_creating_one_ecr_repository_collide_unless_one_uses_the_existing_one_or_they_are_apart()
    {
        var first = WithShared(Fixtures.Minimal());
        var second = WithShared(Fixtures.Minimal() with { Name = "billing" });
        var finding = Assert.Single(Errors(first, second));
        Assert.Equal(("TPL0001", "billing", "Repository"), (finding.Rule.Id, finding.App, finding.Setting));
        Assert.Contains("shop-shared", finding.Message);
        Assert.Contains("billing-shared", finding.Message);
        Assert.Contains("in the same account and region: the second to deploy fails with AlreadyExists", finding.Message);
        Assert.Contains("ExistingRepository", finding.Fix);

        Assert.Empty(Errors(first, second with { Repository = new ExistingRepository() }));
        var apart = second with { Environments = [new Env("dev") { Region = "ap-south-1", Tasks = new TaskCount(1, 2), Certificate = new AcmCertificate("arn:aws:acm:ap-south-1:123456789012:certificate/abc-123") }] };
        var pinnedFirst = first with { Environments = [new Env("dev") { Region = "eu-west-1", Tasks = new TaskCount(1, 2) }] };
        Assert.Empty(Errors(pinnedFirst, apart));
        // Pinned to one account each: different accounts never meet.
        Assert.Empty(Errors(
            first with { Environments = [new Env("dev") { Account = "123456789012", Tasks = new TaskCount(1, 2) }] },
            second with { Environments = [new Env("dev") { Account = "210987654321", Tasks = new TaskCount(1, 2), Certificate = new AcmCertificate("arn:aws:acm:eu-west-1:210987654321:certificate/abc-123") }] }));
    }

    [Fact]
    public void Two_apps_with_one_ses_sender_collide()
    {
        var mail = new MailSender { Address = "noreply@example.com" };
        var finding = Assert.Single(Errors(Fixtures.Minimal() with { Mail = mail }, Fixtures.Minimal() with { Name = "billing", Mail = mail }));
        Assert.Equal(("billing", "Mail.Address"), (finding.App, finding.Setting));
        Assert.Contains("the SES identity 'noreply@example.com'", finding.Message);
    }

    [Fact]
    public void Two_apps_whose_connection_names_truncate_alike_collide()
    {
        static App Long(string name) => Fixtures.Minimal(new Env("dev") { Tasks = new TaskCount(1, 2), Pipeline = new Pipeline { Branch = "main" } })
            with { Name = name, Source = new GitHubSource { Repository = "shop-org/shop" } };
        var finding = Assert.Single(Errors(Long("customer-billing-reconciliation-service"), Long("customer-billing-reconciliation-worker")));
        Assert.Contains("the GitHub connection 'customer-billing-reconciliation'", finding.Message);
        Assert.Contains("first 25 characters", finding.Fix);
    }
}
