using System;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Consent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityGuard.DocSnippets;

/// <summary>docs/consent.md.</summary>
internal static class Consent
{
    public static async Task<object> Handling(WebApplicationBuilder builder, WebApplication app, Delegate WriteBriefAsync, ICrmNotesApi crm, string clientId)
    {
        // Minimal APIs: the filter answers 403 with the consent URL on the user's own request.
        app.MapPost("/briefs", WriteBriefAsync).RequireAuthorization().WithIdentityGuardConsent();

        // Any endpoint, MVC controllers included.
        builder.Services.AddIdentityGuardConsentExceptionHandler();
        app.UseExceptionHandler();

        // In your own code: catch the outer exception and look inside.
        try
        {
            return await crm.GetNotesAsync(clientId);
        }
        catch (Exception ex) when (ConsentRequiredException.TryFind(ex, out var consent))
        {
            return Results.Json(ConsentRequiredResponse.For(consent.Request!), statusCode: 403);
        }
    }
}
