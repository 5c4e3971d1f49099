using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

/// <summary>
/// An ID token proves that a user signed in to a client; it grants nothing. One presented as a bearer token (for
/// example by a client that sends the wrong token, or by anyone it leaked to) must be refused even when its audience,
/// the client's id, is an accepted audience.
/// </summary>
[Collection(SharedAuthorizerEnvironment.Name)]
public sealed class IdTokenTests(IdentityProviderFixture fixture)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Real_id_token_is_refused_and_the_access_token_issued_with_it_is_accepted(bool withNonce)
    {
        var (idToken, accessToken) = await fixture.UserSignInAsync("alice", withNonce);
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions(o => o.Audiences.Add(IdentityProviderFixture.BrowserApp)));

        var refused = await authorizer.ValidateAsync(idToken);
        var accepted = await authorizer.ValidateAsync(accessToken);

        RejectionTests.AssertRefused(refused, AuthorizationFailureReasons.IdToken);
        Assert.True(accepted.Succeeded, accepted.ToString());
        Assert.Equal("alice", accepted.Caller.Subject);
    }

    [Theory]
    [InlineData("nonce", "n-0S6_WzA2Mj")]
    [InlineData("at_hash", "77QmUPtjPfzWtF2AnpK9RQ")]
    [InlineData("c_hash", "LDktKdoQak3Pk0cnXxCltA")]
    [InlineData("s_hash", "aUAkJG-u6x4RTWuILWy-CA")]
    [InlineData("oi_tkn_typ", "id_token")]
    [InlineData("oi_tkn_typ", "refresh_token")]
    public async Task Token_with_an_id_token_claim_is_refused(string claim, string value)
    {
        var issuer = fixture.TestIssuer;
        var token = issuer.CreateToken(d =>
        {
            d.TokenType = "JWT";
            d.Claims[claim] = value;
        });
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(issuer.CreateOptions());

        RejectionTests.AssertRefused(await authorizer.ValidateAsync(token), AuthorizationFailureReasons.IdToken);
    }

    [Fact]
    public async Task Access_token_type_claim_and_the_explicit_opt_out_are_accepted()
    {
        var issuer = fixture.TestIssuer;
        var typed = issuer.CreateToken(d => d.Claims["oi_tkn_typ"] = "access_token");
        var withNonce = issuer.CreateToken(d => d.Claims["nonce"] = "n-0S6_WzA2Mj");
        using var strict = IdentityProviderFixture.CreateAuthorizer(issuer.CreateOptions());
        var relaxedOptions = issuer.CreateOptions();
        relaxedOptions.AllowIdTokenClaims = true;
        using var relaxed = IdentityProviderFixture.CreateAuthorizer(relaxedOptions);

        var typedResult = await strict.ValidateAsync(typed);
        var relaxedResult = await relaxed.ValidateAsync(withNonce);

        Assert.True(typedResult.Succeeded, typedResult.ToString());
        Assert.True(relaxedResult.Succeeded, relaxedResult.ToString());
    }
}
