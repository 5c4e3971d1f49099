using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Scanner.Analysis;
using IdentityGuard.Scanner.Cli;
using IdentityGuard.Scanner.Reporting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace IdentityGuard.Scanner.Tests;

/// <summary>
/// A rule that throws must not look like a clean scan: its findings may be missing, so the exit code is 2 and both
/// outputs say which rule failed.
/// </summary>
public sealed class RuleFailureTests
{
    [Fact]
    public async Task A_rule_that_throws_fails_the_scan_with_exit_code_2()
    {
        var compilation = CSharpCompilation.Create(
            "Failing",
            [CSharpSyntaxTree.ParseText("class C { void M() { } }", path: Path.Combine(Path.GetTempPath(), "C.cs"))],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)]);
        var rules = new IdentityGuardRules([new ThrowingAnalyzer()]);

        var (findings, failures) = await CompilationAnalyzer.AnalyzeAsync(compilation, new AnalyzerOptions([]), rules, CancellationToken.None);
        Assert.Empty(findings);
        var failure = Assert.Single(failures);
        Assert.Contains("ThrowingAnalyzer threw InvalidOperationException", failure, StringComparison.Ordinal);

        var options = new ScanOptions(Path.GetTempPath(), null, Severity.Warning, Path.GetTempPath(), Restore: false, new Dictionary<string, string>());
        var unit = new UnitResult("./", null, LoadMode.SyntaxOnly, "no project file", 1, 0, findings, [], failures, TimeSpan.Zero);
        var report = new ScanReport(options, rules, [unit], TimeSpan.Zero);
        Assert.Equal(2, report.ExitCode);

        using var summary = new StringWriter();
        ConsoleSummary.Write(report, summary);
        Assert.Contains("error: a rule failed, findings may be missing: ThrowingAnalyzer threw", summary.ToString(), StringComparison.Ordinal);
        Assert.Contains("(exit code 2)", summary.ToString(), StringComparison.Ordinal);

        using var sarif = new MemoryStream();
        SarifWriter.Write(report, sarif);
        var text = System.Text.Encoding.UTF8.GetString(sarif.ToArray());
        Assert.Contains("\"executionSuccessful\": false", text, StringComparison.Ordinal);
        Assert.Contains("\"exitCode\": 2", text, StringComparison.Ordinal);
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new(
            "IG9999", "A rule that throws", "never reported", "Security", DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: "https://identityguard.example/IG9999");

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("a rule bug"), SyntaxKind.MethodDeclaration);
        }
    }
}
