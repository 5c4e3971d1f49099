using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Scanner.Loading;

/// <summary>
/// Assemblies a syntax-only compilation is bound against: the shared frameworks of the .NET runtime running the
/// scanner (Microsoft.NETCore.App and, beside it, Microsoft.AspNetCore.App), read once per scan.
/// </summary>
internal static class MetadataAssemblies
{
    private static readonly Lazy<IReadOnlyList<(string Name, MetadataReference Reference)>> Framework = new(LoadFramework);

    /// <summary>The running runtime's framework assemblies, by simple name.</summary>
    public static IReadOnlyList<(string Name, MetadataReference Reference)> SharedFramework => Framework.Value;

    private static List<(string Name, MetadataReference Reference)> LoadFramework()
    {
        var core = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var folders = new List<string> { core };

        // shared/Microsoft.NETCore.App/<version> → shared/Microsoft.AspNetCore.App/<same version, else the newest>.
        var shared = Path.GetDirectoryName(Path.GetDirectoryName(core)!)!;
        var aspNetCore = Path.Combine(shared, "Microsoft.AspNetCore.App");
        if (Directory.Exists(aspNetCore))
        {
            var same = Path.Combine(aspNetCore, Path.GetFileName(core));
            var chosen = Directory.Exists(same)
                ? same
                : Directory.GetDirectories(aspNetCore).OrderByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : new Version(0, 0)).FirstOrDefault();
            if (chosen is not null)
            {
                folders.Add(chosen);
            }
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var references = new List<(string, MetadataReference)>();
        foreach (var file in folders.SelectMany(f => Directory.EnumerateFiles(f, "*.dll").OrderBy(p => p, StringComparer.Ordinal)))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (seen.Add(name) && HasMetadata(file))
            {
                references.Add((name, MetadataReference.CreateFromFile(file)));
            }
        }

        return references;
    }

    /// <summary>True for a managed assembly (native libraries can sit beside them).</summary>
    public static bool HasMetadata(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new PEReader(stream);
            return reader.HasMetadata;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
