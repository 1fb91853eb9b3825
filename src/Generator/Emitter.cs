using System.Text.Json.Nodes;
using Templates.Generation.CloudFormation;
using Templates.Generation.Model;
using Templates.Generation.Validation;
using Templates.Rules;

namespace Templates.Generation;

/// <summary>One environment's template, built and checked, not yet written.</summary>
public sealed record EmittedTemplate(EnvironmentModel Model, JsonObject Json, byte[] Bytes, IReadOnlyList<TemplateProblem> Problems)
{
    /// <summary>The file name: <c>app-env.template.json</c>.</summary>
    public string FileName => Model.FileName;

    /// <summary>How many resources the template declares.</summary>
    public int ResourceCount => ((JsonObject)Json["Resources"]!).Count;

    /// <summary>Whether <c>aws cloudformation deploy</c> needs <c>--s3-bucket</c> for this template.</summary>
    public bool NeedsS3 => Bytes.Length > TemplateValidator.InlineBodyLimit;

    /// <summary>Whether any problem of the template is an error (warnings do not stop it).</summary>
    public bool HasErrors => Problems.Any(p => p.IsError);
}

/// <summary>What generating a set of apps produced: the findings on the definitions, and the templates (none when any finding is an error).</summary>
public sealed record EmitResult(IReadOnlyList<Finding> Findings, IReadOnlyList<EmittedTemplate> Templates)
{
    /// <summary>Whether anything stops the templates from being written.</summary>
    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error) || Templates.Any(t => t.HasErrors);
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
        foreach (var app in appList) findings.AddRange(ModelValidator.Validate(app));
        if (findings.Any(f => f.Severity == Severity.Error)) return new EmitResult(findings, []);

        foreach (var app in appList)
            foreach (var env in app.Environments)
            {
                if (environments is { Count: > 0 } && !environments.Contains(env.Name)) continue;
                templates.Add(Build(EnvironmentModel.Resolve(app, env)));
            }
        return new EmitResult(findings, templates);
    }

    /// <summary>Builds, writes to bytes and validates one environment's template (<see cref="TemplateValidator"/>: schemas, functions, graph, limits).</summary>
    public static EmittedTemplate Build(EnvironmentModel model)
    {
        var json = StackBuilder.Build(model).ToJson();
        var bytes = TemplateWriter.Write(json);
        return new EmittedTemplate(model, json, bytes, TemplateValidator.Validate(json, bytes.Length));
    }
}
