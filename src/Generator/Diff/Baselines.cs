using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Templates.Generation.Preflight;
using Templates.Generation.Validation;

namespace Templates.Generation.Diff;

/// <summary>A baseline cannot be read (a folder that does not exist, a ref git does not know, a build that fails, an AWS error).</summary>
public sealed class BaselineException(string message) : Exception(message);

/// <summary>A stack's baseline template, or null with the reason; <paramref name="Where"/> says where it came from.</summary>
public sealed record BaselineTemplate(JsonObject? Template, string Where);

/// <summary>Where the templates to compare with come from.</summary>
public abstract class Baseline : IDisposable
{
    /// <summary>The baseline template of a stack (<paramref name="fileName"/> is the file the template now is written to).</summary>
    public abstract Task<BaselineTemplate> GetAsync(string stackName, string fileName, string? region);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the baseline holds (a temporary worktree).</summary>
    protected virtual void Dispose(bool disposing) { }

    /// <summary>Reads a template file, JSON or YAML.</summary>
    internal static JsonObject ReadTemplate(string file)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            var root = TemplateReader.IsYaml(bytes, file) ? TemplateReader.Read(bytes, file).Root : JsonNode.Parse(bytes);
            return root as JsonObject ?? throw new BaselineException($"{file} is not a template (not a JSON or YAML mapping).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or TemplateSyntaxException)
        {
            throw new BaselineException($"cannot read the baseline {file}: {e.Message}");
        }
    }
}

/// <summary>
/// A folder of templates: a previous output folder (<c>STACK.template.json</c>, as the definitions write them) or the committed
/// snapshots (<c>STACK.verified.json</c>), JSON or YAML.
/// </summary>
public sealed class FolderBaseline : Baseline
{
    readonly string folder;
    readonly string display;

    /// <summary>Throws <see cref="BaselineException"/> when the folder does not exist.</summary>
    public FolderBaseline(string folder, string? display = null)
    {
        if (!Directory.Exists(folder)) throw new BaselineException($"--against '{folder}' is not a folder. Give a folder of templates, such as a previous --out folder or tests/Templates.Tests/Snapshots.");
        this.folder = folder;
        this.display = display ?? folder;
    }

    /// <inheritdoc/>
    public override Task<BaselineTemplate> GetAsync(string stackName, string fileName, string? region)
    {
        string[] candidates = [fileName, $"{stackName}.verified.json", $"{stackName}.template.yaml", $"{stackName}.template.yml", $"{stackName}.json", $"{stackName}.yaml"];
        foreach (var candidate in candidates)
        {
            var path = Path.Combine(folder, candidate);
            if (File.Exists(path)) return Task.FromResult(new BaselineTemplate(ReadTemplate(path), Path.Combine(display, candidate)));
        }
        return Task.FromResult(new BaselineTemplate(null, $"{display} (no {fileName}: a new stack)"));
    }
}

/// <summary>
/// The templates the definitions emitted at a git ref: the ref is checked out in a temporary <c>git worktree</c> (the working
/// tree of the repository is not touched), the definitions project of this program is run there with <c>--out</c>, and the
/// worktree is removed afterwards.
/// </summary>
public sealed class GitBaseline : Baseline
{
    static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(10);

    readonly string repository;
    readonly string worktree;
    readonly FolderBaseline folder;

    GitBaseline(string repository, string worktree, FolderBaseline folder)
    {
        this.repository = repository;
        this.worktree = worktree;
        this.folder = folder;
    }

    /// <summary>
    /// Checks <paramref name="gitRef"/> out and emits its templates. <paramref name="projectName"/> is the assembly name of the
    /// definitions project to run there (this program's). Throws <see cref="BaselineException"/> with the reason when it cannot.
    /// </summary>
    public static GitBaseline Create(string gitRef, string projectName, string? workingDirectory = null, TextWriter? progress = null)
    {
        workingDirectory ??= Directory.GetCurrentDirectory();
        var top = Run("git", ["rev-parse", "--show-toplevel"], workingDirectory, TimeSpan.FromSeconds(30));
        if (top.ExitCode != 0) throw new BaselineException($"--against-git needs a git repository: {Last(top.Error)}");
        var repository = top.Output.Trim();
        var commit = Run("git", ["rev-parse", "--verify", "--quiet", $"{gitRef}^{{commit}}"], repository, TimeSpan.FromSeconds(30));
        if (commit.ExitCode != 0) throw new BaselineException($"--against-git '{gitRef}': git knows no such commit, branch or tag in {repository}.");
        var sha = commit.Output.Trim();

        var worktree = Path.Combine(Path.GetTempPath(), $"templates-diff-{Guid.NewGuid():N}");
        var added = Run("git", ["worktree", "add", "--detach", worktree, sha], repository, TimeSpan.FromMinutes(2));
        if (added.ExitCode != 0) throw new BaselineException($"--against-git '{gitRef}': git worktree add failed: {Last(added.Error)}");
        try
        {
            var project = FindProject(worktree, projectName)
                ?? throw new BaselineException($"--against-git '{gitRef}': no project with assembly name '{projectName}' at {sha[..12]}.");
            var output = Path.Combine(worktree, ".templates-diff-out");
            progress?.WriteLine($"Building the definitions at {gitRef} ({sha[..12]}) in a temporary worktree…");
            var emitted = Run("dotnet", ["run", "--project", project, "--", "--out", output], worktree, BuildTimeout);
            if (emitted.ExitCode != 0)
                throw new BaselineException($"--against-git '{gitRef}': the definitions at {sha[..12]} did not emit (exit code {emitted.ExitCode}): {Last(emitted.Error.Length > 0 ? emitted.Error : emitted.Output)}");
            return new GitBaseline(repository, worktree, new FolderBaseline(output, $"git {gitRef} ({sha[..12]})"));
        }
        catch
        {
            Remove(repository, worktree);
            throw;
        }
    }

    /// <inheritdoc/>
    public override Task<BaselineTemplate> GetAsync(string stackName, string fileName, string? region) => folder.GetAsync(stackName, fileName, region);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing) => Remove(repository, worktree);

    static void Remove(string repository, string worktree)
    {
        Run("git", ["worktree", "remove", "--force", worktree], repository, TimeSpan.FromMinutes(1));
        if (Directory.Exists(worktree))
        {
            try { Directory.Delete(worktree, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        Run("git", ["worktree", "prune"], repository, TimeSpan.FromMinutes(1));
    }

    /// <summary>The project whose file name or <c>AssemblyName</c> is <paramref name="name"/>, outside build output folders.</summary>
    static string? FindProject(string root, string name)
    {
        var projects = Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(s => s is "bin" or "obj" or ".git"))
            .Order(StringComparer.Ordinal).ToList();
        return projects.FirstOrDefault(p => File.ReadAllText(p).Contains($"<AssemblyName>{name}</AssemblyName>", StringComparison.Ordinal))
            ?? projects.FirstOrDefault(p => string.Equals(Path.GetFileNameWithoutExtension(p), name, StringComparison.OrdinalIgnoreCase));
    }

    static string Last(string text) => text.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "";

    static (int ExitCode, string Output, string Error) Run(string file, IReadOnlyList<string> arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // The baseline is built as its own program: no colour codes, no telemetry banner in what we read.
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = new Process { StartInfo = start };
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception e) { throw new BaselineException($"--against-git: cannot run {file}: {e.Message}"); }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new BaselineException($"--against-git: {file} {string.Join(' ', arguments)} did not finish in {timeout.TotalMinutes:0} minutes.");
        }
        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }
}

/// <summary>
/// The deployed stacks: <c>aws cloudformation get-template --template-stage Original</c> (the template as it was submitted), in
/// the region given, else the environment's pinned one, else the AWS CLI's default. A stack that does not exist is a new stack.
/// </summary>
public sealed class StackBaseline(IAwsCli aws, string? region) : Baseline
{
    /// <inheritdoc/>
    public override async Task<BaselineTemplate> GetAsync(string stackName, string fileName, string? pinnedRegion)
    {
        var inRegion = region ?? pinnedRegion;
        List<string> arguments = ["cloudformation", "get-template", "--stack-name", stackName, "--template-stage", "Original"];
        if (inRegion is not null) arguments.AddRange(["--region", inRegion]);
        var where = $"the deployed stack {stackName}{(inRegion is null ? "" : $" in {inRegion}")}";
        var answer = await aws.RunAsync(arguments);
        if (!answer.Succeeded)
        {
            // CloudFormation answers ValidationError "Stack with id X does not exist" for a stack never created (or deleted).
            if (answer.ErrorCode == "ValidationError" && answer.StandardError.Contains("does not exist", StringComparison.Ordinal))
                return new BaselineTemplate(null, $"{where} (not deployed: a new stack)");
            throw new BaselineException($"cannot read {where}: aws {string.Join(' ', arguments)} failed: {answer.Error}");
        }
        var body = answer.Json?["TemplateBody"];
        var template = body switch
        {
            JsonObject o => o,
            JsonValue v when v.TryGetValue<string>(out var text) => Parse(text, stackName),
            _ => throw new BaselineException($"cannot read {where}: get-template answered no TemplateBody."),
        };
        return new BaselineTemplate(template, where);
    }

    static JsonObject Parse(string text, string stackName)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        try
        {
            var root = TemplateReader.IsYaml(bytes, null) ? TemplateReader.Read(bytes).Root : JsonNode.Parse(bytes);
            return root as JsonObject ?? throw new BaselineException($"the deployed template of {stackName} is not a mapping.");
        }
        catch (Exception e) when (e is JsonException or TemplateSyntaxException)
        {
            throw new BaselineException($"cannot read the deployed template of {stackName}: {e.Message}");
        }
    }
}
