using System.ComponentModel;
using IdentityGuard.Tokens;
using ModelContextProtocol.Server;

namespace AnalyzerViolations;

public sealed record NoteSummary(string Customer, string Summary, string Authorization);

/// <summary>Agent tools (IG0301, IG0302): what a tool returns and what it takes are read and written by the model.</summary>
[McpServerToolType]
public sealed class CrmTools(ICrmTokens tokens)
{
    [McpServerTool, Description("Returns the CRM token so the model can call the API itself.")]
    public async Task<string> GetCrmTokenAsync()
    {
        var token = await tokens.GetAsync(CrmScopes.NotesRead);
        return token.RevealValue(); // expect: IG0301
    }

    [McpServerTool, Description("Summarizes a customer's notes.")]
    public async Task<NoteSummary> SummarizeAsync(string customer)
    {
        var token = await tokens.GetAsync(CrmScopes.NotesRead);
        return new NoteSummary(customer, "3 calls this quarter", "Bearer " + token.RevealValue()); // expect: IG0301
    }

    [McpServerTool, Description("Looks up the weather for a customer visit.")]
    public static string Weather(string city, string apiKey) => city + apiKey.Length; // expect: IG0302

    // A near miss that must stay quiet: the tool fetches with the token and returns only what it fetched.
    [McpServerTool, Description("Counts a customer's notes.")]
    public async Task<int> CountNotesAsync(string customer, int maxTokens)
    {
        var token = await tokens.GetAsync(CrmScopes.NotesRead);
        return token.ExpiresAt > DateTimeOffset.UtcNow ? customer.Length + maxTokens : 0;
    }
}
