using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using IdentityGuard.Consent;
using IdentityGuard.Federation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityGuard.AspNetCore;

/// <summary>Maps the authorization callback (the redirect URI) of user federation.</summary>
public static class ConsentCallbackEndpointExtensions
{
    /// <summary>The default route of the callback.</summary>
    public const string DefaultPattern = "/identityguard/consent/callback";

    private const int MaxFormBytes = 64 * 1024;

    /// <summary>
    /// Maps <c>GET</c> and <c>POST <paramref name="pattern"/></c> (query or form_post response): completes the authorization response through
    /// <see cref="UserFederation.CompleteAsync"/>. The browser's sign-in to the app (the scheme named by
    /// <see cref="ConsentOptions.SignInScheme"/>, or the request's default authentication) tells who approved; it must
    /// be the user who asked, as must the provider's ID token where there is one (see
    /// <see cref="ConsentOptions.RequireSessionBinding"/>). On success the browser goes to the request's
    /// registered return URL, if it had one, or sees a short page. Codes and tokens are never echoed, and the
    /// answer is not cacheable.
    /// </summary>
    public static IEndpointConventionBuilder MapIdentityGuardConsentCallback(this IEndpointRouteBuilder endpoints, string pattern = DefaultPattern)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // GET for the query response mode, POST for form_post (ConsentOptions.ResponseMode).
        return endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], (Func<HttpContext, Task<IResult>>)HandleAsync)
            .AllowAnonymous()
            .DisableAntiforgery() // the POST comes from the provider's page; the single-use state is its CSRF protection
            .WithDisplayName("IdentityGuard consent callback");
    }

    private static async Task<IResult> HandleAsync(HttpContext context)
    {
        var federation = context.RequestServices.GetRequiredService<UserFederation>();
        var options = context.RequestServices.GetRequiredService<IOptions<ConsentOptions>>().Value;

        // Only the method of the configured response mode: a form_post flow refuses a crafted GET link.
        var expected = options.ResponseMode == ConsentResponseMode.FormPost ? HttpMethods.Post : HttpMethods.Get;
        if (!string.Equals(context.Request.Method, expected, StringComparison.OrdinalIgnoreCase))
        {
            return Results.StatusCode(StatusCodes.Status405MethodNotAllowed);
        }

        if (HttpMethods.IsPost(context.Request.Method)
            && (!string.Equals(context.Request.ContentType?.Split(';')[0].Trim(), "application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
                || context.Request.ContentLength is null or > MaxFormBytes))
        {
            // An anonymous endpoint buffers nothing big: an authorization response is a few short fields.
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }

        var sessionUser = await SignedInUser.KeyAsync(context, options.SignInScheme).ConfigureAwait(false);
        var parameters = HttpMethods.IsPost(context.Request.Method)
            ? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false)
            : context.Request.Query;
        var response = parameters.ToDictionary(p => p.Key, p => p.Value.Count == 1 ? p.Value[0] : null, StringComparer.Ordinal);
        var result = await federation.CompleteAsync(
            new AuthorizationCallback(response.GetValueOrDefault("state"), response.GetValueOrDefault("code"), response.GetValueOrDefault("error"), response.GetValueOrDefault("error_description"), response.GetValueOrDefault("iss")),
            sessionUser,
            context.RequestAborted).ConfigureAwait(false);

        context.Response.Headers.CacheControl = "no-store";
        if (result.ReturnUrl is not null)
        {
            return Results.Redirect(result.ReturnUrl.AbsoluteUri);
        }

        var status = result.Status == ConsentCallbackStatus.Completed ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        return Results.Content(
            $"<!doctype html><title>IdentityGuard</title><p>{WebUtility.HtmlEncode(result.Message)}</p>",
            "text/html; charset=utf-8",
            statusCode: status);
    }

}
