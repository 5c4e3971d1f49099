using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Demo.Api;
using IdentityGuard.Demo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityGuard.Demo;

/// <summary>
/// A protected demo resource server running in-process on 127.0.0.1. It validates bearer JWTs issued by a
/// <see cref="DemoIdentityProvider"/> (signature, issuer, lifetime, audience) and requires a scope per endpoint:
/// <list type="bullet">
/// <item><c>GET /reports/sales</c> (scope <c>sales.read</c>): a fixed list of <see cref="SalesRecord"/>.</item>
/// <item><c>PUT /reports/sales/{id}</c> (scope <c>sales.write</c>): echoes the <see cref="SalesRecordUpdate"/> body as a <see cref="SalesRecord"/>.</item>
/// <item><c>GET /whoami</c> (any valid token): a <see cref="CallerInfo"/> describing the caller.</item>
/// <item><c>GET /weather</c> (header <c>X-Api-Key</c>, no token): a list of <see cref="WeatherForecast"/>.</item>
/// </list>
/// A missing or invalid credential gets 401; a valid token without the scope gets 403.
/// </summary>
public sealed class DemoApi : IAsyncDisposable
{
    /// <summary>The scope <c>GET /reports/sales</c> requires.</summary>
    public const string SalesReadScope = "sales.read";

    /// <summary>The scope <c>PUT /reports/sales/{id}</c> requires.</summary>
    public const string SalesWriteScope = "sales.write";

    /// <summary>The header <c>GET /weather</c> reads its API key from.</summary>
    public const string ApiKeyHeaderName = ApiEndpoints.ApiKeyHeader;

    private readonly WebApplication _app;
    private readonly RequestCounter _requests;
    private readonly RequestCounter _unauthorized;
    private readonly ForcedRejections _forcedRejections;

    private DemoApi(WebApplication app, RequestCounter requests, RequestCounter unauthorized, ForcedRejections forcedRejections, Uri baseAddress)
    {
        _app = app;
        _requests = requests;
        _unauthorized = unauthorized;
        _forcedRejections = forcedRejections;
        BaseAddress = baseAddress;
    }

    /// <summary>The API's base address, e.g. <c>http://127.0.0.1:54322/</c>; ends with a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>How many requests reached the API since start or <see cref="ResetCounters"/>.</summary>
    public int RequestCount => _requests.Value;

    /// <summary>How many of those requests were answered with 401 (including forced ones).</summary>
    public int UnauthorizedCount => _unauthorized.Value;

    /// <summary>Starts the API on a loopback port.</summary>
    /// <param name="options">The API's configuration; it is read at start.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running API.</returns>
    public static async Task<DemoApi> StartAsync(DemoApiOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);

        var builder = LoopbackWebApplication.CreateBuilder(options.Port, options.LoggerProvider, options.MinimumLogLevel);

        builder.Services.AddDemoTokenValidation(options.Issuer, options.Audience);
        builder.Services.AddAuthorization(authorization => authorization.AddScopePolicies());

        var app = builder.Build();
        try
        {
            var requests = new RequestCounter();
            var unauthorized = new RequestCounter();
            var forcedRejections = new ForcedRejections();

            app.UseDemoTraffic(requests, unauthorized, forcedRejections);

            app.UseAuthentication();
            app.UseAuthorization();
            app.MapDemoEndpoints(options.ApiKey);

            var baseAddress = await LoopbackWebApplication.StartAsync(app, cancellationToken).ConfigureAwait(false);
            return new DemoApi(app, requests, unauthorized, forcedRejections, baseAddress);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Answers the next <paramref name="count"/> requests with 401 <c>invalid_token</c>, whatever credential they carry,
    /// as if the token had been revoked; replaces any earlier count. Used to test a client's 401-renewal logic.
    /// </summary>
    /// <param name="count">How many requests to reject; zero cancels pending rejections.</param>
    public void RejectNextRequests(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _forcedRejections.Set(count);
    }

    /// <summary>Sets <see cref="RequestCount"/> and <see cref="UnauthorizedCount"/> back to zero.</summary>
    public void ResetCounters()
    {
        _requests.Reset();
        _unauthorized.Reset();
    }

    /// <summary>Stops the API and releases its port.</summary>
    /// <returns>A task that completes when the API has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
