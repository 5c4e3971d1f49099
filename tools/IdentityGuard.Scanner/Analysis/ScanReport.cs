using System;
using System.Collections.Generic;
using System.Linq;
using IdentityGuard.Scanner.Cli;

namespace IdentityGuard.Scanner.Analysis;

/// <summary>Everything a scan found, and the exit code it leads to.</summary>
internal sealed class ScanReport
{
    public ScanReport(ScanOptions options, IdentityGuardRules rules, IReadOnlyList<UnitResult> units, TimeSpan elapsed)
    {
        Options = options;
        Rules = rules;
        Units = units;
        Elapsed = elapsed;

        // A file shared by two projects (a linked file, several target frameworks) is one finding, not two.
        Findings = units.SelectMany(u => u.Findings)
            .DistinctBy(f => (f.RuleId, f.FilePath, f.StartLine, f.StartColumn, f.Message))
            .OrderBy(f => f.FilePath, StringComparer.Ordinal)
            .ThenBy(f => f.StartLine)
            .ThenBy(f => f.StartColumn)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
    }

    public ScanOptions Options { get; }

    public IdentityGuardRules Rules { get; }

    public IReadOnlyList<UnitResult> Units { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>Unique findings, in file and line order.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>Rules threw: findings may be missing, so the scan cannot vouch for the code.</summary>
    public bool AnalysisFailed => Units.Any(u => u.AnalyzerFailures.Count > 0);

    /// <summary>Unsuppressed findings at or above the threshold.</summary>
    public int FailingCount => Findings.Count(f => !f.Suppressed && f.Severity >= Options.Threshold);

    /// <summary>0 clean, 1 findings at or above the threshold, 2 a rule failed to run.</summary>
    public int ExitCode => AnalysisFailed ? ExitCodes.LoadError : FailingCount > 0 ? ExitCodes.Findings : ExitCodes.Clean;
}

/// <summary>The exit codes CI pipelines key on.</summary>
internal static class ExitCodes
{
    public const int Clean = 0;
    public const int Findings = 1;
    public const int LoadError = 2;
}
