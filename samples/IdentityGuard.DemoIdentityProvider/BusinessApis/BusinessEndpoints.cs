using System.Security.Claims;
using IdentityGuard.Demo.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IdentityGuard.Demo.BusinessApis;

/// <summary>The endpoints and scope policies of the CRM, finance and documents APIs. None writes a token into a response.</summary>
internal static class BusinessEndpoints
{
    private const string BriefsReadPolicy = "briefs-read";

    public static void AddCrmPolicies(AuthorizationOptions options) =>
        options.AddAnyScopePolicy(DemoBusinessApis.CrmNotesReadScope, DemoBusinessApis.CrmNotesReadScope);

    public static void MapCrm(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/clients/{clientId}/notes", (string clientId) =>
                BusinessData.FindNotes(clientId) is { } notes ? Results.Ok(notes) : Results.NotFound())
            .RequireAuthorization(DemoBusinessApis.CrmNotesReadScope);

    public static void AddFinancePolicies(AuthorizationOptions options) =>
        options.AddAnyScopePolicy(DemoBusinessApis.FinanceSpendReadScope, DemoBusinessApis.FinanceSpendReadScope);

    public static void MapFinance(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/clients/{clientId}/spend", (string clientId) =>
                BusinessData.FindSpend(clientId) is { } spend ? Results.Ok(spend) : Results.NotFound())
            .RequireAuthorization(DemoBusinessApis.FinanceSpendReadScope);

    public static void AddDocumentsPolicies(AuthorizationOptions options)
    {
        options.AddAnyScopePolicy(DemoBusinessApis.DocumentsBriefsWriteScope, DemoBusinessApis.DocumentsBriefsWriteScope);

        // Whoever may write briefs may also read back what they wrote.
        options.AddAnyScopePolicy(BriefsReadPolicy, DemoBusinessApis.DocumentsBriefsReadScope, DemoBusinessApis.DocumentsBriefsWriteScope);
    }

    public static void MapDocuments(IEndpointRouteBuilder endpoints, BriefStore briefs)
    {
        endpoints.MapPost("/briefs", (BriefDraft? draft, ClaimsPrincipal user) =>
            {
                if (draft is null || string.IsNullOrWhiteSpace(draft.ClientId) || string.IsNullOrWhiteSpace(draft.Title) || draft.Content is null)
                {
                    return Results.BadRequest(new { error = "clientId, title and content are required." });
                }

                // The author is the token's subject: the user the agent acts for, never the agent itself.
                var brief = briefs.Add(draft, user.GetClaim(Claims.Subject) ?? string.Empty);
                return Results.Created("/briefs/" + brief.Id, brief);
            })
            .RequireAuthorization(DemoBusinessApis.DocumentsBriefsWriteScope);

        // A brief is visible to its author only; anyone else gets 404, so the API does not reveal which ids exist.
        endpoints.MapGet("/briefs/{id}", (string id, ClaimsPrincipal user) =>
                briefs.Find(id) is { } brief && brief.Author == user.GetClaim(Claims.Subject) ? Results.Ok(brief) : Results.NotFound())
            .RequireAuthorization(BriefsReadPolicy);
    }
}
