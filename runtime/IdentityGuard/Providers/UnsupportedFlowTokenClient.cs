using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using IdentityGuard.Tokens;

namespace IdentityGuard.Providers;

/// <summary>
/// Stands in for flows that need a signed-in user (user federation, on-behalf-of) when no user context exists,
/// so such a provider fails closed with a clear message rather than falling back to the agent's own identity.
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
            $"the {_flow} flow acts for a signed-in user and needs the user-federation runtime, which is not registered; no token was requested.");
}
