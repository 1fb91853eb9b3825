using System.CommandLine;
using System.Reflection;
using Templates.Generation.Diff;
using Templates.Generation.Preflight;
using Templates.Rules;

namespace Templates.Generation.Cli;

/// <summary>
/// <c>diff [--env NAME]… [--against DIR | --against-git REF | --against-stack] [--format text|markdown|json] [--allow-replacement]</c>:
/// compares the templates the definitions emit now with a baseline and prints, per stack and per resource, what deploying
/// would do (<see cref="TemplateDiff"/>). Exit code 0 when nothing stateful is replaced or removed (or <c>--allow-replacement</c>),
/// 1 when something is (or the definitions have errors), 2 for a wrong option or a baseline that cannot be read.
/// </summary>
public static class DiffCommand
{
    /// <summary>The output formats.</summary>
    public static readonly string[] Formats = ["text", "markdown", "json"];

    /// <summary>
    /// The subcommand. <paramref name="cli"/> makes the AWS CLI for a profile (the <c>aws</c> process by default);
    /// <paramref name="color"/> says whether the text may be coloured (by default: the process's own terminal, without NO_COLOR).
    /// </summary>
    public static Command Create(TextWriter stdout, TextWriter stderr, IReadOnlyList<App> apps, Func<string?, IAwsCli>? cli = null, bool? color = null)
    {
        var envOption = new Option<string[]>("--env", "-e")
        {
            Description = "Compare only this environment (repeatable), with its shared stack. All environments by default.",
            AllowMultipleArgumentsPerToken = false,
        };
        var against = new Option<string?>("--against")
        {
            Description = "A folder of templates to compare with: a previous --out folder, or tests/Templates.Tests/Snapshots. The default is out.",
        };
        var againstGit = new Option<string?>("--against-git")
        {
            Description = "A git commit, branch or tag: its definitions are built in a temporary worktree and their templates compared with.",
        };
        var againstStack = new Option<bool>("--against-stack")
        {
            Description = "Compare with the deployed stacks (aws cloudformation get-template, read-only).",
        };
        var regionOption = new Option<string?>("--region")
        {
            Description = "With --against-stack: the region of every stack. Default: the environment's pinned Region, else the AWS CLI's default.",
        };
        var profileOption = new Option<string?>("--profile")
        {
            Description = "With --against-stack: the AWS CLI profile whose credentials are used.",
        };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (one line per resource, grouped by stack), markdown (for a pull-request comment), or json.",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong(Formats);
        var allow = new Option<bool>("--allow-replacement")
        {
            Description = "Exit 0 even when a stateful resource (repository, log group, bucket, DNS record, certificate, VPC, subnet, load balancer…) would be replaced or removed.",
        };
        var command = new Command("diff",
            "Compares the templates the definitions emit now with a baseline (a folder, a git ref, or the deployed stacks) and prints per resource: added, removed, changed in place, new deployment, replacement or may replace, and security-relevant changes. Exit code 1 when a stateful resource would be replaced or removed (unless --allow-replacement).")
        {
            envOption, against, againstGit, againstStack, regionOption, profileOption, format, allow,
        };
        command.SetAction(parse =>
        {
            var chosen = new[] { parse.GetValue(against) is not null, parse.GetValue(againstGit) is not null, parse.GetValue(againstStack) }.Count(c => c);
            if (chosen > 1)
            {
                stderr.WriteLine("error: give one baseline: --against DIR, --against-git REF or --against-stack.");
                return TemplatesCli.UsageError;
            }
            if (!parse.GetValue(againstStack) && (parse.GetValue(regionOption) is not null || parse.GetValue(profileOption) is not null))
            {
                stderr.WriteLine("error: --region and --profile apply to --against-stack only.");
                return TemplatesCli.UsageError;
            }
            var useColor = color ?? (ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected
                && Environment.GetEnvironmentVariable("NO_COLOR") is null && Environment.GetEnvironmentVariable("TERM") != "dumb");
            Func<Baseline> baseline = parse.GetValue(againstGit) is { } gitRef
                ? () => GitBaseline.Create(gitRef, Assembly.GetEntryAssembly()?.GetName().Name ?? "definitions", progress: stderr)
                : parse.GetValue(againstStack)
                    ? () => new StackBaseline((cli ?? (p => new ProcessAwsCli(p)))(parse.GetValue(profileOption)), parse.GetValue(regionOption))
                    : () => parse.GetValue(against) is { } folder ? new FolderBaseline(folder)
                        : Directory.Exists("out") ? new FolderBaseline("out")
                        : throw new BaselineException("no out folder to compare with: write the templates first (dotnet run --project definitions), or give --against DIR, --against-git REF or --against-stack.");
            return RunAsync(apps, parse.GetValue(envOption) ?? [], baseline, parse.GetValue(format)!, parse.GetValue(allow), useColor, stdout, stderr).GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>Emits, reads the baseline, compares, prints; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<App> apps, IReadOnlyList<string> envs, Func<Baseline> openBaseline, string format, bool allowReplacement,
        bool color, TextWriter stdout, TextWriter stderr)
    {
        var known = apps.SelectMany(a => a?.Environments ?? []).Select(e => e?.Name).OfType<string>().Distinct().ToList();
        var unknown = envs.Where(e => !known.Contains(e)).ToList();
        if (unknown.Count > 0)
        {
            stderr.WriteLine($"error: no environment named {string.Join(", ", unknown.Select(u => $"'{u}'"))}. The definitions declare: {string.Join(", ", known)}.");
            return TemplatesCli.UsageError;
        }

        var result = Emitter.Generate(apps, envs);
        if (result.HasErrors)
        {
            foreach (var finding in result.Findings.Where(f => f.Severity == Severity.Error)) stderr.WriteLine(finding);
            foreach (var file in result.Files)
                foreach (var problem in file.Problems.Where(p => p.IsError)) stderr.WriteLine($"error: {file.FileName}: {problem}");
            stderr.WriteLine("The definitions have errors: fix them first (dotnet run --project definitions lists them too); nothing was compared.");
            return TemplatesCli.DefinitionErrors;
        }

        var stacks = new List<(string Stack, string Label, string File, string? Region, System.Text.Json.Nodes.JsonObject Json)>();
        foreach (var shared in result.SharedTemplates)
            stacks.Add((shared.Model.StackName, $"{shared.Model.App.Name}, shared", shared.FileName, shared.Model.Region, shared.Json));
        foreach (var template in result.Templates)
            stacks.Add((template.Model.StackName, $"{template.Model.App.Name} [{template.Model.Env.Name}]", template.FileName, template.Model.Env.Region, template.Json));

        var diffs = new List<StackDiff>();
        try
        {
            using var baseline = openBaseline();
            var baselines = await Task.WhenAll(stacks.Select(s => baseline.GetAsync(s.Stack, s.File, s.Region)));
            for (var i = 0; i < stacks.Count; i++)
            {
                var (stack, label, _, _, json) = stacks[i];
                diffs.Add(TemplateDiff.Compare(stack, label, baselines[i].Where, baselines[i].Template, json));
            }
        }
        catch (BaselineException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return TemplatesCli.UsageError;
        }
        catch (AwsCliMissingException e)
        {
            stderr.WriteLine($"error: {e.Message}. Install the AWS CLI and put aws on PATH, or compare with a folder (--against DIR).");
            return TemplatesCli.UsageError;
        }

        stdout.Write(format switch
        {
            "json" => DiffReport.Json(diffs, allowReplacement) + "\n",
            "markdown" => DiffReport.Markdown(diffs),
            _ => DiffReport.Text(diffs, color),
        });
        var blocked = diffs.Any(d => d.Blocked.Any());
        if (blocked && allowReplacement && format == "text") stdout.WriteLine("Allowed by --allow-replacement.");
        return blocked && !allowReplacement ? TemplatesCli.DefinitionErrors : TemplatesCli.Success;
    }
}
