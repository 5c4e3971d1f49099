using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Xunit;

namespace IdentityGuard.Scanner.Tests;

/// <summary>
/// identityguard scan on a repository that does not use IdentityGuard (Fixtures/MixedRepository): one project that
/// restores and loads with MSBuild, one whose restore fails, loose scripts with no project, JSON inputs.
/// </summary>
public sealed class ScannerFixtureTests : IClassFixture<ScannedFixture>
{
    /// <summary>The documented default levels of the rules the fixture and the samples exercise (the README's rule table).</summary>
    internal static readonly IReadOnlyDictionary<string, string> DefaultLevels = new Dictionary<string, string>
    {
        ["IG0001"] = "error", ["IG0002"] = "warning", ["IG0100"] = "warning", ["IG0101"] = "warning", ["IG0200"] = "warning",
        ["IG0201"] = "warning", ["IG0300"] = "error", ["IG0301"] = "error", ["IG0302"] = "warning", ["IG0400"] = "error",
        ["IG0401"] = "error", ["IG0402"] = "warning",
    };

    private readonly ScannedFixture _scan;

    public ScannerFixtureTests(ScannedFixture scan) => _scan = scan;

    [Fact]
    public void The_scan_reports_exactly_the_known_findings_and_fails_with_exit_code_1()
    {
        // Each finding keeps its rule's default level: the fixture configures none, and Payments' TreatWarningsAsErrors must not raise them.
        var levels = SarifLog.DefaultLevels(_scan.Sarif.RootElement);
        var expected = Expectations.FromComments(_scan.Root, Uri, id => levels[id]);

        // JSON cannot carry the comments: the settings file's secret and the manifest's over-broad scope.
        expected.Add(new SarifFinding("IG0002", "warning", "Payments/appsettings.json", 5, Suppressed: false));
        expected.Add(new SarifFinding("IG0100", "warning", "Scripts/identityguard.json", 10, Suppressed: false));

        var actual = SarifLog.Findings(_scan.Sarif.RootElement).ToHashSet();
        AssertSame(expected, actual);
        Assert.Equal(1, _scan.Run.ExitCode);

        // The readable summary lists the same findings in the compiler's format, and the suppressed one as such.
        foreach (var finding in expected)
        {
            var line = _scan.Run.Output.Split('\n').FirstOrDefault(l => l.Contains($"{finding.Uri}({finding.Line},", StringComparison.Ordinal) && l.Contains($": {finding.Level} {finding.RuleId}: ", StringComparison.Ordinal));
            Assert.True(line is not null, $"{finding} is not in the summary:\n{_scan.Run}");
            Assert.Equal(finding.Suppressed, line!.Contains("(suppressed in source)", StringComparison.Ordinal));
        }

        var active = expected.Where(f => !f.Suppressed).ToList();
        var totals = $"{active.Count} findings: {active.Count(f => f.Level == "error")} error, {active.Count(f => f.Level == "warning")} warning, 0 note; {expected.Count - active.Count} suppressed in source";
        Assert.Contains(totals, _scan.Run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_unit_says_how_it_was_loaded()
    {
        var modes = SarifLog.Modes(_scan.Sarif.RootElement);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["Legacy/Legacy.csproj"] = "syntax-only",
                ["Payments/Payments.csproj"] = "msbuild",
                ["Scripts/"] = "syntax-only",
            },
            modes);

        var output = _scan.Run.Output;
        Assert.Contains("Payments/Payments.csproj: msbuild;", output, StringComparison.Ordinal);
        Assert.Contains("Legacy/Legacy.csproj: syntax-only (dotnet restore failed: NETSDK1045", output, StringComparison.Ordinal);
        Assert.Contains("Scripts/: syntax-only (no project file)", output, StringComparison.Ordinal);

        // The SARIF log carries the same: a notification per syntax-only unit, with its reason.
        var notifications = _scan.Sarif.RootElement.GetProperty("runs")[0].GetProperty("invocations")[0].GetProperty("toolExecutionNotifications")
            .EnumerateArray().Select(n => n.GetProperty("message").GetProperty("text").GetString()!).ToList();
        Assert.Contains(notifications, n => n.StartsWith("Legacy/Legacy.csproj: syntax-only pass (dotnet restore failed: NETSDK1045", StringComparison.Ordinal));
        Assert.Contains(notifications, n => n == "Scripts/: syntax-only pass (no project file)");
    }

    [Fact]
    public void No_credential_value_reaches_the_summary_or_the_sarif_log()
    {
        var values = Expectations.CredentialValues(_scan.Root).ToList();
        using (var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(_scan.Root, "Payments", "appsettings.json"))))
        {
            values.Add(settings.RootElement.GetProperty("Payments").GetProperty("ClientSecret").GetString()!);
        }

        // The fixture holds four credentials in source (three split in two or three parts) and one in JSON.
        Assert.True(values.Count(v => v.Length >= 20) >= 5, "The fixture's credential values were not found: " + values.Count);
        foreach (var value in values)
        {
            Assert.DoesNotContain(value, _scan.Run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(value, _scan.SarifText, StringComparison.Ordinal);
        }

        // The scanner copies no source text into its output: no snippets, no context regions.
        Assert.DoesNotContain("\"snippet\"", _scan.SarifText, StringComparison.Ordinal);
        Assert.DoesNotContain("\"contextRegion\"", _scan.SarifText, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sarif_log_follows_the_schema_and_describes_every_rule()
    {
        var errors = SarifSchema.Validate(_scan.SarifText);
        Assert.True(errors.Count == 0, "The SARIF log does not follow the schema:\n" + string.Join("\n", errors));

        var run = _scan.Sarif.RootElement.GetProperty("runs")[0];
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        var ids = rules.Select(r => r.GetProperty("id").GetString()!).ToList();

        // Every rule that has a documentation page, the analyzers' (IG0001-IG0999) and the generator's manifest rules
        // (IG1001-IG1099), is described, with its page as help.
        var documented = Directory.GetFiles(Path.Combine(ScannerTool.RepositoryRoot, "docs", "rules"), "IG*.md").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(documented.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        foreach (var rule in rules)
        {
            Assert.EndsWith("/docs/rules/" + rule.GetProperty("id").GetString() + ".md", rule.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
        }

        foreach (var (id, level) in DefaultLevels)
        {
            var rule = rules.Single(r => r.GetProperty("id").GetString() == id);
            Assert.Equal(level, rule.GetProperty("defaultConfiguration").GetProperty("level").GetString());
        }

        // Results point at their rule, and their files at the scanned root.
        foreach (var result in run.GetProperty("results").EnumerateArray())
        {
            Assert.Equal(result.GetProperty("ruleId").GetString(), ids[result.GetProperty("ruleIndex").GetInt32()]);
            var artifact = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation");
            Assert.Equal("SRCROOT", artifact.GetProperty("uriBaseId").GetString());
            Assert.True(File.Exists(Path.Combine(_scan.Root, artifact.GetProperty("uri").GetString()!)));
        }

        var root = new Uri(run.GetProperty("originalUriBaseIds").GetProperty("SRCROOT").GetProperty("uri").GetString()!);
        Assert.Equal(Path.TrimEndingDirectorySeparator(_scan.Root), Path.TrimEndingDirectorySeparator(root.LocalPath));
    }

    [Theory]
    [InlineData("version", "2.1.0", "2.0.0")]
    [InlineData("level", "error", "fatal")]
    [InlineData("ruleId", "IG0001", null)]
    [InlineData("startLine", null, "0")]
    public void The_schema_check_rejects_a_broken_log(string property, string? from, string? to)
    {
        // The validator must be able to fail: each broken copy of the real log is rejected.
        var node = JsonNode.Parse(_scan.SarifText)!;
        var result = node["runs"]![0]!["results"]![0]!.AsObject();
        switch (property)
        {
            case "version":
                Assert.Equal(from, (string?)node["version"]);
                node["version"] = to;
                break;
            case "level":
                result["level"] = to;
                break;
            case "ruleId":
                Assert.StartsWith(from![..2], (string?)result["ruleId"], StringComparison.Ordinal);
                result.Remove("ruleId");
                break;
            default:
                result["locations"]![0]!["physicalLocation"]!["region"]!["startLine"] = int.Parse(to!, System.Globalization.CultureInfo.InvariantCulture);
                break;
        }

        Assert.NotEmpty(SarifSchema.Validate(node.ToJsonString()));
    }

    private string Uri(string file) => Path.GetRelativePath(_scan.Root, file).Replace(Path.DirectorySeparatorChar, '/');

    internal static void AssertSame(IReadOnlySet<SarifFinding> expected, IReadOnlySet<SarifFinding> actual)
    {
        var missing = expected.Except(actual).Select(f => f.ToString()).Order(StringComparer.Ordinal).ToList();
        var unexpected = actual.Except(expected).Select(f => f.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0, $"missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
    }
}

/// <summary>Validates a log against Schemas/identityguard-sarif.schema.json.</summary>
internal static class SarifSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", "identityguard-sarif.schema.json"))));

    /// <summary>The schema's complaints; empty when the log is valid.</summary>
    public static IReadOnlyList<string> Validate(string sarif)
    {
        using var document = JsonDocument.Parse(sarif);
        var results = Schema.Value.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))
            .DefaultIfEmpty("invalid")
            .ToList();
    }
}
