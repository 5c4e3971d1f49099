using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Scanner.Cli;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IdentityGuard.Scanner.Analysis;

/// <summary>
/// Runs the IG analyzers on one compilation, the way csc would, and the IdentityGuard generator where the unit has a
/// manifest (<see cref="ManifestGenerator"/>), and turns their diagnostics into <see cref="Finding"/>s.
/// </summary>
internal static class CompilationAnalyzer
{
    public static async Task<(List<Finding> Findings, List<string> Failures)> AnalyzeAsync(
        Compilation compilation, AnalyzerOptions options, IdentityGuardRules rules, CancellationToken cancellationToken)
    {
        // TreatWarningsAsErrors is a build policy, not the finding's level: the threshold decides what fails the
        // scan. Per-rule settings (.editorconfig, NoWarn, WarningsAsErrors) still apply.
        compilation = compilation.WithOptions(compilation.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Default));

        var failures = new ConcurrentBag<string>();
        var analysis = compilation.WithAnalyzers(
            rules.Analyzers,
            new CompilationWithAnalyzersOptions(
                options,
                onAnalyzerException: (exception, analyzer, _) => failures.Add($"{analyzer.GetType().Name} threw {exception.GetType().Name}: {exception.Message}"),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false,
                reportSuppressedDiagnostics: true));

        var diagnostics = await analysis.GetAnalyzerDiagnosticsAsync(cancellationToken).ConfigureAwait(false);
        var findings = new List<Finding>();
        try
        {
            findings.AddRange(ManifestGenerator.Run(compilation, options, cancellationToken));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            failures.Add($"IdentityGuardGenerator threw {exception.GetType().Name}: {exception.Message}");
        }

        foreach (var diagnostic in diagnostics)
        {
            if (!diagnostic.Id.StartsWith("IG", StringComparison.Ordinal)
                || Severities.From(diagnostic.Severity) is not { } severity
                || ToFinding(diagnostic, severity) is not { } finding)
            {
                continue;
            }

            findings.Add(finding);
        }

        return (findings, failures.Distinct(StringComparer.Ordinal).ToList());
    }

    public static Finding? ToFinding(Diagnostic diagnostic, Severity severity)
    {
        // Findings in generated code or in memory have no file anyone can open; the rules skip generated code anyway.
        if (diagnostic.Location.Kind is not (LocationKind.SourceFile or LocationKind.ExternalFile))
        {
            return null;
        }

        var span = diagnostic.Location.GetLineSpan();
        if (string.IsNullOrEmpty(span.Path) || !System.IO.Path.IsPathRooted(span.Path))
        {
            return null;
        }

        return new Finding(
            diagnostic.Id,
            severity,
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
            span.Path,
            span.StartLinePosition.Line + 1,
            span.StartLinePosition.Character + 1,
            span.EndLinePosition.Line + 1,
            span.EndLinePosition.Character + 1,
            diagnostic.IsSuppressed);
    }

    /// <summary>The analyzer options with the rules' JSON inputs added where the project does not list them itself.</summary>
    public static ImmutableArray<AdditionalText> MergeAdditionalFiles(ImmutableArray<AdditionalText> existing, IEnumerable<string> found)
    {
        var paths = new HashSet<string>(existing.Select(t => t.Path), StringComparer.Ordinal);
        var builder = existing.ToBuilder();
        foreach (var path in found)
        {
            if (paths.Add(path))
            {
                builder.Add(new FileAdditionalText(path));
            }
        }

        return builder.ToImmutable();
    }
}
