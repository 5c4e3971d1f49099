using System;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Package.Tests;
using Xunit;

namespace IdentityGuard.Analyzers.Package.Tests;

/// <summary>
/// IdentityGuardAnalysisMode as users meet it: set in the project file of a consumer of the packed package, the
/// chosen preset must reach the compiler and decide the severities in the build's SARIF log.
/// </summary>
[Collection(SharedPackage.Name)]
public sealed class AnalysisModeTests
{
    private readonly PackedPackage _package;

    public AnalysisModeTests(PackedPackage package) => _package = package;

    [Fact]
    public async Task Recommended_is_the_default_and_keeps_each_rule_at_its_declared_severity()
    {
        var consumer = ModesConsumer.Create(_package, "mode-default", mode: string.Empty);

        var build = await consumer.BuildAsync();

        Assert.True(build.ExitCode != 0, $"IG0001 is an error, so the build must fail:\n{build.Output}");
        Assert.Equal(
            Sorted(
                $"IG0001 error Program.cs:{consumer.LineOf("Program.cs", "ArchiveAccessKeyId =")}",
                $"IG0002 warning Program.cs:{consumer.LineOf("Program.cs", "CrmClientSecret =")}",
                $"IG0100 warning identityguard.json:{consumer.LineOf("identityguard.json", "auth/drive\"")}"),
            build.Findings);
    }

    [Fact]
    public async Task Strict_makes_every_rule_an_error_in_code_and_in_the_manifest_and_looks_harder_for_secrets()
    {
        var consumer = ModesConsumer.Create(_package, "mode-strict", "strict");

        var build = await consumer.BuildAsync();

        Assert.True(build.ExitCode != 0, build.Output);
        Assert.Equal(
            Sorted(
                $"IG0001 error Program.cs:{consumer.LineOf("Program.cs", "ArchiveAccessKeyId =")}",
                $"IG0002 error Program.cs:{consumer.LineOf("Program.cs", "CrmClientSecret =")}",
                $"IG0002 error Program.cs:{consumer.LineOf("Program.cs", "BackupRecoveryCode =")}",
                $"IG0100 error identityguard.json:{consumer.LineOf("identityguard.json", "auth/drive\"")}"),
            build.Findings);
    }

    [Fact]
    public async Task Minimal_reports_only_the_high_confidence_rules()
    {
        var consumer = ModesConsumer.Create(_package, "mode-minimal", "minimal");

        var build = await consumer.BuildAsync();

        Assert.True(build.ExitCode != 0, build.Output);
        Assert.Equal(
            Sorted($"IG0001 error Program.cs:{consumer.LineOf("Program.cs", "ArchiveAccessKeyId =")}"),
            build.Findings);
    }

    [Fact]
    public async Task None_reports_no_IdentityGuard_diagnostic_and_the_generated_code_still_compiles_and_runs()
    {
        var consumer = ModesConsumer.Create(_package, "mode-none", "none");

        var build = await consumer.BuildAsync();

        Assert.True(build.ExitCode == 0, $"With every rule off the consumer must build:\n{build.Output}");
        Assert.Empty(build.Results);
        Assert.DoesNotMatch(@"(error|warning) IG\d{4}", build.Output);

        var run = await consumer.RunAsync();
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("workload: modes-agent", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_project_own_editorconfig_wins_over_the_preset()
    {
        var consumer = ModesConsumer.Create(_package, "mode-strict-overridden", "strict");
        consumer.WriteFile(".editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.IG0002.severity = warning
            """);

        var build = await consumer.BuildAsync();

        Assert.Equal(
            Sorted(
                $"IG0001 error Program.cs:{consumer.LineOf("Program.cs", "ArchiveAccessKeyId =")}",
                $"IG0002 warning Program.cs:{consumer.LineOf("Program.cs", "CrmClientSecret =")}",
                $"IG0002 warning Program.cs:{consumer.LineOf("Program.cs", "BackupRecoveryCode =")}",
                $"IG0100 error identityguard.json:{consumer.LineOf("identityguard.json", "auth/drive\"")}"),
            build.Findings);
    }

    [Fact]
    public async Task None_lets_the_project_turn_single_rules_back_on()
    {
        var consumer = ModesConsumer.Create(_package, "mode-none-opt-in", "none");
        consumer.WriteFile(".editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.IG0001.severity = error
            """);

        var build = await consumer.BuildAsync();

        Assert.Equal(
            Sorted($"IG0001 error Program.cs:{consumer.LineOf("Program.cs", "ArchiveAccessKeyId =")}"),
            build.Findings);
    }

    [Fact]
    public async Task An_unknown_mode_fails_the_build_and_names_the_valid_ones()
    {
        var consumer = ModesConsumer.Create(_package, "mode-unknown", "lenient");

        var build = await consumer.BuildAsync();

        Assert.True(build.ExitCode != 0, build.Output);
        Assert.Contains("IdentityGuardAnalysisMode must be recommended, strict, minimal or none; got 'lenient'", build.Output, StringComparison.Ordinal);
    }

    private static string[] Sorted(params string[] findings) => findings.Order(StringComparer.Ordinal).ToArray();
}
