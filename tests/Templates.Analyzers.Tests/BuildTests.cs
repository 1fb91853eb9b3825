namespace Templates.Analyzers.Tests;

/// <summary>
/// The analyzers in a real <c>dotnet build</c>, referenced the way <c>definitions</c> references them: proof that the
/// SDK's compiler loads them (an analyzer built against a newer Roslyn is dropped with warning CS8032 and reports nothing).
/// </summary>
[Collection(Scratch.Collection)]
public sealed class BuildTests : IDisposable
{
    readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    const string SingleAzDefinition = """
        using Templates;

        namespace Scratch;

        public static class Definition
        {
            public static FargateService Service => new()
            {
                Image = ContainerImage.FromEcr("flask-app"),
                Port = 5000,
                Cpu = 256,
                MemoryMiB = 4096,
            };
        }
        """;

    (int Exit, string Output) Build(string source, string? editorConfig = null)
    {
        var root = Scratch.RepoRoot();
        var dir = _scratch.Dir;
        File.WriteAllText(Path.Combine(dir, "Scratch.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{root}/src/Dsl/Templates.Dsl.csproj" />
                <ProjectReference Include="{root}/src/Analyzers/Templates.Analyzers.csproj" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(dir, "Definition.cs"), source);
        if (editorConfig is not null) File.WriteAllText(Path.Combine(dir, ".editorconfig"), editorConfig);
        return _scratch.Dotnet(["build", Path.Combine(dir, "Scratch.csproj"), "-nologo", "-clp:NoSummary"]);
    }

    [Fact]
    public void Dotnet_build_reports_the_diagnostic_with_file_and_line_and_every_analyzer_loads()
    {
        var (exit, output) = Build(SingleAzDefinition);
        Assert.NotEqual(0, exit);
        Assert.Matches(@"Definition\.cs\(12,9\): error TPL0003: Fargate cannot run 256 CPU units with 4096 MiB of memory\.", output);
        Assert.DoesNotContain("CS8032", output);
        Assert.DoesNotContain("AD0001", output);
    }

    [Fact]
    public void Severity_from_editorconfig_is_honoured()
    {
        var (exit, output) = Build(SingleAzDefinition, "root = true\n\n[*.cs]\ndotnet_diagnostic.TPL0003.severity = warning\n");
        Assert.Equal(0, exit);
        Assert.Matches(@"Definition\.cs\(12,9\): warning TPL0003:", output);
    }
}
