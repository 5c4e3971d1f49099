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
    public async Task Puts_the_key_in_its_query_parameter()
    {
        using var client = CreateClient(ApiKeyPlacement.Query, "key", new() { ["Weather:ApiKey"] = "k 1&2" });

        using var response = await client.GetAsync(new Uri("https://api.example/weather?city=Oslo"));

        Assert.Equal("https://api.example/weather?city=Oslo&key=k%201%262", Assert.Single(_wire.Sent).Uri!.AbsoluteUri);
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
