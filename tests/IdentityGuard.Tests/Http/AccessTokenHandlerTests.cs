using System;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using IdentityGuard.Http;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Tests.Caching;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IdentityGuard.Tests.Http;

public sealed class AccessTokenHandlerTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeTokenClient _tokens;
    private readonly OAuth2TokenSource _source;
    private readonly RecordingHandler _wire = new();
    private readonly HttpClient _client;

    public AccessTokenHandlerTests()
    {
        _tokens = new FakeTokenClient(_time);
        var descriptor = new ProviderDescriptor("Reports", CredentialKind.OAuth2) { Scopes = [new ScopeDescriptor("SalesRead", "sales.read")] };
        _source = new OAuth2TokenSource(descriptor, _tokens, _time, TimeSpan.FromMinutes(1), NullLogger.Instance);
        _client = new HttpClient(new AccessTokenHandler(_source, 1, NullLogger<AccessTokenHandler>.Instance) { InnerHandler = _wire });
    }

    public void Dispose()
    {
        _client.Dispose();
        _source.Dispose();
    }

    [Fact]
    public async Task Adds_the_bearer_token_and_nothing_else()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example/reports");
        request.Headers.Add("X-Trace", "1");
        using var response = await _client.SendAsync(request);

        var sent = Assert.Single(_wire.Sent);
        Assert.Equal("Bearer token-1", sent.Authorization);
        Assert.Equal(["X-Trace", "Authorization"], sent.HeaderNames);
        Assert.Equal(new Uri("https://api.example/reports"), sent.Uri);
    }

    [Fact]
    public async Task Fails_closed_when_no_token_can_be_had()
    {
        _tokens.Failure = new TokenRequestException("Reports", "invalid_client", null, HttpStatusCode.Unauthorized);

        var error = await Assert.ThrowsAsync<TokenRequestException>(() => _client.GetAsync(new Uri("https://api.example/reports")));

        Assert.Equal("invalid_client", error.Error);
        Assert.Empty(_wire.Sent);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("HEAD")]
    public async Task Renews_once_after_401_for_idempotent_methods(string method)
    {
        _wire.AnswerNext(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var request = new HttpRequestMessage(new HttpMethod(method), "https://api.example/reports/1");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _wire.Sent.Count);
        Assert.Equal("Bearer token-1", _wire.Sent[0].Authorization);
        Assert.Equal("Bearer token-2", _wire.Sent[1].Authorization);
    }

    [Fact]
    public async Task Renews_at_most_once()
    {
        _wire.AnswerNext(HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK);

        using var response = await _client.GetAsync(new Uri("https://api.example/reports"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, _wire.Sent.Count);
    }

    [Fact]
    public async Task Does_not_replay_a_non_idempotent_request()
    {
        _wire.AnswerNext(HttpStatusCode.Unauthorized);

        using var content = new StringContent("{}");
        using var response = await _client.PostAsync(new Uri("https://api.example/reports"), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(_wire.Sent);

        // The rejected token is dropped, so the next request gets a fresh one.
        using var next = await _client.GetAsync(new Uri("https://api.example/reports"));
        Assert.Equal("Bearer token-2", _wire.Sent[^1].Authorization);
    }
}
