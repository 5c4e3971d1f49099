using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.CodeFixes.Secrets;
using IdentityGuard.Analyzers.Secrets;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// Runs the analyzer and code fix the way the compiler does, against .NET 8 reference assemblies
/// that ship in a package (no targeting-pack download during tests).
/// </summary>
internal static class Verify
{
    public static DiagnosticResult IG0001(string formatTitle) =>
        new DiagnosticResult(Descriptors.Rules.KnownFormatCredential).WithArguments(formatTitle);

    public static DiagnosticResult IG0002(string name) =>
        new DiagnosticResult(Descriptors.Rules.SecretNamedLiteral).WithArguments(name);

    /// <summary>Source with <c>{|IG0001:…|}</c> / <c>[|…|]</c> / <c>{|#0:…|}</c> markup.</summary>
    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        AnalyzerAsync(source, null, null, expected);

    public static Task AnalyzerAsync(
        string source,
        IEnumerable<(string Path, string Text)>? additionalFiles,
        string? editorConfig,
        params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        if (additionalFiles is not null)
        {
            foreach (var file in additionalFiles)
            {
                test.TestState.AdditionalFiles.Add((file.Path, file.Text));
            }
        }

        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public static Task GlobalConfigAsync(string source, string globalConfig, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", globalConfig));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public static Task CodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private sealed class Test : CSharpCodeFixTest<HardcodedSecretsAnalyzer, MoveSecretToEnvironmentCodeFix, DefaultVerifier>
    {
        public Test()
        {
            // An empty reference set (no package to resolve) plus the packaged .NET 8 references.
            ReferenceAssemblies = new ReferenceAssemblies("net8.0");
            TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net80.References.All);
        }

        protected override Microsoft.CodeAnalysis.ParseOptions CreateParseOptions() =>
            new CSharpParseOptions(LanguageVersion.CSharp12, Microsoft.CodeAnalysis.DocumentationMode.Diagnose);
    }
}
