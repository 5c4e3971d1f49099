using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// Runs one analyzer on a test source compiled against <see cref="RealAssemblies"/> (no stand-ins): for rules about
/// framework and library members, whose declaring class and namespace must be the real ones.
/// </summary>
internal static class RealVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(RealAssemblies.All);
        }

        protected override Microsoft.CodeAnalysis.ParseOptions CreateParseOptions() =>
            new CSharpParseOptions(LanguageVersion.CSharp12, Microsoft.CodeAnalysis.DocumentationMode.Diagnose);
    }
}
