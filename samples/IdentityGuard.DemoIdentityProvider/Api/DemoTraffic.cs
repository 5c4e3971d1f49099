using System;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using IdentityGuard.Demo.Hosting;

namespace IdentityGuard.Demo.Api;

/// <summary>
/// The demo APIs' first middleware: counts requests and 401s, answers forced rejections, and lets the caller
/// record each finished request. First in the pipeline, so it covers every endpoint and every outcome.
/// </summary>
internal static class DemoTraffic
{
    public static void UseDemoTraffic(
        this WebApplication app,
        RequestCounter requests,
        RequestCounter unauthorized,
        ForcedRejections forcedRejections,
        Action<HttpContext>? completed = null)
    {
        app.Use(async (context, next) =>
        {
            requests.Increment();
            if (forcedRejections.TryConsume())
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers[HeaderNames.WWWAuthenticate] =
                    "Bearer error=\"invalid_token\", error_description=\"The access token was rejected by the demo API.\"";
            }
            else
            {
                await next(context).ConfigureAwait(false);
            }

            if (context.Response.StatusCode == StatusCodes.Status401Unauthorized)
            {
                unauthorized.Increment();
            }

            completed?.Invoke(context);
        });
    }
}
