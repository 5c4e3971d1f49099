using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using IdentityGuard.Generators;
using IdentityGuard.Scanner.Cli;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IdentityGuard.Scanner.Analysis;

/// <summary>
/// The manifest rules (IG1001–IG1099): the IdentityGuard source generator reports them while it compiles
/// <c>identityguard.json</c>, so a unit with a manifest has the generator run over its compilation, with the unit's
/// additional files and analyzer config options, as csc would. Only its diagnostics are kept; the code it generates is
/// not added to what the analyzers see (a project that references the package has it already).
/// </summary>
internal static class ManifestGenerator
{
    private const string ManifestFileName = "identityguard.json";

    /// <summary>The generator's findings, located in the manifest; none when the unit has no <c>identityguard.json</c>.</summary>
    public static List<Finding> Run(Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var findings = new List<Finding>();
        if (compilation is not CSharpCompilation
            || !options.AdditionalFiles.Any(file => string.Equals(Path.GetFileName(file.Path), ManifestFileName, StringComparison.OrdinalIgnoreCase)))
        {
            return findings;
        }

        var parseOptions = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? CSharpParseOptions.Default;
        var driver = CSharpGeneratorDriver.Create(
            [new IdentityGuardGenerator().AsSourceGenerator()],
            options.AdditionalFiles,
            parseOptions,
            options.AnalyzerConfigOptionsProvider);
        var result = driver.RunGenerators(compilation, cancellationToken).GetRunResult();
        foreach (var diagnostic in result.Diagnostics)
        {
            if (!diagnostic.Id.StartsWith("IG", StringComparison.Ordinal)
                || Configured(diagnostic, compilation, cancellationToken) is not { } severity
                || CompilationAnalyzer.ToFinding(diagnostic, severity) is not { } finding)
            {
                continue;
            }

            findings.Add(finding);
        }

        return findings;
    }

    /// <summary>
    /// The level csc would report the diagnostic at: a diagnostic outside C# source follows the project's global
    /// settings only (<c>NoWarn</c>, <c>WarningsAsErrors</c>, a <c>.globalconfig</c>), not <c>.editorconfig</c> sections;
    /// null when it is turned off.
    /// </summary>
    private static Severity? Configured(Diagnostic diagnostic, Compilation compilation, CancellationToken cancellationToken)
    {
        var options = compilation.Options;
        var report = ReportDiagnostic.Default;
        if (options.SyntaxTreeOptionsProvider?.TryGetGlobalDiagnosticValue(diagnostic.Id, cancellationToken, out var global) == true)
        {
            report = global;
        }

        if (options.SpecificDiagnosticOptions.TryGetValue(diagnostic.Id, out var specific))
        {
            report = specific;
        }

        return report switch
        {
            ReportDiagnostic.Suppress or ReportDiagnostic.Hidden => null,
            ReportDiagnostic.Error => Severity.Error,
            ReportDiagnostic.Warn => Severity.Warning,
            ReportDiagnostic.Info => Severity.Note,
            _ => Severities.From(diagnostic.Severity),
        };
    }

    /// <summary>Every rule the generator can report, for the SARIF rule list.</summary>
    public static ImmutableArray<DiagnosticDescriptor> Descriptors { get; } = Generators.Diagnostics.ManifestDiagnostics.All;
}
