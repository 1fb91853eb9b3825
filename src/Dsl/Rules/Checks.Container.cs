using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace Templates.Rules;

// The container hardening rules: same shape as the others, pure functions over plain values.
public static partial class Checks
{
    // ContainerDefinition.User: user, user:group, uid, uid:gid, user:gid or uid:group (ECS task definition parameters, "user").
    static readonly Regex UserPattern = new(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$", RegexOptions.CultureInvariant);

    /// <summary>TPL0064: the container's user, as ECS takes it.</summary>
    public static Violation? ContainerUser(string user) =>
        UserPattern.IsMatch(user) ? null
            : new(RuleCatalog.TPL0064_ContainerUserOrPath, $"User '{user}' is not a user ECS can run the container as (user, uid, user:group or uid:gid).",
                "Set User to the image's non-root user, such as \"10001\" or \"10001:10001\".", "User");

    /// <summary>TPL0064: the writable paths, each an absolute path below / (a volume cannot be mounted over the root), once each.</summary>
    public static Violation? WritablePaths(IReadOnlyList<string> paths)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
            if (!path.StartsWith("/", StringComparison.Ordinal) || trimmed == "/" || path.Contains("//") || path.Contains("/../") || path.EndsWith("/..", StringComparison.Ordinal) || path.IndexOfAny([' ', '\t', ':']) >= 0)
                return new(RuleCatalog.TPL0064_ContainerUserOrPath, $"WritablePaths holds '{path}'; a scratch volume is mounted at an absolute path below /, such as /tmp.",
                    "Write each path as an absolute directory such as /tmp or /var/cache/app.", "WritablePaths");
            if (!seen.Add(trimmed))
                return new(RuleCatalog.TPL0064_ContainerUserOrPath, $"WritablePaths holds '{trimmed}' twice; a path can be mounted once.",
                    "Remove the duplicate.", "WritablePaths");
        }
        return null;
    }

    /// <summary>TPL0065: the Strict-Transport-Security max-age (0 for no header, else a positive number of seconds).</summary>
    public static Violation? HstsMaxAge(int seconds) =>
        seconds >= 0 ? null
            : new(RuleCatalog.TPL0065_Hsts, $"HstsMaxAgeSeconds is {seconds}; the Strict-Transport-Security max-age is a number of seconds, 0 for no header.",
                "Set HstsMaxAgeSeconds to 31536000 (one year), or 0 for no header.", "HstsMaxAgeSeconds");

    /// <summary>Whether a user is root: the name root or UID 0, with any group.</summary>
    public static bool RunsAsRoot(string user)
    {
        var name = user.Split(':')[0];
        return name == "root" || name == "0";
    }

    /// <summary>
    /// TPL0063 (production only): the container explicitly as root, or with a writable root file system. A missing User runs the
    /// image's own USER, which neither the analyzer nor the generator can see, so it is not judged.
    /// </summary>
    public static Violation? ContainerHardening(string? user, bool readOnlyRootFilesystem, bool production)
    {
        if (!production) return null;
        if (user is not null && RunsAsRoot(user))
            return new(RuleCatalog.TPL0063_ContainerHardening, $"Production's container runs as root ('{user}'), so code that breaks out of the application has every right inside the task.",
                "Set User to the image's non-root user, such as \"10001\", or accept TPL0063 with the reason.", "User");
        if (!readOnlyRootFilesystem)
            return new(RuleCatalog.TPL0063_ContainerHardening, "Production's container can write anywhere in its root file system, so an attacker's code can change the application.",
                "Remove ReadOnlyRootFilesystem = false and list the paths the application writes to in WritablePaths.", "ReadOnlyRootFilesystem");
        return null;
    }
}
