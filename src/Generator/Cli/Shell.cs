using System.Text.RegularExpressions;

namespace Templates.Generation.Cli;

/// <summary>
/// Quoting for the commands the command line prints, so that pasting one into a POSIX shell (sh, bash, zsh) passes
/// exactly the intended arguments, whatever the output folder, names and values hold (spaces, quotes, <c>$</c>, …).
/// </summary>
public static partial class Shell
{
    // Characters no POSIX shell treats specially in any position of a word (no globbing, expansion, quoting or history).
    [GeneratedRegex(@"^[A-Za-z0-9_@%+=:,./-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Plain();

    /// <summary>
    /// The value as one shell word: unchanged when it holds only plain characters (so the usual output stays readable),
    /// otherwise in single quotes, with each single quote written as <c>'\''</c>.
    /// </summary>
    public static string Quote(string value) =>
        value.Length > 0 && Plain().IsMatch(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// A path as one shell word that a command-line parser cannot mistake for an option: a relative path starting with
    /// <c>-</c> gets <c>./</c> in front (quoting changes nothing there, the program sees the same argument).
    /// </summary>
    public static string QuotePath(string path) => Quote(path.StartsWith('-') ? "./" + path : path);

    /// <summary>
    /// A double-quoted shell expansion (such as <c>$REPO:</c>) followed by a literal, as one word: the literal stays inside the
    /// double quotes when it is plain (<c>"$REPO:1.0.0"</c>), else it follows them single-quoted (<c>"$REPO:"'it'\''s'</c>).
    /// </summary>
    public static string Expansion(string expansion, string literal) =>
        literal.Length == 0 || Plain().IsMatch(literal) ? $"\"{expansion}{literal}\"" : $"\"{expansion}\"{Quote(literal)}";
}
