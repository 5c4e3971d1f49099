using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Demo.Tests;

/// <summary>
/// <see cref="DemoIdentityProviderOptions.ConsentAccessTokenLifetime"/>: the token redeemed for a code gets it, every
/// refreshed token gets <see cref="DemoIdentityProviderOptions.AccessTokenLifetime"/> again, although the lifetime
/// travels in the principal that the refresh token carries.
/// </summary>
public sealed class ConsentAccessTokenLifetimeTests : IDisposable
{
    private const string AgentId = "brief-agent";
    private static readonly Uri RedirectUri = new("http://127.0.0.1/callback");
    private readonly HttpClient _http = new();

    [Fact]
    public async Task The_consented_token_gets_the_consent_lifetime_and_refreshed_tokens_the_normal_one()
    {
        var options = new DemoIdentityProviderOptions
        {
            AccessTokenLifetime = TimeSpan.FromMinutes(10),
            ConsentAccessTokenLifetime = TimeSpan.FromSeconds(30),
        };
        DemoBusinessApis.AddScopesTo(options);
        options.Clients.Add(DemoBusinessApis.CreateDelegatedClient(AgentId, RedirectUri));
        options.Users.Add(new DemoUser("alice", "Alice Example"));
        await using var idp = await DemoIdentityProvider.StartAsync(options);

        var consented = await AuthorizationCodeFlow.SignInAsync(_http, idp, "alice", AgentId, RedirectUri, "offline_access crm.notes.read");
        var refreshed = await AuthorizationCodeFlow.RefreshAsync(_http, idp.TokenEndpoint, AgentId, consented.RefreshToken!);
        var refreshedAgain = await AuthorizationCodeFlow.RefreshAsync(_http, idp.TokenEndpoint, AgentId, refreshed.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, refreshedAgain.Status);
        Assert.InRange(Lifetime(consented), 25, 30);
        Assert.InRange(Lifetime(refreshed), 595, 600);
        Assert.InRange(Lifetime(refreshedAgain), 595, 600);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The lifetime the token itself states (exp − iat), not the response's expires_in alone.</summary>
    private static long Lifetime(TokenResponse response)
    {
        var payload = TokenRequests.ReadPayload(response.AccessToken!);
        var lifetime = payload.GetProperty("exp").GetInt64() - payload.GetProperty("iat").GetInt64();
        Assert.InRange(response.Body.GetProperty("expires_in").GetInt64(), lifetime - 5, lifetime);
        return lifetime;
    }
}
