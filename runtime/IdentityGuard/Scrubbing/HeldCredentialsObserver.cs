using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;

namespace IdentityGuard.Scrubbing;

/// <summary>
/// Feeds <see cref="HeldCredentials"/> where the runtime hands credentials out, without the token sources knowing:
/// the registry wraps a client-credentials source's token client (only fresh tokens pass through it, so cache hits
/// cost nothing). Users' tokens are remembered by the <see cref="Vault.TokenVault"/> when it reads or refreshes them.
/// </summary>
internal static class HeldCredentialsObserver
{
    /// <summary><paramref name="client"/>, remembering every token it obtains; itself when nothing is held.</summary>
    public static ITokenClient Observe(ITokenClient client, HeldCredentials? held, string provider) =>
        held is null ? client : new RememberingTokenClient(client, held, provider);

    private sealed class RememberingTokenClient(ITokenClient inner, HeldCredentials held, string provider) : ITokenClient
    {
        public async Task<AccessToken> RequestTokenAsync(string? scope, CancellationToken cancellationToken)
        {
            var token = await inner.RequestTokenAsync(scope, cancellationToken).ConfigureAwait(false);
            held.Remember(token, provider);
            return token;
        }
    }
}
