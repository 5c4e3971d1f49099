using System;
using System.Linq;
using IdentityGuard.Generators.Diagnostics;
using IdentityGuard.Generators.Tests.Infrastructure;
using IdentityGuard.Manifest;
using IdentityGuard.ManifestContract;
using Microsoft.CodeAnalysis;
using Xunit;

namespace IdentityGuard.Generators.Tests;

/// <summary>
/// The contract the generator shares with the runtime and the analyzers: one vocabulary, one spelling per concept,
/// and the attribute that says which provider a generated member belongs to.
/// </summary>
public sealed class ManifestContractTests
{
    [Fact]
    public void The_shared_reader_problems_are_the_generator_diagnostics()
    {
        var problems = typeof(ManifestProblems).GetFields().Select(f => (ManifestProblem)f.GetValue(null)!).ToArray();
        Assert.Equal(
            ManifestDiagnostics.All.Select(d => (d.Id, d.DefaultSeverity == DiagnosticSeverity.Error)).Order(),
            problems.Select(p => (p.Id, p.IsError)).Order());
    }

    [Fact]
    public void The_model_enums_spell_the_runtime_enums_the_generated_code_names()
    {
        // The emitter writes OAuthFlow.<ProviderFlow member> and CredentialKind.<ProviderKind member>.
        Assert.Equal(Enum.GetNames<OAuthFlow>(), Enum.GetNames<ProviderFlow>());
        Assert.Equal(Enum.GetNames<CredentialKind>(), Enum.GetNames<ProviderKind>());
        Assert.Equal(ManifestVocabulary.ProviderAttributeMetadataName, typeof(IdentityGuardProviderAttribute).FullName);
    }

    [Fact]
    public void Every_flow_and_kind_word_reads_back_as_itself()
    {
        foreach (var flow in Enum.GetValues<ProviderFlow>())
        {
            Assert.True(ManifestVocabulary.TryParseFlow(ManifestVocabulary.FlowWord(flow), out var parsed));
            Assert.Equal(flow, parsed);
        }

        Assert.Equal(ManifestVocabulary.Flows, Enum.GetValues<ProviderFlow>().Select(ManifestVocabulary.FlowWord));
        Assert.Equal(ManifestVocabulary.Kinds, Enum.GetValues<ProviderKind>().Select(ManifestVocabulary.KindWord));
    }

    [Theory]
    [InlineData("clientCredentials")]
    [InlineData("client_credentials")]
    public void Older_spellings_of_m2m_are_accepted_in_the_manifest_and_generate_the_canonical_one(string spelling)
    {
        var outcome = GeneratorHarness.Run(
            "{ \"workload\": \"w\", \"providers\": { \"Reports\": { \"kind\": \"oauth2\", \"flow\": \"" + spelling + "\", \"tokenEndpoint\": \"https://idp.example.com/token\", \"clientId\": \"c\" } } }");

        Assert.Empty(outcome.Diagnostics);
        var text = string.Concat(outcome.Sources.Select(s => s.SourceText.ToString()));
        Assert.Contains("Flow = global::IdentityGuard.Manifest.OAuthFlow.M2M,", text, StringComparison.Ordinal);
        Assert.Contains("[global::IdentityGuard.Manifest.IdentityGuardProvider(\"Reports\", \"oauth2\", Flow = \"m2m\")]", text, StringComparison.Ordinal);
        Assert.DoesNotContain(spelling, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("M2M")]
    [InlineData("ClientCredentials")]
    [InlineData("App")]
    public void Other_spellings_are_still_unknown_flows(string spelling)
    {
        var outcome = GeneratorHarness.Run(
            "{ \"workload\": \"w\", \"providers\": { \"Reports\": { \"kind\": \"oauth2\", \"flow\": \"" + spelling + "\", \"tokenEndpoint\": \"https://idp.example.com/token\", \"clientId\": \"c\" } } }");

        var diagnostic = Assert.Single(outcome.Diagnostics);
        Assert.Equal("IG1004", diagnostic.Id);
        Assert.Contains("m2m, userFederation, onBehalfOf", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_generated_provider_type_and_wiring_method_carries_the_provider_attribute()
    {
        var outcome = GeneratorHarness.Run(SnapshotTests.RepresentativeManifest, SnapshotTests.BuildProperties);
        var compilation = outcome.OutputCompilation;
        var attribute = compilation.GetTypeByMetadataName(ManifestVocabulary.ProviderAttributeMetadataName)!;
        var registration = compilation.GetTypeByMetadataName("Contoso.Agent.IdentityGuardRegistration")!;
        var model = ManifestReader.Read(GeneratorHarness.ManifestPath, SnapshotTests.RepresentativeManifest, default).Model!;
        Assert.Contains(model.Providers, p => p.Kind == ProviderKind.ApiKey);

        foreach (var provider in model.Providers)
        {
            var names = provider.Kind == ProviderKind.OAuth2
                ? new[] { provider.Name + "Scopes", "I" + provider.Name + "Tokens", provider.Name + "TokenAccessor" }
                : new[] { "I" + provider.Name + "ApiKey", provider.Name + "ApiKeyAccessor" };
            var symbols = names.Select(n => (ISymbol)compilation.GetTypeByMetadataName("Contoso.Agent." + n)!)
                .Append(registration.GetMembers("With" + provider.Name + (provider.Kind == ProviderKind.OAuth2 ? "Token" : "ApiKey")).Single());
            foreach (var symbol in symbols)
            {
                var data = Assert.Single(symbol.GetAttributes(), a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));
                Assert.Equal(provider.Name, data.ConstructorArguments[0].Value);
                Assert.Equal(ManifestVocabulary.KindWord(provider.Kind), data.ConstructorArguments[1].Value);
                var flow = data.NamedArguments.SingleOrDefault(a => a.Key == "Flow").Value.Value as string;
                Assert.Equal(provider.Kind == ProviderKind.OAuth2 ? ManifestVocabulary.FlowWord(provider.Flow) : null, flow);
            }
        }
    }
}
