using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Vault;

/// <summary>
/// Renews a grant's access token at its provider with the grant's refresh token. One refresher serves every grant of
/// a provider; the <see cref="TokenVault"/> calls it at most once per grant at a time, across instances.
/// </summary>
public interface IGrantRefresher
{
    /// <summary>Sends the refresh-token request and reports how it ended; a transport failure is a result too.</summary>
    /// <param name="refreshToken">The grant's current refresh token.</param>
    /// <param name="cancellationToken">Ends the request when the vault's refresh timeout passes or it shuts down.</param>
    Task<TokenRefreshResult> RefreshAsync(RefreshToken refreshToken, CancellationToken cancellationToken);
}
