using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

[Collection(SharedAuthorizerEnvironment.Name)]
public sealed class AcceptanceTests(IdentityProviderFixture fixture)
{
    [Fact]
    public async Task User_token_from_authorization_code_with_pkce_is_accepted_with_the_right_caller()
    {
        var token = await fixture.UserTokenAsync("alice");
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions());

        var result = await authorizer.ValidateAsync(token);

        Assert.True(result.Succeeded, result.ToString());
        var caller = result.Caller;
        Assert.Equal("alice", caller.Subject);
        Assert.Equal(fixture.Idp.Issuer.AbsoluteUri, caller.Issuer);
        Assert.Equal(IdentityProviderFixture.BrowserApp, caller.ClientId);
        Assert.Equal([DemoApi.SalesReadScope], caller.Scopes);
        Assert.Equal(DemoApiOptions.DefaultAudience, caller.Audience);
        Assert.Equal(["Alice Example"], caller.GetClaimValues("name"));
        Assert.InRange(caller.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(50), DateTimeOffset.UtcNow.AddMinutes(61));
        Assert.Equal(token, caller.Token.RevealValue());
        Assert.Equal(caller.ExpiresAt, caller.Token.ExpiresAt);
    }

    [Fact]
    public async Task Client_credentials_token_is_accepted_and_the_token_type_is_at_jwt()
    {
        var token = await fixture.ClientTokenAsync("sales.read sales.write");
        Assert.Equal("at+jwt", JwtSegments.Decode(JwtSegments.Split(token)[0]).GetProperty("typ").GetString());
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions());

        var result = await authorizer.ValidateAsync(token);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(IdentityProviderFixture.Agent, result.Caller.Subject);
        Assert.Equal(IdentityProviderFixture.Agent, result.Caller.ClientId);
        Assert.Equal(["sales.read", "sales.write"], result.Caller.Scopes.Order());
        Assert.True(result.Caller.HasScope("sales.write"));
    }

    [Fact]
    public async Task The_inbound_token_never_prints_or_serializes()
    {
        var token = await fixture.ClientTokenAsync("sales.read");
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions());

        var caller = (await authorizer.ValidateAsync(token)).Caller!;

        Assert.DoesNotContain(JwtSegments.Split(token)[2], caller.Token.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(JwtSegments.Split(token)[2], caller.ToString(), StringComparison.Ordinal);
        Assert.Equal("\"[redacted]\"", JsonSerializer.Serialize(caller.Token));
    }

    [Fact]
    public async Task Token_with_JWT_type_and_array_claims_from_another_issuer_is_accepted()
    {
        var issuer = fixture.TestIssuer;
        var token = issuer.CreateToken(d =>
        {
            d.TokenType = "JWT";
            d.Claims["scp"] = new[] { "orders.read", "orders.write" };
            d.Claims.Remove("scope");
            d.Claims["groups"] = new[] { "readers", "writers" };
        });
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(issuer.CreateOptions());

        var result = await authorizer.ValidateAsync(token);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(["orders.read", "orders.write"], result.Caller.Scopes);
        Assert.Equal(["readers", "writers"], result.Caller.GetClaimValues("groups"));
        Assert.Empty(result.Caller.GetClaimValues("missing"));
    }
}
