using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace IdentityGuard.Scanner.Loading;

/// <summary>
/// For a project that did not load with MSBuild: the lib/ assemblies of its PackageReferences, and of their
/// dependencies, found in the NuGet global packages folder. Nothing is downloaded; a package that is not there is
/// named in the unit's notes and its types stay unresolved.
/// </summary>
internal static class PackageAssemblies
{
    /// <summary>Target framework folders from the most to the least preferred for a .NET 10 host.</summary>
    private static readonly string[] FrameworkPreference =
    [
        "net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "net5.0", "netcoreapp3.1", "netcoreapp3.0",
        "netstandard2.1", "netstandard2.0", "netstandard1.6", "netstandard1.3", "netstandard1.1", "netstandard1.0",
    ];

    public static string PackagesFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>The assemblies found, and the packages that were not in the packages folder.</summary>
    public static (List<string> Assemblies, List<string> Missing) Resolve(string projectPath)
    {
        var assemblies = new List<string>();
        var missing = new List<string>();
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<(string Id, string? Version)>(DirectReferences(projectPath));
        while (pending.Count > 0)
        {
            var (id, version) = pending.Dequeue();
            if (!visited.Add(id))
            {
                continue;
            }

            var folder = PackageFolder(id, version);
            if (folder is null)
            {
                missing.Add(version is null ? id : $"{id} {version}");
                continue;
            }

            var lib = Path.Combine(folder, "lib");
            var framework = Directory.Exists(lib) ? BestFramework(Directory.GetDirectories(lib)) : null;
            if (framework is not null)
            {
                assemblies.AddRange(Directory.EnumerateFiles(framework, "*.dll").OrderBy(f => f, StringComparer.Ordinal));
            }

            foreach (var dependency in Dependencies(folder, id, framework is null ? null : Path.GetFileName(framework)))
            {
                pending.Enqueue(dependency);
            }
        }

        return (assemblies, missing);
    }

    private static IEnumerable<(string Id, string? Version)> DirectReferences(string projectPath)
    {
        XDocument project;
        try
        {
            project = XDocument.Load(projectPath);
        }
        catch (System.Xml.XmlException)
        {
            yield break;
        }

        var central = CentralVersions(Path.GetDirectoryName(projectPath)!);
        foreach (var reference in project.Descendants().Where(e => e.Name.LocalName == "PackageReference"))
        {
            var id = (string?)reference.Attribute("Include");
            if (string.IsNullOrWhiteSpace(id) || id.Contains('$', StringComparison.Ordinal))
            {
                continue;
            }

            var version = (string?)reference.Attribute("VersionOverride") ?? (string?)reference.Attribute("Version")
                ?? reference.Elements().FirstOrDefault(e => e.Name.LocalName is "VersionOverride" or "Version")?.Value
                ?? central.GetValueOrDefault(id);
            yield return (id, version is null || version.Contains('$', StringComparison.Ordinal) ? null : MinimumVersion(version));
        }
    }

    /// <summary>Versions from the nearest Directory.Packages.props (central package management).</summary>
    private static Dictionary<string, string> CentralVersions(string folder)
    {
        var versions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            var props = Path.Combine(directory.FullName, "Directory.Packages.props");
            if (!File.Exists(props))
            {
                continue;
            }

            try
            {
                foreach (var item in XDocument.Load(props).Descendants().Where(e => e.Name.LocalName == "PackageVersion"))
                {
                    if ((string?)item.Attribute("Include") is { } id && (string?)item.Attribute("Version") is { } version)
                    {
                        versions[id] = version;
                    }
                }
            }
            catch (System.Xml.XmlException)
            {
                // A props file that is not XML gives no versions; the newest cached ones are used.
            }

            break;
        }

        return versions;
    }

    private static string? PackageFolder(string id, string? version)
    {
        var root = Path.Combine(PackagesFolder, id.ToLowerInvariant());
        if (!Directory.Exists(root))
        {
            return null;
        }

        if (version is not null && Directory.Exists(Path.Combine(root, version.ToLowerInvariant())))
        {
            return Path.Combine(root, version.ToLowerInvariant());
        }

        // Not the exact version: the newest one there binds the same public API in most cases.
        return Directory.GetDirectories(root)
            .OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0))
            .FirstOrDefault();
    }

    private static string? BestFramework(string[] folders)
    {
        foreach (var preferred in FrameworkPreference)
        {
            if (folders.FirstOrDefault(f => string.Equals(Path.GetFileName(f), preferred, StringComparison.OrdinalIgnoreCase)) is { } match)
            {
                return match;
            }
        }

        return null;
    }

    private static List<(string Id, string? Version)> Dependencies(string folder, string id, string? framework)
    {
        var nuspec = Path.Combine(folder, id.ToLowerInvariant() + ".nuspec");
        if (!File.Exists(nuspec))
        {
            nuspec = Directory.EnumerateFiles(folder, "*.nuspec").FirstOrDefault() ?? nuspec;
        }

        if (!File.Exists(nuspec))
        {
            return [];
        }

        XElement? dependencies;
        try
        {
            dependencies = XDocument.Load(nuspec).Descendants().FirstOrDefault(e => e.Name.LocalName == "dependencies");
        }
        catch (System.Xml.XmlException)
        {
            return [];
        }

        if (dependencies is null)
        {
            return [];
        }

        // The group for the framework whose lib/ folder was taken; else the flat list.
        var groups = dependencies.Elements().Where(e => e.Name.LocalName == "group").ToList();
        var chosen = groups.Count == 0
            ? dependencies
            : groups.FirstOrDefault(g => Normalize((string?)g.Attribute("targetFramework")) == framework)
              ?? FrameworkPreference.Select(f => groups.FirstOrDefault(g => Normalize((string?)g.Attribute("targetFramework")) == f)).FirstOrDefault(g => g is not null);
        if (chosen is null)
        {
            return [];
        }

        return chosen.Elements()
            .Where(e => e.Name.LocalName == "dependency" && (string?)e.Attribute("id") is not null)
            .Select(e => ((string)e.Attribute("id")!, (string?)e.Attribute("version") is { } v ? MinimumVersion(v) : (string?)null))
            .ToList();
    }

    /// <summary>nuspec target frameworks are written several ways (net8.0, .NETStandard2.0, netcoreapp3.1).</summary>
    private static string? Normalize(string? framework)
    {
        if (framework is null)
        {
            return null;
        }

        var lower = framework.ToLowerInvariant();
        if (lower.StartsWith(".netstandard", StringComparison.Ordinal))
        {
            return "netstandard" + lower[".netstandard".Length..];
        }

        if (lower.StartsWith(".netcoreapp", StringComparison.Ordinal))
        {
            var version = lower[".netcoreapp".Length..];
            return Version.TryParse(version, out var v) && v.Major >= 5 ? "net" + version : "netcoreapp" + version;
        }

        return lower.StartsWith("net", StringComparison.Ordinal) ? lower : null;
    }

    /// <summary>The lowest version a NuGet version or range allows ("[1.2, 2.0)" → 1.2).</summary>
    private static string MinimumVersion(string range) =>
        range.Trim().TrimStart('[', '(').Split(',')[0].Trim().TrimEnd(']', ')');
}
