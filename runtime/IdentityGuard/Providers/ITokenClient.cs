using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Tokens;

namespace IdentityGuard.Providers;

/// <summary>Obtains a fresh token from an authorization server; the token cache decides when to call it.</summary>
internal interface ITokenClient
{
    /// <summary>Requests a token for the space-separated <paramref name="scope"/> (null: the client's default scopes).</summary>
    Task<AccessToken> RequestTokenAsync(string? scope, CancellationToken cancellationToken);
}
