using System.Threading.Tasks;
using IdentityGuard.Demo;
using Refit;

namespace ClientBriefAgent;

/// <summary>The CRM: call notes per client.</summary>
public interface ICrmApi
{
    [Get("/clients/{clientId}/notes")]
    Task<ClientNotes> GetNotesAsync(string clientId);
}

/// <summary>Finance: spend per client.</summary>
public interface IFinanceApi
{
    [Get("/clients/{clientId}/spend")]
    Task<ClientSpend> GetSpendAsync(string clientId);
}

/// <summary>Documents: where briefs are written.</summary>
public interface IDocumentsApi
{
    [Post("/briefs")]
    Task<Brief> CreateBriefAsync([Body] BriefDraft draft);
}
