using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Consent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityGuard.AspNetCore;

/// <summary>
/// The answer a web agent gives when the signed-in user must approve access first: <c>403</c> with
/// <c>{"error":"consent_required","provider":…,"scopes":[…],"consentUrl":…}</c>, not cacheable. The URL is included
/// only when the request is signed in as the user the consent is for (its verified caller, or its sign-in); any other
/// caller (an admin endpoint acting for someone else, an anonymous request) gets the answer without it.
/// </summary>
/// <param name="Error">Always <c>consent_required</c>.</param>
/// <param name="Provider">The credential provider that needs consent.</param>
/// <param name="Scopes">The scopes the user is asked to approve now.</param>
/// <param name="ConsentUrl">The URL the user opens to approve; null when the caller is not that user.</param>
public sealed record ConsentRequiredResponse(string Error, string Provider, IReadOnlyList<string> Scopes, Uri? ConsentUrl)
{
    /// <summary>The <see cref="Error"/> value.</summary>
    public const string ErrorCode = "consent_required";

    /// <summary>Creates the response for a consent request.</summary>
    public static ConsentRequiredResponse For(ConsentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ConsentRequiredResponse(ErrorCode, request.Provider, request.Scopes, request.AuthorizationUrl);
    }

    /// <summary>A redacted description; the URL carries the single-use <c>state</c>.</summary>
    public override string ToString() => $"{Error} for provider {Provider}, scopes [{string.Join(' ', Scopes)}]";
}

/// <summary>
/// Turns a consent requirement raised anywhere while handling a request (an accessor, an <see cref="System.Net.Http.HttpClient"/>
/// handler, or a Refit client that wrapped it in <c>ApiRequestException</c>) into the <see cref="ConsentRequiredResponse"/>.
/// </summary>
public static class ConsentRequiredResponseExtensions
{
    /// <summary>
    /// Adds an endpoint filter that answers <see cref="ConsentRequiredResponse"/> when the endpoint (or anything it
    /// calls) fails for want of consent; other exceptions pass through unchanged.
    /// </summary>
    public static TBuilder WithIdentityGuardConsent<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter<TBuilder>(async (context, next) =>
        {
            try
            {
                return await next(context).ConfigureAwait(false);
            }
            catch (Exception ex) when (ConsentRequiredException.TryFind(ex, out var consent))
            {
                return await AnswerAsync(context.HttpContext, consent.Request!).ConfigureAwait(false);
            }
        });
    }

    /// <summary>Registers the exception handler of <c>AddConsentExceptionHandler</c>, once.</summary>
    internal static void AddExceptionHandler(IServiceCollection services)
    {
        if (services.Any(descriptor => descriptor.ImplementationType == typeof(ConsentRequiredExceptionHandler)))
        {
            return;
        }

        services.AddExceptionHandler<ConsentRequiredExceptionHandler>();
        services.AddProblemDetails();
    }

    internal static async Task<IResult> AnswerAsync(HttpContext context, ConsentRequest request)
    {
        context.Response.Headers.CacheControl = "no-store";
        var scheme = context.RequestServices.GetService<IOptions<ConsentOptions>>()?.Value.SignInScheme;
        var caller = await SignedInUser.KeyAsync(context, scheme).ConfigureAwait(false);
        var response = string.Equals(caller, request.User, StringComparison.Ordinal)
            ? ConsentRequiredResponse.For(request)
            : ConsentRequiredResponse.For(request) with { ConsentUrl = null }; // the link is a capability: only its user gets it
        return Results.Json(response, statusCode: StatusCodes.Status403Forbidden);
    }

    private sealed class ConsentRequiredExceptionHandler : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (!ConsentRequiredException.TryFind(exception, out var consent))
            {
                return false;
            }

            await (await AnswerAsync(httpContext, consent.Request!).ConfigureAwait(false)).ExecuteAsync(httpContext).ConfigureAwait(false);
            return true;
        }
    }
}
