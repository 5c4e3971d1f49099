using System;
using System.Globalization;
using System.IO;
using System.Linq;
using IdentityGuard.Scanner.Analysis;
using IdentityGuard.Scanner.Cli;

namespace IdentityGuard.Scanner.Reporting;

/// <summary>The readable report on stdout: how each unit was loaded, each finding in the compiler's line format, and the totals.</summary>
internal static class ConsoleSummary
{
    public static void Write(ScanReport report, TextWriter output)
    {
        var root = report.Options.SourceRoot;
        output.WriteLine();
        output.WriteLine($"Scanned {report.Units.Count} {Plural(report.Units.Count, "unit", "units")} with {report.Rules.Descriptors.Length} IdentityGuard rules:");
        foreach (var unit in report.Units)
        {
            var mode = unit.Mode == LoadMode.MSBuild ? "msbuild" : "syntax-only";
            var why = unit.Reason is null ? string.Empty : $" ({unit.Reason})";
            output.WriteLine(Invariant($"  {unit.Name}: {mode}{why}; {unit.SourceFileCount} .cs, {unit.AdditionalFileCount} json; {unit.Findings.Count} {Plural(unit.Findings.Count, "finding", "findings")}; {unit.Elapsed.TotalSeconds:0.0} s"));
            foreach (var note in unit.Notes)
            {
                output.WriteLine($"      note: {note}");
            }

            foreach (var failure in unit.AnalyzerFailures)
            {
                output.WriteLine($"      error: a rule failed, findings may be missing: {failure}");
            }
        }

        if (report.Findings.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Findings:");
            foreach (var finding in report.Findings)
            {
                var suppressed = finding.Suppressed ? " (suppressed in source)" : string.Empty;
                output.WriteLine(Invariant($"  {Paths.Display(root, finding.FilePath)}({finding.StartLine},{finding.StartColumn}): {finding.Severity.ToSarifLevel()} {finding.RuleId}: {finding.Message}{suppressed}"));
            }
        }

        var active = report.Findings.Where(f => !f.Suppressed).ToList();
        var suppressedCount = report.Findings.Count - active.Count;
        output.WriteLine();
        var suppressedText = suppressedCount > 0 ? $"; {suppressedCount} suppressed in source" : string.Empty;
        output.WriteLine(Invariant(
            $"{active.Count} {Plural(active.Count, "finding", "findings")}: {active.Count(f => f.Severity == Severity.Error)} error, {active.Count(f => f.Severity == Severity.Warning)} warning, {active.Count(f => f.Severity == Severity.Note)} note{suppressedText}; {report.Elapsed.TotalSeconds:0.0} s."));
        if (active.Count > 0)
        {
            output.WriteLine("By rule: " + string.Join(", ", active.GroupBy(f => f.RuleId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} × {g.Count()}")));
        }

        var verdict = report.ExitCode switch
        {
            ExitCodes.LoadError => "Result: a rule failed to run (exit code 2).",
            ExitCodes.Findings => $"Result: {report.FailingCount} at or above the '{report.Options.Threshold.ToSarifLevel()}' threshold (exit code 1).",
            _ => report.Options.Threshold == Severity.None
                ? "Result: the threshold is none (exit code 0)."
                : $"Result: nothing at or above the '{report.Options.Threshold.ToSarifLevel()}' threshold (exit code 0).",
        };
        output.WriteLine(verdict);
    }

    private static string Plural(int count, string one, string many) => count == 1 ? one : many;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
