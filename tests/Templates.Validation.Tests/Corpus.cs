using System.Text.Json.Nodes;

namespace Templates.Validation.Tests;

/// <summary>What <c>Corpus/corpus.json</c> expects of one corpus template.</summary>
/// <param name="File">The path under Corpus/, such as <c>invalid/unknown-property.json</c>.</param>
/// <param name="Id">The one finding expected (none for a valid template).</param>
/// <param name="Pointer">Where it is expected.</param>
/// <param name="CfnLint"><c>rejects</c> (cfn-lint reports an error too), <c>misses</c> (cfn-lint passes it: rules catalog 2.4), <c>passes</c>, or <c>falseAlarm</c> (a valid template cfn-lint rejects; <c>why</c> cites the AWS page).</param>
/// <param name="Why">What the template breaks, or uses.</param>
/// <param name="CfnValidate">The same for AWS's cloudformation-validate (an ERROR or FATAL diagnostic rejects); every entry has one, which the end-to-end verdict test requires.</param>
public sealed record CorpusEntry(string File, string? Id, string? Pointer, string CfnLint, string Why, string? CfnValidate)
{
    /// <summary>invalid, warn or valid.</summary>
    public string Kind => File[..File.IndexOf('/')];

    /// <summary>The absolute path of the template.</summary>
    public string Path => System.IO.Path.Combine(Corpus.Directory, File);

    public override string ToString() => File;
}

/// <summary>The corpus, read from the test's output folder.</summary>
public static class Corpus
{
    /// <summary>Where the corpus was copied.</summary>
    public static string Directory => System.IO.Path.Combine(AppContext.BaseDirectory, "Corpus");

    /// <summary>Every entry of corpus.json.</summary>
    public static IReadOnlyList<CorpusEntry> Entries { get; } = Load();

    static List<CorpusEntry> Load()
    {
        var json = JsonNode.Parse(File.ReadAllText(System.IO.Path.Combine(Directory, "corpus.json")))!.AsObject();
        return json.Select(p => new CorpusEntry(p.Key, (string?)p.Value!["id"], (string?)p.Value["pointer"], (string)p.Value["cfnLint"]!, (string)p.Value["why"]!,
            (string?)p.Value["cfnValidate"])).ToList();
    }

    /// <summary>The entries as theory data (their file names).</summary>
    public static TheoryData<string> Files(string? kind = null)
    {
        var data = new TheoryData<string>();
        foreach (var entry in Entries.Where(e => kind is null || e.Kind == kind)) data.Add(entry.File);
        return data;
    }

    /// <summary>One entry by file name.</summary>
    public static CorpusEntry Get(string file) => Entries.Single(e => e.File == file);
}
