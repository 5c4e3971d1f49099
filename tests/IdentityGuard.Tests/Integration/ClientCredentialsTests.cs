using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using Xunit;

namespace IdentityGuard.Tests.Integration;

[Collection(LoopbackServerGroup.Name)]
public sealed class ClientCredentialsTests
{
    private readonly LoopbackAuthorizationServer _server;

    public ClientCredentialsTests(LoopbackAuthorizationServer server)
    {
        _server = server;
        _server.IdentityProvider.ResetCounters();
        _server.Api.ResetCounters();
    }

    [Fact]
    public async Task Discovers_the_token_endpoint_and_calls_the_api_with_a_real_token()
    {
        using var agent = new AgentHost(_server, AgentHost.Reports(discoveryUrl: _server.IdentityProvider.DiscoveryUrl.ToString()), []);

        using var response = await agent.Api.GetAsync(new Uri("reports/sales", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"region\"", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, _server.IdentityProvider.TokenRequestCount);
    }

    [Fact]
    public async Task Configuration_overrides_the_manifest_endpoint()
    {
        // The manifest names a production endpoint; configuration points this environment at the loopback server.
        var provider = AgentHost.Reports(tokenEndpoint: "https://login.example.com/connect/token");
        using var agent = new AgentHost(_server, provider, new()
        {
            ["IdentityGuard:Providers:Reports:TokenEndpoint"] = _server.IdentityProvider.TokenEndpoint.ToString(),
        });

        var token = await agent.Registry.GetOAuth2TokenSource("Reports").GetAsync(1);

        Assert.Equal("sales.read", token.Scope);
        Assert.True(token.ExpiresAt > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task A_thousand_concurrent_callers_share_one_token_request()
    {
        using var agent = new AgentHost(_server, AgentHost.Reports(tokenEndpoint: _server.IdentityProvider.TokenEndpoint.ToString()), []);
        var source = agent.Registry.GetOAuth2TokenSource("Reports");

        var tokens = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(async () => await source.GetAsync(3))));

        Assert.Equal(1, _server.IdentityProvider.TokenRequestCount);
        Assert.All(tokens, token => Assert.Same(tokens[0], token));
    }

    [Fact]
    public async Task Tokens_are_renewed_before_they_expire()
    {
        using var agent = new AgentHost(_server, AgentHost.Reports(tokenEndpoint: _server.IdentityProvider.TokenEndpoint.ToString()), []);
        var source = agent.Registry.GetOAuth2TokenSource("Reports");

        var first = await source.GetAsync(1);
        Assert.Same(first, await source.GetAsync(1));

        // Four-second tokens are renewed in their last second (a quarter of their lifetime).
        await Task.Delay(LoopbackAuthorizationServer.TokenLifetime - TimeSpan.FromSeconds(0.5));
        var renewed = await source.GetAsync(1);

        Assert.NotSame(first, renewed);
        Assert.False(renewed.HasSameValue(first));
        Assert.Equal(2, _server.IdentityProvider.TokenRequestCount);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_rejected_by_the_server_and_no_api_request_is_sent()
    {
        using var agent = new AgentHost(_server, AgentHost.Reports(tokenEndpoint: _server.IdentityProvider.TokenEndpoint.ToString()), new()
        {
            ["Reports:ClientSecret"] = "not-the-secret",
        });

        var error = await Assert.ThrowsAsync<TokenRequestException>(() => agent.Api.GetAsync(new Uri("reports/sales", UriKind.Relative)));

        Assert.Equal("invalid_client", error.Error);
        Assert.Equal("Reports", error.Provider);
        Assert.Equal(0, _server.Api.RequestCount);
    }

    [Fact]
    public async Task An_unknown_scope_is_rejected_by_the_server()
    {
        using var agent = new AgentHost(_server, AgentHost.Reports(tokenEndpoint: _server.IdentityProvider.TokenEndpoint.ToString()), []);

        // payroll.read is declared by this agent but the server knows no such scope.
        var error = await Assert.ThrowsAsync<TokenRequestException>(async () => await agent.Registry.GetOAuth2TokenSource("Reports").GetAsync(4));

        Assert.Equal("invalid_scope", error.Error);
    }

    [Fact]
    public async Task A_missing_client_secret_fails_closed_with_the_place_it_was_expected()
    {
        var provider = AgentHost.Reports(tokenEndpoint: _server.IdentityProvider.TokenEndpoint.ToString());
        using var agent = new AgentHost(_server, provider, new() { ["Reports:ClientSecret"] = null });

        var error = await Assert.ThrowsAsync<CredentialUnavailableException>(() => agent.Api.GetAsync(new Uri("reports/sales", UriKind.Relative)));

        Assert.Contains("configuration 'Reports:ClientSecret'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.IdentityProvider.TokenRequestCount);
        Assert.Equal(0, _server.Api.RequestCount);
    }

    [Fact]
    public async Task Plain_http_token_endpoints_off_loopback_are_refused_before_anything_is_sent()
    {
        using var agent = new AgentHost(_server, AgentHost.Reports(tokenEndpoint: "http://login.example.com/connect/token"), []);

        var error = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await agent.Registry.GetOAuth2TokenSource("Reports").GetAsync(1));

        Assert.Contains("plain http", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_401_from_the_api_renews_the_token_once_and_retries()
    {
        using var agent = new AgentHost(_server, AgentHost.Reports(tokenEndpoint: _server.IdentityProvider.TokenEndpoint.ToString()), []);
        using var warmUp = await agent.Api.GetAsync(new Uri("reports/sales", UriKind.Relative));
        _server.Api.RejectNextRequests(1);

        using var response = await agent.Api.GetAsync(new Uri("reports/sales", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.IdentityProvider.TokenRequestCount);
        Assert.Equal(3, _server.Api.RequestCount);
    }

    [Fact]
    public async Task No_token_value_reaches_logs_or_traces()
    {
        var tags = new List<string?>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "IdentityGuard",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (tags)
                {
                    tags.AddRange(activity.Tags.Select(tag => tag.Value));
                    tags.Add(activity.StatusDescription);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        using var agent = new AgentHost(_server, AgentHost.Reports(discoveryUrl: _server.IdentityProvider.DiscoveryUrl.ToString()), []);

        var token = await agent.Registry.GetOAuth2TokenSource("Reports").GetAsync(1);
        _server.Api.RejectNextRequests(1);
        using var response = await agent.Api.GetAsync(new Uri("reports/sales", UriKind.Relative));
        var renewed = await agent.Registry.GetOAuth2TokenSource("Reports").GetAsync(1);

        var records = agent.Logs.GetSnapshot();
        Assert.NotEmpty(records);
        Assert.NotEmpty(tags);
        foreach (var secret in new[] { token.RevealValue(), renewed.RevealValue(), LoopbackAuthorizationServer.ClientSecret })
        {
            Assert.All(records, record =>
            {
                Assert.DoesNotContain(secret, record.Message, StringComparison.Ordinal);
                Assert.DoesNotContain(secret, record.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);
                Assert.All(record.StructuredState ?? [], pair => Assert.DoesNotContain(secret, pair.Value ?? string.Empty, StringComparison.Ordinal));
            });
            lock (tags)
            {
                Assert.All(tags, tag => Assert.DoesNotContain(secret, tag ?? string.Empty, StringComparison.Ordinal));
            }
        }
    }
}
