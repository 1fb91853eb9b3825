using System.Collections;
using System.Reflection;
using Templates.Generation;
using Templates.Generation.Cli;
using Templates.Generation.Model;

namespace Templates.Tests;

/// <summary>TPL0040: a null where the DSL declares a value is a finding naming the setting, never a NullReferenceException.</summary>
public sealed class MissingValueTests
{
    [Fact]
    public void A_certificate_read_from_an_unset_environment_variable_is_a_finding_naming_the_setting()
    {
        var app = Fixtures.Minimal() with
        {
            LoadBalancer = new LoadBalancer { Certificate = new AcmCertificate(Environment.GetEnvironmentVariable("TEMPLATES_TEST_UNSET_CERTIFICATE")!) },
        };
        var finding = Assert.Single(Fixtures.Findings(app));
        Assert.Equal(("TPL0040", "LoadBalancer.Certificate.Arn"), (finding.Rule.Id, finding.Setting));
        Assert.Equal("error TPL0040: shop LoadBalancer.Certificate.Arn: AcmCertificate.Arn is null: there is no value to check or to write into the template. "
            + "Fix: Give it a value; when it is read from an environment variable or a configuration file, make sure that is set where the definitions run (Environment.GetEnvironmentVariable returns null for an unset variable).",
            finding.ToString());

        var stderr = new StringWriter();
        Assert.Equal(TemplatesCli.DefinitionErrors, TemplatesCli.Run(["--out", Path.Combine(Path.GetTempPath(), "templates-never-" + Guid.NewGuid())], TextWriter.Null, stderr, app));
        Assert.Contains("1 error: no template was written.", stderr.ToString());
    }

    public static TheoryData<string, Func<App, App>, string, string[]> Nulls => new()
    {
        { "app name", a => a with { Name = null! }, "App name", [] },
        { "environment name", a => a with { Environments = [new Env(null!) { Tasks = new TaskCount(1, 2) }] }, "Environments[0].Name", ["#0"] },
        { "null environment", a => a with { Environments = [a.Environments[0], null!] }, "Environments[1]", [] },
        { "sender", a => a with { Mail = new MailSender { Address = null! } }, "Mail.Address", [] },
        { "source", a => a with { Source = new GitHubSource { Repository = null! } }, "Source.Repository", [] },
        { "branch", a => a with { Environments = [new Env("dev") { Tasks = new TaskCount(1, 2), Pipeline = new Pipeline { Branch = null! } }] }, "Environments[dev].Pipeline.Branch", ["dev"] },
        { "image repository", a => a with { Service = a.Service with { Image = ContainerImage.FromEcr(null!) } }, "Service.Image.Repository", [] },
        { "health-check path", a => a with { Service = a.Service with { HealthCheck = new HealthCheck { Path = null! } } }, "Service.HealthCheck.Path", [] },
        { "dns name", a => a with { Environments = [new Env("dev") { Tasks = new TaskCount(1, 2), Dns = new DnsName { Name = null!, HostedZoneId = "Z0123456789ABCDEFGHIJ" } }] }, "Environments[dev].Dns.Name", ["dev"] },
        { "secret", a => a with { Service = a.Service with { Secrets = new() { ["DB_PASSWORD"] = null! } } }, "Service.Secrets[DB_PASSWORD]", [] },
        { "secret name", a => a with { Service = a.Service with { Secrets = new() { ["DB_PASSWORD"] = Secret.FromSsm(null!) } } }, "Service.Secrets[DB_PASSWORD].Name", [] },
        { "variable value", a => a with { Service = a.Service with { EnvironmentVariables = new() { ["REGION"] = null! } } }, "Service.EnvironmentVariables[REGION]", [] },
        { "subnet", a => a with { Network = new ExistingVpc { PublicSubnetIds = ["subnet-0123456789abcdef0", null!] } }, "Network.PublicSubnetIds[1]", [] },
        { "network", a => a with { Network = null! }, "Network", [] },
        { "accepted list", a => a with { Accept = null! }, "Accept", [] },
    };

    [Theory]
    [MemberData(nameof(Nulls))]
    public void Null_settings_are_findings_not_crashes(string _, Func<App, App> change, string setting, string[] environments)
    {
        var app = change(Fixtures.Minimal());
        var result = Emitter.Generate([app]);
        var finding = Assert.Single(result.Findings, f => f.Setting == setting);
        Assert.Equal("TPL0040", finding.Rule.Id);
        Assert.Equal(environments, finding.Environments);
        Assert.Empty(result.Templates);
        Assert.Equal(TemplatesCli.DefinitionErrors, TemplatesCli.Run(["--out", Path.Combine(Path.GetTempPath(), "templates-never-" + Guid.NewGuid())], TextWriter.Null, TextWriter.Null, app));
    }

    /// <summary>
    /// The class, not examples: every reference-typed setting of the guide's definition that the DSL declares non-nullable,
    /// at any depth (collections and their elements too), set to null in turn, gives a TPL0040 finding naming it, and the
    /// generator and command line neither throw nor exit 1 for another reason.
    /// </summary>
    [Fact]
    public void Every_non_nullable_setting_of_the_guide_set_to_null_is_reported()
    {
        var paths = NonNullablePaths(Fixtures.Guide, []).ToList();
        Assert.True(paths.Count > 40, $"Only {paths.Count} settings found; the walk is broken.");
        foreach (var path in paths)
        {
            var app = Fixtures.Guide;
            var described = Apply(app, path);
            IReadOnlyList<Finding> findings;
            try { findings = Emitter.Generate([app]).Findings; }
            catch (Exception e) { throw new Xunit.Sdk.XunitException($"Setting {described} to null threw {e}"); }
            Assert.True(findings.Any(f => f.Rule.Id == "TPL0040"), $"Setting {described} to null gave no TPL0040 finding: {string.Join("; ", findings)}");
        }
    }

    // A path is a list of steps from the app: a property of an object, or an index of a list or key of a dictionary.
    sealed record Step(PropertyInfo? Property, object? Key);

    static IEnumerable<List<Step>> NonNullablePaths(object owner, List<Step> prefix)
    {
        var context = new NullabilityInfoContext();
        foreach (var property in owner.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.PropertyType.IsValueType || property.GetIndexParameters().Length > 0 || property.SetMethod is null) continue;
            var nullability = context.Create(property);
            var value = property.GetValue(owner);
            var path = new List<Step>(prefix) { new(property, null) };
            if (nullability.ReadState == NullabilityState.NotNull && value is not null) yield return path;
            foreach (var inner in Inside(value, nullability, path)) yield return inner;
        }
    }

    static IEnumerable<List<Step>> Inside(object? value, NullabilityInfo nullability, List<Step> path)
    {
        switch (value)
        {
            case null or string: yield break;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var entryPath = new List<Step>(path) { new(null, entry.Key) };
                    yield return entryPath;
                    if (entry.Value is not null && entry.Value.GetType().Assembly == typeof(App).Assembly)
                        foreach (var inner in NonNullablePaths(entry.Value, entryPath)) yield return inner;
                }
                yield break;
            case IList list:
                for (var i = 0; i < list.Count; i++)
                {
                    var itemPath = new List<Step>(path) { new(null, i) };
                    if (!list.IsReadOnly && !list.IsFixedSize) yield return itemPath;
                    if (list[i] is { } item && item.GetType().Assembly == typeof(App).Assembly)
                        foreach (var inner in NonNullablePaths(item, itemPath)) yield return inner;
                }
                yield break;
            default:
                if (value.GetType().Assembly == typeof(App).Assembly)
                    foreach (var inner in NonNullablePaths(value, path)) yield return inner;
                yield break;
        }
    }

    /// <summary>Sets the value at the path to null in this (fresh) app, and says which one it was.</summary>
    static string Apply(App app, List<Step> path)
    {
        object current = app;
        var described = "App";
        for (var i = 0; i < path.Count; i++)
        {
            var step = path[i];
            var last = i == path.Count - 1;
            described += step.Property is not null ? "." + step.Property.Name : $"[{step.Key}]";
            if (step.Property is not null)
            {
                if (last) step.Property.SetValue(current, null);
                else current = step.Property.GetValue(current)!;
            }
            else if (current is IDictionary dictionary)
            {
                if (last) dictionary[step.Key!] = null;
                else current = dictionary[step.Key!]!;
            }
            else
            {
                var list = (IList)current;
                if (last) list[(int)step.Key!] = null;
                else current = list[(int)step.Key!]!;
            }
        }
        return described;
    }
}
