using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;

namespace IdentityGuard.Scrubbing;

/// <summary>
/// Feeds <see cref="HeldCredentials"/> where the runtime hands credentials out, without the token sources knowing:
/// the registry wraps a source's token client (client credentials: only fresh tokens pass through it, so cache hits
/// cost nothing) or its per-user token function (user federation: every token the vault serves).
/// </summary>
internal static class HeldCredentialsObserver
{
    /// <summary><paramref name="client"/>, remembering every token it obtains; itself when nothing is held.</summary>
    public static ITokenClient Observe(ITokenClient client, HeldCredentials? held, string provider) =>
        held is null ? client : new RememberingTokenClient(client, held, provider);

    /// <summary><paramref name="perUser"/>, remembering every token it serves; itself when nothing is held.</summary>
    public static Func<OAuth2TokenSource, ulong, CancellationToken, Task<AccessToken>> Observe(
        Func<OAuth2TokenSource, ulong, CancellationToken, Task<AccessToken>> perUser, HeldCredentials? held)
    {
        if (held is null)
        {
            return perUser;
        }

        return async (source, scopeMask, cancellationToken) =>
        {
            var token = await perUser(source, scopeMask, cancellationToken).ConfigureAwait(false);
            held.Remember(token, source.Provider);
            return token;
        };
    }

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
