using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using IdentityGuard.Manifest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Tests.Integration;

[Collection(LoopbackServerGroup.Name)]
public sealed class ApiKeyTests
{
    private readonly LoopbackAuthorizationServer _server;

    public ApiKeyTests(LoopbackAuthorizationServer server) => _server = server;

    [Theory]
    [InlineData(DemoApiOptions.DefaultApiKey, HttpStatusCode.OK)]
    [InlineData("wrong-key", HttpStatusCode.Unauthorized)]
    public async Task The_api_key_from_configuration_reaches_the_api(string configuredKey, HttpStatusCode expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Weather:ApiKey"] = configuredKey }).Build();
        var provider = new ProviderDescriptor("Weather", CredentialKind.ApiKey)
        {
            ApiKey = ValueReference.FromConfiguration("Weather:ApiKey"),
            ApiKeyPlacement = ApiKeyPlacement.Header,
            ApiKeyParameter = DemoApi.ApiKeyHeaderName,
        };
        var services = new ServiceCollection();
        services.AddIdentityGuardRuntime(configuration, new CredentialManifest("weather-agent", [provider]));
        services.AddHttpClient("weather", client => client.BaseAddress = _server.Api.BaseAddress).AddIdentityGuardApiKey("Weather");
        await using var container = services.BuildServiceProvider();

        using var response = await container.GetRequiredService<IHttpClientFactory>().CreateClient("weather").GetAsync(new Uri("weather", UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
    }
}
