using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Tests.Integration;

[Collection(LoopbackServerGroup.Name)]
public sealed class HandlerPlacementTests
{
    private readonly LoopbackAuthorizationServer _server;

    public HandlerPlacementTests(LoopbackAuthorizationServer server) => _server = server;

    [Fact]
    public async Task Handlers_the_app_adds_never_see_the_credential_and_a_later_primary_handler_keeps_it()
    {
        var spy = new HeaderSpy();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reports:ClientSecret"] = LoopbackAuthorizationServer.ClientSecret,
        }).Build();
        var services = new ServiceCollection();
        services.AddIdentityGuardRuntime(configuration, new CredentialManifest("report-agent", [AgentHost.Reports(tokenEndpoint: _server.IdentityProvider.TokenEndpoint.ToString())]));
        services.AddHttpClient("api", client => client.BaseAddress = _server.Api.BaseAddress)
            .AddIdentityGuardAccessToken("Reports", 1)
            .AddHttpMessageHandler(() => spy)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) });
        await using var container = services.BuildServiceProvider();

        using var response = await container.GetRequiredService<IHttpClientFactory>().CreateClient("api").GetAsync(new Uri("reports/sales", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, spy.Requests);
        Assert.False(spy.SawAuthorization);
    }

    private sealed class HeaderSpy : DelegatingHandler
    {
        public int Requests { get; private set; }

        public bool SawAuthorization { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            SawAuthorization |= request.Headers.Authorization is not null;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
