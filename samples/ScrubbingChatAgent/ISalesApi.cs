using System.Collections.Generic;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using Refit;

namespace ScrubbingChatAgent;

/// <summary>The sales API the agent's tool reads. Refit generates the client; IdentityGuard adds the token.</summary>
public interface ISalesApi
{
    /// <summary>This quarter's sales records.</summary>
    [Get("/reports/sales")]
    Task<IReadOnlyList<SalesRecord>> GetSalesAsync();
}
