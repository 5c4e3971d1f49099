using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// The consent rules recognize the runtime's builder forms: <c>AddUserFederation()</c>, <c>AddConsentExceptionHandler()</c>
/// and <c>AddMcp()</c> on the <c>IdentityGuardBuilder</c>, and the callback on <c>ConsentCallbackEndpointExtensions</c>,
/// as the real runtime, IdentityGuard.AspNetCore and IdentityGuard.Mcp declare them (<see cref="ConsentApp"/>).
/// </summary>
public class ConsentBuilderFormTests
{
    private const string Usings = """
        using System;
        using System.Threading.Tasks;
        using IdentityGuard.AspNetCore;
        using IdentityGuard.Generated;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Routing;
        using Microsoft.Extensions.DependencyInjection;

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

    private static Task Verify(string source) => ConsentApp.VerifyAsync(Usings + source);
}
