using System;
using System.IO;

namespace IdentityGuard.Scanner.Reporting;

/// <summary>File paths as the reports show them: relative to the source root, with forward slashes.</summary>
internal static class Paths
{
    /// <summary>The path under <paramref name="root"/>, or null when the file lies outside it.</summary>
    public static string? RelativeTo(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        if (relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            return null;
        }

        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    /// <summary>For the console: relative where possible, else the full path.</summary>
    public static string Display(string root, string path) => RelativeTo(root, path) ?? path;
}
