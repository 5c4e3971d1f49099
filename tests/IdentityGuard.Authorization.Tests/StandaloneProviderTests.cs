using System;
using System.Net.Http;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

/// <summary>
/// Tests that need an identity provider of their own (or none). Outside the shared collection, so xunit runs them
/// alongside the others and their waits overlap.
/// </summary>
public sealed class StandaloneProviderTests : IDisposable
{
    private readonly HttpClient _http = new();

    [Fact]
    public async Task Expired_token_is_refused()
    {
        var options = IdentityProviderFixture.CreateIdpOptions();
        options.AccessTokenLifetime = TimeSpan.FromMinutes(5);
        await using var shortLived = await DemoIdentityProvider.StartAsync(options);
        var token = await IdentityProviderFixture.ClientTokenAsync(_http, shortLived, "sales.read");
        var authorizerOptions = new JwtAuthorizerOptions { DiscoveryUrl = shortLived.DiscoveryUrl, ClockSkew = TimeSpan.Zero };
        authorizerOptions.Audiences.Add(DemoApiOptions.DefaultAudience);

        // The authorizer's clock decides expiry, and it starts at the token's own issue time: neither a slow token
        // request on a busy machine nor the whole-second rounding of exp can expire the token before the first check.
        var issued = new JsonWebToken(token);
        var time = new FakeTimeProvider(new DateTimeOffset(issued.IssuedAt, TimeSpan.Zero));
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(authorizerOptions, time: time);
        Assert.True((await authorizer.ValidateAsync(token)).Succeeded);

        time.SetUtcNow(new DateTimeOffset(issued.ValidTo, TimeSpan.Zero).AddSeconds(1));

        RejectionTests.AssertRefused(await authorizer.ValidateAsync(token), AuthorizationFailureReasons.Expired);
    }

    [Fact]
    public async Task Metadata_that_cannot_be_fetched_refuses_callers()
    {
        var options = new JwtAuthorizerOptions { DiscoveryUrl = new Uri("http://127.0.0.1:9/.well-known/openid-configuration") };
        options.Audiences.Add("x");
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(options);
        var token = new JsonWebTokenHandler().CreateToken(
            "{\"sub\":\"alice\"}",
            new SigningCredentials(TestIssuer.CreateKey(), SecurityAlgorithms.RsaSha256));

        var result = await authorizer.ValidateAsync(token);

        Assert.False(result.Succeeded);
        Assert.Equal(AuthorizationErrors.MetadataUnavailable, result.Failure.Error);
        Assert.False(result.Failure.IsAuthenticationFailure);
    }

    public void Dispose() => _http.Dispose();
}
