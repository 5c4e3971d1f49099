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
        options.AccessTokenLifetime = TimeSpan.FromSeconds(1);
        await using var shortLived = await DemoIdentityProvider.StartAsync(options);
        var token = await IdentityProviderFixture.ClientTokenAsync(_http, shortLived, "sales.read");
        var authorizerOptions = new JwtAuthorizerOptions { DiscoveryUrl = shortLived.DiscoveryUrl, ClockSkew = TimeSpan.Zero };
        authorizerOptions.Audiences.Add(DemoApiOptions.DefaultAudience);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(authorizerOptions, time: time);
        Assert.True((await authorizer.ValidateAsync(token)).Succeeded);

        // The authorizer's clock decides expiry: no waiting for the real one.
        time.Advance(TimeSpan.FromSeconds(2));

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
