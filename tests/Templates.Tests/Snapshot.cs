using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace Templates.Tests;

/// <summary>
/// Snapshot testing in the manner of Verify: the expected output is a committed <c>Snapshots/NAME.verified.json</c>
/// holding exactly the bytes the tool writes. A mismatch writes <c>NAME.received.json</c> beside it and fails with a
/// unified diff; running the tests with <c>ACCEPT_SNAPSHOTS=1</c> accepts the new output instead.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "ACCEPT_SNAPSHOTS";

    public static string Directory([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Snapshots");

    public static void Verify(string name, byte[] actual)
    {
        var verified = Path.Combine(Directory(), name + ".verified.json");
        var received = Path.Combine(Directory(), name + ".received.json");
        var expected = File.Exists(verified) ? File.ReadAllBytes(verified) : null;
        if (expected is not null && expected.AsSpan().SequenceEqual(actual))
        {
            File.Delete(received);
            return;
        }
        if (Environment.GetEnvironmentVariable(AcceptVariable) is "1" or "true")
        {
            File.WriteAllBytes(verified, actual);
            File.Delete(received);
            return;
        }
        File.WriteAllBytes(received, actual);
        var message = expected is null
            ? $"No snapshot {verified} yet. Review {received}, then accept it with {AcceptVariable}=1 dotnet test."
            : $"{name} differs from its snapshot (received: {received}). If the change is intended, accept it with {AcceptVariable}=1 dotnet test.\n"
              + UnifiedDiff(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual), name);
        throw new XunitException(message);
    }

    /// <summary>A unified diff of the changed lines with three lines of context, capped so a failure stays readable.</summary>
    public static string UnifiedDiff(string expected, string actual, string name)
    {
        var diff = InlineDiffBuilder.Diff(expected, actual, ignoreWhiteSpace: false);
        var lines = diff.Lines;
        var output = new StringBuilder($"--- {name}.verified.json\n+++ {name}.received.json\n");
        var changed = lines.Select((l, i) => (l, i)).Where(x => x.l.Type != ChangeType.Unchanged).Select(x => x.i).ToList();
        var shown = new SortedSet<int>(changed.SelectMany(i => Enumerable.Range(i - 3, 7)).Where(i => i >= 0 && i < lines.Count));
        var previous = -2;
        var printed = 0;
        foreach (var i in shown)
        {
            if (i != previous + 1) output.Append("@@ line ").Append(lines[i].Position ?? i + 1).Append(" @@\n");
            var line = lines[i];
            output.Append(line.Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' }).Append(line.Text).Append('\n');
            previous = i;
            if (++printed >= 200) { output.Append("… (diff cut at 200 lines)\n"); break; }
        }
        return output.ToString();
    }
}
