using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;

namespace IdentityGuard.Benchmarks;

/// <summary>Answers every token request at once with a long-lived token: the benchmarks measure the cache, not a server.</summary>
internal sealed class FixedTokenClient : ITokenClient
{
    public Task<AccessToken> RequestTokenAsync(string? scope, CancellationToken cancellationToken) =>
        Task.FromResult(new AccessToken("benchmark-token-value", "Bearer", DateTimeOffset.UtcNow.AddDays(1), scope));
}
