using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.WebUtilities;
using Xunit;

namespace IdentityGuard.Demo.Tests;

/// <summary>Authorization code + PKCE, refresh token and token exchange (RFC 8693) against the real server.</summary>
[Collection(SharedDemoEnvironment.Name)]
public sealed class DelegatedFlowTests(DemoEnvironment environment)
{
    private DemoIdentityProvider Idp => environment.IdentityProvider;

    [Fact]
    public async Task AuthorizationCodeWithPkceThenRefreshIssuesUserTokens()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var code = await AuthorizeAsync("alice", verifier);

        var tokens = await TokenRequests.PostAsync(environment.Http, Idp.TokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = DemoEnvironment.BrowserAppId,
            ["code"] = code,
            ["redirect_uri"] = DemoEnvironment.RedirectUri.AbsoluteUri,
            ["code_verifier"] = verifier,
        });
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal("alice", TokenRequests.ReadPayload(tokens.AccessToken!).GetProperty("sub").GetString());
        Assert.NotNull(tokens.RefreshToken);

        var refreshed = await TokenRequests.PostAsync(environment.Http, Idp.TokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = DemoEnvironment.BrowserAppId,
            ["refresh_token"] = tokens.RefreshToken!,
        });
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);

        var caller = await WhoAmIAsync(refreshed.AccessToken!);
        Assert.Equal("alice", caller.Subject);
        Assert.Contains(DemoApi.SalesReadScope, caller.Scopes);
    }

    [Fact]
    public async Task CodeRedeemedWithWrongVerifierIsRejected()
    {
        var code = await AuthorizeAsync("alice", Base64Url(RandomNumberGenerator.GetBytes(32)));

        var tokens = await TokenRequests.PostAsync(environment.Http, Idp.TokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = DemoEnvironment.BrowserAppId,
            ["code"] = code,
            ["redirect_uri"] = DemoEnvironment.RedirectUri.AbsoluteUri,
            ["code_verifier"] = Base64Url(RandomNumberGenerator.GetBytes(32)),
        });

        Assert.Equal("invalid_grant", tokens.Error);
    }

    [Fact]
    public async Task DeniedConsentRedirectsWithAccessDenied()
    {
        var query = await StartAuthorizationAsync("mallory", Base64Url(RandomNumberGenerator.GetBytes(32)));

        Assert.Equal("access_denied", query["error"]);
    }

    [Fact]
    public async Task TokenExchangeIssuesTokenForTheUserWithTheApiAsActor()
    {
        var aliceToken = await GetAliceAccessTokenAsync();

        var exchanged = await TokenRequests.PostAsync(environment.Http, Idp.TokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = DemoGrantTypes.TokenExchange,
            ["client_id"] = DemoEnvironment.ApiClientId,
            ["client_secret"] = DemoEnvironment.ApiClientSecret,
            ["subject_token"] = aliceToken,
            ["subject_token_type"] = "urn:ietf:params:oauth:token-type:access_token",
            ["scope"] = DemoApi.SalesWriteScope,
        });
        Assert.True(exchanged.Status == HttpStatusCode.OK, exchanged.Body.ToString());

        var caller = await WhoAmIAsync(exchanged.AccessToken!);
        Assert.Equal("alice", caller.Subject);
        Assert.Equal(DemoEnvironment.ApiClientId, caller.Actor);
        Assert.Equal([DemoApi.SalesWriteScope], caller.Scopes);
    }

    private async Task<string> GetAliceAccessTokenAsync()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var code = await AuthorizeAsync("alice", verifier);
        var tokens = await TokenRequests.PostAsync(environment.Http, Idp.TokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = DemoEnvironment.BrowserAppId,
            ["code"] = code,
            ["redirect_uri"] = DemoEnvironment.RedirectUri.AbsoluteUri,
            ["code_verifier"] = verifier,
        });
        return tokens.AccessToken ?? throw new InvalidOperationException(tokens.Body.ToString());
    }

    private async Task<string> AuthorizeAsync(string user, string verifier)
    {
        var query = await StartAuthorizationAsync(user, verifier);
        Assert.False(query.ContainsKey("error"), query.TryGetValue("error_description", out var description) ? description.ToString() : null);
        return query["code"].ToString();
    }

    private async Task<Dictionary<string, Microsoft.Extensions.Primitives.StringValues>> StartAuthorizationAsync(string user, string verifier)
    {
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var url = QueryHelpers.AddQueryString(Idp.AuthorizationEndpoint.AbsoluteUri, new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = DemoEnvironment.BrowserAppId,
            ["redirect_uri"] = DemoEnvironment.RedirectUri.AbsoluteUri,
            ["scope"] = "openid offline_access sales.read",
            ["state"] = "xyz",
            ["login_hint"] = user,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        });

        using var response = await environment.Http.GetAsync(new Uri(url));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        Assert.StartsWith(DemoEnvironment.RedirectUri.AbsoluteUri, location.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("xyz", query["state"]);
        return query;
    }

    private async Task<CallerInfo> WhoAmIAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(environment.Api.BaseAddress, "whoami"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await environment.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CallerInfo>())!;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
