using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Authorization;
using IdentityGuard.Background;
using IdentityGuard.Federation;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityGuard.DocSnippets;

/// <summary>docs/delegation.md.</summary>
internal static class Delegation
{
    public static async Task ActingForTheCaller(WebApplication app, JwtAuthorizer authorizer, string inboundToken, WorkloadIdentity identity, IFinanceApi financeClient, CancellationToken cancellationToken)
    {
        // ASP.NET Core: after UseAuthentication, for every request the IdentityGuard scheme authenticated.
        app.UseIdentityGuardWorkloadContext();

        // Anywhere else (a console agent, an MCP stdio server): verify, bind, call.
        AuthorizationResult result = await authorizer.ValidateAsync(inboundToken, cancellationToken);
        if (result.Succeeded)
        {
            using (WorkloadContext.Use(identity.IssueForVerifiedCaller(result.Caller)))
            {
                await financeClient.GetSpendAsync(cancellationToken);   // a Refit client wired .WithFinanceToken(FinanceScopes.Read)
            }
        }
    }

    public static void ActorRules(WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication().AddIdentityGuardJwt(options =>
        {
            options.Authority = new Uri("https://login.example.com/");
            options.Audiences.Add("finance-api");
            options.RequiredScopes.Add("finance.read");
            options.ActorRequirement = ActorRequirement.Required;
            options.AllowedActors.Add("task-agent");
            options.AllowedActors.Add("orchestrator-agent");
            options.MaxActorChainDepth = 2;
        });
    }

    public static async Task StandingPermissionForAJob(StandingPermissions standingPermissions, string userKey, ICrmApi crmClient, CancellationToken cancellationToken)
    {
        // In the user's interactive request (her verified workload access token is the current context).
        StandingPermission permission = await standingPermissions.GrantAsync(
            WorkloadContext.Current!, "Crm", ["crm.notes.read"], TimeSpan.FromDays(30), cancellationToken);
        // Keep permission.UserKey for the job (it is a hash, not a name and not a credential).

        // Later, in the job.
        WorkloadAccessToken job = await standingPermissions.IssueForBackgroundJobAsync(userKey, "Crm", cancellationToken: cancellationToken);
        using (WorkloadContext.Use(job))
        {
            await crmClient.GetNotesAsync(cancellationToken);    // a Refit client wired .WithCrmToken(CrmScopes.NotesRead)
        }

        // The user changes her mind.
        await standingPermissions.RevokeAsync(userKey, "Crm", cancellationToken);
    }
}
