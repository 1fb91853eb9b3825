using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Templates.Analyzers.Tests;

/// <summary>
/// <c>dotnet pack</c> of the DSL yields one package carrying the analyzers and code fixes, and a project that
/// references only that package gets the types and the diagnostics.
/// </summary>
public sealed class PackageTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("templates-pack-").FullName;

    static string RepoRoot([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static (int Exit, string Output) Dotnet(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"dotnet {string.Join(' ', args)} did not finish in 5 minutes");
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void The_dsl_package_carries_the_analyzers_and_a_consumer_gets_the_diagnostics()
    {
        var feed = Path.Combine(_dir, "feed");
        // A version of its own, so no package cache can answer with an older build.
        var version = $"0.0.0-test{DateTime.UtcNow:yyyyMMddHHmmssfff}";
        var (packExit, packOutput) = Dotnet(RepoRoot(), "pack", "src/Dsl/Templates.Dsl.csproj", "-o", feed, $"-p:PackageVersion={version}", "-nodeReuse:false");
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

        var consumer = Path.Combine(_dir, "consumer");
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
        var (buildExit, buildOutput) = Dotnet(consumer, "build", "-nodeReuse:false", "--packages", Path.Combine(_dir, "packages"));
        Assert.NotEqual(0, buildExit);
        Assert.Matches(@"Definition\.cs\(5,45\): error TPL0002: 1 Availability Zone", buildOutput);
        Assert.DoesNotContain("CS8032", buildOutput);
        Assert.DoesNotContain("AD0001", buildOutput);
    }
}
