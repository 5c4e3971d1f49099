using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Demo.Tests;

/// <summary>A loopback stand-in for an agent's redirect endpoint, so <see cref="DemoBrowser"/> has a callback to follow.</summary>
public sealed class CallbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private CallbackServer(WebApplication app, Uri callbackUri)
    {
        _app = app;
        CallbackUri = callbackUri;
    }

    public Uri CallbackUri { get; }

    /// <summary>The <c>state</c> of every callback received (never the code).</summary>
    public ConcurrentQueue<string> ReceivedStates { get; } = new();

    public static async Task<CallbackServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();

        CallbackServer? server = null;
        app.MapGet("/callback", (HttpContext context) =>
        {
            server!.ReceivedStates.Enqueue(context.Request.Query["state"].ToString());
            return context.Request.Query.ContainsKey("code")
                ? Results.Text("Signed in; you can close this window.")
                : Results.BadRequest("Authorization failed: " + context.Request.Query["error"]);
        });

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new CallbackServer(app, new Uri(address.TrimEnd('/') + "/callback"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
