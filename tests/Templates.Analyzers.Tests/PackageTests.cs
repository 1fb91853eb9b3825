using System.IO.Compression;

namespace Templates.Analyzers.Tests;

/// <summary>
/// <c>dotnet pack</c> of the DSL yields one package carrying the analyzers and code fixes, and a project that
/// references only that package gets the types and the diagnostics.
/// </summary>
[Collection(Scratch.Collection)]
public sealed class PackageTests : IDisposable
{
    readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void The_dsl_package_carries_the_analyzers_and_a_consumer_gets_the_diagnostics()
    {
        var feed = Path.Combine(_scratch.Dir, "feed");
        // A version of its own, so no package cache can answer with an older build.
        var version = $"0.0.0-test{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        var (packExit, packOutput) = _scratch.Dotnet(["pack", "src/Dsl/Templates.Dsl.csproj", "-o", feed, $"-p:PackageVersion={version}"], Scratch.RepoRoot());
        Assert.True(packExit == 0, packOutput);

        using (var package = ZipFile.OpenRead(Path.Combine(feed, $"Templates.Dsl.{version}.nupkg")))
        {
            var entries = package.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net10.0/Templates.Dsl.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/Templates.Analyzers.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/Templates.CodeFixes.dll", entries);
            using var nuspec = new StreamReader(package.Entries.Single(e => e.FullName.EndsWith(".nuspec")).Open());
            Assert.DoesNotContain("Microsoft.CodeAnalysis", nuspec.ReadToEnd());
        }

        var consumer = Path.Combine(_scratch.Dir, "consumer");
        Directory.CreateDirectory(consumer);
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <packageSources><clear /><add key="local" value="{feed}" /></packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings></PropertyGroup>
              <ItemGroup><PackageReference Include="Templates.Dsl" Version="{version}" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Definition.cs"), """
            using Templates;

            public static class Definition
            {
                public static NewVpc Network => new() { AvailabilityZones = 1 };
            }
            """);
        var (buildExit, buildOutput) = _scratch.Dotnet(["build", "--packages", Path.Combine(_scratch.Dir, "packages")], consumer);
        Assert.NotEqual(0, buildExit);
        Assert.Matches(@"Definition\.cs\(5,45\): error TPL0002: 1 Availability Zone", buildOutput);
        Assert.DoesNotContain("CS8032", buildOutput);
        Assert.DoesNotContain("AD0001", buildOutput);
    }
}
