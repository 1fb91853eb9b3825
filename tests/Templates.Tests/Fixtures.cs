using System.Text.Json.Nodes;
using Templates.Generation;
using Templates.Generation.Model;

namespace Templates.Tests;

/// <summary>Building blocks for tests: the guide's app, small valid apps, and read access to a template.</summary>
public static class Fixtures
{
    public static App Guide => Definitions.FlaskApp.Definition;

    /// <summary>A minimal valid app with one environment; tests change one thing with <c>with</c>.</summary>
    public static App Minimal(params Env[] environments) => new("shop")
    {
        Network = new NewVpc(),
        Service = new FargateService { Image = ContainerImage.FromEcr("shop"), Port = 8080 },
        LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate("arn:aws:acm:eu-west-1:123456789012:certificate/abc-123") },
        Environments = environments.Length > 0 ? [.. environments] : [new Env("dev") { Tasks = new TaskCount(1, 2) }],
    };

    public static EmittedTemplate Emit(App app, string env)
    {
        var result = Emitter.Generate([app], [env]);
        Assert.False(result.HasErrors, string.Join("\n", result.Findings.Select(f => f.ToString()).Concat(result.Templates.SelectMany(t => t.Problems.Select(p => p.ToString())))));
        return Assert.Single(result.Templates);
    }

    public static TemplateView View(App app, string env) => new(Emit(app, env).Json);

    public static IReadOnlyList<Finding> Findings(App app) => ModelValidator.Validate(app);

    /// <summary>The checkout's root: the folder above the tests' that holds Templates.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Templates.sln"))) return dir.FullName;
        throw new InvalidOperationException("Templates.sln not found above the test's folder.");
    }
}

/// <summary>Read access to a template's JSON for targeted assertions.</summary>
public sealed class TemplateView(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public JsonObject Resources => (JsonObject)Json["Resources"]!;

    public JsonObject Parameters => Json["Parameters"] as JsonObject ?? [];

    public JsonObject Outputs => Json["Outputs"] as JsonObject ?? [];

    public JsonObject Resource(string id) => Resources[id] as JsonObject ?? throw new Xunit.Sdk.XunitException($"No resource '{id}'; the template has: {string.Join(", ", Resources.Select(r => r.Key))}");

    public JsonObject Properties(string id) => (JsonObject)Resource(id)["Properties"]!;

    public IEnumerable<string> OfType(string type) => Resources.Where(r => (string?)r.Value!["Type"] == type).Select(r => r.Key);

    /// <summary>The Availability Zone index (the Fn::Select index over Fn::GetAZs) of the subnet a <c>{"Ref": subnet}</c> names.</summary>
    public int ZoneIndexOf(JsonNode subnetRef)
    {
        var id = (string)subnetRef["Ref"]!;
        var az = Properties(id)["AvailabilityZone"]!["Fn::Select"]!.AsArray();
        Assert.Equal("", (string?)az[1]!["Fn::GetAZs"]);
        return (int)az[0]!;
    }
}
