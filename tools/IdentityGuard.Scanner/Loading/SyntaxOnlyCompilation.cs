using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml.Linq;
using IdentityGuard.Scanner.Analysis;
using IdentityGuard.Scanner.Discovery;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Scanner.Loading;

/// <summary>
/// The fallback pass: the unit's .cs files parsed from disk and bound against the running .NET's shared frameworks,
/// the assemblies under the unit's folder (a bin/ left by an earlier build, a lib/ folder) and, for a project file,
/// its packages found in the NuGet packages folder. Rules that need only syntax and constants (secrets, scopes in
/// JSON) work as in a build; rules that follow types work as far as those types resolve.
/// </summary>
internal static class SyntaxOnlyCompilation
{
    // What `ImplicitUsings` adds for Microsoft.NET.Sdk, and in addition for Microsoft.NET.Sdk.Web.
    private static readonly string[] SdkUsings = ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private static readonly string[] WebUsings =
    [
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing",
        "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    ];

    // The symbols a current SDK defines for net10.0, so #if blocks for modern .NET are the ones compiled.
    private static readonly string[] PreprocessorSymbols =
    [
        "TRACE", "RELEASE", "NET", "NETCOREAPP", "NET10_0", "NETCOREAPP3_0_OR_GREATER", "NETCOREAPP3_1_OR_GREATER", "NETSTANDARD2_0_OR_GREATER", "NETSTANDARD2_1_OR_GREATER",
        "NET5_0_OR_GREATER", "NET6_0_OR_GREATER", "NET7_0_OR_GREATER", "NET8_0_OR_GREATER", "NET9_0_OR_GREATER", "NET10_0_OR_GREATER",
    ];

    public static async Task<(Compilation Compilation, AnalyzerOptions Options, List<string> Notes)> CreateAsync(ScanUnit unit, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var project = unit.ProjectPath is null ? null : ReadProject(unit.ProjectPath);
        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview, DocumentationMode.None, SourceCodeKind.Regular, PreprocessorSymbols);

        var trees = await Task.WhenAll(unit.SourceFiles.Select(file => Task.Run(
            () =>
            {
                using var stream = File.OpenRead(file);
                var text = SourceText.From(stream, Encoding.UTF8, SourceHashAlgorithm.Sha256, canBeEmbedded: false);
                return CSharpSyntaxTree.ParseText(text, parseOptions, file, cancellationToken);
            },
            cancellationToken))).ConfigureAwait(false);

        var allTrees = trees.ToList();
        var implicitUsings = project is null || project.ImplicitUsings;
        if (implicitUsings)
        {
            // Loose files are mostly top-level programs written against an SDK project's defaults.
            var usings = project is { IsWeb: true } ? SdkUsings.Concat(WebUsings) : SdkUsings;
            var text = string.Concat(usings.Select(u => $"global using global::{u};\n"));
            allTrees.Add(CSharpSyntaxTree.ParseText(text, parseOptions, Path.Combine(unit.Folder, "obj", "IdentityGuard.Scanner.GlobalUsings.g.cs"), cancellationToken: cancellationToken));
        }

        var references = new List<MetadataReference>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, reference) in MetadataAssemblies.SharedFramework)
        {
            names.Add(name);
            references.Add(reference);
        }

        var ownAssembly = project?.AssemblyName;
        var found = 0;
        var candidates = FoundAssemblies(unit.Folder);
        if (unit.ProjectPath is not null)
        {
            var (packages, missing) = PackageAssemblies.Resolve(unit.ProjectPath);
            candidates.AddRange(packages);
            if (missing.Count > 0)
            {
                notes.Add($"packages not in the NuGet packages folder, their types are unresolved: {string.Join(", ", missing.Take(8))}{(missing.Count > 8 ? ", …" : string.Empty)}");
            }
        }

        foreach (var file in candidates)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!string.Equals(name, ownAssembly, StringComparison.OrdinalIgnoreCase) && names.Add(name) && MetadataAssemblies.HasMetadata(file))
            {
                references.Add(MetadataReference.CreateFromFile(file));
                found++;
            }
        }

        notes.Add($"bound against the .NET {Environment.Version} shared framework" + (found > 0 ? $" and {found} other assemblies found" : string.Empty));

        var config = EditorConfigOptions.Discover(unit.Folder, unit.SourceFiles.Concat(unit.AdditionalFiles));
        var isProgram = project?.IsExe ?? trees.Any(t => t.GetCompilationUnitRoot(cancellationToken).Members.Any(m => m is GlobalStatementSyntax));
        var options = new CSharpCompilationOptions(
                isProgram ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: true,
                concurrentBuild: true)
            .WithSyntaxTreeOptionsProvider(config.SeverityProvider);

        var compilation = CSharpCompilation.Create(ownAssembly ?? SafeName(unit.Name), allTrees, references, options);
        var additional = CompilationAnalyzer.MergeAdditionalFiles(ImmutableArray<AdditionalText>.Empty, unit.AdditionalFiles);
        return (compilation, new AnalyzerOptions(additional, config.AnalyzerOptionsProvider), notes);
    }

    /// <summary>Assemblies left in the folder by a build or checked in (bin/, lib/); obj/ holds only intermediate copies.</summary>
    private static List<string> FoundAssemblies(string folder)
    {
        var files = new List<FileInfo>();
        Collect(new DirectoryInfo(folder), files, depth: 0);

        // Newest first, so a fresh build output wins over a stale one of the same name.
        return files.OrderByDescending(f => f.LastWriteTimeUtc).Select(f => f.FullName).ToList();

        static void Collect(DirectoryInfo directory, List<FileInfo> files, int depth)
        {
            if (depth > 8)
            {
                return;
            }

            files.AddRange(directory.EnumerateFiles("*.dll"));
            foreach (var child in directory.EnumerateDirectories())
            {
                if (!child.Name.Equals("obj", StringComparison.OrdinalIgnoreCase) && !child.Name.StartsWith('.') && !child.Name.Equals("node_modules", StringComparison.OrdinalIgnoreCase))
                {
                    Collect(child, files, depth + 1);
                }
            }
        }
    }

    private static string SafeName(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());

    private static ProjectFacts? ReadProject(string path)
    {
        try
        {
            var document = XDocument.Load(path);
            string? Property(string name) => document.Descendants().LastOrDefault(e => e.Name.LocalName == name && !e.HasElements)?.Value.Trim();
            var sdk = (string?)document.Root?.Attribute("Sdk") ?? string.Empty;
            var implicitUsings = Property("ImplicitUsings");
            return new ProjectFacts(
                Property("AssemblyName") is { Length: > 0 } assembly && !assembly.Contains('$', StringComparison.Ordinal) ? assembly : Path.GetFileNameWithoutExtension(path),
                string.Equals(implicitUsings, "enable", StringComparison.OrdinalIgnoreCase) || string.Equals(implicitUsings, "true", StringComparison.OrdinalIgnoreCase),
                sdk.Contains("Web", StringComparison.OrdinalIgnoreCase),
                string.Equals(Property("OutputType"), "Exe", StringComparison.OrdinalIgnoreCase) || string.Equals(Property("OutputType"), "WinExe", StringComparison.OrdinalIgnoreCase));
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private sealed record ProjectFacts(string AssemblyName, bool ImplicitUsings, bool IsWeb, bool IsExe);
}
