using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IdentityGuard.Authorization.Tests;

/// <summary>
/// A minimal OpenID Connect issuer on loopback whose keys the tests own: it serves a real discovery document and JWKS
/// over HTTP, so tokens with any shape (custom claims, no exp, odd typ, future nbf) can carry a valid signature and the
/// check under test is the only reason for a rejection. It can publish new keys to exercise key rollover, advertise
/// another issuer or key set address in its discovery document, redirect (<c>/redirect?to=…</c>), and fail like a
/// provider in an outage.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    public const string Audience = "test-api";

    private readonly List<RsaSecurityKey> _published = [];
    private readonly WebApplication _app;
    private int _jwksRequests;
    private int _discoveryRequests;
    private volatile bool _failing;
    private volatile string? _advertisedIssuer;
    private volatile Uri? _advertisedJwksUri;

    private TestIssuer(WebApplication app, Uri issuer)
    {
        _app = app;
        Issuer = issuer;
    }

    public Uri Issuer { get; }

    public Uri DiscoveryUrl => new(Issuer, ".well-known/openid-configuration");

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    /// <summary>When set, the discovery document and the JWKS answer 500, as a provider in an outage does.</summary>
    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    /// <summary>The <c>issuer</c> the discovery document names; by default <see cref="Issuer"/>.</summary>
    public string AdvertisedIssuer
    {
        get => _advertisedIssuer ?? Issuer.AbsoluteUri;
        set => _advertisedIssuer = value;
    }

    /// <summary>The <c>jwks_uri</c> the discovery document names; by default this server's <c>/jwks</c>.</summary>
    public Uri AdvertisedJwksUri
    {
        get => _advertisedJwksUri ?? new Uri(Issuer, "jwks");
        set => _advertisedJwksUri = value;
    }

    /// <summary>The key tokens are signed with unless a test passes another.</summary>
    public RsaSecurityKey SigningKey { get; private set; } = null!;

    public static async Task<TestIssuer> StartAsync()
    {
        var builder = Loopback.CreateBuilder();
        var app = builder.Build();
        TestIssuer? issuer = null;
        app.MapGet("/.well-known/openid-configuration", () =>
        {
            Interlocked.Increment(ref issuer!._discoveryRequests);
            return issuer.Failing
                ? Results.StatusCode(StatusCodes.Status500InternalServerError)
                : Results.Json(new Dictionary<string, object>
                {
                    ["issuer"] = issuer.AdvertisedIssuer,
                    ["jwks_uri"] = issuer.AdvertisedJwksUri.AbsoluteUri,
                    ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                });
        });
        app.MapGet("/redirect", (string to) => Results.Redirect(to));
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref issuer!._jwksRequests);
            if (issuer.Failing)
            {
                return Results.StatusCode(StatusCodes.Status500InternalServerError);
            }

            lock (issuer._published)
            {
                return Results.Json(new { keys = issuer._published.Select(ToPublicJwk).ToArray() });
            }
        });

        var address = await Loopback.StartAsync(app);
        issuer = new TestIssuer(app, address);
        issuer.SigningKey = issuer.PublishNewKey();
        return issuer;
    }

    /// <summary>Creates a key and adds it to the JWKS; existing keys stay published (as in a real rollover).</summary>
    public RsaSecurityKey PublishNewKey()
    {
        var key = CreateKey();
        lock (_published)
        {
            _published.Add(key);
        }

        return key;
    }

    public static RsaSecurityKey CreateKey() =>
        new(RSA.Create(2048)) { KeyId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(12)) };

    /// <summary>Creates a signed access token; <paramref name="shape"/> adjusts the descriptor before signing.</summary>
    public string CreateToken(Action<SecurityTokenDescriptor>? shape = null, SecurityKey? key = null, bool setDefaultTimes = true)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = AdvertisedIssuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "alice",
                ["client_id"] = "test-client",
                ["scope"] = "orders.read",
            },
        };
        shape?.Invoke(descriptor);
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = setDefaultTimes };
        return handler.CreateToken(descriptor);
    }

    public JwtAuthorizerOptions CreateOptions()
    {
        var options = new JwtAuthorizerOptions { DiscoveryUrl = DiscoveryUrl, ClockSkew = TimeSpan.Zero };
        options.Audiences.Add(Audience);
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static Dictionary<string, string> ToPublicJwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }
}
