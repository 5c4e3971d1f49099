using System;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Scanner.Cli;

/// <summary>A finding's level, in SARIF's words and order; <see cref="None"/> as a threshold means "never fail".</summary>
internal enum Severity
{
    /// <summary>A suggestion (the compiler's Info).</summary>
    Note = 1,

    /// <summary>A warning.</summary>
    Warning = 2,

    /// <summary>An error.</summary>
    Error = 3,

    /// <summary>Above every level: as a threshold, no finding fails the scan.</summary>
    None = 4,
}

/// <summary>Conversions between the compiler's severities, SARIF's level names and the command line's.</summary>
internal static class Severities
{
    /// <summary>The level a diagnostic is reported at; null for Hidden, which is not a finding.</summary>
    public static Severity? From(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => Severity.Error,
        DiagnosticSeverity.Warning => Severity.Warning,
        DiagnosticSeverity.Info => Severity.Note,
        _ => null,
    };

    /// <summary>SARIF's <c>level</c> value.</summary>
    public static string ToSarifLevel(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        Severity.Note => "note",
        _ => "none",
    };

    /// <summary>SARIF's <c>defaultConfiguration.level</c> for a descriptor's default severity.</summary>
    public static string ToSarifLevel(DiagnosticSeverity severity) => From(severity)?.ToSarifLevel() ?? "none";

    /// <summary>Parses a <c>--severity-threshold</c> value (info is accepted for note).</summary>
    public static bool TryParseThreshold(string text, out Severity threshold)
    {
        switch (text.ToUpperInvariant())
        {
            case "ERROR": threshold = Severity.Error; return true;
            case "WARNING": threshold = Severity.Warning; return true;
            case "NOTE":
            case "INFO": threshold = Severity.Note; return true;
            case "NONE": threshold = Severity.None; return true;
            default: threshold = Severity.None; return false;
        }
    }
}
