using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace IdentityGuard.Scanner.Discovery;

/// <summary>
/// Turns the command line's target into <see cref="ScanUnit"/>s: a solution's C# projects, one project file, or
/// every project under a folder plus the folders of C# files no project owns (grouped by their top-level folder).
/// </summary>
internal static partial class ScanTargets
{
    /// <summary>Folders never searched: build output, tool state and dependencies.</summary>
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "bin", "obj", "node_modules", "packages", "artifacts", "TestResults",
    };

    public static IReadOnlyList<ScanUnit> Find(string target)
    {
        if (Directory.Exists(target))
        {
            return FromFolder(target);
        }

        var extension = Path.GetExtension(target).ToUpperInvariant();
        return extension switch
        {
            ".SLN" => FromProjects(SolutionProjects(target), Path.GetDirectoryName(target)!),
            ".SLNX" => FromProjects(SolutionXProjects(target), Path.GetDirectoryName(target)!),
            ".CSPROJ" => FromProjects([target], Path.GetDirectoryName(target)!),
            _ => throw new ScanTargetException($"'{target}' is not a solution (.sln, .slnx), a C# project (.csproj) or a folder."),
        };
    }

    private static List<ScanUnit> FromProjects(IEnumerable<string> projects, string baseFolder)
    {
        var units = new List<ScanUnit>();
        foreach (var project in projects)
        {
            if (!File.Exists(project))
            {
                throw new ScanTargetException($"The solution names '{project}', which does not exist.");
            }

            units.Add(ProjectUnit(project, baseFolder, NestedProjectFolders(Path.GetDirectoryName(project)!)));
        }

        return units;
    }

    private static List<ScanUnit> FromFolder(string root)
    {
        var projects = new List<string>();
        var looseSources = new List<string>();
        var looseAdditional = new List<string>();
        Walk(root, projects, looseSources, looseAdditional, insideProject: false);

        var projectFolders = projects.Select(p => Path.GetDirectoryName(p)!).ToList();
        var units = projects
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => ProjectUnit(p, root, projectFolders))
            .ToList();

        // Loose files: one unit per top-level folder, so unrelated scripts do not see each other's types.
        var groups = looseSources.Select(f => (File: f, Source: true))
            .Concat(looseAdditional.Select(f => (File: f, Source: false)))
            .GroupBy(f => TopFolder(root, f.File), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var folder = group.Key;
            units.Add(new ScanUnit(
                Relative(root, folder) is { Length: > 0 } name ? name + "/" : "./",
                folder,
                ProjectPath: null,
                group.Where(f => f.Source).Select(f => f.File).OrderBy(f => f, StringComparer.Ordinal).ToList(),
                group.Where(f => !f.Source).Select(f => f.File).OrderBy(f => f, StringComparer.Ordinal).ToList()));
        }

        return units;
    }

    private static void Walk(string folder, List<string> projects, List<string> looseSources, List<string> looseAdditional, bool insideProject)
    {
        var project = Directory.EnumerateFiles(folder, "*.csproj").OrderBy(p => p, StringComparer.Ordinal).ToList();
        projects.AddRange(project);
        insideProject |= project.Count > 0;
        if (!insideProject)
        {
            looseSources.AddRange(Directory.EnumerateFiles(folder, "*.cs"));
            looseAdditional.AddRange(Directory.EnumerateFiles(folder, "*.json").Where(IsAdditionalFile));
        }

        foreach (var child in Directory.EnumerateDirectories(folder))
        {
            if (!IsSkipped(child))
            {
                Walk(child, projects, looseSources, looseAdditional, insideProject);
            }
        }
    }

    private static ScanUnit ProjectUnit(string project, string baseFolder, IReadOnlyCollection<string> projectFolders)
    {
        var folder = Path.GetDirectoryName(project)!;
        var nested = projectFolders.Where(f => f.Length > folder.Length && IsUnder(f, folder)).ToList();
        var sources = new List<string>();
        CollectSources(folder, nested, sources);
        var additional = Directory.EnumerateFiles(folder, "*.json").Where(IsAdditionalFile).OrderBy(f => f, StringComparer.Ordinal).ToList();
        var name = Relative(baseFolder, project);
        return new ScanUnit(name.Length > 0 ? name : Path.GetFileName(project), folder, project, sources, additional);
    }

    private static void CollectSources(string folder, List<string> nestedProjects, List<string> sources)
    {
        sources.AddRange(Directory.EnumerateFiles(folder, "*.cs").OrderBy(f => f, StringComparer.Ordinal));
        foreach (var child in Directory.EnumerateDirectories(folder).OrderBy(f => f, StringComparer.Ordinal))
        {
            if (!IsSkipped(child) && !nestedProjects.Contains(child, StringComparer.Ordinal))
            {
                CollectSources(child, nestedProjects, sources);
            }
        }
    }

    private static List<string> NestedProjectFolders(string folder)
    {
        var projects = new List<string>();
        Walk(folder, projects, [], [], insideProject: true);
        return projects.Select(p => Path.GetDirectoryName(p)!).ToList();
    }

    /// <summary>The manifest and the settings files the package's build logic passes to the rules.</summary>
    public static bool IsAdditionalFile(string path)
    {
        var name = Path.GetFileName(path);
        return name.Equals("identityguard.json", StringComparison.OrdinalIgnoreCase)
            || (name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) && name.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
    }

    private static bool IsSkipped(string folder)
    {
        var name = Path.GetFileName(folder);
        return name.StartsWith('.') || SkippedFolders.Contains(name);
    }

    private static string TopFolder(string root, string file)
    {
        var relative = Path.GetRelativePath(root, Path.GetDirectoryName(file)!);
        if (relative == ".")
        {
            return root;
        }

        var first = relative.Split(Path.DirectorySeparatorChar, 2)[0];
        return Path.Combine(root, first);
    }

    private static bool IsUnder(string path, string folder) =>
        path.StartsWith(folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static string Relative(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative == "." ? string.Empty : relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    private static IEnumerable<string> SolutionProjects(string solution)
    {
        var folder = Path.GetDirectoryName(solution)!;
        foreach (Match match in SolutionProjectLine().Matches(File.ReadAllText(solution)))
        {
            yield return Path.GetFullPath(Path.Combine(folder, match.Groups["path"].Value.Replace('\\', Path.DirectorySeparatorChar)));
        }
    }

    private static List<string> SolutionXProjects(string solution)
    {
        var folder = Path.GetDirectoryName(solution)!;
        return XDocument.Load(solution).Descendants("Project")
            .Select(p => (string?)p.Attribute("Path"))
            .Where(p => p is not null && p.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            .Select(p => Path.GetFullPath(Path.Combine(folder, p!.Replace('\\', Path.DirectorySeparatorChar))))
            .ToList();
    }

    [GeneratedRegex("""^Project\("\{[^}]+\}"\)\s*=\s*"[^"]*",\s*"(?<path>[^"]+\.csproj)"\s*,""", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex SolutionProjectLine();
}

/// <summary>The target cannot be scanned as given (exit code 2).</summary>
internal sealed class ScanTargetException : Exception
{
    public ScanTargetException(string message)
        : base(message)
    {
    }

    public ScanTargetException()
    {
    }

    public ScanTargetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
