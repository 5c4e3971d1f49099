using System;
using System.ComponentModel;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Mcp.Requirements;
using ModelContextProtocol.Server;

namespace McpCrmServer;

/// <summary>
/// The server's tools. None of them touches a token or catches a consent requirement: what each needs is declared
/// once, on the method: IdentityGuard checks it before the tool runs, and refuses any credential it does not declare
/// while the tool runs.
/// </summary>
[McpServerToolType]
[RequireScopes(McpScopes.Use)]
public sealed class CrmTools(ICrmApi crm, IFinanceApi finance)
{
    /// <summary>Reads a customer's call notes from the CRM, as the calling user.</summary>
    [McpServerTool(Name = "get_client_notes"), Description("Reads the call notes of a customer (e.g. acme) from the CRM.")]
    [ActsWith<CrmScopes>(CrmScopes.NotesRead)]
    public async Task<string> GetClientNotesAsync([Description("The customer id, e.g. acme.")] string clientId)
    {
        var notes = await crm.GetNotesAsync(clientId);
        return $"{notes.ClientName}: " + string.Join(" | ", notes.Notes.Select(note => $"{note.Date:yyyy-MM-dd} {note.Summary}"));
    }

    /// <summary>The number of notes, as the calling user.</summary>
    [McpServerTool(Name = "count_client_notes"), Description("Counts the call notes of a customer.")]
    [ActsWith<CrmScopes>(CrmScopes.NotesRead)]
    public async Task<int> CountClientNotesAsync([Description("The customer id, e.g. acme.")] string clientId) =>
        (await crm.GetNotesAsync(clientId)).Notes.Count;

    /// <summary>A customer's total spend, from the finance API under the server's own identity (client credentials).</summary>
    [McpServerTool(Name = "get_client_spend"), Description("The total spend of a customer (e.g. acme).")]
    [ActsWith<FinanceScopes>(FinanceScopes.SpendRead)]
    public async Task<string> GetClientSpendAsync([Description("The customer id, e.g. acme.")] string clientId)
    {
        var spend = await finance.GetSpendAsync(clientId);
        return $"{spend.ClientId}: {spend.Total} {spend.Currency}";
    }

    /// <summary>Flags a customer for follow-up: needs the write scope, which the first sign-in does not ask for.</summary>
    [McpServerTool(Name = "flag_client"), Description("Flags a customer for follow-up.")]
    [RequireScopes(McpScopes.Write)]
    public static string FlagClient([Description("The customer id, e.g. acme.")] string clientId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        return $"{clientId} flagged for follow-up";
    }
}
