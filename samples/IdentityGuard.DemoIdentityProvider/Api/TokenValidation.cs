using System;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityGuard.Demo.Api;

/// <summary>Bearer JWT validation shared by the demo resource servers, so they all check tokens the same way.</summary>
internal static class TokenValidation
{
    public static void AddDemoTokenValidation(this IServiceCollection services, Uri issuer, string audience)
    {
        services.AddOpenIddict()
            .AddValidation(validation =>
            {
                // Signing keys come from the issuer's discovery document, as a real resource server gets them.
                validation.SetIssuer(issuer);
                validation.AddAudiences(audience);
                validation.UseSystemNetHttp();
                validation.UseAspNetCore();
            });

        // The default scheme, so UseAuthentication() puts the token's principal on HttpContext.User for every request.
        services.AddAuthentication(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The <c>sub</c> inside a token's RFC 8693 <c>act</c> claim, or <see langword="null"/>.</summary>
    public static string? ReadActor(ClaimsPrincipal user)
    {
        var act = user.GetClaim(Server.TokenEndpointHandler.ActorClaim);
        if (string.IsNullOrEmpty(act))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(act);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   document.RootElement.TryGetProperty(Claims.Subject, out var actorSubject) &&
                   actorSubject.ValueKind == JsonValueKind.String
                ? actorSubject.GetString()
                : null;
        }
        catch (JsonException)
        {
            // A malformed act claim is reported as no actor rather than failing the request.
            return null;
        }
    }

    /// <summary>The client the token was issued to: <c>client_id</c>, else the presenter (<c>azp</c>).</summary>
    public static string? ReadClientId(ClaimsPrincipal user) =>
        user.GetClaim(Claims.ClientId) ?? user.GetClaim(Claims.Private.Presenter) ?? user.GetClaim(Claims.AuthorizedParty);
}
