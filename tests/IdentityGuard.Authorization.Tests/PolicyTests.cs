using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

/// <summary>Authentic tokens refused (or accepted) by the configured client, scope and claim policy.</summary>
[Collection(SharedAuthorizerEnvironment.Name)]
public sealed class PolicyTests(IdentityProviderFixture fixture)
{
    [Fact]
    public async Task Only_allowed_client_ids_are_accepted()
    {
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions(o => o.AllowedClientIds.Add(IdentityProviderFixture.Reader)));

        var reader = await authorizer.ValidateAsync(await fixture.ClientTokenAsync("sales.read", IdentityProviderFixture.Reader, IdentityProviderFixture.ReaderSecret));
        var agent = await authorizer.ValidateAsync(await fixture.ClientTokenAsync("sales.read"));

        Assert.True(reader.Succeeded, reader.ToString());
        AssertForbidden(agent, AuthorizationErrors.ClientNotAllowed, IdentityProviderFixture.Agent);
    }

    [Fact]
    public async Task Azp_and_cid_claims_identify_the_client_too()
    {
        var issuer = fixture.TestIssuer;
        var options = issuer.CreateOptions();
        options.AllowedClientIds.Add("okta-app");
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(options);

        var viaCid = await authorizer.ValidateAsync(issuer.CreateToken(d =>
        {
            d.Claims.Remove("client_id");
            d.Claims["cid"] = "okta-app";
        }));
        var viaAzp = await authorizer.ValidateAsync(issuer.CreateToken(d =>
        {
            d.Claims.Remove("client_id");
            d.Claims["azp"] = "other-app";
        }));
        var none = await authorizer.ValidateAsync(issuer.CreateToken(d => d.Claims.Remove("client_id")));

        Assert.True(viaCid.Succeeded, viaCid.ToString());
        Assert.Equal("okta-app", viaCid.Caller.ClientId);
        AssertForbidden(viaAzp, AuthorizationErrors.ClientNotAllowed, "alice");
        AssertForbidden(none, AuthorizationErrors.ClientNotAllowed, "alice");
    }

    [Fact]
    public async Task Required_scopes_must_all_be_present()
    {
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions(o =>
        {
            o.RequiredScopes.Add("sales.read");
            o.RequiredScopes.Add("sales.write");
        }));

        var both = await authorizer.ValidateAsync(await fixture.ClientTokenAsync("sales.read sales.write"));
        var readOnly = await authorizer.ValidateAsync(await fixture.ClientTokenAsync("sales.read"));

        Assert.True(both.Succeeded, both.ToString());
        AssertForbidden(readOnly, AuthorizationErrors.InsufficientScope, IdentityProviderFixture.Agent);
        Assert.Contains("sales.write", readOnly.Failure!.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public async Task Allowed_scopes_refuse_over_broad_tokens()
    {
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions(o => o.AllowedScopes.Add("sales.read")));

        var narrow = await authorizer.ValidateAsync(await fixture.ClientTokenAsync("sales.read"));
        var broad = await authorizer.ValidateAsync(await fixture.ClientTokenAsync("sales.read sales.write"));

        Assert.True(narrow.Succeeded, narrow.ToString());
        AssertForbidden(broad, AuthorizationErrors.ScopeNotAllowed, IdentityProviderFixture.Agent);
    }

    [Theory]
    // Equals: exactly one value, whole-value, case-sensitive.
    [InlineData(ClaimRuleOperator.Equals, "tenant", new[] { "contoso" }, true)]
    [InlineData(ClaimRuleOperator.Equals, "tenant", new[] { "fabrikam" }, false)]
    [InlineData(ClaimRuleOperator.Equals, "tenant", new[] { "Contoso" }, false)]
    [InlineData(ClaimRuleOperator.Equals, "groups", new[] { "readers" }, false)]
    [InlineData(ClaimRuleOperator.Equals, "missing", new[] { "x" }, false)]
    // Contains: element of an array claim (or the single value); never a substring.
    [InlineData(ClaimRuleOperator.Contains, "groups", new[] { "writers" }, true)]
    [InlineData(ClaimRuleOperator.Contains, "tenant", new[] { "contoso" }, true)]
    [InlineData(ClaimRuleOperator.Contains, "groups", new[] { "admins" }, false)]
    [InlineData(ClaimRuleOperator.Contains, "groups", new[] { "read" }, false)]
    [InlineData(ClaimRuleOperator.Contains, "missing", new[] { "x" }, false)]
    // ContainsAny: any overlap.
    [InlineData(ClaimRuleOperator.ContainsAny, "groups", new[] { "admins", "readers" }, true)]
    [InlineData(ClaimRuleOperator.ContainsAny, "tenant", new[] { "fabrikam", "contoso" }, true)]
    [InlineData(ClaimRuleOperator.ContainsAny, "groups", new[] { "admins", "owners" }, false)]
    [InlineData(ClaimRuleOperator.ContainsAny, "missing", new[] { "x", "y" }, false)]
    public async Task Claim_rules_hold_or_refuse(ClaimRuleOperator @operator, string claim, string[] values, bool accepted)
    {
        var issuer = fixture.TestIssuer;
        var options = issuer.CreateOptions();
        options.ClaimRules.Add(new ClaimRule(claim, @operator, values));
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(options);
        var token = issuer.CreateToken(d =>
        {
            d.Claims["tenant"] = "contoso";
            d.Claims["groups"] = new[] { "readers", "writers" };
        });

        var result = await authorizer.ValidateAsync(token);

        if (accepted)
        {
            Assert.True(result.Succeeded, result.ToString());
        }
        else
        {
            AssertForbidden(result, AuthorizationErrors.ClaimRuleNotSatisfied, "alice");
        }
    }

    private static void AssertForbidden(AuthorizationResult result, string error, string subject)
    {
        Assert.False(result.Succeeded, "The caller was accepted.");
        Assert.Equal(error, result.Failure.Error);
        Assert.False(result.Failure.IsAuthenticationFailure);
        Assert.Equal(subject, result.Failure.Subject);
    }
}
