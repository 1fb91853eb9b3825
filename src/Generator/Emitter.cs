using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using Templates.Generation.Model;
using Templates.Generation.Validation;
using Templates.Rules;

namespace Templates.Generation;

/// <summary>A template built and checked, not yet written: its JSON, its exact bytes and what validation found.</summary>
public abstract record EmittedFile(JsonObject Json, byte[] Bytes, IReadOnlyList<TemplateProblem> Problems)
{
    /// <summary>The file name: <c>app-env.template.json</c> or <c>app-shared.template.json</c>.</summary>
    public abstract string FileName { get; }

    /// <summary>How many resources the template declares.</summary>
    public int ResourceCount => ((JsonObject)Json["Resources"]!).Count;

    /// <summary>Whether <c>aws cloudformation deploy</c> needs <c>--s3-bucket</c> for this template.</summary>
    public bool NeedsS3 => Bytes.Length > TemplateValidator.InlineBodyLimit;

    /// <summary>Whether any problem of the template is an error (warnings do not stop it).</summary>
    public bool HasErrors => Problems.Any(p => p.IsError);
}

/// <summary>One environment's template.</summary>
public sealed record EmittedTemplate(EnvironmentModel Model, JsonObject Json, byte[] Bytes, IReadOnlyList<TemplateProblem> Problems)
    : EmittedFile(Json, Bytes, Problems)
{
    /// <inheritdoc/>
    public override string FileName => Model.FileName;
}

/// <summary>A shared stack's template (what exists once per account and region).</summary>
public sealed record EmittedSharedTemplate(SharedModel Model, JsonObject Json, byte[] Bytes, IReadOnlyList<TemplateProblem> Problems)
    : EmittedFile(Json, Bytes, Problems)
{
    /// <inheritdoc/>
    public override string FileName => Model.FileName;
}

/// <summary>What generating a set of apps produced: the findings on the definitions, and the templates (none when any finding is an error).</summary>
public sealed record EmitResult(IReadOnlyList<Finding> Findings, IReadOnlyList<EmittedTemplate> Templates)
{
    /// <summary>The shared stacks' templates (none when nothing is shared), to deploy before the environments they serve.</summary>
    public IReadOnlyList<EmittedSharedTemplate> SharedTemplates { get; init; } = [];

    /// <summary>Every template, in deploy order: shared stacks first.</summary>
    public IEnumerable<EmittedFile> Files => SharedTemplates.Concat<EmittedFile>(Templates);

    /// <summary>Whether anything stops the templates from being written.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error) || Files.Any(t => t.HasErrors);
}

/// <summary>definition → validated model → template → bytes, for every environment; nothing touches the disk here.</summary>
public static class Emitter
{
    /// <summary>Validates the apps and, when nothing is in error, builds and checks the templates of the chosen environments (all when <paramref name="environments"/> is empty).</summary>
    public static EmitResult Generate(IEnumerable<App> apps, IReadOnlyCollection<string>? environments = null)
    {
        var findings = new List<Finding>();
        var templates = new List<EmittedTemplate>();
        var appList = apps.ToList();
        for (var i = 0; i < appList.Count; i++)
        {
            if (appList[i] is null)
            {
                var v = Checks.MissingValue($"The app at position {i + 1} of the definitions");
                findings.Add(new Finding(v.Rule, v.Rule.Severity, $"app #{i + 1}", [], "App", v.Message, v.Fix));
            }
            else findings.AddRange(ModelValidator.Validate(appList[i]));
        }
        // Collisions between apps are judged once every app is valid on its own (their names and values are then usable).
        if (!findings.Any(f => f.Severity == Severity.Error)) findings.AddRange(Collisions.AcrossApps(appList));
        if (findings.Any(f => f.Severity == Severity.Error)) return new EmitResult(findings, []);

        var shared = new List<EmittedSharedTemplate>();
        foreach (var app in appList)
        {
            bool Selected(Env env) => environments is not { Count: > 0 } || environments.Contains(env.Name);
            // A shared stack is written with any environment it serves: the environment cannot be deployed without it.
            foreach (var model in SharedModel.Resolve(app))
                if (model.Environments.Any(Selected)) shared.Add(BuildShared(model));
            foreach (var env in app.Environments)
            {
                if (!Selected(env)) continue;
                var model = EnvironmentModel.Resolve(app, env);
                templates.Add(Build(model));
                // With a stack per service, each service's stack follows the environment's, whose exports it imports.
                if (model.SplitsServices)
                    foreach (var service in model.Services) templates.Add(Build(model with { Part = service }));
            }
        }
        return new EmitResult(findings, templates) { SharedTemplates = shared };
    }

    /// <summary>Builds, writes to bytes and checks a shared stack's template.</summary>
    public static EmittedSharedTemplate BuildShared(SharedModel model)
    {
        var json = SharedStackBuilder.Build(model).ToJson();
        var bytes = TemplateWriter.Write(json);
        return new EmittedSharedTemplate(model, json, bytes, Checked(json, bytes));
    }

    /// <summary>Builds, writes to bytes and validates one environment's template (<see cref="TemplateValidator"/>: schemas, functions, graph, limits).</summary>
    public static EmittedTemplate Build(EnvironmentModel model)
    {
        var json = StackBuilder.Build(model).ToJson();
        var bytes = TemplateWriter.Write(json);
        var problems = Checked(json, bytes);
        // An environment's stack over CloudFormation's limits because of the app's services: say what to change in the definition.
        if (model.Part is null && model.Services.Count > 0 && !model.SplitsServices)
            for (var i = 0; i < problems.Count; i++)
                if (problems[i].Id is "E3010" or "E1002")
                    problems[i] = problems[i] with
                    {
                        Message = $"{problems[i].Message} {model.StackName} runs the app's Service and {model.Services.Count} more. Fix: set Stacks = StackLayout.StackPerService on the app (each service in a stack of its own, about ten resources each), or turn services off in this environment (Env.Services[\"name\"] = new ServiceOverrides {{ Enabled = false }}).",
                    };
        return new EmittedTemplate(model, json, bytes, problems);
    }

    /// <summary>
    /// The validator's findings on an emitted template, but the size warning (V1001): the emitted file knows it needs S3
    /// (<see cref="EmittedFile.NeedsS3"/>) and the printed deploy command already carries <c>--s3-bucket</c>, so the warning would
    /// only repeat it. <c>validate</c> on a file still reports it.
    /// </summary>
    static List<TemplateProblem> Checked(JsonObject json, byte[] bytes) =>
        [.. TemplateValidator.Validate(json, bytes.Length).Where(p => p.Id != "V1001")];
}
