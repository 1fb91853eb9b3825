using Templates.Generation;
using System.Text.Json.Nodes;
using Templates.EndToEnd.Infrastructure;
using Templates.Generation.CloudFormation;
using Ids = Templates.Generation.CloudFormation.LogicalIds;

namespace Templates.EndToEnd;

/// <summary>Every emitted template passes cfn-lint, and the harness does notice a template cfn-lint rejects.</summary>
public sealed class CfnLintTests : IDisposable
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    readonly TempDirectory work = new("cfn-lint");

    public void Dispose() => work.Dispose();

    /// <summary>Every written template, the shared stack's included: exit code 0 means no error, no warning and no informational finding.</summary>
    [ToolTheory(Tool.CfnLint)]
    [MemberData(nameof(Definition.TemplateFiles), MemberType = typeof(Definition))]
    public async Task Emitted_template_passes_cfn_lint(string fileName)
    {
        var emitted = Definition.EmitFile(fileName);
        var name = emitted.FileName;
        var file = work.File(name);
        await File.WriteAllBytesAsync(file, emitted.Bytes);

        var result = await CfnLint(file);

        Assert.True(result.ExitCode == 0, $"cfn-lint reports problems in {name}:\n{result}");
    }

    /// <summary>The stacks of an app with a stack per service: the environment's (sharing through SSM parameters) and each service's.</summary>
    [ToolTheory(Tool.CfnLint)]
    [MemberData(nameof(Definition.SplitShopFiles), MemberType = typeof(Definition))]
    public async Task Stack_per_service_template_passes_cfn_lint(string fileName)
    {
        var emitted = Assert.Single(Emitter.Generate([Definition.SplitShop]).Files, f => f.FileName == fileName);
        var file = work.File("split-" + emitted.FileName);
        await File.WriteAllBytesAsync(file, emitted.Bytes);
        var result = await CfnLint(file);
        Assert.True(result.ExitCode == 0, $"cfn-lint reports problems in {emitted.FileName}:\n{result}");
    }

    public static TheoryData<string> Breakages => ["invalid load balancer scheme", "Ref to an unknown resource"];

    [ToolTheory(Tool.CfnLint)]
    [MemberData(nameof(Breakages))]
    public async Task Cfn_lint_rejects_a_broken_template(string breakage)
    {
        var template = Definition.Emit(Definition.App.Environments.Last(e => e.IsProduction).Name);
        var json = template.Json.DeepClone().AsObject();
        var marker = breakage switch
        {
            "invalid load balancer scheme" => Break(json, Ids.LoadBalancer, "Scheme", "internet-facing-please"),
            "Ref to an unknown resource" => Break(json, Ids.HttpsListener, "LoadBalancerArn", new JsonObject { ["Ref"] = "NoSuchLoadBalancer" }),
            _ => throw new ArgumentOutOfRangeException(nameof(breakage), breakage, null),
        };
        var file = work.File("broken.template.json");
        await File.WriteAllBytesAsync(file, TemplateWriter.Write(json));

        var result = await CfnLint(file);

        // cfn-lint's exit code is a bit set: 2 = errors, 4 = warnings, 8 = informational.
        Assert.True((result.ExitCode & 2) != 0, $"cfn-lint should report an error for the {breakage}:\n{result}");
        Assert.Contains(marker, result.Output, StringComparison.Ordinal);
    }

    static string Break(JsonObject template, string logicalId, string property, JsonNode value)
    {
        var properties = Definition.Properties(template, logicalId);
        Assert.True(properties.ContainsKey(property), $"{logicalId} has no {property} to break.");
        properties[property] = value;
        return value is JsonObject reference ? (string)reference["Ref"]! : (string)value!;
    }

    static Task<ProcessResult> CfnLint(string file) =>
        ProcessRunner.RunAsync(ExternalTools.PathOf(Tool.CfnLint), [file], Timeout);
}
