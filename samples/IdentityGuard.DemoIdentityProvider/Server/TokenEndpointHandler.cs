using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityGuard.Demo.Server;

/// <summary>
/// The application part of the token endpoint. OpenIddict has already authenticated the client and validated
/// the grant, scopes and any code/refresh/subject token before this runs; here we only decide what the token says.
/// </summary>
internal static class TokenEndpointHandler
{
    /// <summary>RFC 8693 section 4.1's claim (OpenIddict's own <c>Claims.Actor</c> constant is a different name).</summary>
    public const string ActorClaim = "act";

    public static async Task<IResult> HandleAsync(HttpContext context, DemoIdentityProviderOptions options)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");

        // A client may have its own access token lifetime; OpenIddict applies the server's otherwise.
        var clientLifetime = FindClient(options, request.ClientId)?.AccessTokenLifetime;
        if (request.IsClientCredentialsGrantType())
        {
            return await IssueForClientAsync(context, request, clientLifetime).ConfigureAwait(false);
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            return await ReissueAsync(context, request, options, clientLifetime).ConfigureAwait(false);
        }

        if (request.IsTokenExchangeGrantType())
        {
            return await ExchangeAsync(context, request, clientLifetime ?? options.AccessTokenLifetime, options.CapExchangedTokenLifetime).ConfigureAwait(false);
        }

        return Reject(Errors.UnsupportedGrantType, "The specified grant type is not supported.");
    }

    private static async Task<IResult> IssueForClientAsync(HttpContext context, OpenIddictRequest request, TimeSpan? lifetime)
    {
        var scopeManager = context.RequestServices.GetRequiredService<IOpenIddictScopeManager>();

        // A machine identity: the subject is the client itself.
        var principal = await PrincipalFactory.CreateAsync(
            request.ClientId!, request.ClientId, request.GetScopes(), scopeManager, context.RequestAborted).ConfigureAwait(false);
        if (lifetime is { } value)
        {
            principal.SetAccessTokenLifetime(value);
        }

        return SignIn(principal);
    }

    private static async Task<IResult> ReissueAsync(HttpContext context, OpenIddictRequest request, DemoIdentityProviderOptions options, TimeSpan? clientLifetime)
    {
        // The principal stored in the authorization code or refresh token carries the user, scopes and resources
        // granted at the authorization endpoint; it is reissued unchanged (the demo users cannot be disabled).
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme).ConfigureAwait(false);
        if (result.Principal is null)
        {
            return Reject(Errors.InvalidGrant, "The token is no longer valid.");
        }

        var lifetime = request.IsAuthorizationCodeGrantType() ? options.ConsentAccessTokenLifetime ?? clientLifetime : clientLifetime;
        if (lifetime is not null || options.ConsentAccessTokenLifetime is not null)
        {
            // The lifetime travels in the principal, and so into the refresh token: set it for the code, and on refresh
            // set the client's own or clear it, so refreshed tokens get the server's lifetime.
            result.Principal.SetAccessTokenLifetime(lifetime);
        }

        PrincipalFactory.ApplyDestinations(result.Principal);
        return SignIn(result.Principal);
    }

    private static async Task<IResult> ExchangeAsync(HttpContext context, OpenIddictRequest request, TimeSpan lifetime, bool capAtSubjectExpiry)
    {
        // OpenIddict has validated the subject token (and the actor token, if any) and checked that the calling
        // client may use it; the new token is for the same subject, with the caller recorded as actor (RFC 8693 "act").
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme).ConfigureAwait(false);
        var subjectPrincipal = result.Principal;
        var subject = subjectPrincipal?.GetClaim(Claims.Subject);
        if (subjectPrincipal is null || subject is null)
        {
            return Reject(Errors.InvalidGrant, "The subject token is no longer valid.");
        }

        // The acting party is the authenticated client. An actor token may name it too, but never someone else:
        // a client cannot record another party as the actor.
        var actorPrincipal = result.Properties?.GetParameter<ClaimsPrincipal>(OpenIddictServerAspNetCoreConstants.Properties.ActorTokenPrincipal);
        var actor = request.ClientId;
        var actorTokenSubject = actorPrincipal?.GetClaim(Claims.Subject);
        if (actorTokenSubject is not null && !string.Equals(actorTokenSubject, actor, StringComparison.Ordinal))
        {
            return Reject(Errors.InvalidGrant, "The actor token does not name the client that sent the request.");
        }

        var scopeManager = context.RequestServices.GetRequiredService<IOpenIddictScopeManager>();
        var principal = await PrincipalFactory.CreateAsync(
            subject, subjectPrincipal.GetClaim(Claims.Name), request.GetScopes(), scopeManager, context.RequestAborted).ConfigureAwait(false);

        if (actor is not null && !string.Equals(actor, subject, StringComparison.Ordinal))
        {
            // RFC 8693 section 4.1: the newest actor is outermost and the earlier chain nests inside it.
            var actClaim = new JsonObject { [Claims.Subject] = actor };
            if (ReadActor(subjectPrincipal) is { } earlier)
            {
                actClaim[ActorClaim] = earlier;
            }

            principal.SetClaim(ActorClaim, actClaim);
            PrincipalFactory.ApplyDestinations(principal);
        }

        // An exchanged token never outlives the authority it was derived from (unless the options ask for a lax server).
        var subjectExpiry = subjectPrincipal.GetExpirationDate();
        if (subjectExpiry is { } expires)
        {
            var remaining = expires - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return Reject(Errors.InvalidGrant, "The subject token has expired.");
            }

            principal.SetAccessTokenLifetime(capAtSubjectExpiry && remaining < lifetime ? remaining : lifetime);
        }
        else
        {
            principal.SetAccessTokenLifetime(lifetime);
        }

        return SignIn(principal);
    }

    /// <summary>The subject token's own <c>act</c> claim as JSON, when it was itself issued by a token exchange.</summary>
    private static JsonNode? ReadActor(ClaimsPrincipal subjectPrincipal)
    {
        var act = subjectPrincipal.GetClaim(ActorClaim);
        if (string.IsNullOrEmpty(act))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(act) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static DemoClient? FindClient(DemoIdentityProviderOptions options, string? clientId) =>
        clientId is null ? null : options.Clients.FirstOrDefault(client => string.Equals(client.ClientId, clientId, StringComparison.Ordinal));

    private static IResult SignIn(ClaimsPrincipal principal) =>
        Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    internal static IResult Reject(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
