using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using IdentityGuard.Scanner.Analysis;
using IdentityGuard.Scanner.Cli;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Scanner.Reporting;

/// <summary>
/// Writes the scan as a SARIF 2.1.0 log (one run): every IG rule with its help link and default level, every
/// finding with its location relative to the SRCROOT base id, and how each unit was loaded. Written directly with
/// Utf8JsonWriter; the shape follows the OASIS schema and what GitHub code scanning reads.
/// </summary>
internal static class SarifWriter
{
    public const string SourceRootId = "SRCROOT";

    private const string InformationUri = "https://github.com/identityguard/identityguard";

    public static void Write(ScanReport report, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        WriteTool(json, report);
        WriteInvocation(json, report);

        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject(SourceRootId);
        json.WriteString("uri", new Uri(report.Options.SourceRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar).AbsoluteUri);
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("results");
        foreach (var finding in report.Findings)
        {
            WriteResult(json, report, finding);
        }

        json.WriteEndArray();
        json.WriteString("columnKind", "utf16CodeUnits");

        json.WriteStartObject("properties");
        json.WriteStartArray("units");
        foreach (var unit in report.Units)
        {
            json.WriteStartObject();
            json.WriteString("name", unit.Name);
            json.WriteString("mode", unit.Mode == LoadMode.MSBuild ? "msbuild" : "syntax-only");
            if (unit.Reason is not null)
            {
                json.WriteString("reason", unit.Reason);
            }

            json.WriteNumber("sourceFiles", unit.SourceFileCount);
            json.WriteNumber("additionalFiles", unit.AdditionalFileCount);
            json.WriteNumber("findings", unit.Findings.Count);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTool(Utf8JsonWriter json, ScanReport report)
    {
        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "IdentityGuard");
        json.WriteString("informationUri", InformationUri);
        json.WriteString("version", IdentityGuardRules.Version);
        json.WriteString("semanticVersion", IdentityGuardRules.Version);
        json.WriteStartArray("rules");
        foreach (var rule in report.Rules.Descriptors)
        {
            json.WriteStartObject();
            json.WriteString("id", rule.Id);
            json.WriteString("name", PascalName(rule));
            json.WriteStartObject("shortDescription");
            json.WriteString("text", rule.Title.ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteEndObject();
            var description = rule.Description.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (description.Length > 0)
            {
                json.WriteStartObject("fullDescription");
                json.WriteString("text", description);
                json.WriteEndObject();
            }

            if (!string.IsNullOrEmpty(rule.HelpLinkUri))
            {
                json.WriteString("helpUri", rule.HelpLinkUri);
            }

            json.WriteStartObject("defaultConfiguration");
            json.WriteString("level", Severities.ToSarifLevel(rule.DefaultSeverity));
            json.WriteBoolean("enabled", rule.IsEnabledByDefault);
            json.WriteEndObject();

            json.WriteStartObject("properties");
            json.WriteString("category", rule.Category);
            json.WriteStartArray("tags");
            json.WriteStringValue(rule.Category.ToLowerInvariant());
            foreach (var tag in rule.CustomTags)
            {
                json.WriteStringValue(tag);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteInvocation(Utf8JsonWriter json, ScanReport report)
    {
        json.WriteStartArray("invocations");
        json.WriteStartObject();
        json.WriteBoolean("executionSuccessful", !report.AnalysisFailed);
        json.WriteNumber("exitCode", report.ExitCode);
        json.WriteStartArray("toolExecutionNotifications");
        foreach (var unit in report.Units)
        {
            if (unit.Mode == LoadMode.SyntaxOnly)
            {
                WriteNotification(json, "note", $"{unit.Name}: syntax-only pass ({unit.Reason})");
            }

            foreach (var note in unit.Notes)
            {
                WriteNotification(json, "note", $"{unit.Name}: {note}");
            }

            foreach (var failure in unit.AnalyzerFailures)
            {
                WriteNotification(json, "error", $"{unit.Name}: a rule failed, findings may be missing: {failure}");
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    private static void WriteNotification(Utf8JsonWriter json, string level, string text)
    {
        json.WriteStartObject();
        json.WriteString("level", level);
        json.WriteStartObject("message");
        json.WriteString("text", text);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, ScanReport report, Finding finding)
    {
        json.WriteStartObject();
        json.WriteString("ruleId", finding.RuleId);
        var index = report.Rules.IndexOf(finding.RuleId);
        if (index >= 0)
        {
            json.WriteNumber("ruleIndex", index);
        }

        json.WriteString("level", finding.Severity.ToSarifLevel());
        json.WriteStartObject("message");
        json.WriteString("text", finding.Message);
        json.WriteEndObject();

        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        if (Paths.RelativeTo(report.Options.SourceRoot, finding.FilePath) is { } relative)
        {
            json.WriteString("uri", string.Join('/', relative.Split('/').Select(Uri.EscapeDataString)));
            json.WriteString("uriBaseId", SourceRootId);
        }
        else
        {
            json.WriteString("uri", new Uri(finding.FilePath).AbsoluteUri);
        }

        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", finding.StartLine);
        json.WriteNumber("startColumn", finding.StartColumn);
        json.WriteNumber("endLine", finding.EndLine);
        json.WriteNumber("endColumn", finding.EndColumn);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();

        if (finding.Suppressed)
        {
            json.WriteStartArray("suppressions");
            json.WriteStartObject();
            json.WriteString("kind", "inSource");
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    /// <summary>SARIF's optional rule name: the title in PascalCase words (GitHub shows it next to the id).</summary>
    private static string PascalName(DiagnosticDescriptor rule) =>
        string.Concat(rule.Title.ToString(System.Globalization.CultureInfo.InvariantCulture)
            .Split([' ', '-', '\'', ',', '.', '(', ')', ':', ';'], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
