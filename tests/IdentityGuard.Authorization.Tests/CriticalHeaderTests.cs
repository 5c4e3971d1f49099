using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

/// <summary>
/// RFC 7515 section 4.1.11: a recipient must refuse a JWS whose <c>crit</c> header names an extension it does not
/// understand, or whose <c>crit</c> is malformed. The tokens are signed by the trusted key, so <c>crit</c> is the only
/// thing wrong with them.
/// </summary>
[Collection(SharedAuthorizerEnvironment.Name)]
public sealed class CriticalHeaderTests(IdentityProviderFixture fixture)
{
    [Fact]
    public async Task Hand_signed_token_without_crit_is_accepted()
    {
        // The control for the tests below: the hand-built header and signature are right, so only crit can refuse them.
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.TestIssuer.CreateOptions());

        var result = await authorizer.ValidateAsync(SignWithHeader("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}"}"""));

        Assert.True(result.Succeeded, result.ToString());
    }

    [Theory]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":["urn:example:must-check"],"urn:example:must-check":true}""")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":["b64"],"b64":true}""")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":["exp","nbf"],"exp":1,"nbf":1}""")]
    public async Task Crit_naming_an_extension_the_authorizer_does_not_understand_is_refused(string header)
    {
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.TestIssuer.CreateOptions());

        RejectionTests.AssertRefused(await authorizer.ValidateAsync(SignWithHeader(header)), AuthorizationFailureReasons.UnsupportedCriticalHeader);
    }

    [Theory]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":[]}""")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":"urn:example:must-check","urn:example:must-check":true}""")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":{"urn:example:must-check":true}}""")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":null}""")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":["urn:example:absent"]}""")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":[1]}""")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":["alg"]}""")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":["x","x"],"x":1}""")]
    [InlineData("""{"alg":"RS256","typ":"at+jwt","kid":"{kid}","crit":["x"],"x":1,"crit":["x"]}""")]
    public async Task Malformed_crit_is_refused(string header)
    {
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.TestIssuer.CreateOptions());

        RejectionTests.AssertRefused(await authorizer.ValidateAsync(SignWithHeader(header)), AuthorizationFailureReasons.MalformedToken);
    }

    /// <summary>Signs a valid access token's payload under exactly <paramref name="headerJson"/>, with the trusted key.</summary>
    private string SignWithHeader(string headerJson)
    {
        var issuer = fixture.TestIssuer;
        var payload = JwtSegments.Split(issuer.CreateToken())[1];
        var header = JwtSegments.Encode(headerJson.Replace("{kid}", issuer.SigningKey.KeyId, StringComparison.Ordinal));
        var signature = issuer.SigningKey.Rsa.SignData(
            Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return header + "." + payload + "." + Base64UrlEncoder.Encode(signature);
    }
}
