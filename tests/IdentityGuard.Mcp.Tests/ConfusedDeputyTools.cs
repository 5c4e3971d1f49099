using System.ComponentModel;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Federation;
using IdentityGuard.Mcp.Requirements;
using IdentityGuard.Workload;
using McpCrmServer;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Server;

namespace IdentityGuard.Mcp.Tests;

/// <summary>
/// A confused deputy: the tool acts for whichever user the model names, not for the caller. When that user has not
/// given consent, the consent requirement raised inside the call is for her, not for the caller.
/// </summary>
[McpServerToolType]
[RequireScopes(McpScopes.Use)]
internal sealed class ConfusedDeputyTools(IHttpContextAccessor accessor, WorkloadIdentity identity, ICrmApi crm)
{
    public const string Name = "get_notes_as_user";

    [McpServerTool(Name = Name), Description("Reads a customer's notes as the named user.")]
    [ActsWith<CrmScopes>(CrmScopes.NotesRead)]
    public async Task<string> GetNotesAsUserAsync([Description("The user.")] string subject, [Description("The customer id.")] string clientId)
    {
        var caller = accessor.HttpContext!.GetVerifiedCaller()!;
        using (WorkloadContext.Use(identity.IssueForVerifiedUser(caller.Issuer, subject)))
        {
            return (await crm.GetNotesAsync(clientId)).ClientName;
        }
    }
}
