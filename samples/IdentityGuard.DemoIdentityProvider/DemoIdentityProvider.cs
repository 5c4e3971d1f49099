using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Demo.Hosting;
using IdentityGuard.Demo.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IdentityGuard.Demo;

/// <summary>
/// A real OAuth 2.0 / OpenID Connect authorization server (OpenIddict) running in-process on 127.0.0.1,
/// for tests and samples. Dispose it to stop the server.
/// </summary>
public sealed class DemoIdentityProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestCounter _tokenRequests;

    private DemoIdentityProvider(WebApplication app, RequestCounter tokenRequests, Uri issuer)
    {
        _app = app;
        _tokenRequests = tokenRequests;
        Issuer = issuer;
        TokenEndpoint = new Uri(issuer, EndpointPaths.Token);
        AuthorizationEndpoint = new Uri(issuer, EndpointPaths.Authorization);
        DiscoveryUrl = new Uri(issuer, EndpointPaths.Discovery);
    }

    /// <summary>The issuer (<c>iss</c>) of every token, e.g. <c>http://127.0.0.1:54321/</c>; ends with a slash.</summary>
    public Uri Issuer { get; }

    /// <summary>The token endpoint (<c>/connect/token</c>).</summary>
    public Uri TokenEndpoint { get; }

    /// <summary>The authorization endpoint (<c>/connect/authorize</c>).</summary>
    public Uri AuthorizationEndpoint { get; }

    /// <summary>The OpenID Connect discovery document (<c>/.well-known/openid-configuration</c>).</summary>
    public Uri DiscoveryUrl { get; }

    /// <summary>How many POST requests reached the token endpoint, successful or not, since start or <see cref="ResetCounters"/>.</summary>
    public int TokenRequestCount => _tokenRequests.Value;

    /// <summary>Starts a server with the given clients, scopes and users on a loopback port.</summary>
    /// <param name="options">The server's configuration; it is read at start and should not be changed afterwards.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<DemoIdentityProvider> StartAsync(DemoIdentityProviderOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        var builder = LoopbackWebApplication.CreateBuilder(options.Port, options.LoggerProvider, options.MinimumLogLevel);
        builder.Services.AddDemoOpenIddictServer(options);

        var app = builder.Build();
        try
        {
            var tokenRequests = new RequestCounter();

            // Counted before authentication, because OpenIddict answers token requests (including rejections)
            // inside the authentication middleware and later middleware would never see them.
            app.Use((context, next) =>
            {
                if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path == "/" + EndpointPaths.Token)
                {
                    tokenRequests.Increment();
                }

                return next(context);
            });

            app.UseAuthentication();

            // Typed as route handlers (not RequestDelegate) so the returned IResult is executed.
            app.MapPost(EndpointPaths.Token, (Func<HttpContext, Task<IResult>>)TokenEndpointHandler.HandleAsync);
            app.MapMethods(EndpointPaths.Authorization, [HttpMethods.Get, HttpMethods.Post],
                (Func<HttpContext, Task<IResult>>)(context => AuthorizationEndpointHandler.HandleAsync(context, options)));

            await DemoDataSeeder.SeedAsync(app.Services, options, cancellationToken).ConfigureAwait(false);
            var issuer = await LoopbackWebApplication.StartAsync(app, cancellationToken).ConfigureAwait(false);
            return new DemoIdentityProvider(app, tokenRequests, issuer);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sets <see cref="TokenRequestCount"/> back to zero.</summary>
    public void ResetCounters() => _tokenRequests.Reset();

    /// <summary>Stops the server and releases its port.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
