using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using IdentityGuard.Package.Tests;
using Xunit;

namespace IdentityGuard.Analyzers.Package.Tests;

/// <summary>
/// samples/AnalyzerViolations, built as a consumer of the packed package, fails with exactly the diagnostics its
/// <c>// expect: IGnnnn</c> comments name, on those lines, and the compiler's SARIF log says the same.
/// </summary>
[Collection(SharedPackage.Name)]
public sealed class ViolationsBuildTests
{
    /// <summary>Every rule that exists today; the sample must exercise each (new families add theirs here).</summary>
    private static readonly string[] RulesTheSampleMustCover =
    {
        "IG0001", "IG0002", "IG0101", "IG0200", "IG0201", "IG0300", "IG0301", "IG0302", "IG0400", "IG0401", "IG0402",
    };

    private static readonly Regex ExpectComment = new(@"//\s*expect:\s*(?<ids>IG\d{4}(?:\s*,\s*IG\d{4})*)\s*$", RegexOptions.CultureInvariant);

    // MSBuild's canonical diagnostic line: path(line,column): severity ID: message [project]
    private static readonly Regex DiagnosticLine = new(@"^\s*(?<path>[^\s(][^(]*)\((?<line>\d+),\d+(?:,\d+,\d+)?\): (?<severity>error|warning) (?<id>[A-Z]+\d+):", RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private readonly PackedPackage _package;

    public ViolationsBuildTests(PackedPackage package) => _package = package;

    [Fact]
    public async Task The_violations_sample_fails_with_exactly_the_marked_diagnostics_and_a_sarif_log()
    {
        var sample = Path.Combine(_package.RepositoryRoot, "samples", "AnalyzerViolations");
        var consumer = CreateConsumer(sample);
        var expected = ReadExpectations(sample);
        Assert.All(RulesTheSampleMustCover, id => Assert.Contains(expected, finding => finding.Id == id));

        var sarif = Path.Combine(consumer, "build.sarif");

        // ErrorLog takes "path,version=2.1"; the comma is escaped (%2C) because MSBuild's -p: switch splits on commas.
        var build = await ProcessRunner.RunAsync(
            "dotnet",
            ["build", "-c", "Release", "--disable-build-servers", "-p:ErrorLog=" + sarif + "%2Cversion=2.1"],
            consumer);

        Assert.True(build.ExitCode != 0, $"The violations sample must not build:\n{build.Output}");
        var diagnostics = DiagnosticLine.Matches(build.Output)
            .Select(match => (Id: match.Groups["id"].Value, Severity: match.Groups["severity"].Value, File: Path.GetFileName(match.Groups["path"].Value.Trim()), Line: int.Parse(match.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .Distinct()
            .ToList();
        var others = diagnostics.Where(d => d.Severity == "error" && !d.Id.StartsWith("IG", StringComparison.Ordinal)).ToList();
        Assert.True(others.Count == 0, "The sample must compile apart from IdentityGuard's findings:\n" + string.Join("\n", others));

        var actual = diagnostics.Where(d => d.Id.StartsWith("IG", StringComparison.Ordinal)).Select(d => new Finding(d.Id, d.File, d.Line)).ToHashSet();
        AssertSameFindings(expected, actual, "build output");

        // Default severities reach the user unchanged: errors fail the build, heuristics stay warnings.
        Assert.Contains(diagnostics, d => d.Id == "IG0001" && d.Severity == "error");
        Assert.Contains(diagnostics, d => d.Id == "IG0002" && d.Severity == "warning");

        AssertSarif(sarif, expected);
    }

    private static void AssertSarif(string path, IReadOnlySet<Finding> expected)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        var run = root.GetProperty("runs")[0];

        var results = run.GetProperty("results").EnumerateArray()
            .Where(result => result.GetProperty("ruleId").GetString()!.StartsWith("IG", StringComparison.Ordinal))
            .Select(result =>
            {
                var location = result.GetProperty("locations")[0].GetProperty("physicalLocation");
                var uri = new Uri(location.GetProperty("artifactLocation").GetProperty("uri").GetString()!);
                return new Finding(result.GetProperty("ruleId").GetString()!, Path.GetFileName(uri.LocalPath), location.GetProperty("region").GetProperty("startLine").GetInt32());
            })
            .ToHashSet();
        AssertSameFindings(expected, results, "SARIF log");

        // Every reported rule is described in the log with a help link to its page.
        var rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .ToDictionary(rule => rule.GetProperty("id").GetString()!, rule => rule.TryGetProperty("helpUri", out var uri) ? uri.GetString() : null);
        foreach (var id in expected.Select(finding => finding.Id).Distinct())
        {
            Assert.True(rules.TryGetValue(id, out var helpUri), $"{id} is not described in the SARIF log");
            Assert.EndsWith("/docs/rules/" + id + ".md", helpUri, StringComparison.Ordinal);
        }
    }

    private static void AssertSameFindings(IReadOnlySet<Finding> expected, IReadOnlySet<Finding> actual, string where)
    {
        var missing = expected.Except(actual).OrderBy(f => f.ToString(), StringComparer.Ordinal).ToList();
        var unexpected = actual.Except(expected).OrderBy(f => f.ToString(), StringComparer.Ordinal).ToList();
        Assert.True(
            missing.Count == 0 && unexpected.Count == 0,
            $"{where}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
    }

    private static HashSet<Finding> ReadExpectations(string sample)
    {
        var expected = new HashSet<Finding>();
        foreach (var file in SourceFiles(sample))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var match = ExpectComment.Match(lines[i]);
                if (!match.Success)
                {
                    continue;
                }

                foreach (var id in match.Groups["ids"].Value.Split(',', StringSplitOptions.TrimEntries))
                {
                    Assert.True(expected.Add(new Finding(id, Path.GetFileName(file), i + 1)), $"{id} is expected twice on {file}:{i + 1}");
                }
            }
        }

        Assert.NotEmpty(expected);
        return expected;
    }

    private string CreateConsumer(string sample)
    {
        var directory = Path.Combine(_package.WorkDirectory, "violations");
        Directory.CreateDirectory(directory);
        foreach (var file in SourceFiles(sample).Append(Path.Combine(sample, "identityguard.json")))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        var template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ViolationsConsumer", "Consumer.csproj.template"));
        File.WriteAllText(
            Path.Combine(directory, "AnalyzerViolations.csproj"),
            template.Replace("$FEED$", _package.Feed, StringComparison.Ordinal).Replace("$VERSION$", _package.Version, StringComparison.Ordinal));
        return directory;
    }

    /// <summary>The sample's own sources; its bin/obj (if someone built it in place) are not sources.</summary>
    private static IEnumerable<string> SourceFiles(string sample) =>
        Directory.EnumerateFiles(sample, "*.cs", SearchOption.TopDirectoryOnly).OrderBy(path => path, StringComparer.Ordinal);

    private sealed record Finding(string Id, string File, int Line)
    {
        public override string ToString() => $"{Id} {File}:{Line}";
    }
}
