using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Scanner.Tests;

/// <summary>The repository's own samples: the deliberately broken one and the main agent.</summary>
public sealed class SamplesScanTests
{
    [Fact]
    public async Task The_violations_sample_gives_exactly_its_marked_findings_with_msbuild()
    {
        var sample = Path.Combine(ScannerTool.RepositoryRoot, "samples", "AnalyzerViolations");
        var sarif = Path.Combine(ScannerTool.NewTemporaryFolder("violations"), "scan.sarif");
        try
        {
            // Not in the solution, so nothing restored it: --restore does, and the configuration finds the generator
            // the test build produced (the sample loads it as an analyzer from its project output).
            var run = await ScannerTool.RunAsync(
                sample, "scan", Path.Combine(sample, "AnalyzerViolations.csproj"), "--restore", "-p", "Configuration=" + ScannerTool.Configuration, "--sarif", sarif);
            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains("AnalyzerViolations.csproj: msbuild;", run.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("is not built", run.Output, StringComparison.Ordinal);

            using var log = JsonDocument.Parse(await File.ReadAllTextAsync(sarif));
            Assert.Empty(SarifSchema.Validate(await File.ReadAllTextAsync(sarif)));

            // SARIF paths are relative to the repository root (the enclosing git repository).
            var expected = Expectations.FromComments(sample, file => Path.GetRelativePath(ScannerTool.RepositoryRoot, file).Replace(Path.DirectorySeparatorChar, '/'), id => SarifLog.DefaultLevels(log.RootElement)[id]);
            Assert.True(expected.Count >= 18, "The sample's expectations were not read: " + expected.Count);
            ScannerFixtureTests.AssertSame(expected, SarifLog.Findings(log.RootElement).ToHashSet());
        }
        finally
        {
            ScannerTool.DeleteQuietly(Path.GetDirectoryName(sarif)!);
        }
    }

    [Fact]
    public async Task The_client_brief_agent_has_no_findings()
    {
        // It uses IdentityGuard as its docs say, so every rule stays quiet. (Restored with the solution already;
        // --restore keeps the test whole when this project is tested alone.)
        var sample = Path.Combine(ScannerTool.RepositoryRoot, "samples", "ClientBriefAgent");
        var run = await ScannerTool.RunAsync(sample, "scan", sample, "--restore", "-p", "Configuration=" + ScannerTool.Configuration, "--severity-threshold", "note");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("ClientBriefAgent.csproj: msbuild;", run.Output, StringComparison.Ordinal);
        Assert.Contains("0 findings: 0 error, 0 warning, 0 note", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("is not built", run.Output, StringComparison.Ordinal);
    }
}
