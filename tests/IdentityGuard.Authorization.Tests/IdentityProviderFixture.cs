using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Demo;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

[CollectionDefinition(Name)]
public sealed class SharedAuthorizerEnvironment : ICollectionFixture<IdentityProviderFixture>
{
    public const string Name = "Authorizer";
}

/// <summary>A real OpenIddict identity provider and a key-controlled test issuer, shared by the authorizer tests.</summary>
public sealed class IdentityProviderFixture : IAsyncLifetime
{
    public const string Agent = "demo-agent";
    public const string AgentSecret = "demo-agent-secret";
    public const string Reader = "report-reader";
    public const string ReaderSecret = "report-reader-secret";
    public const string BrowserApp = "browser-app";
    public static readonly Uri RedirectUri = new("http://127.0.0.1/callback");

    private DemoIdentityProvider? _idp;
    private TestIssuer? _testIssuer;

    public DemoIdentityProvider Idp => _idp ?? throw new InvalidOperationException("Not started.");

    public TestIssuer TestIssuer => _testIssuer ?? throw new InvalidOperationException("Not started.");

    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false });

    public static DemoIdentityProviderOptions CreateIdpOptions()
    {
        var options = DemoIdentityProviderOptions.CreateDefault();
        var reader = new DemoClient(Reader, ReaderSecret);
        reader.AllowedScopes.Add(DemoApi.SalesReadScope);
        options.Clients.Add(reader);

        var browserApp = new DemoClient(BrowserApp, clientSecret: null);
        browserApp.AllowedGrantTypes.Clear();
        browserApp.AllowedGrantTypes.Add(DemoGrantTypes.AuthorizationCode);
        browserApp.AllowedScopes.Add(DemoApi.SalesReadScope);
        browserApp.RedirectUris.Add(RedirectUri);
        options.Clients.Add(browserApp);

        options.Users.Add(new DemoUser("alice", "Alice Example"));
        return options;
    }

    public async Task InitializeAsync()
    {
        _idp = await DemoIdentityProvider.StartAsync(CreateIdpOptions());
        _testIssuer = await TestIssuer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_idp is not null)
        {
            await _idp.DisposeAsync();
        }

        if (_testIssuer is not null)
        {
            await _testIssuer.DisposeAsync();
        }
    }

    /// <summary>Options trusting the demo identity provider for the demo API's audience, with no clock skew.</summary>
    public JwtAuthorizerOptions CreateOptions(Action<JwtAuthorizerOptions>? configure = null)
    {
        var options = new JwtAuthorizerOptions { DiscoveryUrl = Idp.DiscoveryUrl, ClockSkew = TimeSpan.Zero, Workload = "sales-agent" };
        options.Audiences.Add(DemoApiOptions.DefaultAudience);
        configure?.Invoke(options);
        return options;
    }

    public static JwtAuthorizer CreateAuthorizer(JwtAuthorizerOptions options, AuditLog? audit = null, ILoggerFactory? loggers = null, TimeProvider? time = null) =>
        new(options, metadataHttpClient: null, audit, (loggers ?? NullLoggerFactory.Instance).CreateLogger<JwtAuthorizer>(), time);

    public Task<string> ClientTokenAsync(string scope, string clientId = Agent, string secret = AgentSecret) =>
        ClientTokenAsync(Http, Idp, scope, clientId, secret);

    public static async Task<string> ClientTokenAsync(HttpClient http, DemoIdentityProvider idp, string scope, string clientId = Agent, string secret = AgentSecret)
    {
        var body = await PostTokenAsync(http, idp.TokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
            ["scope"] = scope,
        });
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>Runs authorization code + PKCE for <paramref name="user"/> through the demo server and returns the access token.</summary>
    public async Task<string> UserTokenAsync(string user) =>
        (await UserTokenResponseAsync(user, DemoApi.SalesReadScope)).GetProperty("access_token").GetString()!;

    /// <summary>
    /// Runs authorization code + PKCE for <paramref name="user"/> with the <c>openid</c> scope (and a nonce when
    /// <paramref name="withNonce"/>), and returns the ID token and the access token issued together.
    /// </summary>
    public async Task<(string IdToken, string AccessToken)> UserSignInAsync(string user, bool withNonce)
    {
        var nonce = withNonce ? Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)) : null;
        var body = await UserTokenResponseAsync(user, "openid " + DemoApi.SalesReadScope, nonce);
        return (body.GetProperty("id_token").GetString()!, body.GetProperty("access_token").GetString()!);
    }

    private async Task<JsonElement> UserTokenResponseAsync(string user, string scope, string? nonce = null)
    {
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var query = string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = BrowserApp,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri.AbsoluteUri,
            ["scope"] = scope,
            ["state"] = "s",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["login_hint"] = user,
        }.Concat(nonce is null ? [] : [KeyValuePair.Create("nonce", nonce)]).Select(pair => pair.Key + "=" + Uri.EscapeDataString(pair.Value)));

        using var response = await Http.GetAsync(new Uri(Idp.AuthorizationEndpoint + "?" + query));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect || response.StatusCode == HttpStatusCode.Found, response.StatusCode.ToString());
        var redirect = response.Headers.Location!.Query.TrimStart('?').Split('&')
            .Select(part => part.Split('=', 2))
            .ToDictionary(part => part[0], part => Uri.UnescapeDataString(part[1]));

        return await PostTokenAsync(Http, Idp.TokenEndpoint, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = BrowserApp,
            ["code"] = redirect["code"],
            ["redirect_uri"] = RedirectUri.AbsoluteUri,
            ["code_verifier"] = verifier,
        });
    }

    private static async Task<JsonElement> PostTokenAsync(HttpClient http, Uri endpoint, Dictionary<string, string> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await http.PostAsync(endpoint, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}

/// <summary>Hand-editing of compact JWTs, for tokens no library would produce.</summary>
internal static class JwtSegments
{
    public static string[] Split(string jwt) => jwt.Split('.');

    public static JsonElement Decode(string segment)
    {
        using var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(segment));
        return document.RootElement.Clone();
    }

    public static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    /// <summary>Rewrites one top-level string property of a JSON segment.</summary>
    public static string WithProperty(string segment, string name, string value)
    {
        var properties = Decode(segment).EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value);
        properties[name] = value;
        return Encode(JsonSerializer.Serialize(properties));
    }
}
