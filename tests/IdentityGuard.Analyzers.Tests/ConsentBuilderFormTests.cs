using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.Consent;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// The consent rules recognize the runtime's builder forms: <c>AddUserFederation()</c>, <c>AddConsentExceptionHandler()</c>
/// and <c>AddMcp()</c> on the <c>IdentityGuardBuilder</c>, and the callback on <c>ConsentCallbackEndpointExtensions</c>.
/// </summary>
public class ConsentBuilderFormTests
{
    private const string Usings = """
        using System;
        using System.Threading.Tasks;
        using Contoso.Agent;
        using IdentityGuard.AspNetCore;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.DependencyInjection;

        """;

    // The runtime's builder and its satellites' extensions, in the shape the packages declare them.
    private const string BuilderStubs = """
        namespace Microsoft.Extensions.DependencyInjection
        {
            public sealed class IdentityGuardBuilder
            {
                public IdentityGuardBuilder AddVault(System.Action<object>? configure = null) => this;
                public IdentityGuardBuilder AddUserFederation(System.Action<IdentityGuard.Consent.ConsentOptions>? configure = null) => this;
            }

            public static class IdentityGuardBuilderAspNetCoreExtensions
            {
                public static IdentityGuardBuilder AddConsentExceptionHandler(this IdentityGuardBuilder builder) => builder;
            }

            public static class IdentityGuardBuilderMcpExtensions
            {
                public static IdentityGuardBuilder AddMcp(this IdentityGuardBuilder builder, System.Action<object>? configure = null) => builder;
            }
        }

        namespace IdentityGuard.AspNetCore
        {
            public static class ConsentCallbackEndpointExtensions
            {
                public static object MapIdentityGuardConsentCallback(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder endpoints, string pattern = "/identityguard/consent/callback") => endpoints;
            }
        }
        """;

    [Fact]
    public Task User_federation_added_on_the_builder_without_a_callback_is_reported() => Verify("""
        static class Startup
        {
            public static void Configure(IdentityGuardBuilder identityGuard) => identityGuard.AddVault().{|IG0201:AddUserFederation()|};
        }
        """);

    [Fact]
    public Task User_federation_added_on_the_builder_with_the_callback_is_compliant() => Verify("""
        static class Startup
        {
            public static void Configure(IdentityGuardBuilder identityGuard, IEndpointRouteBuilder app)
            {
                identityGuard.AddUserFederation();
                ConsentCallbackEndpointExtensions.MapIdentityGuardConsentCallback(app);
            }
        }
        """);

    [Fact]
    public Task Without_a_handler_an_endpoint_token_request_is_reported() => Verify("""
        class Program
        {
            static void Map(IEndpointRouteBuilder app) =>
                app.MapGet("/notes", async (ICrmTokens tokens) => (await tokens.{|IG0200:GetAsync(CrmScopes.NotesRead)|}).ToString());
        }
        """);

    [Fact]
    public Task The_builder_consent_exception_handler_covers_every_endpoint() => Verify("""
        class Program
        {
            static void Configure(IdentityGuardBuilder identityGuard) => identityGuard.AddConsentExceptionHandler();

            static void Map(IEndpointRouteBuilder app) =>
                app.MapGet("/notes", async (ICrmTokens tokens) => (await tokens.GetAsync(CrmScopes.NotesRead)).ToString());
        }
        """);

    [Fact]
    public Task Mcp_added_on_the_builder_covers_every_tool() => Verify("""
        class Program
        {
            static void Configure(IdentityGuardBuilder identityGuard) => identityGuard.AddMcp();
        }

        class Tools
        {
            public async Task<string> ReadAsync(ICrmTokens tokens) => (await tokens.GetAsync(CrmScopes.NotesRead)).ToString();
        }
        """);

    private static Task Verify(string source)
    {
        var test = new ConsentTest { TestCode = Usings + source };
        var runtime = test.TestState.AdditionalProjects["IdentityGuard"];
        runtime.Sources.Add(("ConsentStubs.cs", ConsentStubs.Runtime));
        runtime.Sources.Add(("BuilderStubs.cs", BuilderStubs));
        runtime.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net80.References.All);
        test.TestState.AdditionalProjectReferences.Add("IdentityGuard");
        test.TestState.Sources.Add(("IdentityGuard.Registration.g.cs", ConsentStubs.Generated));
        return test.RunAsync(CancellationToken.None);
    }

    private sealed class ConsentTest : CSharpAnalyzerTest<ConsentHandlingAnalyzer, DefaultVerifier>
    {
        public ConsentTest()
        {
            ReferenceAssemblies = new ReferenceAssemblies("net8.0");
            TestState.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net80.References.All);
        }

        protected override Microsoft.CodeAnalysis.ParseOptions CreateParseOptions() =>
            new CSharpParseOptions(LanguageVersion.CSharp12, Microsoft.CodeAnalysis.DocumentationMode.Diagnose);
    }
}
