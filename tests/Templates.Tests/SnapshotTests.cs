using Templates.Generation;
using Templates.Generation.Cli;

namespace Templates.Tests;

/// <summary>The emitted templates, byte for byte: a change to the generator shows up as a template diff in review.</summary>
public class SnapshotTests
{
    public static TheoryData<string> Environments => [.. Fixtures.Guide.Environments.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Environments))]
    public void Guide_templates_match_their_snapshots(string env)
    {
        var template = Fixtures.Emit(Fixtures.Guide, env);
        Snapshot.Verify(Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(template.FileName)), template.Bytes);
    }

    public static TheoryData<string> ShopEnvironments => [.. Definitions.ShopApp.Definition.Environments.Select(e => e.Name)];

    /// <summary>The second example app, of several services.</summary>
    [Theory]
    [MemberData(nameof(ShopEnvironments))]
    public void Shop_templates_match_their_snapshots(string env)
    {
        var template = Fixtures.Emit(Definitions.ShopApp.Definition, env);
        Snapshot.Verify(Path.GetFileNameWithoutExtension(Path.GetFileNameWithoutExtension(template.FileName)), template.Bytes);
    }

    [Fact]
    public void Guide_shared_template_matches_its_snapshot()
    {
        var shared = Assert.Single(Emitter.Generate([Fixtures.Guide]).SharedTemplates);
        Snapshot.Verify("flask-app-shared", shared.Bytes);
    }

    /// <summary>The shop's shared stack: the GitHub connection its pipelines read through (its repositories already exist).</summary>
    [Fact]
    public void Shop_shared_template_matches_its_snapshot()
    {
        var shared = Assert.Single(Emitter.Generate([Definitions.ShopApp.Definition]).SharedTemplates);
        Snapshot.Verify("shop-shared", shared.Bytes);
    }

    [Fact]
    public void The_command_line_writes_exactly_the_snapshot_bytes()
    {
        var dir = Directory.CreateTempSubdirectory("templates-snap-").FullName;
        try
        {
            var exit = TemplatesCli.Run(["--out", dir], TextWriter.Null, TextWriter.Null, Fixtures.Guide);
            Assert.Equal(TemplatesCli.Success, exit);
            var written = Directory.GetFiles(dir).Select(Path.GetFileName).Order().ToList();
            Assert.Equal(Fixtures.Guide.Environments.Select(e => $"flask-app-{e.Name}.template.json").Append("flask-app-shared.template.json").Order(), written);
            foreach (var file in written)
            {
                var verified = Path.Combine(Snapshot.Directory(), file!.Replace(".template.json", ".verified.json"));
                Assert.True(File.ReadAllBytes(Path.Combine(dir, file)).AsSpan().SequenceEqual(File.ReadAllBytes(verified)), $"{file} differs from {verified}");
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Two_runs_produce_identical_bytes()
    {
        var first = Emitter.Generate([Fixtures.Guide]).Templates.Select(t => t.Bytes).ToList();
        var second = Emitter.Generate([Definitions.FlaskApp.Definition]).Templates.Select(t => t.Bytes).ToList();
        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++) Assert.True(first[i].AsSpan().SequenceEqual(second[i]));
    }

    [Fact]
    public void Environment_order_does_not_change_any_template()
    {
        var app = Fixtures.Guide;
        var reversed = app with { Environments = [.. app.Environments.AsEnumerable().Reverse()] };
        var a = Emitter.Generate([app]).Templates.ToDictionary(t => t.FileName, t => t.Bytes);
        var b = Emitter.Generate([reversed]).Templates.ToDictionary(t => t.FileName, t => t.Bytes);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[name]), name);
    }

    [Fact]
    public void Templates_are_lf_utf8_with_a_final_newline_and_readable_strings()
    {
        var bytes = Fixtures.Emit(Fixtures.Guide, "prod").Bytes;
        Assert.DoesNotContain((byte)'\r', bytes);
        Assert.Equal((byte)'\n', bytes[^1]);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains("\"AWSTemplateFormatVersion\": \"2010-09-09\"", text);
        Assert.DoesNotContain("\\u0027", text);
        Assert.DoesNotContain("\\u002B", text);
    }
}
