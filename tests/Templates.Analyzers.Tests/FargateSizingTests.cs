namespace Templates.Analyzers.Tests;

/// <summary>TPL0003 in depth: defaults, named constants, non-constants, and compilations without the DSL.</summary>
public class FargateSizingTests
{
    static string Service(string settings) => $$"""
        using Templates;
        public static class Definition
        {
            public static FargateService Service => new() { Image = ContainerImage.FromEcr("app"), Port = 5000, {{settings}} };
        }
        """;

    [Fact]
    public async Task An_invalid_constant_pair_is_reported_on_the_memory_setting()
    {
        var diagnostic = Assert.Single(await AnalyzerHarness.AnalyzeAsync(Service("Cpu = 256, MemoryMiB = 4096")));
        Assert.Equal("TPL0003", diagnostic.Id);
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("MemoryMiB = 4096", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Equal(
            "Fargate cannot run 256 CPU units with 4096 MiB of memory. Fix: Set MemoryMiB to 512, 1024, 2048 (nearest: 2048), or set Cpu to 512 or 1024 or 2048.",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_defaults_count_when_a_setting_is_left_out()
    {
        Assert.Single(await AnalyzerHarness.AnalyzeAsync(Service("MemoryMiB = 8192")));
        Assert.Single(await AnalyzerHarness.AnalyzeAsync(Service("Cpu = 4096")));
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(Service("Cpu = 256")));
    }

    [Fact]
    public async Task A_valid_pair_is_silent()
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(Service("Cpu = 1024, MemoryMiB = 3072")));
    }

    [Fact]
    public async Task Named_constants_are_seen_through()
    {
        var source = """
            using Templates;
            public static class Definition
            {
                const int Memory = 3000;
                public static FargateService Service => new() { Image = ContainerImage.FromEcr("app"), Port = 5000, Cpu = 1024, MemoryMiB = Memory };
            }
            """;
        Assert.Equal("TPL0003", Assert.Single(await AnalyzerHarness.AnalyzeAsync(source)).Id);
    }

    [Fact]
    public async Task A_value_that_is_not_a_constant_is_left_to_run_time()
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(Service("Cpu = 256, MemoryMiB = int.Parse(\"4096\")")));
    }

    [Fact]
    public async Task A_compilation_without_the_dsl_is_ignored()
    {
        var source = """
            public sealed class FargateService { public int Cpu { get; init; } public int MemoryMiB { get; init; } }
            public static class Definition { public static FargateService S => new() { Cpu = 256, MemoryMiB = 4096 }; }
            """;
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync(source, referenceDsl: false));
    }

    [Fact]
    public async Task Every_analyzer_is_silent_on_empty_source()
    {
        Assert.Empty(await AnalyzerHarness.AnalyzeAsync("public static class Empty { }"));
    }
}
