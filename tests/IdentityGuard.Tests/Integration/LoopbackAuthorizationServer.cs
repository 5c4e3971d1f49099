using System;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using Xunit;

namespace IdentityGuard.Tests.Integration;

/// <summary>
/// A real OpenIddict authorization server and a protected API on 127.0.0.1, shared by the integration tests.
/// Tokens live four seconds, so renewal is exercised for real without long waits.
/// </summary>
public sealed class LoopbackAuthorizationServer : IAsyncLifetime
{
    public const string ClientId = "report-job";
    public const string ClientSecret = "report-job-secret-for-tests";
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(4);

    private DemoIdentityProvider? _identityProvider;
    private DemoApi? _api;

    public DemoIdentityProvider IdentityProvider => _identityProvider ?? throw new InvalidOperationException("Not started.");

    public DemoApi Api => _api ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        var options = DemoIdentityProviderOptions.CreateDefault();
        options.AccessTokenLifetime = TokenLifetime;
        var client = new DemoClient(ClientId, ClientSecret);
        client.AllowedScopes.Add(DemoApi.SalesReadScope);
        client.AllowedScopes.Add(DemoApi.SalesWriteScope);
        options.Clients.Add(client);

        _identityProvider = await DemoIdentityProvider.StartAsync(options);
        _api = await DemoApi.StartAsync(new DemoApiOptions(_identityProvider.Issuer));
    }

    public async Task DisposeAsync()
    {
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_identityProvider is not null)
        {
            await _identityProvider.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class LoopbackServerGroup : ICollectionFixture<LoopbackAuthorizationServer>
{
    public const string Name = "loopback authorization server";
}
