using System;
using System.Net;
using System.Threading.Tasks;
using IdentityGuard.Consent;
using IdentityGuard.Federation;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityGuard.AspNetCore;

/// <summary>Maps the authorization callback (the redirect URI) of user federation.</summary>
public static class ConsentCallbackEndpoint
{
    /// <summary>The default route of the callback.</summary>
    public const string DefaultPattern = "/identityguard/consent/callback";

    /// <summary>
    /// Maps <c>GET <paramref name="pattern"/></c>: completes the authorization response through
    /// <see cref="UserFederation.CompleteAsync"/>. When the browser request is itself authenticated by the
    /// IdentityGuard scheme, the callback must belong to that user. On success the browser goes to the request's
    /// registered return URL, if it had one, or sees a short page. Codes and tokens are never echoed, and the
    /// answer is not cacheable.
    /// </summary>
    public static IEndpointConventionBuilder MapIdentityGuardConsentCallback(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGet(pattern, (Func<HttpContext, Task<IResult>>)HandleAsync).AllowAnonymous().WithDisplayName("IdentityGuard consent callback");
    }

    private static async Task<IResult> HandleAsync(HttpContext context)
    {
        var federation = context.RequestServices.GetRequiredService<UserFederation>();
        var caller = context.GetVerifiedCaller();
        var sessionUser = caller is null ? null : WorkloadIdentity.DeriveUserKey(caller.Issuer, caller.Subject);
        var query = context.Request.Query;
        var result = await federation.CompleteAsync(
            new AuthorizationCallback(query["state"], query["code"], query["error"], query["error_description"]),
            sessionUser,
            context.RequestAborted).ConfigureAwait(false);

        context.Response.Headers.CacheControl = "no-store";
        if (result.ReturnUrl is not null)
        {
            return Results.Redirect(result.ReturnUrl.ToString());
        }

        var status = result.Status == ConsentCallbackStatus.Completed ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        return Results.Content(
            $"<!doctype html><title>IdentityGuard</title><p>{WebUtility.HtmlEncode(result.Message)}</p>",
            "text/html; charset=utf-8",
            statusCode: status);
    }
}
