using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Audit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Authorization.Tests;

/// <summary>The authentication scheme in a real Kestrel host on loopback, called over HTTP.</summary>
[Collection(SharedAuthorizerEnvironment.Name)]
public sealed class AspNetCoreTests(IdentityProviderFixture fixture) : IAsyncLifetime
{
    private readonly InMemoryAuditTrail _trail = new();
    private WebApplication? _app;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        var builder = Loopback.CreateBuilder();
        builder.Services.AddSingleton<IAuditSink>(_trail);
        builder.Services.AddAuthentication().AddIdentityGuardJwt(options =>
        {
            options.DiscoveryUrl = fixture.Idp.DiscoveryUrl;
            options.Audiences.Add(Demo.DemoApiOptions.DefaultAudience);

            // Also the browser app's own id, the audience of the ID tokens it receives: they must still be refused.
            options.Audiences.Add(IdentityProviderFixture.BrowserApp);
            options.RequiredScopes.Add("sales.read");
            options.AllowedClientIds.Add(IdentityProviderFixture.Agent);
            options.AllowedClientIds.Add(IdentityProviderFixture.BrowserApp);
            options.ClockSkew = TimeSpan.Zero;
            options.Workload = "sales-api";
        });
        builder.Services.AddAuthorization();
        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        _app.MapGet("/me", (HttpContext context) =>
        {
            var caller = context.GetVerifiedCaller()!;
            return Results.Text($"{caller.Subject}|{context.User.Identity!.Name}|{string.Join(' ', caller.Scopes)}");
        }).RequireAuthorization();
        _client = new HttpClient { BaseAddress = await Loopback.StartAsync(_app) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Good_user_token_gets_200_and_the_verified_caller()
    {
        using var response = await GetAsync(await fixture.UserTokenAsync("alice"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("alice|alice|sales.read", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Missing_token_gets_401_with_a_bare_bearer_challenge()
    {
        using var response = await GetAsync(token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString());
    }

    [Fact]
    public async Task Bad_token_gets_401_invalid_token_and_is_audited()
    {
        var parts = JwtSegments.Split(await fixture.ClientTokenAsync("sales.read"));
        var tampered = parts[0] + "." + JwtSegments.WithProperty(parts[1], "sub", "alice") + "." + parts[2];

        using var response = await GetAsync(tampered);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("error=\"invalid_token\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.DoesNotContain(parts[2], challenge.Parameter, StringComparison.Ordinal);
        var denied = Assert.Single(_trail.Events);
        Assert.Equal(AuditEventKind.Denied, denied.Kind);
        Assert.Equal("sales-api", denied.Workload);
    }

    [Fact]
    public async Task Id_token_gets_401_invalid_token_and_is_audited()
    {
        var (idToken, _) = await fixture.UserSignInAsync("alice", withNonce: true);

        using var response = await GetAsync(idToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().Parameter, StringComparison.Ordinal);
        Assert.Equal("invalid_token (id_token)", Assert.Single(_trail.Events).Reason);
    }

    [Fact]
    public async Task Missing_scope_gets_403_insufficient_scope()
    {
        using var response = await GetAsync(await fixture.ClientTokenAsync("sales.write"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Contains("error=\"insufficient_scope\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("scope=\"sales.read\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal(IdentityProviderFixture.Agent, Assert.Single(_trail.Events).User);
    }

    [Fact]
    public async Task Client_not_allowed_gets_403()
    {
        using var response = await GetAsync(await fixture.ClientTokenAsync("sales.read", IdentityProviderFixture.Reader, IdentityProviderFixture.ReaderSecret));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("client_not_allowed", Assert.Single(_trail.Events).Reason);
    }

    private async Task<HttpResponseMessage> GetAsync(string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "me");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await _client!.SendAsync(request);
    }
}
