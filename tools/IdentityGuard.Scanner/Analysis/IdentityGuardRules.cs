using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IdentityGuard.Scanner.Analysis;

/// <summary>
/// Every IdentityGuard analyzer, found by reflection in the analyzer assembly, so a rule added there is run by the
/// scanner without a change here. Instances are shared by all projects of a scan: analyzers are stateless between
/// compilations (Roslyn's own contract).
/// </summary>
internal sealed class IdentityGuardRules
{
    /// <summary>A rule set of the given analyzers (the tests run a failing one through the scanner's own path).</summary>
    internal IdentityGuardRules(ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        Analyzers = analyzers;
        Descriptors = analyzers
            .SelectMany(a => a.SupportedDiagnostics)
            .Concat(ManifestGenerator.Descriptors)
            .Where(d => d.Id.StartsWith("IG", StringComparison.Ordinal))
            .GroupBy(d => d.Id, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    /// <summary>One instance of each C# analyzer in the assembly.</summary>
    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    /// <summary>Every IG rule those analyzers and the manifest generator (IG1001–IG1099) can report, by id.</summary>
    public ImmutableArray<DiagnosticDescriptor> Descriptors { get; }

    public static IdentityGuardRules Load()
    {
        var assembly = typeof(Rules).Assembly;
        var analyzers = assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Where(t => t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        if (analyzers.IsEmpty)
        {
            throw new InvalidOperationException($"No analyzers were found in {assembly.GetName().Name}.");
        }

        return new IdentityGuardRules(analyzers);
    }

    /// <summary>The version of the analyzer assembly, for the SARIF driver.</summary>
    public static string Version =>
        typeof(Rules).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(Rules).Assembly.GetName().Version?.ToString()
        ?? "0.0.0";

    /// <summary>The index of a rule in <see cref="Descriptors"/> (SARIF's ruleIndex).</summary>
    public int IndexOf(string id)
    {
        for (var i = 0; i < Descriptors.Length; i++)
        {
            if (Descriptors[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The rule ids, for the summary's heading.</summary>
    public IEnumerable<string> Ids => Descriptors.Select(d => d.Id);
}
