using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Demo;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

/// <summary>One test per way a token is refused; each asserts the precise reason, so none passes for the wrong one.</summary>
[Collection(SharedAuthorizerEnvironment.Name)]
public sealed class RejectionTests(IdentityProviderFixture fixture)
{
    [Fact]
    public async Task Missing_and_malformed_tokens_are_refused()
    {
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions());

        AssertRefused(await authorizer.ValidateAsync(null), AuthorizationFailureReasons.MissingToken);
        AssertRefused(await authorizer.ValidateAsync("not-a-jwt"), AuthorizationFailureReasons.MalformedToken);
        AssertRefused(await authorizer.ValidateAsync("a.b.c"), AuthorizationFailureReasons.MalformedToken);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    public async Task Alg_none_token_is_refused(string alg)
    {
        var parts = JwtSegments.Split(await fixture.ClientTokenAsync("sales.read"));
        var unsigned = JwtSegments.WithProperty(parts[0], "alg", alg) + "." + parts[1] + ".";
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions());

        AssertRefused(await authorizer.ValidateAsync(unsigned), AuthorizationFailureReasons.UnsignedToken);
    }

    [Fact]
    public async Task Wrong_issuer_is_refused()
    {
        // Signed by the trusted key, but claiming another issuer.
        var token = fixture.TestIssuer.CreateToken(d => d.Issuer = "https://evil.example/");
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.TestIssuer.CreateOptions());

        AssertRefused(await authorizer.ValidateAsync(token), AuthorizationFailureReasons.InvalidIssuer);
    }

    [Fact]
    public async Task Configured_issuer_overrides_the_discovery_issuer()
    {
        var token = await fixture.ClientTokenAsync("sales.read");
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions(o => o.ValidIssuers.Add("https://login.example.com/")));

        AssertRefused(await authorizer.ValidateAsync(token), AuthorizationFailureReasons.InvalidIssuer);
    }

    [Fact]
    public async Task Wrong_audience_is_refused()
    {
        var token = await fixture.ClientTokenAsync("sales.read");
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions(o =>
        {
            o.Audiences.Clear();
            o.Audiences.Add("another-api");
        }));

        AssertRefused(await authorizer.ValidateAsync(token), AuthorizationFailureReasons.InvalidAudience);
    }

    [Fact]
    public async Task Not_yet_valid_token_is_refused()
    {
        var token = fixture.TestIssuer.CreateToken(d =>
        {
            d.NotBefore = DateTime.UtcNow.AddMinutes(5);
            d.Expires = DateTime.UtcNow.AddMinutes(20);
        });
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.TestIssuer.CreateOptions());

        AssertRefused(await authorizer.ValidateAsync(token), AuthorizationFailureReasons.NotYetValid);
    }

    [Fact]
    public async Task Token_without_exp_is_refused()
    {
        var token = fixture.TestIssuer.CreateToken(
            d =>
            {
                d.Expires = null;
                d.NotBefore = null;
                d.IssuedAt = null;
            },
            setDefaultTimes: false);
        Assert.False(JwtSegments.Decode(JwtSegments.Split(token)[1]).TryGetProperty("exp", out _));
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.TestIssuer.CreateOptions());

        AssertRefused(await authorizer.ValidateAsync(token), AuthorizationFailureReasons.MissingExpiration);
    }

    [Theory]
    [InlineData("logout+jwt")]
    [InlineData("dpop+jwt")]
    public async Task Wrong_token_type_is_refused(string typ)
    {
        var token = fixture.TestIssuer.CreateToken(d => d.TokenType = typ);
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.TestIssuer.CreateOptions());

        AssertRefused(await authorizer.ValidateAsync(token), AuthorizationFailureReasons.InvalidTokenType);
    }

    [Fact]
    public async Task Token_without_typ_is_refused()
    {
        // Claims the API would accept, signed with the provider's own key: only the header's typ differs.
        var payload = JwtSegments.Decode(JwtSegments.Split(fixture.TestIssuer.CreateToken())[1]).GetRawText();
        var typed = SignWithHeader(fixture.TestIssuer.SigningKey, $$"""{"alg":"RS256","kid":"{{fixture.TestIssuer.SigningKey.KeyId}}","typ":"at+jwt"}""", payload);
        var untyped = SignWithHeader(fixture.TestIssuer.SigningKey, $$"""{"alg":"RS256","kid":"{{fixture.TestIssuer.SigningKey.KeyId}}"}""", payload);
        var emptyTyp = SignWithHeader(fixture.TestIssuer.SigningKey, $$"""{"alg":"RS256","kid":"{{fixture.TestIssuer.SigningKey.KeyId}}","typ":""}""", payload);
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.TestIssuer.CreateOptions());

        Assert.True((await authorizer.ValidateAsync(typed)).Succeeded, "the control token, with typ, was refused: the test would prove nothing");
        AssertRefused(await authorizer.ValidateAsync(untyped), AuthorizationFailureReasons.InvalidTokenType);
        AssertRefused(await authorizer.ValidateAsync(emptyTyp), AuthorizationFailureReasons.InvalidTokenType);
    }

    [Fact]
    public async Task Encrypted_token_is_refused_even_when_it_wraps_a_trusted_signed_token()
    {
        // A nested JWT (RFC 7519 section 5.2): a token the provider signed for this API's audience, encrypted (RFC 7516)
        // to a key of the attacker's choosing.
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var encryptionKey = new RsaSecurityKey(rsa) { KeyId = "attacker-encryption" };
        var encrypted = fixture.TestIssuer.CreateToken(d => d.EncryptingCredentials =
            new EncryptingCredentials(encryptionKey, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        Assert.True(new JsonWebToken(encrypted).IsEncrypted);
        Assert.Equal(5, JwtSegments.Split(encrypted).Length);

        // What it wraps is a token the authorizer accepts, so the encryption is the only reason for the refusal.
        var inner = new JsonWebTokenHandler().DecryptToken(new JsonWebToken(encrypted), new TokenValidationParameters { TokenDecryptionKeys = [encryptionKey] });
        Assert.Equal(TestIssuer.Audience, new JsonWebToken(inner).Audiences.Single());
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.TestIssuer.CreateOptions());
        Assert.True((await authorizer.ValidateAsync(inner)).Succeeded, "the wrapped token was refused: the test would prove nothing");

        var result = await authorizer.ValidateAsync(encrypted);

        AssertRefused(result, AuthorizationFailureReasons.MalformedToken);
        Assert.Contains("Encrypted", result.Failure!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_without_subject_is_refused()
    {
        var token = fixture.TestIssuer.CreateToken(d => d.Claims.Remove("sub"));
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.TestIssuer.CreateOptions());

        AssertRefused(await authorizer.ValidateAsync(token), AuthorizationFailureReasons.MissingSubject);
    }

    [Fact]
    public async Task Token_signed_by_an_unknown_key_is_refused()
    {
        var real = JwtSegments.Decode(JwtSegments.Split(await fixture.ClientTokenAsync("sales.read"))[1]);
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var forgeries = new[]
        {
            Forge(new SigningCredentials(TestIssuer.CreateKey(), SecurityAlgorithms.RsaSha256), real),
            Forge(new SigningCredentials(new ECDsaSecurityKey(ecdsa) { KeyId = "attacker-ec" }, SecurityAlgorithms.EcdsaSha256), real),
        };
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions(o => o.MinimumMetadataRefreshInterval = TimeSpan.Zero));

        foreach (var forged in forgeries)
        {
            AssertRefused(await authorizer.ValidateAsync(forged), AuthorizationFailureReasons.UnknownSigningKey);
        }
    }

    [Fact]
    public async Task Forgery_reusing_the_providers_key_id_fails_signature_validation()
    {
        var parts = JwtSegments.Split(await fixture.ClientTokenAsync("sales.read"));
        var kid = JwtSegments.Decode(parts[0]).GetProperty("kid").GetString();
        var forged = Forge(new SigningCredentials(new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = kid }, SecurityAlgorithms.RsaSha256), JwtSegments.Decode(parts[1]));
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions());

        AssertRefused(await authorizer.ValidateAsync(forged), AuthorizationFailureReasons.InvalidSignature);
    }

    [Fact]
    public async Task Tampered_payload_is_refused()
    {
        var parts = JwtSegments.Split(await fixture.ClientTokenAsync("sales.read"));
        var tampered = parts[0] + "." + JwtSegments.WithProperty(parts[1], "sub", "alice") + "." + parts[2];
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions());

        AssertRefused(await authorizer.ValidateAsync(tampered), AuthorizationFailureReasons.InvalidSignature);
    }

    [Fact]
    public async Task HS256_signed_with_the_providers_public_key_is_refused()
    {
        // The classic HS/RS confusion: an attacker signs with HMAC keyed by the public key bytes published in the JWKS.
        var parts = JwtSegments.Split(await fixture.ClientTokenAsync("sales.read"));
        var discovery = JsonDocument.Parse(await fixture.Http.GetStringAsync(fixture.Idp.DiscoveryUrl)).RootElement;
        var jwksText = await fixture.Http.GetStringAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!));
        var jwk = JsonDocument.Parse(jwksText).RootElement.GetProperty("keys")[0];
        using var rsa = System.Security.Cryptography.RSA.Create(new System.Security.Cryptography.RSAParameters
        {
            Modulus = Base64UrlEncoder.DecodeBytes(jwk.GetProperty("n").GetString()),
            Exponent = Base64UrlEncoder.DecodeBytes(jwk.GetProperty("e").GetString()),
        });
        var candidates = new[] { rsa.ExportSubjectPublicKeyInfo(), Encoding.UTF8.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()), Encoding.UTF8.GetBytes(jwk.GetRawText()) };
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(fixture.CreateOptions());

        foreach (var secret in candidates)
        {
            var key = new SymmetricSecurityKey(secret) { KeyId = jwk.GetProperty("kid").GetString() };
            var forged = Forge(new SigningCredentials(key, SecurityAlgorithms.HmacSha256), JwtSegments.Decode(parts[1]));
            AssertRefused(await authorizer.ValidateAsync(forged), AuthorizationFailureReasons.AlgorithmNotAllowed);
        }
    }

    [Fact]
    public async Task Every_refusal_is_audited_and_no_log_or_audit_output_contains_the_token()
    {
        var trail = new InMemoryAuditTrail();
        using var loggers = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace));
        var collector = new FakeLogCollector();
        using var provider = new FakeLoggerProvider(collector);
        loggers.AddProvider(provider);
        var audit = new AuditLog([trail, new LoggerAuditSink(loggers)], new FakeTimeProvider(DateTimeOffset.UtcNow), loggers.CreateLogger<AuditLog>());
        using var authorizer = IdentityProviderFixture.CreateAuthorizer(
            fixture.CreateOptions(o => o.RequiredScopes.Add("sales.write")), audit, loggers);

        var readerToken = await fixture.ClientTokenAsync("sales.read", IdentityProviderFixture.Reader, IdentityProviderFixture.ReaderSecret);
        var parts = JwtSegments.Split(readerToken);
        var tampered = parts[0] + "." + JwtSegments.WithProperty(parts[1], "sub", "mallory") + "." + parts[2];

        Assert.False((await authorizer.ValidateAsync(readerToken)).Succeeded);
        Assert.False((await authorizer.ValidateAsync(tampered)).Succeeded);

        var events = trail.Events;
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(AuditEventKind.Denied, e.Kind));
        Assert.All(events, e => Assert.Equal("sales-agent", e.Workload));
        Assert.Equal(IdentityProviderFixture.Reader, events[0].User);
        Assert.Equal("insufficient_scope", events[0].Reason);
        Assert.Null(events[1].User); // the tampered token's sub is attacker-written, so it is not named
        Assert.Equal("invalid_token (invalid_signature)", events[1].Reason);

        var output = string.Join('\n', collector.GetSnapshot().Select(r => r.Message + " " + r.Exception))
            + string.Join('\n', events.Select(e => e.ToString()));
        Assert.Contains("Refused a caller", output, StringComparison.Ordinal);

        // Event 3002 names the error and reason codes and, for an authentic token only, its subject; never an
        // unverified one, which is whatever the sender wrote.
        var refusals = collector.GetSnapshot().Where(r => r.Id.Id == 3002).Select(r => r.Message).ToArray();
        Assert.Equal(2, refusals.Length);
        Assert.Contains("insufficient_scope", refusals[0], StringComparison.Ordinal);
        Assert.EndsWith("subject " + IdentityProviderFixture.Reader + ".", refusals[0], StringComparison.Ordinal);
        Assert.Contains("invalid_signature", refusals[1], StringComparison.Ordinal);
        Assert.EndsWith("subject -.", refusals[1], StringComparison.Ordinal);
        Assert.DoesNotContain("mallory", output, StringComparison.Ordinal);
        foreach (var secret in parts.Concat(JwtSegments.Split(tampered)))
        {
            Assert.DoesNotContain(secret, output, StringComparison.Ordinal);
        }
    }

    /// <summary>A compact JWS with exactly <paramref name="headerJson"/> as its header, signed RS256 with <paramref name="key"/>.</summary>
    private static string SignWithHeader(RsaSecurityKey key, string headerJson, string payloadJson)
    {
        var signingInput = JwtSegments.Encode(headerJson) + "." + JwtSegments.Encode(payloadJson);
        var signature = key.Rsa.SignData(Encoding.ASCII.GetBytes(signingInput), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    private static string Forge(SigningCredentials credentials, JsonElement payload)
    {
        var handler = new JsonWebTokenHandler();
        return handler.CreateToken(payload.GetRawText(), credentials, new System.Collections.Generic.Dictionary<string, object> { ["typ"] = "at+jwt" });
    }

    internal static void AssertRefused(AuthorizationResult result, string reason)
    {
        Assert.False(result.Succeeded, "The token was accepted.");
        Assert.Equal(AuthorizationErrors.InvalidToken, result.Failure.Error);
        Assert.Equal(reason, result.Failure.Reason);
        Assert.True(result.Failure.IsAuthenticationFailure);
    }
}
