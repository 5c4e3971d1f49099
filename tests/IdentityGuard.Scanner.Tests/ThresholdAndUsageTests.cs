using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Scanner.Tests;

/// <summary>Exit codes for CI: the severity threshold, the project's own severity settings, and usage errors.</summary>
public sealed class ThresholdAndUsageTests
{
    // One warning-level finding (IG0002), split so that secret scanners do not flag this repository.
    private const string OneWarning = """
        namespace Tooling;

        public static class Settings
        {
            public const string SigningSecret = "Qm7vT2xKp9LdR4wZ" + "n8YcB3hJf6GsA1eU";
        }
        """;

    [Theory]
    [InlineData(null, 1)]
    [InlineData("warning", 1)]
    [InlineData("note", 1)]
    [InlineData("error", 0)]
    [InlineData("none", 0)]
    public async Task The_threshold_decides_whether_a_warning_fails_the_scan(string? threshold, int exitCode)
    {
        var folder = Folder(editorConfig: null);
        try
        {
            var arguments = threshold is null ? new[] { "scan", folder } : new[] { "scan", folder, "--severity-threshold", threshold };
            var run = await ScannerTool.RunAsync(folder, arguments);
            Assert.True(exitCode == run.ExitCode, run.ToString());
            Assert.Contains(run.Output.Split('\n'), line => line.Contains("Settings.cs(5,", System.StringComparison.Ordinal) && line.Contains(": warning IG0002: ", System.StringComparison.Ordinal));
        }
        finally
        {
            ScannerTool.DeleteQuietly(folder);
        }
    }

    [Theory]
    [InlineData("error", 1, "error")]
    [InlineData("none", 0, null)]
    public async Task The_editorconfig_severity_applies_in_the_syntax_only_pass(string configured, int exitCode, string? level)
    {
        var folder = Folder(editorConfig: $"root = true\n\n[*.cs]\ndotnet_diagnostic.IG0002.severity = {configured}\n");
        try
        {
            var sarif = Path.Combine(folder, "scan.sarif");
            var run = await ScannerTool.RunAsync(folder, "scan", folder, "--severity-threshold", "error", "--sarif", sarif);
            Assert.True(exitCode == run.ExitCode, run.ToString());
            Assert.Contains("./: syntax-only (no project file)", run.Output, System.StringComparison.Ordinal);

            using var log = JsonDocument.Parse(await File.ReadAllTextAsync(sarif));
            var findings = SarifLog.Findings(log.RootElement);
            Assert.Equal(level is null ? [] : new[] { level }, findings.Select(f => f.Level).ToArray());
        }
        finally
        {
            ScannerTool.DeleteQuietly(folder);
        }
    }

    [Theory]
    [InlineData("no command")]
    [InlineData("missing target")]
    [InlineData("bad threshold")]
    [InlineData("unknown option")]
    [InlineData("empty folder")]
    [InlineData("not a project")]
    public async Task Usage_and_load_errors_exit_with_code_2(string mistake)
    {
        var folder = ScannerTool.NewTemporaryFolder("usage");
        try
        {
            var notAProject = Path.Combine(folder, "notes.txt");
            await File.WriteAllTextAsync(notAProject, "not C#");
            string[] arguments = mistake switch
            {
                "no command" => [],
                "missing target" => ["scan", Path.Combine(folder, "does-not-exist")],
                "bad threshold" => ["scan", folder, "--severity-threshold", "fatal"],
                "unknown option" => ["scan", folder, "--fix"],
                "empty folder" => ["scan", Directory.CreateDirectory(Path.Combine(folder, "empty")).FullName],
                _ => ["scan", notAProject],
            };
            var run = await ScannerTool.RunAsync(folder, arguments);
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains("error: ", run.Output, System.StringComparison.Ordinal);
        }
        finally
        {
            ScannerTool.DeleteQuietly(folder);
        }
    }

    private static string Folder(string? editorConfig)
    {
        var folder = ScannerTool.NewTemporaryFolder("threshold");
        File.WriteAllText(Path.Combine(folder, "Settings.cs"), OneWarning);
        if (editorConfig is not null)
        {
            File.WriteAllText(Path.Combine(folder, ".editorconfig"), editorConfig);
        }

        return folder;
    }
}
