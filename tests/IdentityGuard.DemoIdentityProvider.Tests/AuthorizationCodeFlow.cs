using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.WebUtilities;
using Xunit;

namespace IdentityGuard.Demo.Tests;

/// <summary>An authorization request as a client would build it, with the PKCE verifier it keeps to itself.</summary>
public sealed record PkceAuthorizationRequest(Uri Url, string Verifier, string State);

/// <summary>Authorization code + PKCE, refresh and revocation as plain HTTP, driven through <see cref="DemoBrowser"/>.</summary>
public static class AuthorizationCodeFlow
{
    public static PkceAuthorizationRequest CreateRequest(
        Uri authorizationEndpoint, string clientId, Uri redirectUri, string scope, string? loginHint = null)
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var state = Base64Url(RandomNumberGenerator.GetBytes(8));
        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri.AbsoluteUri,
            ["scope"] = scope,
            ["state"] = state,
            ["code_challenge"] = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
        };
        if (loginHint is not null)
        {
            parameters["login_hint"] = loginHint;
        }

        return new PkceAuthorizationRequest(new Uri(QueryHelpers.AddQueryString(authorizationEndpoint.AbsoluteUri, parameters)), verifier, state);
    }

    /// <summary>Signs <paramref name="user"/> in through a <see cref="DemoBrowser"/> and redeems the code.</summary>
    public static async Task<TokenResponse> SignInAsync(
        HttpClient http, DemoIdentityProvider idp, string user, string clientId, Uri redirectUri, string scope)
    {
        var request = CreateRequest(idp.AuthorizationEndpoint, clientId, redirectUri, scope);
        using var browser = new DemoBrowser(user);
        var redirect = await browser.AuthorizeAsync(request.Url);
        Assert.True(redirect.IsSuccess, redirect.ErrorDescription);
        Assert.Equal(request.State, redirect.State);

        var tokens = await RedeemAsync(http, idp.TokenEndpoint, clientId, redirectUri, redirect.Code!, request.Verifier);
        Assert.True(tokens.AccessToken is not null, tokens.Body.ToString());
        return tokens;
    }

    public static Task<TokenResponse> RedeemAsync(HttpClient http, Uri tokenEndpoint, string clientId, Uri redirectUri, string code, string verifier) =>
        TokenRequests.PostAsync(http, tokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["code"] = code,
            ["redirect_uri"] = redirectUri.AbsoluteUri,
            ["code_verifier"] = verifier,
        });

    public static Task<TokenResponse> RefreshAsync(HttpClient http, Uri tokenEndpoint, string clientId, string refreshToken) =>
        TokenRequests.PostAsync(http, tokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = clientId,
            ["refresh_token"] = refreshToken,
        });

    public static async Task RevokeAsync(HttpClient http, Uri revocationEndpoint, string clientId, string token)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            ["token_type_hint"] = "refresh_token",
            ["client_id"] = clientId,
        });
        using var response = await http.PostAsync(revocationEndpoint, content);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
