using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.Consent;
using IdentityGuard.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// An app for the consent rules (IG0200–IG0202) as a build sees it: its source compiled against the real runtime,
/// its ASP.NET Core and MCP integrations and the frameworks (<see cref="RealAssemblies"/>), plus what the real
/// IdentityGuard generator makes of <see cref="Manifest"/>: provider <c>Crm</c> (user federation) and
/// <c>Reports</c> (client credentials), in the default namespace <c>IdentityGuard.Generated</c>.
/// </summary>
internal static class ConsentApp
{
    public const string Manifest = """
        {
          "workload": "client-brief-agent",
          "providers": {
            "Crm": {
              "kind": "oauth2", "flow": "userFederation",
              "authorizationEndpoint": "https://crm.example.com/authorize", "tokenEndpoint": "https://crm.example.com/token",
              "clientId": "brief-agent", "scopes": { "NotesRead": "crm.notes.read" }
            },
            "Reports": {
              "kind": "oauth2", "flow": "m2m", "tokenEndpoint": "https://reports.example.com/token",
              "clientId": "brief-agent", "clientSecret": { "configuration": "Reports:Secret" },
              "scopes": { "SalesRead": "sales.read" }
            }
          }
        }
        """;

    private static readonly Lazy<List<(string HintName, SourceText Text)>> LazyGenerated = new(Generate);

    /// <summary>The generator's output for <see cref="Manifest"/>, one entry per generated file.</summary>
    public static IReadOnlyList<(string HintName, SourceText Text)> Generated => LazyGenerated.Value;

    /// <summary>Runs <see cref="ConsentHandlingAnalyzer"/> on <paramref name="source"/> in the app; <c>{|IG0200:…|}</c> marks what must be reported.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        foreach (var (hintName, text) in Generated)
        {
            test.TestState.Sources.Add((hintName, text));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static List<(string HintName, SourceText Text)> Generate()
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
        var input = CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText("class Empty { }", parseOptions)],
            RealAssemblies.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var result = CSharpGeneratorDriver
            .Create([new IdentityGuardGenerator().AsSourceGenerator()], [new InMemoryAdditionalText("/app/identityguard.json", Manifest)], parseOptions)
            .RunGenerators(input)
            .GetRunResult();
        if (!result.Diagnostics.IsEmpty || result.GeneratedTrees.IsEmpty)
        {
            throw new InvalidOperationException("The generator did not compile the consent test manifest: " + string.Join("; ", result.Diagnostics));
        }

        // Hint names end in .g.cs, so the analyzers treat the files as generated code, as in a build.
        return result.Results.SelectMany(run => run.GeneratedSources).Select(source => (source.HintName, source.SourceText)).ToList();
    }

    private sealed class Test : CSharpAnalyzerTest<ConsentHandlingAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(RealAssemblies.All);
        }

        protected override ParseOptions CreateParseOptions() =>
            new CSharpParseOptions(LanguageVersion.CSharp12, DocumentationMode.Diagnose);
    }
}
