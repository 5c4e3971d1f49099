using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading.Tasks;
using IdentityGuard.Http;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace IdentityGuard.Tests.Http;

public sealed class ApiKeyHandlerTests
{
    private readonly RecordingHandler _wire = new();

    [Fact]
    public async Task Puts_the_key_in_its_header()
    {
        using var client = CreateClient(ApiKeyPlacement.Header, "X-Api-Key", new() { ["Weather:ApiKey"] = "k-123" });

        using var response = await client.GetAsync(new Uri("https://api.example/weather?city=Oslo"));

        var sent = Assert.Single(_wire.Sent);
        Assert.Equal(["X-Api-Key"], sent.HeaderNames);
        Assert.Equal(new Uri("https://api.example/weather?city=Oslo"), sent.Uri);
    }

    [Fact]
    public async Task The_header_key_is_not_left_on_the_request_after_sending()
    {
        using var client = CreateClient(ApiKeyPlacement.Header, "X-Api-Key", new() { ["Weather:ApiKey"] = "k-123" });

        using var response = await client.GetAsync(new Uri("https://api.example/weather"));

        Assert.Equal(["X-Api-Key"], Assert.Single(_wire.Sent).HeaderNames);
        Assert.False(response.RequestMessage!.Headers.Contains("X-Api-Key"));
    }

    [Fact]
    public async Task Puts_the_key_in_its_query_parameter()
    {
        using var client = CreateClient(ApiKeyPlacement.Query, "key", new() { ["Weather:ApiKey"] = "k 1&2" });

        using var response = await client.GetAsync(new Uri("https://api.example/weather?city=Oslo"));

        Assert.Equal("https://api.example/weather?city=Oslo&key=k%201%262", Assert.Single(_wire.Sent).Uri!.AbsoluteUri);
    }

    [Fact]
    public async Task The_query_key_is_not_left_in_the_request_uri_after_sending()
    {
        using var client = CreateClient(ApiKeyPlacement.Query, "key", new() { ["Weather:ApiKey"] = "k-123" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example/weather?city=Oslo");

        using var response = await client.SendAsync(request);

        Assert.Equal("https://api.example/weather?city=Oslo&key=k-123", Assert.Single(_wire.Sent).Uri!.AbsoluteUri);
        Assert.Equal(new Uri("https://api.example/weather?city=Oslo"), request.RequestUri);
        Assert.Equal(new Uri("https://api.example/weather?city=Oslo"), response.RequestMessage!.RequestUri);
    }

    [Theory]
    [InlineData(ApiKeyPlacement.Header, "http://api.example/weather")]
    [InlineData(ApiKeyPlacement.Query, "http://api.example/weather")]
    [InlineData(ApiKeyPlacement.Query, "http://192.168.1.20:8080/weather")]
    public async Task Refuses_plain_http_off_loopback_and_sends_nothing(ApiKeyPlacement placement, string address)
    {
        using var client = CreateClient(placement, placement == ApiKeyPlacement.Header ? "X-Api-Key" : "key", new() { ["Weather:ApiKey"] = "k-123" });

        var error = await Assert.ThrowsAsync<CredentialDestinationException>(() => client.GetAsync(new Uri(address)));

        Assert.Equal("Weather", error.Provider);
        Assert.Contains("https", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("k-123", error.Message, StringComparison.Ordinal);
        Assert.Empty(_wire.Sent);
    }

    [Fact]
    public async Task Fails_closed_without_a_key()
    {
        using var client = CreateClient(ApiKeyPlacement.Header, "X-Api-Key", []);

        var error = await Assert.ThrowsAsync<CredentialUnavailableException>(() => client.GetAsync(new Uri("https://api.example/weather")));

        Assert.Contains("configuration 'Weather:ApiKey'", error.Message, StringComparison.Ordinal);
        Assert.Empty(_wire.Sent);
    }

    private HttpClient CreateClient(ApiKeyPlacement placement, string parameter, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var descriptor = new ProviderDescriptor("Weather", CredentialKind.ApiKey)
        {
            ApiKey = ValueReference.FromConfiguration("Weather:ApiKey"),
            ApiKeyPlacement = placement,
            ApiKeyParameter = parameter,
        };
        var source = new ApiKeySource(descriptor, configuration);
        return new HttpClient(new ApiKeyHandler(source, NullLogger<ApiKeyHandler>.Instance) { InnerHandler = _wire });
    }
}
