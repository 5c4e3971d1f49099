using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

/// <summary>
/// What the authorizer trusts in the provider's metadata, and how it treats a provider that fails. Each test runs its
/// own <see cref="TestIssuer"/>, because it changes what that issuer serves; outside the shared collection, so they run
/// alongside the others.
/// </summary>
public sealed class MetadataTrustTests
{
    [Theory]
    [InlineData("keys.example.net")]
    [InlineData("localhost.example.net")]
    [InlineData("192.0.2.10")]
    public async Task Plain_http_jwks_uri_on_another_host_is_refused_even_when_discovery_is_on_loopback(string host)
    {
        await using var issuer = await TestIssuer.StartAsync();
        issuer.AdvertisedJwksUri = new UriBuilder(issuer.Issuer) { Host = host, Path = "/jwks" }.Uri;
        using var http = Loopback.CreateClientResolvingEveryHostTo(issuer.Issuer);
        using var authorizer = new JwtAuthorizer(issuer.CreateOptions(), http);

        var result = await authorizer.ValidateAsync(issuer.CreateToken());

        AssertMetadataRefused(result, AuthorizationFailureReasons.InsecureMetadataAddress);
        Assert.Equal(0, issuer.JwksRequests);
    }

    [Fact]
    public async Task Redirect_from_a_loopback_address_to_plain_http_on_another_host_is_refused()
    {
        // The address finally read counts, not the one first asked for: the client follows the redirect.
        await using var issuer = await TestIssuer.StartAsync();
        var elsewhere = new UriBuilder(issuer.Issuer) { Host = "keys.example.net", Path = "/jwks" }.Uri;
        issuer.AdvertisedJwksUri = new Uri(issuer.Issuer, "redirect?to=" + Uri.EscapeDataString(elsewhere.AbsoluteUri));
        using var http = Loopback.CreateClientResolvingEveryHostTo(issuer.Issuer);
        using var authorizer = new JwtAuthorizer(issuer.CreateOptions(), http);

        var result = await authorizer.ValidateAsync(issuer.CreateToken());

        AssertMetadataRefused(result, AuthorizationFailureReasons.InsecureMetadataAddress);
    }

    [Fact]
    public async Task Plain_http_jwks_uri_on_another_host_is_followed_only_when_https_is_switched_off()
    {
        // The control for the test above: the other host really is reachable, so the refusal there is the policy's.
        await using var issuer = await TestIssuer.StartAsync();
        issuer.AdvertisedJwksUri = new UriBuilder(issuer.Issuer) { Host = "keys.example.net", Path = "/jwks" }.Uri;
        using var http = Loopback.CreateClientResolvingEveryHostTo(issuer.Issuer);
        var options = issuer.CreateOptions();
        options.RequireHttpsMetadata = false;
        using var authorizer = new JwtAuthorizer(options, http);

        var result = await authorizer.ValidateAsync(issuer.CreateToken());

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(1, issuer.JwksRequests);
    }

    [Theory]
    [InlineData("https://login.example.com/")]
    [InlineData("{issuer}tenant-b/")]
    [InlineData("{issuer}.well-known/openid-configuration")]
    [InlineData("{issuer}?tenant=b")]
    public async Task Discovery_document_naming_another_issuer_is_refused(string advertised)
    {
        // A discovery document that can name any issuer lets whoever controls it (or an open redirect in front of
        // it) vouch for tokens of a different issuer; OpenID Connect Discovery 4.3 requires the two to be identical.
        await using var issuer = await TestIssuer.StartAsync();
        issuer.AdvertisedIssuer = advertised.Replace("{issuer}", issuer.Issuer.AbsoluteUri, StringComparison.Ordinal);
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(issuer.CreateOptions());

        var result = await authorizer.ValidateAsync(issuer.CreateToken());

        AssertMetadataRefused(result, AuthorizationFailureReasons.MetadataIssuerMismatch);
        Assert.Contains("issuer", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_answers_503_while_the_discovery_document_names_another_issuer()
    {
        await using var issuer = await TestIssuer.StartAsync();
        issuer.AdvertisedIssuer = "https://login.example.com/";
        var builder = Loopback.CreateBuilder();
        builder.Services.AddAuthentication().AddIdentityGuardJwt(options =>
        {
            options.DiscoveryUrl = issuer.DiscoveryUrl;
            options.Audiences.Add(TestIssuer.Audience);
        });
        builder.Services.AddAuthorization();
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/me", () => Results.Ok()).RequireAuthorization();
        using var client = new HttpClient { BaseAddress = await Loopback.StartAsync(app) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.CreateToken());

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task Configured_valid_issuers_do_not_excuse_a_mismatched_discovery_issuer()
    {
        await using var issuer = await TestIssuer.StartAsync();
        issuer.AdvertisedIssuer = "https://login.example.com/";
        var options = issuer.CreateOptions();
        options.ValidIssuers.Add("https://login.example.com/");
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(options);

        AssertMetadataRefused(await authorizer.ValidateAsync(issuer.CreateToken()), AuthorizationFailureReasons.MetadataIssuerMismatch);
    }

    [Fact]
    public async Task Discovery_issuer_without_the_trailing_slash_is_the_same_issuer()
    {
        await using var issuer = await TestIssuer.StartAsync();
        issuer.AdvertisedIssuer = issuer.Issuer.AbsoluteUri.TrimEnd('/');
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(issuer.CreateOptions());

        var result = await authorizer.ValidateAsync(issuer.CreateToken());

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(issuer.Issuer.AbsoluteUri.TrimEnd('/'), result.Caller.Issuer);
    }

    [Fact]
    public async Task Failing_provider_is_asked_at_most_once_per_refresh_interval_for_unknown_keys()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1)); // ahead of the tokens' whole-second nbf
        var options = issuer.CreateOptions();
        options.MinimumMetadataRefreshInterval = TimeSpan.FromMinutes(1);
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(options, time: time);
        Assert.True((await authorizer.ValidateAsync(issuer.CreateToken())).Succeeded);
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, issuer.DiscoveryRequests);

        // An outage, and meanwhile tokens naming keys nobody has seen (made up, or signed with a new key).
        issuer.Failing = true;
        var rolled = issuer.PublishNewKey();
        for (var i = 0; i < 10; i++)
        {
            var unknown = await authorizer.ValidateAsync(issuer.CreateToken(key: TestIssuer.CreateKey()));
            Assert.Equal(AuthorizationFailureReasons.UnknownSigningKey, unknown.Failure!.Reason);
        }

        Assert.Equal(2, issuer.DiscoveryRequests);

        // Known keys keep working from the cache throughout.
        Assert.True((await authorizer.ValidateAsync(issuer.CreateToken())).Succeeded);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(AuthorizationFailureReasons.UnknownSigningKey, (await authorizer.ValidateAsync(issuer.CreateToken(key: rolled))).Failure!.Reason);
        Assert.Equal(AuthorizationFailureReasons.UnknownSigningKey, (await authorizer.ValidateAsync(issuer.CreateToken(key: rolled))).Failure!.Reason);
        Assert.Equal(3, issuer.DiscoveryRequests);

        // The provider is back; the next refresh the interval allows picks up the new key.
        issuer.Failing = false;
        time.Advance(TimeSpan.FromMinutes(2));
        var later = await authorizer.ValidateAsync(issuer.CreateToken(key: rolled));
        Assert.True(later.Succeeded, later.ToString());
        Assert.Equal(4, issuer.DiscoveryRequests);
    }

    private static void AssertMetadataRefused(AuthorizationResult result, string reason)
    {
        Assert.False(result.Succeeded, "The token was accepted.");
        Assert.Equal(AuthorizationErrors.MetadataUnavailable, result.Failure.Error);
        Assert.Equal(reason, result.Failure.Reason);
        Assert.False(result.Failure.IsAuthenticationFailure);
    }
}
