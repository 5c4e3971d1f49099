using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityGuard.Demo.Server;

/// <summary>
/// A login-page-free authorization endpoint: it signs in a configured <see cref="DemoUser"/> at once, so tests can
/// run the authorization code + PKCE flow with a plain HTTP client. OpenIddict has already validated the client,
/// redirect URI, scopes and PKCE parameters.
/// </summary>
internal static class AuthorizationEndpointHandler
{
    public static async Task<IResult> HandleAsync(HttpContext context, DemoIdentityProviderOptions options, DemoConsentLog consentLog)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict server request cannot be retrieved.");

        // login_hint picks a user by subject, so one server can serve tests for several users.
        var user = string.IsNullOrEmpty(request.LoginHint)
            ? options.Users.FirstOrDefault()
            : options.Users.FirstOrDefault(candidate => string.Equals(candidate.Subject, request.LoginHint, StringComparison.Ordinal));
        if (user is null)
        {
            return TokenEndpointHandler.Reject(Errors.LoginRequired, "No demo user matches the request.");
        }

        // Every request that gets this far counts as a prompt, even when no decision callback is configured (the
        // user "clicked yes"), so "the user was not asked again" can be checked either way.
        var scopes = request.GetScopes();
        var consentRequest = new DemoConsentRequest(request.ClientId!, user, scopes);
        var consent = options.ConsentDecision?.Invoke(consentRequest) ?? true;
        consentLog.Add(new DemoConsentRecord(consentRequest, consent));
        if (!consent)
        {
            return TokenEndpointHandler.Reject(Errors.AccessDenied, "The user denied the authorization request.");
        }

        var scopeManager = context.RequestServices.GetRequiredService<IOpenIddictScopeManager>();
        var principal = await PrincipalFactory.CreateAsync(
            user.Subject, user.Name, scopes, scopeManager, context.RequestAborted).ConfigureAwait(false);

        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
