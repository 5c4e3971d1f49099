using System.Threading.Tasks;
using IdentityGuard.Demo;
using Refit;

namespace McpCrmServer;

/// <summary>The CRM API the tools call, as the signed-in user.</summary>
public interface ICrmApi
{
    /// <summary>The call notes of a customer.</summary>
    [Get("/clients/{clientId}/notes")]
    Task<ClientNotes> GetNotesAsync(string clientId);
}
