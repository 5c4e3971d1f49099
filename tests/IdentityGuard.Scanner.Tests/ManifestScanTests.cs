using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Scanner.Tests;

/// <summary>
/// The manifest rules (IG1001–IG1099), which the IdentityGuard generator reports, in a scan of
/// Fixtures/ManifestRepository: a mistake in a project loaded with MSBuild, one in loose files scanned syntax-only,
/// and a clean manifest, each reported with the manifest's file and line.
/// </summary>
public sealed class ManifestScanTests
{
    [Fact]
    public async Task Manifest_mistakes_are_reported_at_their_line_in_both_load_modes_and_a_clean_manifest_is_quiet()
    {
        var root = ScannerTool.NewTemporaryFolder("manifests");
        var sarifPath = Path.Combine(root, "..", Path.GetFileName(root) + ".sarif");
        try
        {
            ScannerTool.CopyFixture("ManifestRepository", root);
            var run = await ScannerTool.RunAsync(root, "scan", root, "--restore", "--sarif", sarifPath);
            using var sarif = JsonDocument.Parse(await File.ReadAllTextAsync(sarifPath));

            var modes = SarifLog.Modes(sarif.RootElement);
            Assert.Equal("msbuild", modes["Agent/Agent.csproj"]);
            Assert.Equal("msbuild", modes["Clean/Clean.csproj"]);
            Assert.Equal("syntax-only", modes["Scripts/"]);

            // Agent/identityguard.json line 5: "kind": "oauth3". Scripts/identityguard.json line 4: provider Tickets has no clientId.
            var expected = new[]
            {
                new SarifFinding("IG1004", "error", "Agent/identityguard.json", 5, Suppressed: false),
                new SarifFinding("IG1002", "error", "Scripts/identityguard.json", 4, Suppressed: false),
            };
            var actual = SarifLog.Findings(sarif.RootElement);
            Assert.True(
                expected.ToHashSet().SetEquals(actual),
                $"expected: {string.Join("; ", expected)}\nactual: {string.Join("; ", actual)}\n{run}");
            Assert.Equal(1, run.ExitCode);

            // The log describes the manifest rules like the others, and the summary lists the findings in the compiler's format.
            var levels = SarifLog.DefaultLevels(sarif.RootElement);
            Assert.Equal("error", levels["IG1004"]);
            Assert.Equal("warning", levels["IG1008"]);
            Assert.Contains("Agent/identityguard.json(5,", run.Output, StringComparison.Ordinal);
            Assert.Contains("Scripts/identityguard.json(4,", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            ScannerTool.DeleteQuietly(root);
            File.Delete(sarifPath);
        }
    }
}
