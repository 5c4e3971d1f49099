using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Tasks;
using IdentityGuard.Federation;
using IdentityGuard.Tests.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace IdentityGuard.Tests.Federation;

/// <summary>
/// The ID token that comes back with an authorization code names who approved a consent, so every part of its
/// validation is attacked here: a provider on loopback whose signing key the test owns publishes a real discovery
/// document and JWKS, and each token differs from a valid one in exactly one way.
/// </summary>
public sealed class IdTokenVerifierTests : IAsyncLifetime
{
    private const string ClientId = "brief-agent";
    private const string Nonce = "n-0S6_WzA2Mj";

    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "provider-key" };
    private LoopbackOrigin _provider = null!;
    private HttpClient _http = null!;
    private IdTokenVerifier _verifier = null!;

    private string Issuer => _provider.BaseAddress.AbsoluteUri;

    public async Task InitializeAsync()
    {
        _provider = await LoopbackOrigin.StartAsync(ServeMetadataAsync);
        _http = new HttpClient();
        _verifier = new IdTokenVerifier(new Uri(_provider.BaseAddress, ".well-known/openid-configuration"), _http, () => ClientId, TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        _verifier.Dispose();
        _http.Dispose();
        await _provider.DisposeAsync();
    }

    [Fact]
    public async Task A_valid_id_token_names_its_issuer_and_subject()
    {
        var approver = await _verifier.VerifyAsync(Sign(Claims()), Nonce, default);

        Assert.Equal((Issuer, "alice"), approver);
    }

    public static TheoryData<string> Forgeries() => new()
    {
        "signed with another key",
        "unsigned (alg none)",
        "for another client (aud)",
        "authorized party is another client (azp)",
        "from another issuer",
        "expired",
        "no expiry",
        "another request's nonce",
        "no nonce",
        "no subject",
    };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task An_id_token_that_differs_from_a_valid_one_in_one_way_is_refused(string forgery)
    {
        var claims = Claims();
        string token;
        switch (forgery)
        {
            case "signed with another key":
                token = Sign(claims, new RsaSecurityKey(RSA.Create(2048)) { KeyId = _key.KeyId });
                break;
            case "unsigned (alg none)":
                token = new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims));
                break;
            default:
                Action<Dictionary<string, object>> change = forgery switch
                {
                    "for another client (aud)" => c => c["aud"] = "another-client",
                    "authorized party is another client (azp)" => c => c["azp"] = "another-client",
                    "from another issuer" => c => c["iss"] = "https://login.example/",
                    "expired" => c => (c["iat"], c["exp"]) = (Epoch(-3600), Epoch(-600)),
                    "no expiry" => c => c.Remove("exp"),
                    "another request's nonce" => c => c["nonce"] = "n-someone-elses",
                    "no nonce" => c => c.Remove("nonce"),
                    _ => c => c.Remove("sub"),
                };
                change(claims);
                token = Sign(claims);
                break;
        }

        Assert.Null(await _verifier.VerifyAsync(token, Nonce, default));
    }

    private Dictionary<string, object> Claims() => new(StringComparer.Ordinal)
    {
        ["iss"] = Issuer,
        ["sub"] = "alice",
        ["aud"] = ClientId,
        ["azp"] = ClientId,
        ["nonce"] = Nonce,
        ["iat"] = Epoch(0),
        ["exp"] = Epoch(600),
    };

    private static long Epoch(int secondsFromNow) => DateTimeOffset.UtcNow.AddSeconds(secondsFromNow).ToUnixTimeSeconds();

    private string Sign(Dictionary<string, object> claims, SecurityKey? key = null) =>
        new JsonWebTokenHandler().CreateToken(JsonSerializer.Serialize(claims), new SigningCredentials(key ?? _key, SecurityAlgorithms.RsaSha256));

    private Dictionary<string, string> PublicJwk()
    {
        var parameters = _key.Rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = _key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    private Task ServeMetadataAsync(HttpContext context)
    {
        object document = context.Request.Path.Value switch
        {
            "/.well-known/openid-configuration" => new Dictionary<string, object>
            {
                ["issuer"] = Issuer,
                ["jwks_uri"] = Issuer + "jwks",
                ["authorization_endpoint"] = Issuer + "authorize",
                ["token_endpoint"] = Issuer + "token",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            },
            "/jwks" => new { keys = new[] { PublicJwk() } },
            _ => new Dictionary<string, object>(),
        };
        return context.Response.WriteAsJsonAsync(document, document.GetType());
    }
}
