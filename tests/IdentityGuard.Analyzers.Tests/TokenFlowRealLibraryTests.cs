using System.Threading.Tasks;
using Xunit;
using Verifier = IdentityGuard.Analyzers.Tests.RealVerifier<IdentityGuard.Analyzers.TokenFlow.TokenFlowAnalyzer>;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// IG0300/IG0301 compiled against the real libraries (ASP.NET Core, MSAL, Duende.IdentityModel, the IdentityGuard
/// runtime): the sources are matched on the framework's own declaring classes, not on stand-ins.
/// </summary>
public class TokenFlowRealLibraryTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using Duende.IdentityModel.Client;
        using IdentityGuard.Tokens;
        using Microsoft.AspNetCore.Authentication;
        using Microsoft.AspNetCore.Http;
        using Microsoft.Extensions.Logging;
        using Microsoft.Identity.Client;

        """;

    private static string Body(string body) => Usings + """
        class C
        {
            ILogger logger = null!;

            async Task M(HttpContext context, HttpRequestMessage request, HttpClient http, TokenResponse tokenResponse, AuthenticationResult result, IAuthenticationService authentication)
            {
                await Task.Yield();

        """ + body + """

            }
        }
        """;

    [Fact]
    public Task HttpContext_GetTokenAsync_is_a_source() => Verifier.AnalyzerAsync(Body("""
        var accessToken = await context.GetTokenAsync("access_token");
        logger.LogInformation("Saved token {Token}", {|IG0300:accessToken|});
        var refresh = await authentication.GetTokenAsync(context, "refresh_token");
        Console.WriteLine({|IG0300:refresh|});
        """));

    [Fact]
    public Task RevealValue_of_every_secret_type_is_a_source_though_the_runtime_declares_it_once_on_SecretValue() => Verifier.AnalyzerAsync(Body("""
        var token = new AccessToken("value", "Bearer", DateTimeOffset.UtcNow);
        logger.LogInformation("Token {Token}", {|IG0300:token.RevealValue()|});
        var key = new ApiKey("value", IdentityGuard.Manifest.ApiKeyPlacement.Header, "X-Api-Key");
        Console.WriteLine({|IG0300:key.RevealValue()|});
        var refresh = new IdentityGuard.Vault.RefreshToken("value");
        Console.WriteLine({|IG0300:refresh.RevealValue()|});
        SecretValue secret = token;
        Console.WriteLine({|IG0300:secret.RevealValue()|});
        logger.LogInformation("Redacted by itself: {Token}", token);
        """));

    [Fact]
    public Task Other_authentication_calls_on_HttpContext_are_not_sources() => Verifier.AnalyzerAsync(Body("""
        var outcome = await context.AuthenticateAsync();
        logger.LogInformation("Authenticated {Succeeded} as {Name}", outcome.Succeeded, outcome.Principal?.Identity?.Name);
        var hasToken = await context.GetTokenAsync("access_token") is not null;
        logger.LogInformation("Has a saved token: {HasToken}", hasToken);
        """));

    [Fact]
    public Task Whole_request_headers_are_a_source() => Verifier.AnalyzerAsync(Body("""
        logger.LogDebug("{Headers}", {|IG0300:request.Headers|});
        logger.LogDebug("Defaults {Headers}", {|IG0300:http.DefaultRequestHeaders|});
        Console.WriteLine({|IG0300:request.Headers.ToString()|});
        """));

    [Fact]
    public Task Harmless_members_of_request_headers_are_not() => Verifier.AnalyzerAsync(Body("""
        logger.LogDebug("Accept {Accept} scheme {Scheme}", request.Headers.Accept, request.Headers.Authorization?.Scheme);
        logger.LogDebug("Agent {Agent} count {Count}", request.Headers.UserAgent.ToString(), request.Headers.Contains("X-Correlation-Id"));
        logger.LogDebug("Correlation {Ids}", request.Headers.GetValues("X-Correlation-Id"));
        logger.LogDebug("Response {Headers}", (await http.SendAsync(request)).Headers);
        """));

    [Fact]
    public Task Whole_token_responses_and_their_raw_forms_are_sources() => Verifier.AnalyzerAsync(Body("""
        Console.WriteLine({|IG0300:tokenResponse.Json|});
        logger.LogDebug("Raw {Raw}", {|IG0300:tokenResponse.Raw|});
        logger.LogInformation("Token response {@Response}", {|IG0300:tokenResponse|});
        logger.LogInformation("MSAL result {@Result}", {|IG0300:result|});
        """));

    [Fact]
    public Task Metadata_of_token_responses_is_not() => Verifier.AnalyzerAsync(Body("""
        logger.LogInformation("Expires in {ExpiresIn}, type {Type}, error {Error}", tokenResponse.ExpiresIn, tokenResponse.TokenType, tokenResponse.Error);
        logger.LogInformation("Expires {ExpiresOn} scopes {Scopes} tenant {Tenant}", result.ExpiresOn, result.Scopes, result.TenantId);
        logger.LogInformation("Status {Status} error {Description}", tokenResponse.HttpStatusCode, tokenResponse.ErrorDescription);
        """));

    [Fact]
    public Task Raw_response_of_a_failed_token_request_is_not_a_token() => Verifier.AnalyzerAsync(Body("""
        if (tokenResponse.IsError)
        {
            logger.LogError("Token request failed: {Raw}", tokenResponse.Raw);
            Console.WriteLine(tokenResponse.Json);
        }
        """));

    [Fact]
    public Task Raw_response_outside_the_error_branch_is_still_a_token() => Verifier.AnalyzerAsync(Body("""
        if (tokenResponse.IsError)
        {
            logger.LogError("Token request failed: {Error}", tokenResponse.Error);
        }
        else
        {
            logger.LogDebug("Token endpoint said {Raw}", {|IG0300:tokenResponse.Raw|});
        }

        if (!tokenResponse.IsError)
        {
            Console.WriteLine({|IG0300:tokenResponse.Json|});
        }
        """));
}
