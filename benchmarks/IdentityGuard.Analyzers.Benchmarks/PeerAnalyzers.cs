using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IdentityGuard.Analyzers.Benchmarks;

/// <summary>
/// Analyzers measured next to the current IdentityGuard build: another build of IdentityGuard's (a baseline, loaded
/// in its own load context so both versions coexist) and SonarAnalyzer's two secret rules, the speed peer the goals
/// are stated against. Also reads a real source tree as the corpus.
/// </summary>
internal static class PeerAnalyzers
{
    /// <summary>SonarAnalyzer's hard-coded credentials (S2068) and hard-coded secrets (S6418) rules.</summary>
    public static readonly ImmutableArray<string> SonarRuleIds = ImmutableArray.Create("S2068", "S6418");

    /// <summary>The analyzers of <paramref name="path"/> that <paramref name="keep"/> selects.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Load(string path, Func<DiagnosticAnalyzer, bool> keep)
    {
        var reference = new AnalyzerFileReference(Path.GetFullPath(path), new IsolatedLoader(Path.GetFileNameWithoutExtension(path)));
        var analyzers = reference.GetAnalyzers(LanguageNames.CSharp).Where(keep).ToImmutableArray();
        if (analyzers.IsEmpty)
        {
            throw new InvalidOperationException("No analyzers loaded from " + path);
        }

        return analyzers;
    }

    /// <summary>The analyzers of <c>SonarAnalyzer.CSharp.dll</c> at <paramref name="path"/> that report S2068 or S6418.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Sonar(string path)
    {
        return Load(
            path,
            analyzer => analyzer.SupportedDiagnostics.Any(d => SonarRuleIds.Contains(d.Id)));
    }

    /// <summary>Every C# file under <paramref name="folder"/>, outside <c>bin</c> and <c>obj</c>.</summary>
    public static IReadOnlyList<(string Path, string Text)> ReadTree(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .OrderBy(path => path, StringComparer.Ordinal)
            .Select(path => (Path.GetRelativePath(folder, path), File.ReadAllText(path)))
            .ToList();

    /// <summary>Loads an analyzer assembly (and its siblings) in a context of its own; Roslyn itself comes from the host.</summary>
    private sealed class IsolatedLoader(string name) : IAnalyzerAssemblyLoader
    {
        private readonly AssemblyLoadContext _context = new(name);
        private readonly Dictionary<string, string> _siblings = new(StringComparer.OrdinalIgnoreCase);

        public void AddDependencyLocation(string fullPath) => _siblings[Path.GetFileNameWithoutExtension(fullPath)] = fullPath;

        public Assembly LoadFromPath(string fullPath)
        {
            _context.Resolving += (context, assemblyName) =>
                assemblyName.Name is { } simple && File.Exists(Path.Combine(Path.GetDirectoryName(fullPath)!, simple + ".dll"))
                    ? context.LoadFromAssemblyPath(Path.Combine(Path.GetDirectoryName(fullPath)!, simple + ".dll"))
                    : null;
            return _context.LoadFromAssemblyPath(fullPath);
        }
    }
}
