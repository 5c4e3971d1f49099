using System;
using System.Collections.Generic;
using System.Net;
using System.Linq;
using System.Net.Http;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using IdentityGuard.Tests.Integration;
using Xunit;

namespace IdentityGuard.Tests.Http;

/// <summary>
/// A credential goes only to the origin it was attached for. Two loopback servers on two ports are two origins:
/// the API answers with a redirect to the other one, which must never receive a request carrying a credential.
/// </summary>
[Collection(LoopbackServerGroup.Name)]
public sealed class RedirectTests
{
    private readonly LoopbackAuthorizationServer _server;

    public RedirectTests(LoopbackAuthorizationServer server) => _server = server;

    [Theory]
    [InlineData(HttpStatusCode.Found)]
    [InlineData(HttpStatusCode.TemporaryRedirect)]
    public async Task A_header_api_key_is_not_carried_to_another_origin(HttpStatusCode status)
    {
        await using var other = await LoopbackOrigin.StartAsync(LoopbackOrigin.Answer(HttpStatusCode.OK));
        await using var api = await LoopbackOrigin.StartAsync(LoopbackOrigin.Redirect(status, _ => new Uri(other.BaseAddress, "landing").AbsoluteUri));
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Header, api.BaseAddress);

        using var response = await agent.Client.GetAsync(new Uri("weather", UriKind.Relative));

        Assert.DoesNotContain(other.Received, r => r.Headers.ContainsKey("X-Api-Key"));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(CredentialedAgent.ApiKey, Assert.Single(api.Received).Headers["X-Api-Key"]);
        Assert.Empty(other.Received);
    }

    [Theory]
    [InlineData(HttpStatusCode.Found)]
    [InlineData(HttpStatusCode.TemporaryRedirect)]
    public async Task A_query_api_key_is_not_carried_to_another_origin_by_a_redirect_that_keeps_the_query(HttpStatusCode status)
    {
        await using var other = await LoopbackOrigin.StartAsync(LoopbackOrigin.Answer(HttpStatusCode.OK));
        await using var api = await LoopbackOrigin.StartAsync(LoopbackOrigin.Redirect(
            status, context => new Uri(other.BaseAddress, context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString).AbsoluteUri));
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Query, api.BaseAddress);

        using var response = await agent.Client.GetAsync(new Uri("weather?city=Oslo", UriKind.Relative));

        Assert.DoesNotContain(other.Received, r => r.PathAndQuery.Contains(CredentialedAgent.ApiKey, StringComparison.Ordinal));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("/weather?city=Oslo&key=" + CredentialedAgent.ApiKey, Assert.Single(api.Received).PathAndQuery);
        Assert.Empty(other.Received);
    }

    [Theory]
    [InlineData(HttpStatusCode.Found)]
    [InlineData(HttpStatusCode.TemporaryRedirect)]
    public async Task A_bearer_token_is_not_carried_to_another_origin_even_when_that_origin_answers_401(HttpStatusCode status)
    {
        // The other origin's 401 used to make the token handler renew and replay the request to where the
        // redirect had pointed it, with the fresh token attached.
        await using var other = await LoopbackOrigin.StartAsync(LoopbackOrigin.Answer(HttpStatusCode.Unauthorized));
        await using var api = await LoopbackOrigin.StartAsync(LoopbackOrigin.Redirect(status, _ => new Uri(other.BaseAddress, "landing").AbsoluteUri));
        using var agent = CredentialedAgent.WithBearer(_server, api.BaseAddress);

        using var response = await agent.Client.GetAsync(new Uri("reports", UriKind.Relative));

        Assert.DoesNotContain(other.Received, r => r.Headers.ContainsKey("Authorization"));
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith("Bearer ", Assert.Single(api.Received).Headers["Authorization"], StringComparison.Ordinal);
        Assert.Empty(other.Received);
    }

    [Theory]
    [InlineData("SocketsHttpHandler")]
    [InlineData("HttpClientHandler")]
    public async Task Either_primary_handler_type_leaves_cross_origin_redirects_unfollowed_and_same_origin_ones_followed(string primary)
    {
        await using var other = await LoopbackOrigin.StartAsync(LoopbackOrigin.Answer(HttpStatusCode.OK));
        await using var api = await LoopbackOrigin.StartAsync(context =>
        {
            context.Response.StatusCode = (int)HttpStatusCode.Found;
            context.Response.Headers.Location = context.Request.Path == "/start" ? "/away" : new Uri(other.BaseAddress, "landing").AbsoluteUri;
            return Task.CompletedTask;
        });
        Func<HttpMessageHandler> create = primary == "HttpClientHandler" ? () => new HttpClientHandler() : () => new SocketsHttpHandler();
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Header, api.BaseAddress, primary: create);

        using var response = await agent.Client.GetAsync(new Uri("start", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(["/start", "/away"], [.. api.Received.Select(r => r.PathAndQuery)]);
        Assert.Empty(other.Received);
    }

    [Fact]
    public async Task A_same_origin_redirect_is_followed_with_the_header_key_attached_again()
    {
        await using var api = await LoopbackOrigin.StartAsync(SameOriginRedirect);
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Header, api.BaseAddress);

        using var response = await agent.Client.GetAsync(new Uri("start", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Uri(api.BaseAddress, "final"), response.RequestMessage!.RequestUri);
        Assert.Collection(
            api.Received,
            first => Assert.Equal(CredentialedAgent.ApiKey, first.Headers["X-Api-Key"]),
            second => Assert.Equal(("/final", CredentialedAgent.ApiKey), (second.PathAndQuery, second.Headers["X-Api-Key"])));
    }

    [Fact]
    public async Task A_same_origin_redirect_is_followed_with_the_query_key_attached_again_and_kept_out_of_the_request_uri()
    {
        await using var api = await LoopbackOrigin.StartAsync(SameOriginRedirect);
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Query, api.BaseAddress);

        using var response = await agent.Client.GetAsync(new Uri("start", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Uri(api.BaseAddress, "final"), response.RequestMessage!.RequestUri);
        Assert.Equal(["/start?key=" + CredentialedAgent.ApiKey, "/final?key=" + CredentialedAgent.ApiKey], [.. api.Received.Select(r => r.PathAndQuery)]);
    }

    [Fact]
    public async Task A_same_origin_redirect_is_followed_with_the_bearer_token_attached_again()
    {
        await using var api = await LoopbackOrigin.StartAsync(SameOriginRedirect);
        using var agent = CredentialedAgent.WithBearer(_server, api.BaseAddress);

        using var response = await agent.Client.GetAsync(new Uri("start", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, api.Received.Count);
        Assert.All(api.Received, r => Assert.StartsWith("Bearer ", r.Headers.GetValueOrDefault("Authorization") ?? string.Empty, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_same_origin_303_after_a_post_is_followed_as_a_get_with_the_credential()
    {
        await using var api = await LoopbackOrigin.StartAsync(context =>
        {
            if (context.Request.Method == "POST")
            {
                context.Response.StatusCode = (int)HttpStatusCode.SeeOther;
                context.Response.Headers.Location = "/result";
            }

            return Task.CompletedTask;
        });
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Header, api.BaseAddress);
        using var body = new StringContent("{}");

        using var response = await agent.Client.PostAsync(new Uri("jobs", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["POST /jobs", "GET /result"], [.. api.Received.Select(r => r.Method + " " + r.PathAndQuery)]);
        Assert.All(api.Received, r => Assert.Equal(CredentialedAgent.ApiKey, r.Headers["X-Api-Key"]));
    }

    [Fact]
    public async Task A_token_handler_whose_inner_handler_follows_redirects_itself_never_replays_to_the_redirect_target()
    {
        // Built by hand, not through the client factory, so the primary handler still follows redirects: the
        // token handler must not renew and replay a 401 that came from wherever the redirect led.
        await using var other = await LoopbackOrigin.StartAsync(LoopbackOrigin.Answer(HttpStatusCode.Unauthorized));
        await using var api = await LoopbackOrigin.StartAsync(LoopbackOrigin.Redirect(HttpStatusCode.Found, _ => new Uri(other.BaseAddress, "landing").AbsoluteUri));
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var descriptor = new ProviderDescriptor("Reports", CredentialKind.OAuth2) { Scopes = [new ScopeDescriptor("SalesRead", "sales.read")] };
        using var source = new IdentityGuard.Providers.ClientCredentialsTokenSource(
            descriptor, new Caching.FakeTokenClient(time), time, TimeSpan.FromMinutes(1), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var client = new HttpClient(new IdentityGuard.Http.AccessTokenHandler(source, 1, Microsoft.Extensions.Logging.Abstractions.NullLogger<IdentityGuard.Http.AccessTokenHandler>.Instance)
        {
            InnerHandler = new SocketsHttpHandler(),
        });

        using var response = await client.GetAsync(new Uri(api.BaseAddress, "reports"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(Assert.Single(other.Received).Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task A_redirect_loop_on_the_same_origin_ends_with_the_last_redirect_response()
    {
        await using var api = await LoopbackOrigin.StartAsync(LoopbackOrigin.Redirect(HttpStatusCode.Found, _ => "/again"));
        using var agent = CredentialedAgent.WithApiKey(ApiKeyPlacement.Header, api.BaseAddress);

        using var response = await agent.Client.GetAsync(new Uri("start", UriKind.Relative));

        // HttpClient's own limit (50 redirects) still applies when IdentityGuard follows them.
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(51, api.Received.Count);
    }

    private static Task SameOriginRedirect(Microsoft.AspNetCore.Http.HttpContext context)
    {
        if (context.Request.Path == "/start")
        {
            context.Response.StatusCode = (int)HttpStatusCode.Found;
            context.Response.Headers.Location = "/final";
        }

        return Task.CompletedTask;
    }
}
