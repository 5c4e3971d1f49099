using System.Threading;
using System.Threading.Tasks;
using Refit;

namespace IdentityGuard.DocSnippets;

/// <summary>The downstream APIs the snippets call, as Refit interfaces.</summary>
public interface ICrmApi
{
    [Get("/notes")]
    Task<string> GetNotesAsync(CancellationToken cancellationToken);
}

/// <summary>The CRM API as docs/consent.md calls it, with a client id.</summary>
public interface ICrmNotesApi
{
    [Get("/clients/{clientId}/notes")]
    Task<string> GetNotesAsync(string clientId);
}

/// <summary>The finance API of docs/delegation.md.</summary>
public interface IFinanceApi
{
    [Get("/spend")]
    Task<string> GetSpendAsync(CancellationToken cancellationToken);
}
