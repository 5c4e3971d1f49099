using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;

namespace IdentityGuard.Delegation;

/// <summary>
/// Tokens of an on-behalf-of provider: exchanged (RFC 8693) for the verified caller bound to the current
/// <see cref="Federation.WorkloadContext"/>, never from a cache shared between users or actor chains.
/// </summary>
internal sealed class OnBehalfOfTokenSource : OAuth2TokenSource
{
    private readonly OnBehalfOfExchange _exchange;

    public OnBehalfOfTokenSource(ProviderDescriptor descriptor, OnBehalfOfExchange exchange)
        : base(descriptor) => _exchange = exchange;

    private protected override ValueTask<AccessToken> GetTokenAsync(ulong scopeMask, CancellationToken cancellationToken) =>
        new(_exchange.GetAsync(this, scopeMask, cancellationToken));

    /// <summary>Drops an exchanged token the resource refused, so the next call exchanges again.</summary>
    public override void Invalidate(ulong scopeMask, AccessToken token)
    {
        base.Invalidate(scopeMask, token);
        _exchange.Invalidate(scopeMask, token);
    }
}
