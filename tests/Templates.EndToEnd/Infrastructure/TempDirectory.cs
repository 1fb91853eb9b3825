namespace Templates.EndToEnd.Infrastructure;

/// <summary>A fresh directory under the system's temporary folder, deleted (best effort) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string purpose)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"templates-e2e-{purpose}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory's absolute path.</summary>
    public string Path { get; }

    /// <summary>The absolute path of <paramref name="name"/> inside the directory.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* left for the OS to clean */ }
    }
}
