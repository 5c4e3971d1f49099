using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// Runs one analyzer (and optionally a fix) on a test source plus <see cref="Stubs"/>: minimal declarations of the
/// third-party types the rules recognize, in their real namespaces, so tests need no extra packages.
/// </summary>
internal static class RuleVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        CodeFixAsync<EmptyCodeFixProvider>(source, null, expected);

    public static Task CodeFixAsync<TCodeFix>(string source, string? fixedSource, params DiagnosticResult[] expected)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new Test<TCodeFix> { TestCode = source };
        test.TestState.Sources.Add(("Stubs.cs", Stubs.All));
        if (fixedSource is not null)
        {
            test.FixedCode = fixedSource;
            test.FixedState.Sources.Add(("Stubs.cs", Stubs.All));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private sealed class Test<TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        where TCodeFix : CodeFixProvider, new()
    {
        public Test()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net8.0");
            TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net80.References.All);
        }

        protected override Microsoft.CodeAnalysis.ParseOptions CreateParseOptions() =>
            new CSharpParseOptions(LanguageVersion.CSharp12, Microsoft.CodeAnalysis.DocumentationMode.Diagnose);
    }
}
