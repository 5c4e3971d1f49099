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
    private readonly RequestCounter _authorizationRequests;

    private DemoIdentityProvider(
        WebApplication app,
        RequestCounter tokenRequests,
        RequestCounter authorizationRequests,
        DemoConsentLog consentLog,
        Uri issuer)
    {
        _app = app;
        _tokenRequests = tokenRequests;
        _authorizationRequests = authorizationRequests;
        ConsentLog = consentLog;
        Issuer = issuer;
        TokenEndpoint = new Uri(issuer, EndpointPaths.Token);
        AuthorizationEndpoint = new Uri(issuer, EndpointPaths.Authorization);
        RevocationEndpoint = new Uri(issuer, EndpointPaths.Revocation);
        DiscoveryUrl = new Uri(issuer, EndpointPaths.Discovery);
    }

    /// <summary>The issuer (<c>iss</c>) of every token, e.g. <c>http://127.0.0.1:54321/</c>; ends with a slash.</summary>
    public Uri Issuer { get; }

    /// <summary>The token endpoint (<c>/connect/token</c>).</summary>
    public Uri TokenEndpoint { get; }

    /// <summary>The authorization endpoint (<c>/connect/authorize</c>).</summary>
    public Uri AuthorizationEndpoint { get; }

    /// <summary>
    /// The token revocation endpoint (<c>/connect/revoke</c>, RFC 7009). A revoked refresh token is refused with
    /// <c>invalid_grant</c>; access tokens are self-contained JWTs and stay valid at resource servers until they expire.
    /// </summary>
    public Uri RevocationEndpoint { get; }

    /// <summary>The OpenID Connect discovery document (<c>/.well-known/openid-configuration</c>).</summary>
    public Uri DiscoveryUrl { get; }

    /// <summary>How many POST requests reached the token endpoint, successful or not, since start or <see cref="ResetCounters"/>.</summary>
    public int TokenRequestCount => _tokenRequests.Value;

    /// <summary>
    /// How many GET or POST requests reached the authorization endpoint, valid or not, since start or
    /// <see cref="ResetCounters"/>: zero proves a client reused a stored grant instead of sending the user to sign in.
    /// </summary>
    public int AuthorizationRequestCount => _authorizationRequests.Value;

    /// <summary>The consent prompts shown since start or <see cref="ResetCounters"/>.</summary>
    public DemoConsentLog ConsentLog { get; }

    /// <summary>Starts a server with the given clients, scopes and users on a loopback port.</summary>
    /// <param name="options">The server's configuration; it is read at start and should not be changed afterwards.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    public static async Task<DemoIdentityProvider> StartAsync(DemoIdentityProviderOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        var persistentState = options.DataDirectory is null ? null : PersistentState.Open(options.DataDirectory);
        var builder = LoopbackWebApplication.CreateBuilder(options.Port, options.LoggerProvider, options.MinimumLogLevel);
        builder.Services.AddDemoOpenIddictServer(options, persistentState);
        var app = builder.Build();

        try
        {
            var tokenRequests = new RequestCounter();
            var authorizationRequests = new RequestCounter();
            var consentLog = new DemoConsentLog();

            // Counted before authentication, because OpenIddict answers token requests (including rejections)
            // inside the authentication middleware and later middleware would never see them.
            app.Use((context, next) =>
            {
                var path = context.Request.Path;
                var method = context.Request.Method;
                if (HttpMethods.IsPost(method) && path == "/" + EndpointPaths.Token)
                {
                    tokenRequests.Increment();
                }
                else if ((HttpMethods.IsGet(method) || HttpMethods.IsPost(method)) && path == "/" + EndpointPaths.Authorization)
                {
                    authorizationRequests.Increment();
                }

                return next(context);
            });

            app.UseAuthentication();

            // Typed as route handlers (not RequestDelegate) so the returned IResult is executed.
            app.MapPost(EndpointPaths.Token, (Func<HttpContext, Task<IResult>>)(context => TokenEndpointHandler.HandleAsync(context, options)));
            app.MapMethods(EndpointPaths.Authorization, [HttpMethods.Get, HttpMethods.Post],
                (Func<HttpContext, Task<IResult>>)(context => AuthorizationEndpointHandler.HandleAsync(context, options, consentLog)));

            await DemoDataSeeder.SeedAsync(app.Services, options, cancellationToken).ConfigureAwait(false);
            var issuer = await LoopbackWebApplication.StartAsync(app, cancellationToken).ConfigureAwait(false);
            return new DemoIdentityProvider(app, tokenRequests, authorizationRequests, consentLog, issuer);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sets <see cref="TokenRequestCount"/> and <see cref="AuthorizationRequestCount"/> back to zero and empties <see cref="ConsentLog"/>.</summary>
    public void ResetCounters()
    {
        _tokenRequests.Reset();
        _authorizationRequests.Reset();
        ConsentLog.Clear();
    }

    /// <summary>Stops the server and releases its port and, with a data directory, its database file.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
