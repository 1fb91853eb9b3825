using System.CommandLine;
using System.Globalization;
using Templates.Generation.Model;
using Templates.Rules;

namespace Templates.Generation.Cli;

/// <summary>
/// The command line of a definitions project: <c>dotnet run --project definitions -- [--out DIR] [--env NAME]…</c>
/// validates every app, builds every environment's template, validates it, and writes them only if nothing is in error;
/// <c>dotnet run --project definitions -- validate FILE…</c> validates any template (<see cref="ValidateCommand"/>).
/// </summary>
public static class TemplatesCli
{
    /// <summary>Exit code: all templates written.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the definition (or a template built from it) has errors; nothing was written.</summary>
    public const int DefinitionErrors = 1;

    /// <summary>Exit code: the command line is wrong, an input cannot be read, or the output could not be written (the output folder is left as it was).</summary>
    public const int UsageError = 2;

    /// <summary>Exit code: Templates stopped on an unexpected exception (a bug, or the environment, such as a closed output stream); it is printed with its stack trace.</summary>
    public const int InternalError = 3;

    /// <summary>Runs the command line over the given apps and returns the process exit code.</summary>
    public static int Run(string[] args, params App[] apps) => Run(args, Console.Out, Console.Error, apps);

    /// <summary>Runs the command line, writing to the given streams.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, params App[] apps)
    {
        var outOption = new Option<string>("--out", "-o")
        {
            Description = "The folder the templates are written to.",
            DefaultValueFactory = _ => "out",
        };
        var envOption = new Option<string[]>("--env", "-e")
        {
            Description = "Emit only this environment (repeatable). All environments by default.",
            AllowMultipleArgumentsPerToken = false,
        };
        var root = new RootCommand("Validates the infrastructure definitions and writes one CloudFormation template per environment.")
        {
            outOption,
            envOption,
        };
        root.Subcommands.Add(ValidateCommand.Create(stdout, stderr));
        root.Subcommands.Add(PreflightCommand.Create(stdout, stderr, apps));
        root.Subcommands.Add(DiffCommand.Create(stdout, stderr, apps));
        root.SetAction(parse => Emit(parse.GetValue(outOption)!, parse.GetValue(envOption) ?? [], stdout, stderr, apps));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) stderr.WriteLine($"error: {error.Message}");
            stderr.WriteLine("Run with --help for the options.");
            return UsageError;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            // Never exit 1 ("the definition has errors") for a failure of the tool itself.
            stderr.WriteLine($"internal error: {e.GetType().Name}: {e.Message}");
            stderr.WriteLine("Templates stopped on an unexpected error, not on a finding in the definition. Unless the environment caused it (such as a closed output stream), it is a bug: please report it with the trace below.");
            stderr.WriteLine(e);
            return InternalError;
        }
    }

    static int Emit(string outDir, string[] envs, TextWriter stdout, TextWriter stderr, App[] apps)
    {
        if (string.IsNullOrWhiteSpace(outDir))
        {
            stderr.WriteLine($"error: --out '{outDir}' names no folder. Give the folder the templates are written to, such as --out out.");
            return UsageError;
        }
        // Null-tolerant: a definition with a missing environment or name is reported by the generator (TPL0040), not here.
        var known = apps.SelectMany(a => a?.Environments ?? []).Select(e => e?.Name).OfType<string>().Distinct().ToList();
        var unknown = envs.Where(e => !known.Contains(e)).ToList();
        if (unknown.Count > 0)
        {
            stderr.WriteLine($"error: no environment named {string.Join(", ", unknown.Select(u => $"'{u}'"))}. The definitions declare: {string.Join(", ", known)}.");
            return UsageError;
        }

        var result = Emitter.Generate(apps, envs);
        foreach (var finding in result.Findings) stderr.WriteLine(finding);
        foreach (var file in result.Files)
            foreach (var problem in file.Problems) stderr.WriteLine($"{(problem.IsError ? "error" : "warning")}: {file.FileName}: {problem}");
        if (result.HasErrors)
        {
            var errors = result.Findings.Count(f => f.Severity == Severity.Error) + result.Files.Sum(t => t.Problems.Count(p => p.IsError));
            stderr.WriteLine($"{errors} error{(errors == 1 ? "" : "s")}: no template was written.");
            return DefinitionErrors;
        }

        try
        {
            OutputWriter.Write(outDir, [.. result.Files.Select(f => (f.FileName, f.Bytes))]);
        }
        catch (OutputWriteException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            stderr.WriteLine("No template was written.");
            return UsageError;
        }

        var display = Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.GetFullPath(outDir));
        var count = result.Files.Count();
        stdout.WriteLine($"Wrote {count} template{(count == 1 ? "" : "s")} to {display}/");
        if (result.SharedTemplates.Count > 0)
            stdout.WriteLine("Deploy in this order: the shared stack first (what exists once per account and region), then the environments.");
        var width = result.Files.Max(t => t.FileName.Length);
        var step = 0;
        void Summary(string fileName, int resources, int bytes, string command, bool needsS3)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {++step}. {fileName.PadRight(width)}  {resources,3} resources  {bytes,7:N0} bytes"));
            stdout.WriteLine($"    {command}");
            if (needsS3)
                stdout.WriteLine($"    (over the {Validation.TemplateValidator.InlineBodyLimit:N0}-byte inline limit of 'aws cloudformation deploy': it is uploaded through the S3 bucket)");
        }
        foreach (var t in result.SharedTemplates)
        {
            Summary(t.FileName, t.ResourceCount, t.Bytes.Length, SharedDeployCommand(Path.Combine(display, t.FileName), t.Model, t.NeedsS3), t.NeedsS3);
            foreach (var line in NextSteps(t.Model)) stdout.WriteLine($"    {line}");
        }
        var secrets = SecretSteps(result.Templates.Select(t => t.Model)).ToList();
        if (secrets.Count > 0)
        {
            stdout.WriteLine("  Before the environments, create the secrets their tasks read (once per account and region: a task whose secret is missing fails to start, and the first deploy rolls back):");
            foreach (var line in secrets) stdout.WriteLine($"    {line}");
        }
        stdout.WriteLine($"  Before deploying the environments, check the account (read-only): {PreflightHint}");
        foreach (var t in result.Templates)
            Summary(t.FileName, t.ResourceCount, t.Bytes.Length, DeployCommand(Path.Combine(display, t.FileName), t.Model, t.NeedsS3), t.NeedsS3);
        return Success;
    }

    /// <summary>The command that checks the account before the environments are deployed (<see cref="PreflightCommand"/>).</summary>
    public const string PreflightHint = "dotnet run --project definitions -- preflight";

    /// <summary>The exact <c>aws cloudformation deploy</c> command for a shared stack (it creates no IAM resources).</summary>
    public static string SharedDeployCommand(string path, SharedModel model, bool needsS3)
    {
        // --no-fail-on-empty-changeset: deploying an unchanged template again exits 0 instead of 255 (AWS CLI reference,
        // "cloudformation deploy"). moto answers such a deploy with a ValidationError of its own, so only AWS shows it.
        var command = $"aws cloudformation deploy --template-file {Shell.QuotePath(path)} --stack-name {Shell.Quote(model.StackName)} --no-fail-on-empty-changeset";
        if (model.Region is { } region) command += $" --region {Shell.Quote(region)}";
        if (needsS3) command += " --s3-bucket YOUR_ARTIFACT_BUCKET";
        command += $" --tags {Shell.Quote($"app={model.App.Name}")} environment=shared";
        return command;
    }

    /// <summary>What a person must do once the shared stack is deployed, before the environments' stacks work: the steps no template can take.</summary>
    public static IEnumerable<string> NextSteps(SharedModel model)
    {
        var region = model.Region is { } r ? $" --region {Shell.Quote(r)}" : "";
        var outputs = $"aws cloudformation describe-stacks --stack-name {Shell.Quote(model.StackName)}{region} --query \"Stacks[0].Outputs\" --output table";
        yield return $"Then, before the environments (the stack's Outputs say the same: {outputs}):";
        if (model.App.Mail is { } mail)
        {
            yield return mail.Identity == SenderIdentity.Domain
                ? $"  - SES: publish the three DKIM CNAME records of the outputs DkimRecord1-3 in the DNS of {CloudFormation.StackBuilder.MailIdentityName(mail)}; SES verifies the domain once it sees them (output MailVerification)."
                : $"  - SES: SES has mailed a verification link to {mail.Address}; open that mailbox and click it (SES > Identities shows 'Verified'; output MailVerification). In the SES sandbox, verify the recipients too or request production access.";
        }
        if (model.CreatesConnection)
            yield return $"  - GitHub: the connection {CloudFormation.SharedStackBuilder.ConnectionName(model.App.Name)} is PENDING; in the console open Developer Tools > Settings > Connections, choose it, click 'Update pending connection' and authorize the GitHub app for {model.App.Source!.Repository} (output GitHubConnectionNextStep).";
        var tags = model.Environments.Select(e => EnvironmentModel.Resolve(model.App, e).Service.Image.Tag).Distinct().ToList();
        var repository = model.App.Service.Image.Repository;
        var context = model.App.Source?.BuildContext ?? ".";
        // The other services the pipelines build (a BuildContext) start with their own ImageTag defaults too, from their own
        // folders, pushed to the same registry (the part of REPO before its first '/').
        var built = model.Environments.SelectMany(e => EnvironmentModel.Resolve(model.App, e).Services)
            .Where(s => s.Service.BuildContext is not null && s.Service is not ScheduledJob)
            .Select(s => (s.Service.Image.Repository, s.Service.Image.Tag, Context: s.Service.BuildContext!)).Distinct().ToList();
        yield return built.Count == 0
            ? $"  - ECR: push the first image{(tags.Count == 1 ? "" : "s")} the services start with (tag{(tags.Count == 1 ? "" : "s")} {string.Join(", ", tags)}); the pipelines push commit tags after that:"
            : $"  - ECR: push the first images the services start with ({repository}: {string.Join(", ", tags)}; then each service the pipelines build, from its folder); the pipelines push commit tags after that:";
        yield return model.Region is { } pinned
            ? $"      REPO={Shell.Expansion("$(aws sts get-caller-identity --query Account --output text)", $".dkr.ecr.{pinned}.amazonaws.com/{repository}")}"
            // Not pinned: the region the AWS CLI would use (AWS CLI v1 reads AWS_DEFAULT_REGION and the config file, not AWS_REGION).
            : $"      REPO={Shell.Expansion("$(aws sts get-caller-identity --query Account --output text).dkr.ecr.${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}", $".amazonaws.com/{repository}")}";
        yield return $"      aws ecr get-login-password{region} | docker login --username AWS --password-stdin \"${{REPO%%/*}}\"";
        // Each tag only when the repository does not hold it yet: pasting the steps again must not fail on an immutable tag.
        foreach (var tag in tags)
            yield return $"      aws ecr describe-images --repository-name {Shell.Quote(repository)} --image-ids imageTag={Shell.Quote(tag)}{region} >/dev/null 2>&1"
                + $" || {{ docker build --tag {Shell.Expansion("$REPO:", tag)} {Shell.QuotePath(context)} && docker push {Shell.Expansion("$REPO:", tag)}; }}";
        foreach (var (other, tag, folder) in built)
        {
            var image = $"{other}:{tag}";
            yield return $"      aws ecr describe-images --repository-name {Shell.Quote(other)} --image-ids imageTag={Shell.Quote(tag)}{region} >/dev/null 2>&1"
                + $" || {{ docker build --tag {Shell.Expansion("${REPO%%/*}/", image)} {Shell.QuotePath(folder)} && docker push {Shell.Expansion("${REPO%%/*}/", image)}; }}";
        }
    }

    /// <summary>
    /// The commands that create every SSM parameter and Secrets Manager secret the environments' tasks read, once per name and
    /// region (the region of the environment, or the CLI's default when it is not pinned, as in the deploy commands). The value
    /// is a random one, right for a key the application only needs to be secret and stable (such as FLASK_SECRET_KEY); for a
    /// secret issued elsewhere (a database password, an API token) the line says to put the real value instead.
    /// </summary>
    public static IEnumerable<string> SecretSteps(IEnumerable<EnvironmentModel> environments)
    {
        var seen = new HashSet<(string Kind, string Name, string? Region)>();
        var lines = new List<string>();
        foreach (var model in environments)
        {
            var region = model.Env.Region is { } r ? $" --region {Shell.Quote(r)}" : "";
            // The app's Service's secrets, then each of its other services' (a service's own stack repeats its environment's model).
            var containers = model.Part is null ? new ContainerTask[] { model.Service }.Concat(model.Services.Select(s => s.Service)) : [];
            foreach (var (variable, secret) in containers.SelectMany(c => c.Secrets.OrderBy(e => e.Key, StringComparer.Ordinal)))
            {
                var (kind, name) = secret switch
                {
                    SsmParameter p => ("ssm", p.Name),
                    SecretsManagerSecret p => ("secretsmanager", p.Name),
                    _ => throw new NotSupportedException($"Unknown secret kind {secret.GetType().Name}."),
                };
                if (!seen.Add((kind, name, model.Env.Region))) continue;
                lines.Add($"{CreateSecretCommand(secret, region)}   # {variable}");
            }
        }
        if (lines.Count > 0)
            lines.Add("(a random value suits a key the application only needs kept secret, such as a session key; for a secret issued elsewhere, a password or an API token, pass its real value)");
        return lines;
    }

    /// <summary>
    /// The shell expression that gives prod's <c>DeletionProtection</c>: <c>false</c> when the stack does not exist yet (or holds
    /// no resources: REVIEW_IN_PROGRESS after a refused change set, ROLLBACK_COMPLETE after a failed create), so the rollback of a
    /// failed first create can delete the load balancer; <c>true</c> once it has been created or updated; and for any other
    /// answer (a lookup that failed, a stack in progress) a value outside the parameter's AllowedValues, so the deploy stops
    /// rather than turn protection off on a running stack.
    /// </summary>
    public static string DeletionProtectionExpression(string stackName, string inRegion) =>
        $"$(s=\"$(aws cloudformation describe-stacks --stack-name {Shell.Quote(stackName)}{inRegion} --query 'Stacks[0].StackStatus' --output text 2>&1)\"; "
        + "case \"$s\" in *'does not exist'*|REVIEW_IN_PROGRESS|ROLLBACK_COMPLETE) echo false ;; "
        + "CREATE_COMPLETE|UPDATE_COMPLETE|UPDATE_ROLLBACK_COMPLETE|IMPORT_COMPLETE|IMPORT_ROLLBACK_COMPLETE) echo true ;; "
        + "*) echo \"unknown, not deploying: $s\" ;; esac)";

    /// <summary>
    /// The command that creates a secret the task reads, with a random value: an SSM SecureString parameter or a Secrets
    /// Manager secret. <paramref name="region"/> is <c>" --region R"</c>, or empty for the CLI's default region.
    /// </summary>
    public static string CreateSecretCommand(Secret secret, string region) => secret switch
    {
        SsmParameter p => $"aws ssm put-parameter --name {Shell.Quote(p.Name)} --type SecureString --value \"$(openssl rand -hex 32)\"{region}",
        SecretsManagerSecret p => $"aws secretsmanager create-secret --name {Shell.Quote(p.Name)} --secret-string \"$(openssl rand -hex 32)\"{region}",
        _ => throw new NotSupportedException($"Unknown secret kind {secret.GetType().Name}."),
    };

    /// <summary>The exact <c>aws cloudformation deploy</c> command for one template.</summary>
    public static string DeployCommand(string path, EnvironmentModel model, bool needsS3)
    {
        var command = $"aws cloudformation deploy --template-file {Shell.QuotePath(path)} --stack-name {Shell.Quote(model.StackName)} --capabilities CAPABILITY_IAM --no-fail-on-empty-changeset";
        if (model.Env.Region is { } region) command += $" --region {Shell.Quote(region)}";
        if (needsS3) command += " --s3-bucket YOUR_ARTIFACT_BUCKET";
        command += $" --tags {Shell.Quote($"app={model.App.Name}")} {Shell.Quote($"environment={model.Env.Name}")}";
        var inRegion = model.Env.Region is { } r ? $" --region {Shell.Quote(r)}" : "";
        var overrides = new List<string>();
        if (model.Part is null && model.Pipeline is not null && model.App.Source is { ConnectionArn: null } && SharedModel.For(model.App, model.Env) is { } shared)
        {
            // The connection's ARN comes from the shared stack's output (see the GitHubConnectionArn parameter for why not an import).
            overrides.Add($"GitHubConnectionArn=\"$(aws cloudformation describe-stacks --stack-name {Shell.Quote(shared.StackName)}{inRegion}"
                + $" --query \"Stacks[0].Outputs[?OutputKey=='GitHubConnectionArn'].OutputValue\" --output text)\"");
        }
        if (model.Env.IsProduction && model.Part is null)
        {
            overrides.Add($"DeletionProtection=\"{DeletionProtectionExpression(model.StackName, inRegion)}\"");
        }
        if (overrides.Count > 0) command += " --parameter-overrides " + string.Join(" ", overrides);
        return command;
    }
}
