using System;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

/// <summary>Outside the shared collection: it runs its own providers, in parallel with the other tests.</summary>
public sealed class KeyRolloverTests : IDisposable
{
    private readonly HttpClient _http = new();

    [Fact]
    public async Task Restarted_provider_with_a_new_signing_key_is_followed_after_one_refresh()
    {
        // Two real OpenIddict servers, one after the other on the same port: same issuer, different ephemeral keys.
        var port = FreeLoopbackPort();
        var options = IdentityProviderFixture.CreateIdpOptions();
        options.Port = port;

        string oldToken;
        JwtAuthorizerOptions authorizerOptions;
        await using (var first = await DemoIdentityProvider.StartAsync(options))
        {
            oldToken = await IdentityProviderFixture.ClientTokenAsync(_http, first, "sales.read");
            authorizerOptions = new JwtAuthorizerOptions
            {
                DiscoveryUrl = first.DiscoveryUrl,
                ClockSkew = TimeSpan.Zero,
                MinimumMetadataRefreshInterval = TimeSpan.Zero,
            };
            authorizerOptions.Audiences.Add(DemoApiOptions.DefaultAudience);
        }

        using var authorizer = IdentityProviderFixture.CreateAuthorizer(authorizerOptions);
        await using var second = await DemoIdentityProvider.StartAsync(options);
        var newToken = await IdentityProviderFixture.ClientTokenAsync(_http, second, "sales.read");

        var result = await authorizer.ValidateAsync(newToken);
        var old = await authorizer.ValidateAsync(oldToken);

        Assert.True(result.Succeeded, result.ToString());
        Assert.False(old.Succeeded);
        Assert.Equal(AuthorizationFailureReasons.UnknownSigningKey, old.Failure.Reason);
    }

    [Fact]
    public async Task Unknown_key_refresh_honours_the_minimum_interval()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1)); // ahead of the tokens' whole-second nbf
        var options = issuer.CreateOptions();
        options.MinimumMetadataRefreshInterval = TimeSpan.FromMinutes(1);
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(options, time: time);

        Assert.True((await authorizer.ValidateAsync(issuer.CreateToken())).Succeeded);
        Assert.Equal(1, issuer.JwksRequests);

        // The provider rolls to a new key; tokens signed with it arrive at once, along with made-up key ids.
        var rolled = issuer.PublishNewKey();
        var rolledToken = issuer.CreateToken(key: rolled);
        for (var i = 0; i < 5; i++)
        {
            var early = await authorizer.ValidateAsync(issuer.CreateToken(key: TestIssuer.CreateKey()));
            Assert.Equal(AuthorizationFailureReasons.UnknownSigningKey, early.Failure!.Reason);
        }

        Assert.Equal(AuthorizationFailureReasons.UnknownSigningKey, (await authorizer.ValidateAsync(rolledToken)).Failure!.Reason);
        Assert.Equal(1, issuer.JwksRequests);

        time.Advance(TimeSpan.FromMinutes(2));
        var later = await authorizer.ValidateAsync(rolledToken);
        Assert.True(later.Succeeded, later.ToString());
        Assert.Equal(2, issuer.JwksRequests);

        // Both keys are published, so the old one still works, and no further fetch is needed.
        Assert.True((await authorizer.ValidateAsync(issuer.CreateToken())).Succeeded);
        Assert.Equal(2, issuer.JwksRequests);
    }

    [Fact]
    public async Task A_provider_failing_since_start_up_is_asked_once_per_minimum_interval()
    {
        await using var issuer = await TestIssuer.StartAsync();
        issuer.Failing = true;
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1)); // ahead of the tokens' whole-second nbf
        var options = issuer.CreateOptions();
        options.MinimumMetadataRefreshInterval = TimeSpan.FromMinutes(1);
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(options, time: time);

        // Before: every token, whatever its key id, sent the authorizer to the identity provider again.
        for (var i = 0; i < 5; i++)
        {
            var refused = await authorizer.ValidateAsync(issuer.CreateToken(key: TestIssuer.CreateKey()));
            Assert.Equal(AuthorizationErrors.MetadataUnavailable, refused.Failure!.Error);
        }

        Assert.Equal(1, issuer.DiscoveryRequests);

        // The outage ends; after the interval the next token fetches again and is verified.
        issuer.Failing = false;
        time.Advance(TimeSpan.FromMinutes(2));
        var accepted = await authorizer.ValidateAsync(issuer.CreateToken());
        Assert.True(accepted.Succeeded, accepted.ToString());
        Assert.Equal(2, issuer.DiscoveryRequests);
    }

    public void Dispose() => _http.Dispose();

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
