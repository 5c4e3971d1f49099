using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Demo.Api;
using IdentityGuard.Demo.BusinessApis;
using IdentityGuard.Demo.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityGuard.Demo;

/// <summary>
/// One of the <see cref="DemoBusinessApis"/>: a protected resource server on 127.0.0.1 that accepts only bearer JWTs
/// from its issuer with its own audience, and records who called it (see <see cref="Calls"/>).
/// </summary>
public sealed class DemoBusinessApi
{
    private readonly WebApplication _app;
    private readonly RequestCounter _requests;
    private readonly RequestCounter _unauthorized;
    private readonly ForcedRejections _forcedRejections;
    private readonly CallRecorder _calls;

    private DemoBusinessApi(
        string audience, WebApplication app, RequestCounter requests, RequestCounter unauthorized,
        ForcedRejections forcedRejections, CallRecorder calls, Uri baseAddress)
    {
        Audience = audience;
        _app = app;
        _requests = requests;
        _unauthorized = unauthorized;
        _forcedRejections = forcedRejections;
        _calls = calls;
        BaseAddress = baseAddress;
    }

    /// <summary>The audience (<c>aud</c>) a token must carry, e.g. <see cref="DemoBusinessApis.CrmAudience"/>.</summary>
    public string Audience { get; }

    /// <summary>The API's base address, e.g. <c>http://127.0.0.1:54323/</c>; ends with a slash.</summary>
    public Uri BaseAddress { get; }

    /// <summary>How many requests reached the API since start or <see cref="ResetCounters"/>.</summary>
    public int RequestCount => _requests.Value;

    /// <summary>How many of those requests were answered with 401 (including forced ones).</summary>
    public int UnauthorizedCount => _unauthorized.Value;

    /// <summary>
    /// A snapshot of the requests received since start or <see cref="ResetCounters"/>, oldest first, each with the
    /// caller's validated <c>sub</c>: tests use it to assert the API was called as the user, not as the agent.
    /// </summary>
    public IReadOnlyList<DemoApiCall> Calls => _calls.Snapshot();

    /// <summary>
    /// Answers the next <paramref name="count"/> requests with 401 <c>invalid_token</c>, whatever credential they carry,
    /// as if the token had been revoked; replaces any earlier count.
    /// </summary>
    /// <param name="count">How many requests to reject; zero cancels pending rejections.</param>
    public void RejectNextRequests(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _forcedRejections.Set(count);
    }

    /// <summary>Sets <see cref="RequestCount"/> and <see cref="UnauthorizedCount"/> back to zero and empties <see cref="Calls"/>.</summary>
    public void ResetCounters()
    {
        _requests.Reset();
        _unauthorized.Reset();
        _calls.Clear();
    }

    internal static async Task<DemoBusinessApi> StartAsync(
        string audience,
        int? port,
        DemoBusinessApisOptions options,
        Action<AuthorizationOptions> addPolicies,
        Action<IEndpointRouteBuilder> mapEndpoints,
        CancellationToken cancellationToken)
    {
        var builder = LoopbackWebApplication.CreateBuilder(port, options.LoggerProvider, options.MinimumLogLevel);
        builder.Services.AddDemoTokenValidation(options.Issuer, audience);
        builder.Services.AddAuthorization(addPolicies);

        var app = builder.Build();
        try
        {
            var requests = new RequestCounter();
            var unauthorized = new RequestCounter();
            var forcedRejections = new ForcedRejections();
            var calls = new CallRecorder();

            // HttpContext.User is read after the rest of the pipeline has authenticated the request.
            app.UseDemoTraffic(requests, unauthorized, forcedRejections, context =>
            {
                var status = context.Response.StatusCode;
                var user = context.User;
                var authenticated = user.Identity?.IsAuthenticated == true && status != StatusCodes.Status401Unauthorized;
                calls.Add(new DemoApiCall(
                    context.Request.Method,
                    context.Request.Path.Value ?? string.Empty,
                    status,
                    authenticated ? user.GetClaim(Claims.Subject) : null,
                    authenticated ? TokenValidation.ReadClientId(user) : null,
                    authenticated ? TokenValidation.ReadActor(user) : null,
                    authenticated ? user.GetScopes() : []));
            });

            app.UseAuthentication();
            app.UseAuthorization();
            mapEndpoints(app);

            var baseAddress = await LoopbackWebApplication.StartAsync(app, cancellationToken).ConfigureAwait(false);
            return new DemoBusinessApi(audience, app, requests, unauthorized, forcedRejections, calls, baseAddress);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    internal async ValueTask StopAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
