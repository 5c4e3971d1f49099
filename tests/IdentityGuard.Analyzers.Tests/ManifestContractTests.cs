using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.Consent;
using IdentityGuard.Analyzers.Scopes;
using IdentityGuard.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// The manifest contract end to end: the real generator compiles a manifest against the real runtime, and the
/// analyzers recognize the generated providers by the <c>[IdentityGuardProvider]</c> attribute it emits, in the
/// manifest's own words, not by the shape of generated names. Malformed manifests never make an analyzer throw.
/// </summary>
public class ManifestContractTests
{
    private const string Manifest = """
        {
          "workload": "client-brief-agent",
          "providers": {
            "Crm": {
              "kind": "oauth2", "flow": "userFederation",
              "authorizationEndpoint": "https://crm.example.com/authorize", "tokenEndpoint": "https://crm.example.com/token",
              "clientId": "brief-agent", "scopes": { "NotesRead": "notes.read" }
            },
            "Reports": {
              "kind": "oauth2", "flow": "m2m", "tokenEndpoint": "https://reports.example.com/token",
              "clientId": "brief-agent", "clientSecret": { "configuration": "Reports:Secret" },
              "scopes": { "SalesRead": "sales.read" }
            }
          }
        }
        """;

    private const string Usings = """
        using System.Threading.Tasks;
        using Contoso.Agent;
        using Microsoft.Extensions.DependencyInjection;

        """;

    [Fact]
    public async Task A_generated_user_federation_accessor_and_its_client_wiring_are_recognized_and_the_m2m_ones_are_not()
    {
        var diagnostics = await AnalyzeAsync(Manifest, Usings + """
            public class Agent
            {
                public async Task<string> NotesAsync(ICrmTokens crm) => (await crm.GetAsync(CrmScopes.NotesRead)).TokenType;

                public async Task<string> SalesAsync(IReportsTokens reports) => (await reports.GetAsync(ReportsScopes.SalesRead)).TokenType;

                public static void Wire(IServiceCollection services)
                {
                    services.AddHttpClient("crm").WithCrmToken(CrmScopes.NotesRead);
                    services.AddHttpClient("reports").WithReportsToken(ReportsScopes.SalesRead);
                }
            }
            """);

        var request = Assert.Single(diagnostics, d => d.Id == "IG0200");
        Assert.Equal("GetAsync(CrmScopes.NotesRead)", Text(request));
        Assert.Contains("'Crm'", request.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var wiring = Assert.Single(diagnostics, d => d.Id == "IG0202");
        Assert.Contains("WithCrmToken", Text(wiring), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hand_written_type_named_like_a_generated_accessor_is_not_taken_for_one()
    {
        // The old reading took "ICrmTokens" apart into provider "Crm" and found it among the user-federation providers.
        // A look-alike in another namespace is not generated code: nothing is reported for it.
        var diagnostics = await AnalyzeAsync(Manifest, Usings + """
            namespace LookAlike
            {
                public enum CrmScopes : ulong { None = 0, NotesRead = 1 }
                public interface ICrmTokens { Task<string> GetAsync(CrmScopes scopes); }
                public static class IdentityGuardRegistration
                {
                    public static IHttpClientBuilder WithCrmToken(this IHttpClientBuilder builder, CrmScopes scopes) => builder;
                }

                public class Agent
                {
                    public async Task<string> NotesAsync(ICrmTokens crm) => await crm.GetAsync(CrmScopes.NotesRead);

                    public static void Wire(IServiceCollection services) => services.AddHttpClient("crm").WithCrmToken(CrmScopes.NotesRead);
                }
            }
            """);

        Assert.DoesNotContain(diagnostics, d => d.Id is "IG0200" or "IG0202");
    }

    [Theory]
    [InlineData("clientCredentials")]
    [InlineData("client_credentials")]
    public async Task An_older_spelling_of_m2m_in_the_manifest_is_the_m2m_flow(string spelling)
    {
        var manifest = Manifest.Replace("\"flow\": \"userFederation\"", "\"flow\": \"" + spelling + "\"", StringComparison.Ordinal);
        var (compilation, generated) = Generate(manifest, Usings + "public class Agent { public async Task<string> NotesAsync(ICrmTokens crm) => (await crm.GetAsync(CrmScopes.NotesRead)).TokenType; }");

        Assert.Contains("Flow = \"m2m\"", generated, StringComparison.Ordinal);
        Assert.Contains("OAuthFlow.M2M", generated, StringComparison.Ordinal);
        Assert.DoesNotContain(await RunAsync(compilation, ImmutableArray<AdditionalText>.Empty, new ConsentHandlingAnalyzer()), d => d.Id == "IG0200");
    }

    public static TheoryData<string> MalformedManifests()
    {
        var data = new TheoryData<string>
        {
            "",
            "null",
            "[]",
            "{",
            "{ \"providers\": [] }",
            "{ \"providers\": { \"Crm\": 1 } }",
            "{ \"providers\": { \"Crm\": { \"flow\": 3, \"vendor\": [], \"scopes\": \"notes.read\" } } }",
            "{ \"providers\": { \"Crm\": { \"scopes\": { \"A\": 1, \"B\": { }, \"A\": \"x\" } } } }",
            "{ \"providers\": { \"\": { \"kind\": \"oauth2\", \"flow\": \"m2m\", \"scopes\": { \"\": \"*\" } } } }",
            "{ \"providers\": { \"Crm\": { \"kind\": \"oauth2\", \"flow\": \"userFederation\", \"scopes\": { \"All\": \"https://www.googleapis.com/auth/drive\" } }, \"crm\": { } } }",
            "\uFEFF{ \"providers\": { \"Crm\": { \"scopes\": { \"All\": \"\\ud800\" } } } }",
        };

        // Every prefix of a real manifest: what an editor holds while someone types it.
        for (var length = 0; length < Manifest.Length; length += 7)
        {
            data.Add(Manifest.Substring(0, length));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(MalformedManifests))]
    public async Task A_malformed_manifest_never_makes_an_analyzer_throw(string manifest)
    {
        var compilation = CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText("""
                class C
                {
                    void M(IdentityGuard.Federation.UserFederation federation) =>
                        _ = federation.GetAccessTokenAsync(null!, "Crm", new[] { "notes.read", "https://www.googleapis.com/auth/drive" });
                }
                """)],
            RealAssemblies.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var files = ImmutableArray.Create<AdditionalText>(new ManifestText("/src/identityguard.json", manifest));

        // RunAsync fails the test on any analyzer exception; the diagnostics themselves may be anything.
        await RunAsync(compilation, files, new ManifestScopeAnalyzer(), new ScopeRequestAnalyzer(), new ConsentHandlingAnalyzer());
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string manifest, string source)
    {
        var (compilation, _) = Generate(manifest, source);
        return await RunAsync(compilation, ImmutableArray<AdditionalText>.Empty, new ConsentHandlingAnalyzer());
    }

    /// <summary>The user's source plus what the real generator makes of <paramref name="manifest"/>, compiled against the real runtime.</summary>
    private static (Compilation Compilation, string Generated) Generate(string manifest, string source)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
        var input = CSharpCompilation.Create(
            "Consumer",
            [CSharpSyntaxTree.ParseText(source, parseOptions)],
            RealAssemblies.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create(
            [new IdentityGuardGenerator().AsSourceGenerator()],
            [new ManifestText("/src/identityguard.json", manifest)],
            parseOptions,
            new NamespaceOptions("Contoso.Agent"));
        driver.RunGeneratorsAndUpdateCompilation(input, out var output, out var generatorDiagnostics);
        Assert.Empty(generatorDiagnostics);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join(Environment.NewLine, errors.Select(e => e.ToString())));
        var generated = string.Concat(output.SyntaxTrees.Skip(1).Select(tree => tree.ToString()));
        return (output, generated);
    }

    private static async Task<ImmutableArray<Diagnostic>> RunAsync(Compilation compilation, ImmutableArray<AdditionalText> files, params DiagnosticAnalyzer[] analyzers)
    {
        var exceptions = new ConcurrentBag<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(files),
            (exception, _, _) => exceptions.Add(exception),
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers([.. analyzers], options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.Empty(exceptions);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }

    private static string Text(Diagnostic diagnostic) => diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan);

    private sealed class ManifestText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }

    private sealed class NamespaceOptions(string ns) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(ns);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

        private sealed class Options(string ns) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, out string value)
            {
                value = ns;
                return key == "build_property.IdentityGuardNamespace";
            }
        }
    }
}
