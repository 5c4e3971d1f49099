using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
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

namespace IdentityGuard.Tests.Http;

/// <summary>
/// A real Kestrel server on 127.0.0.1 with a port of its own, so two of them are two different origins. It
/// records every request it receives and answers with the script the test gives it.
/// </summary>
internal sealed class LoopbackOrigin : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private LoopbackOrigin(WebApplication app, Func<HttpContext, Task> respond)
    {
        _app = app;
        _app.Run(async context =>
        {
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            _received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers));
            await respond(context);
        });
    }

    /// <summary>The origin's base address, ending in a slash.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public static async Task<LoopbackOrigin> StartAsync(Func<HttpContext, Task> respond)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var origin = new LoopbackOrigin(builder.Build(), respond);
        await origin._app.StartAsync();
        var address = origin._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        origin.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return origin;
    }

    /// <summary>Answers <paramref name="status"/> with a <c>Location</c> header.</summary>
    public static Func<HttpContext, Task> Redirect(HttpStatusCode status, Func<HttpContext, string> location) => context =>
    {
        context.Response.StatusCode = (int)status;
        context.Response.Headers.Location = location(context);
        return Task.CompletedTask;
    };

    public static Func<HttpContext, Task> Answer(HttpStatusCode status) => context =>
    {
        context.Response.StatusCode = (int)status;
        return Task.CompletedTask;
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}

internal sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers);
