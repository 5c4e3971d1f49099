using System;
using System.Collections.Generic;
using System.Net.Http;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace IdentityGuard.Tests.Integration;

/// <summary>
/// An agent's service container wired the way generated code wires it, with every log record captured so tests
/// can prove no token reaches a log.
/// </summary>
internal sealed class AgentHost : IDisposable
{
    public const string ApiClientName = "sales-api";

    private readonly ServiceProvider _services;

    public AgentHost(LoopbackAuthorizationServer server, ProviderDescriptor provider, Dictionary<string, string?> settings, ulong scopeMask = 1)
    {
        settings.TryAdd("Reports:ClientSecret", LoopbackAuthorizationServer.ClientSecret);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddIdentityGuardRuntime(configuration, new CredentialManifest("report-agent", [provider]));
        services.AddHttpClient(ApiClientName, client => client.BaseAddress = server.Api.BaseAddress)
            .AddIdentityGuardAccessToken(provider.Name, scopeMask);
        _services = services.BuildServiceProvider();
    }

    public IServiceProvider Services => _services;

    public CredentialProviderRegistry Registry => _services.GetRequiredService<CredentialProviderRegistry>();

    public HttpClient Api => _services.GetRequiredService<IHttpClientFactory>().CreateClient(ApiClientName);

    public FakeLogCollector Logs => _services.GetFakeLogCollector();

    public static ProviderDescriptor Reports(string? discoveryUrl = null, string? tokenEndpoint = null) =>
        new("Reports", CredentialKind.OAuth2)
        {
            Flow = OAuthFlow.M2M,
            DiscoveryUrl = discoveryUrl,
            TokenEndpoint = tokenEndpoint,
            ClientId = ValueReference.Literal(LoopbackAuthorizationServer.ClientId),
            ClientSecret = ValueReference.FromConfiguration("Reports:ClientSecret"),
            Scopes = [new ScopeDescriptor("SalesRead", "sales.read"), new ScopeDescriptor("SalesWrite", "sales.write"), new ScopeDescriptor("Payroll", "payroll.read")],
        };

    public void Dispose() => _services.Dispose();
}
