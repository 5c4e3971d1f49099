using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Demo;

namespace ClientBriefAgent;

/// <summary>
/// The agent's task: read a client's call notes and spend, and write a meeting brief. Every call goes out through
/// a generated Refit client that carries the signed-in user's token; this class never sees one.
/// </summary>
public sealed class BriefWriter
{
    /// <summary>Everything the task needs, asked for up front so the user approves once, not once per API.</summary>
    public const CorpScopes RequiredScopes = CorpScopes.CrmNotesRead | CorpScopes.FinanceSpendRead | CorpScopes.BriefsWrite;

    private readonly ICorpTokens _tokens;
    private readonly ICrmApi _crm;
    private readonly IFinanceApi _finance;
    private readonly IDocumentsApi _documents;

    public BriefWriter(ICorpTokens tokens, ICrmApi crm, IFinanceApi finance, IDocumentsApi documents)
    {
        _tokens = tokens;
        _crm = crm;
        _finance = finance;
        _documents = documents;
    }

    public async Task<Brief> WriteAsync(string clientId, CancellationToken cancellationToken)
    {
        // Asks for all three scopes at once, so the user approves once rather than once per API. Until she has, this
        // throws ConsentRequiredException, which the endpoint's WithIdentityGuardConsent() filter answers with the
        // URL (it would do the same for the wrapped exception a Refit call below throws).
        _ = await _tokens.GetAsync(RequiredScopes, cancellationToken);

        var notes = await _crm.GetNotesAsync(clientId);
        var spend = await _finance.GetSpendAsync(clientId);

        var content = new StringBuilder();
        content.AppendLine(CultureInfo.InvariantCulture, $"Client: {notes.ClientName}");
        content.AppendLine(CultureInfo.InvariantCulture, $"Spend: {spend.Total.ToString("N0", CultureInfo.InvariantCulture)} {spend.Currency} over {spend.Lines.Count} lines; largest: {spend.Lines.OrderByDescending(l => l.Amount).First().Category}");
        content.AppendLine("Recent conversations:");
        foreach (var note in notes.Notes.OrderByDescending(n => n.Date).Take(3))
        {
            content.AppendLine(CultureInfo.InvariantCulture, $"  {note.Date:yyyy-MM-dd} {note.Author}: {note.Summary}");
        }

        return await _documents.CreateBriefAsync(new BriefDraft(clientId, $"Meeting brief: {notes.ClientName}", content.ToString()));
    }
}
