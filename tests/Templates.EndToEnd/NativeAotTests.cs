using Templates.EndToEnd.Infrastructure;
using Templates.Generation;
using Templates.Validation.Tests;

namespace Templates.EndToEnd;

/// <summary>
/// <c>dotnet publish definitions -c Release -r linux-x64 -p:Aot=true</c>, as the README gives it, once per test run: the native
/// executable that starts fastest. Its outputs are compared byte for byte with the same program run on the .NET runtime, because
/// what native AOT drops (reflection metadata the trimmer did not see used, metadata tokens, feature switches) fails silently:
/// a walk by reflection that finds no property reports nothing instead of crashing.
/// </summary>
public sealed class NativeAotBuild : IDisposable
{
    static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);
    readonly TempDirectory work = new("aot");
    readonly Lazy<Task<string>> executable;

    public NativeAotBuild() => executable = new(PublishAsync);

    /// <summary>The published executable, built on first use.</summary>
    public Task<string> Executable => executable.Value;

    async Task<string> PublishAsync()
    {
        ExternalTools.Require(Tool.NativeToolchain);
        var dotnet = ExternalTools.Dotnet();
        var output = work.File("out");
        // --artifacts-path keeps the publish's restore and build out of the checkout's obj/ and bin/ folders.
        var result = await ProcessRunner.RunAsync(dotnet,
            ["publish", Path.Combine(ExternalTools.RepositoryRoot(), "definitions"), "-c", "Release", "-r", "linux-x64", "-p:Aot=true",
             "--artifacts-path", work.File("artifacts"), "-o", output, "-nologo"],
            PublishTimeout);
        Assert.True(result.ExitCode == 0, $"The native AOT publish failed:\n{result}");
        var path = Path.Combine(output, "definitions");
        Assert.True(File.Exists(path), $"The publish wrote no {path}:\n{result}");
        return path;
    }

    public void Dispose() => work.Dispose();
}

public sealed class NativeAotTests(NativeAotBuild build) : IClassFixture<NativeAotBuild>, IDisposable
{
    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    readonly TempDirectory work = new("aot-run");

    public void Dispose() => work.Dispose();

    [ToolFact(Tool.NativeToolchain)]
    public async Task The_native_executable_writes_the_templates_the_emitter_builds_and_prints_what_the_runtime_build_prints()
    {
        var native = await RunNativeAsync("--out", "out");
        var runtime = await RunRuntimeAsync("--out", "out");

        Assert.True(native.ExitCode == 0, $"The native executable failed:\n{native}");
        Assert.Equal(runtime.StandardOutput, native.StandardOutput);
        var emitted = Emitter.Generate([Definition.App]);
        foreach (var file in emitted.Files)
        {
            var written = await File.ReadAllBytesAsync(Path.Combine(work.File("out"), file.FileName));
            Assert.True(written.AsSpan().SequenceEqual(file.Bytes), $"The native executable wrote other bytes for {file.FileName} than the emitter builds in-process.");
        }
    }

    [ToolTheory(Tool.NativeToolchain)]
    [InlineData("text")]
    [InlineData("json")]
    [InlineData("sarif")]
    public async Task The_native_executable_validates_the_corpus_json_and_yaml_as_the_runtime_build_does(string format)
    {
        var yaml = work.File("yaml");
        Directory.CreateDirectory(yaml);
        // Short forms, an anchor and its alias, a wrong property and a list where one value goes: what YamlDotNet and the
        // schemas do at run time, under native AOT.
        await File.WriteAllTextAsync(Path.Combine(yaml, "short-forms.yaml"), """
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              Subnets:
                Type: List<AWS::EC2::Subnet::Id>
            Conditions:
              IsProd: !Equals [!Ref "AWS::StackName", prod]
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
                Properties:
                  BucketNam: !Sub "${AWS::StackName}-logs"
                  Tags: &tags
                    - Key: app
                      Value: !If [IsProd, prod, other]
              Group:
                Type: AWS::EC2::SecurityGroup
                Properties:
                  GroupDescription: !Ref Subnets
                  VpcId: !GetAtt Bucket.Arn
                  Tags: *tags
            """);
        await File.WriteAllTextAsync(Path.Combine(yaml, "malformed.yaml"), "Resources:\n  Bucket: [unclosed\n");
        string[] arguments = ["validate", "--format", format, Path.Combine(Corpus.Directory, "valid"), Path.Combine(Corpus.Directory, "invalid"),
            Path.Combine(Corpus.Directory, "warn"), Path.Combine(yaml, "short-forms.yaml")];

        var native = await RunNativeAsync(arguments);
        var runtime = await RunRuntimeAsync(arguments);

        Assert.True(native.ExitCode == 1, $"The corpus holds errors, so validate should exit with 1:\n{native}");
        Assert.Equal(runtime.ExitCode, native.ExitCode);
        Assert.Equal(runtime.StandardOutput, native.StandardOutput);
        Assert.Equal(runtime.StandardError, native.StandardError);
        Assert.Contains("BucketNam", native.StandardOutput, StringComparison.Ordinal);

        var malformed = await RunNativeAsync("validate", "--format", format, Path.Combine(yaml, "malformed.yaml"));
        var malformedOnRuntime = await RunRuntimeAsync("validate", "--format", format, Path.Combine(yaml, "malformed.yaml"));
        Assert.True(malformed.ExitCode == 2, $"A malformed YAML file should exit with 2:\n{malformed}");
        Assert.Equal(malformedOnRuntime.Output, malformed.Output);
    }

    async Task<ProcessResult> RunNativeAsync(params string[] arguments) =>
        await ProcessRunner.RunAsync(await build.Executable, arguments, Timeout, workingDirectory: work.Path);

    /// <summary>The same program on the .NET runtime: <c>dotnet definitions.dll</c>, which the test project's reference puts next to the tests.</summary>
    Task<ProcessResult> RunRuntimeAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(ExternalTools.Dotnet(), [Path.Combine(AppContext.BaseDirectory, "definitions.dll"), .. arguments], Timeout, workingDirectory: work.Path);
}
