using System;
using System.IO;
using System.IO.Compression;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
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
        _source = new ClientCredentialsTokenSource(descriptor, _tokens, _time, TimeSpan.FromMinutes(1), NullLogger.Instance);
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
    public async Task The_token_is_not_left_on_the_request_after_sending()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example/reports");

        using var response = await _client.SendAsync(request);

        Assert.Equal("Bearer token-1", Assert.Single(_wire.Sent).Authorization);
        Assert.Null(response.RequestMessage!.Headers.Authorization);
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
    public async Task Does_not_replay_trace()
    {
        _wire.AnswerNext(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var request = new HttpRequestMessage(HttpMethod.Trace, "https://api.example/reports/1");

        using var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(_wire.Sent);
    }

    [Fact]
    public async Task Replays_a_put_whose_body_can_be_read_again()
    {
        _wire.AnswerNext(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var content = new StringContent("{}");

        using var response = await _client.PutAsync(new Uri("https://api.example/reports/1"), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _wire.Sent.Count);
    }

    public static TheoryData<string, HttpContent> ReplayableBodies() => new()
    {
        { "bytes", new ByteArrayContent([1, 2, 3]) },
        { "form", new FormUrlEncodedContent([new("total", "1")]) },
        { "json", JsonContent.Create(new { total = 1 }) },
        { "multipart", new MultipartFormDataContent { { new StringContent("1"), "total" } } },
    };

    [Theory]
    [MemberData(nameof(ReplayableBodies))]
    public async Task Replays_a_put_whose_body_is_rebuilt_from_memory(string kind, HttpContent content)
    {
        _wire.AnswerNext(HttpStatusCode.Unauthorized, HttpStatusCode.OK);

        using (content)
        {
            using var response = await _client.PutAsync(new Uri("https://api.example/reports/" + kind), content);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, _wire.Sent.Count);
    }

    [Fact]
    public async Task Does_not_replay_a_multipart_body_with_a_stream_part()
    {
        _wire.AnswerNext(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var content = new MultipartFormDataContent { { new StreamContent(new MemoryStream([1, 2, 3])), "file", "report.bin" } };

        using var response = await _client.PutAsync(new Uri("https://api.example/reports/1"), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(_wire.Sent);
    }

    [Fact]
    public async Task Returns_the_401_when_the_put_body_cannot_be_read_again()
    {
        _wire.AnswerNext(HttpStatusCode.Unauthorized, HttpStatusCode.OK);
        using var body = new GZipStream(new MemoryStream(Compress("{\"total\":1}")), CompressionMode.Decompress);
        Assert.False(body.CanSeek);
        using var content = new StreamContent(body);

        using var response = await _client.PutAsync(new Uri("https://api.example/reports/1"), content);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(_wire.Sent);
    }

    [Theory]
    [InlineData("http://api.example/reports")]
    [InlineData("http://10.0.0.7/reports")]
    [InlineData("ftp://api.example/reports")]
    public async Task Refuses_a_destination_that_is_not_https_off_loopback_before_asking_for_a_token(string address)
    {
        var error = await Assert.ThrowsAsync<CredentialDestinationException>(() => _client.GetAsync(new Uri(address)));

        Assert.Equal("Reports", error.Provider);
        Assert.DoesNotContain("/reports", error.Message, StringComparison.Ordinal);
        Assert.Empty(_wire.Sent);
        Assert.Equal(0, _tokens.Calls);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/reports")]
    [InlineData("http://localhost/reports")]
    [InlineData("http://[::1]:8080/reports")]
    public async Task Allows_plain_http_on_loopback(string address)
    {
        using var response = await _client.GetAsync(new Uri(address));

        Assert.Equal("Bearer token-1", Assert.Single(_wire.Sent).Authorization);
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

    private static byte[] Compress(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }
}
