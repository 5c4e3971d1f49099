using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.CodeFixes.Scopes;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// Like <see cref="RuleVerifier{TAnalyzer}"/>, plus what the scope rules need: an <c>identityguard.json</c>
/// AdditionalFile and the choice among several code actions. Sources compile with <see cref="Stubs.All"/> and
/// <see cref="ScopeStubs.All"/>.
/// </summary>
internal static class ScopeVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public const string ManifestPath = "/0/identityguard.json";

    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        RunAsync<EmptyCodeFixProvider>(source, null, null, null, expected);

    public static Task AnalyzerAsync(string source, string? manifest, params DiagnosticResult[] expected) =>
        RunAsync<EmptyCodeFixProvider>(source, manifest, null, null, expected);

    public static Task CodeFixAsync(string source, string fixedSource, int codeActionIndex, params DiagnosticResult[] expected) =>
        RunAsync<NarrowScopeCodeFix>(source, null, fixedSource, codeActionIndex, expected);

    private static Task RunAsync<TCodeFix>(string source, string? manifest, string? fixedSource, int? codeActionIndex, IEnumerable<DiagnosticResult> expected)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new Test<TCodeFix> { TestCode = source };
        test.TestState.Sources.Add(("Stubs.cs", Stubs.All));
        test.TestState.Sources.Add(("ScopeStubs.cs", ScopeStubs.All));
        if (manifest is not null)
        {
            test.TestState.AdditionalFiles.Add((ManifestPath, manifest));
        }

        if (fixedSource is not null)
        {
            test.FixedCode = fixedSource;
            test.FixedState.Sources.Add(("Stubs.cs", Stubs.All));
            test.FixedState.Sources.Add(("ScopeStubs.cs", ScopeStubs.All));
            test.CodeActionIndex = codeActionIndex;
            test.CodeActionValidationMode = CodeActionValidationMode.SemanticStructure;
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
