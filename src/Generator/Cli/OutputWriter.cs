namespace Templates.Generation.Cli;

/// <summary>Why the templates could not be written: the file concerned and the cause. The output folder was left as it was.</summary>
public sealed class OutputWriteException(string file, string message, Exception inner) : IOException(message, inner)
{
    /// <summary>The file (in the output folder) that could not be written or put in place.</summary>
    public string File { get; } = file;
}

/// <summary>
/// Writes a set of templates all or nothing: every file is first written into a staging folder inside the output folder;
/// only when all are written are the previous files moved aside (into a second folder there) and the new ones moved into
/// place, each a rename within one file system. When any step fails, what was moved is moved back, so the folder holds
/// exactly the files it held before, byte for byte, and the staging and backup folders are removed.
/// </summary>
public static class OutputWriter
{
    /// <summary>Writes <paramref name="files"/> into <paramref name="outDir"/>; throws <see cref="OutputWriteException"/> after restoring the folder.</summary>
    /// <param name="outDir">The output folder; created when missing (and removed again when nothing could be written).</param>
    /// <param name="files">The file names (no folders) and their bytes.</param>
    /// <param name="beforeReplace">Called with each file name just before it is put in place (a test seam for failures between renames).</param>
    public static void Write(string outDir, IReadOnlyList<(string Name, byte[] Bytes)> files, Action<string>? beforeReplace = null)
    {
        var created = !Directory.Exists(outDir);
        try
        {
            Directory.CreateDirectory(outDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new OutputWriteException(outDir, $"cannot create the output folder '{outDir}': {e.Message}", e);
        }

        var token = Guid.NewGuid().ToString("N")[..12];
        var staging = Path.Combine(outDir, $".templates-staging-{token}");
        var backup = Path.Combine(outDir, $".templates-previous-{token}");
        var current = "";
        var replaced = new List<(string Final, string? Saved, bool Placed)>();
        var keepBackup = false;
        try
        {
            try
            {
                Directory.CreateDirectory(staging);
                foreach (var (name, bytes) in files)
                {
                    current = name;
                    System.IO.File.WriteAllBytes(Path.Combine(staging, name), bytes);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputWriteException(Path.Combine(outDir, current), $"cannot write '{Path.Combine(outDir, current)}' (staged in {staging}): {e.Message}", e);
            }

            try
            {
                foreach (var (name, _) in files)
                {
                    current = name;
                    beforeReplace?.Invoke(name);
                    var final = Path.Combine(outDir, name);
                    string? saved = null;
                    if (System.IO.File.Exists(final))
                    {
                        Directory.CreateDirectory(backup);
                        saved = Path.Combine(backup, name);
                        System.IO.File.Move(final, saved);
                    }
                    replaced.Add((final, saved, false));
                    // Without overwrite: the previous file was moved aside, so anything still there (a folder) is not ours to replace.
                    System.IO.File.Move(Path.Combine(staging, name), final);
                    replaced[^1] = (final, saved, true);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var unrestored = Restore(replaced);
                keepBackup = unrestored.Count > 0;
                var state = keepBackup
                    ? $" The previous files could not all be moved back: {string.Join(", ", unrestored)} are in {backup}."
                    : " The folder was left as it was.";
                throw new OutputWriteException(Path.Combine(outDir, current), $"cannot put '{Path.Combine(outDir, current)}' in place: {e.Message.TrimEnd('.')}.{state}", e);
            }
        }
        finally
        {
            TryDelete(staging);
            if (!keepBackup) TryDelete(backup);
            if (created && Directory.Exists(outDir) && !Directory.EnumerateFileSystemEntries(outDir).Any()) TryDelete(outDir);
        }
    }

    /// <summary>Undoes the renames, last first; returns the files it could not move back.</summary>
    static List<string> Restore(List<(string Final, string? Saved, bool Placed)> replaced)
    {
        var failed = new List<string>();
        for (var i = replaced.Count - 1; i >= 0; i--)
        {
            var (final, saved, placed) = replaced[i];
            try
            {
                if (placed) System.IO.File.Delete(final);
                if (saved is not null) System.IO.File.Move(saved, final);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failed.Add(Path.GetFileName(final));
            }
        }
        return failed;
    }

    static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover staging folder holds only copies of the new files.
        }
    }
}
