using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using IdentityGuard.Tokens;

namespace IdentityGuard.Providers;

/// <summary>
/// Stands in for flows this version does not run (on-behalf-of token exchange), so such a provider fails closed
/// with a clear message rather than falling back to the agent's own identity.
/// </summary>
internal sealed class UnsupportedFlowTokenClient : ITokenClient
{
    private readonly string _provider;
    private readonly OAuthFlow _flow;

    public UnsupportedFlowTokenClient(string provider, OAuthFlow flow)
    {
        _provider = provider;
        _flow = flow;
    }

    public Task<AccessToken> RequestTokenAsync(string? scope, CancellationToken cancellationToken) =>
        throw new CredentialUnavailableException(
            _provider,
            $"the {_flow} flow is not supported by this version of the runtime; no token was requested.");
}
