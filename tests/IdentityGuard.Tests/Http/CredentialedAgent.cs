using System;
using System.Collections.Generic;
using System.Net.Http;
using IdentityGuard.Manifest;
using IdentityGuard.Tests.Integration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityGuard.Tests.Http;

/// <summary>
/// An agent's container wired the way generated code wires it: one named client towards <c>baseAddress</c>
/// carrying the credential of one provider.
/// </summary>
internal sealed class CredentialedAgent : IDisposable
{
    public const string ApiKey = "k-agent-secret-1";
    private const string ClientName = "api";

    private readonly ServiceProvider _services;

    private CredentialedAgent(ProviderDescriptor provider, Uri baseAddress, Dictionary<string, string?> settings, Action<IHttpClientBuilder> attach)
    {
        settings.TryAdd("Weather:ApiKey", ApiKey);
        settings.TryAdd("Reports:ClientSecret", LoopbackAuthorizationServer.ClientSecret);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddIdentityGuardRuntime(configuration, new CredentialManifest("test-agent", [provider]));
        attach(services.AddHttpClient(ClientName, client => client.BaseAddress = baseAddress));
        _services = services.BuildServiceProvider();
    }

    public HttpClient Client => _services.GetRequiredService<IHttpClientFactory>().CreateClient(ClientName);

    public static CredentialedAgent WithApiKey(
        ApiKeyPlacement placement, Uri baseAddress, Dictionary<string, string?>? settings = null, IReadOnlyList<string>? allowedOrigins = null, Func<HttpMessageHandler>? primary = null) =>
        new(Weather(placement, allowedOrigins), baseAddress, settings ?? [], builder =>
        {
            builder.AddIdentityGuardApiKey("Weather");
            if (primary is not null)
            {
                builder.ConfigurePrimaryHttpMessageHandler(primary);
            }
        });

    public static CredentialedAgent WithBearer(LoopbackAuthorizationServer server, Uri baseAddress) =>
        new(AgentHost.Reports(tokenEndpoint: server.IdentityProvider.TokenEndpoint.ToString()), baseAddress, [], builder => builder.AddIdentityGuardAccessToken("Reports", 1));

    public static ProviderDescriptor Weather(ApiKeyPlacement placement, IReadOnlyList<string>? allowedOrigins = null) =>
        new("Weather", CredentialKind.ApiKey)
        {
            ApiKey = ValueReference.FromConfiguration("Weather:ApiKey"),
            ApiKeyPlacement = placement,
            ApiKeyParameter = placement == ApiKeyPlacement.Header ? "X-Api-Key" : "key",
            AllowedOrigins = allowedOrigins ?? [],
        };

    public void Dispose() => _services.Dispose();
}
