using System.Collections.Generic;
using System.Collections.Immutable;
using System.Security.Claims;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityGuard.Demo.Server;

/// <summary>Builds the principals the server signs in, so every grant produces tokens of the same shape.</summary>
internal static class PrincipalFactory
{
    public static async Task<ClaimsPrincipal> CreateAsync(
        string subject,
        string? name,
        ImmutableArray<string> scopes,
        IOpenIddictScopeManager scopeManager,
        CancellationToken cancellationToken)
    {
        var identity = new ClaimsIdentity(
            authenticationType: TokenValidationParameters.DefaultAuthenticationType,
            nameType: Claims.Name,
            roleType: Claims.Role);

        identity.SetClaim(Claims.Subject, subject);
        if (name is not null)
        {
            identity.SetClaim(Claims.Name, name);
        }

        identity.SetScopes(scopes);

        // The audience comes from the granted scopes, so a token is only good for the APIs those scopes belong to.
        identity.SetResources(await ListResourcesAsync(scopeManager, scopes, cancellationToken).ConfigureAwait(false));
        identity.SetDestinations(GetDestinations);

        return new ClaimsPrincipal(identity);
    }

    /// <summary>Re-applies destinations, e.g. after a claim such as <c>act</c> was added to an existing principal.</summary>
    public static void ApplyDestinations(ClaimsPrincipal principal) => principal.SetDestinations(GetDestinations);

    private static async Task<List<string>> ListResourcesAsync(
        IOpenIddictScopeManager scopeManager, ImmutableArray<string> scopes, CancellationToken cancellationToken)
    {
        var resources = new List<string>();
        await foreach (var resource in scopeManager.ListResourcesAsync(scopes, cancellationToken).ConfigureAwait(false))
        {
            resources.Add(resource);
        }

        return resources;
    }

    private static IEnumerable<string> GetDestinations(Claim claim)
    {
        // Identity claims also go into the id_token when one is issued (openid scope); everything reaches the access token.
        if (claim.Type is Claims.Name && claim.Subject is not null && claim.Subject.HasScope(Scopes.OpenId))
        {
            return [Destinations.AccessToken, Destinations.IdentityToken];
        }

        return [Destinations.AccessToken];
    }
}
