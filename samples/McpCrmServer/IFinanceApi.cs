using System.Threading.Tasks;
using IdentityGuard.Demo;
using Refit;

namespace McpCrmServer;

/// <summary>The finance API, called with the server's own identity (client credentials), not the user's.</summary>
public interface IFinanceApi
{
    /// <summary>A customer's spend.</summary>
    [Get("/clients/{clientId}/spend")]
    Task<ClientSpend> GetSpendAsync(string clientId);
}
