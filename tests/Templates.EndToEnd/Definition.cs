using System.Text.Json.Nodes;
using Definitions;
using Templates.Generation;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.EndToEnd;

/// <summary>The definition under test and the templates emitted from it in-process.</summary>
public static class Definition
{
    /// <summary>A fresh copy of the definitions project's app.</summary>
    public static App App => FlaskApp.Definition;

    /// <summary>The names of the definition's environments, as theory data.</summary>
    public static TheoryData<string> EnvironmentNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var env in App.Environments) data.Add(env.Name);
            return data;
        }
    }

    /// <summary>Every app of the definitions project, as <c>dotnet run --project definitions</c> emits them: the guide's, then the shop of several services.</summary>
    public static App[] Apps => [FlaskApp.Definition, ShopApp.Definition];

    /// <summary>Every file the definitions project writes (each app's shared stacks first), as theory data.</summary>
    public static TheoryData<string> TemplateFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Emitter.Generate(Apps).Files) data.Add(file.FileName);
            return data;
        }
    }

    /// <summary>The shop with a stack per service (<see cref="StackLayout.StackPerService"/>): the environments' and the services' stacks.</summary>
    /// (Its services are not built by the pipelines: a pipeline in the environment's stack cannot deploy another stack's service, TPL0071.)
    public static App SplitShop => ShopApp.Definition with
    {
        Stacks = StackLayout.StackPerService,
        Services = [.. ShopApp.Definition.Services.Select(s => s with { BuildContext = null })],
    };

    /// <summary>Every file of <see cref="SplitShop"/>, as theory data.</summary>
    public static TheoryData<string> SplitShopFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Emitter.Generate([SplitShop]).Files) data.Add(file.FileName);
            return data;
        }
    }

    /// <summary>One written file of the definitions project, by name.</summary>
    public static EmittedFile EmitFile(string fileName) =>
        Assert.Single(Emitter.Generate(Apps).Files, f => f.FileName == fileName);

    /// <summary>The definition's shared stack (it declares environments in one account and region).</summary>
    public static EmittedSharedTemplate Shared => Assert.Single(Emitter.Generate([App]).SharedTemplates);

    /// <summary>Emits one environment of <paramref name="app"/>, asserting the generator found nothing in error.</summary>
    public static EmittedTemplate Emit(App app, string environment)
    {
        var result = Emitter.Generate([app], [environment]);
        Assert.False(result.HasErrors, "The generator refused the definition:\n"
            + string.Join("\n", result.Findings.Select(f => f.ToString()).Concat(result.Templates.SelectMany(t => t.Problems.Select(p => $"{t.FileName}: {p}")))));
        return Assert.Single(result.Templates);
    }

    /// <summary>Emits one environment of the definition.</summary>
    public static EmittedTemplate Emit(string environment) => Emit(App, environment);

    /// <summary>A resource's Properties object in a template.</summary>
    public static JsonObject Properties(JsonObject template, string logicalId)
    {
        var resource = template["Resources"]?[logicalId];
        Assert.True(resource is not null, $"The template has no resource {logicalId}.");
        return resource["Properties"]!.AsObject();
    }

    /// <summary>The scalable target's bounds in a template.</summary>
    public static (int Min, int Max) Capacity(JsonObject template)
    {
        var properties = Properties(template, Ids.ScalableTarget);
        return ((int)properties["MinCapacity"]!, (int)properties["MaxCapacity"]!);
    }
}
