using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace IdentityGuard.Tests.Caching;

/// <summary>A token client whose answers the test controls: each call can be held open until released.</summary>
internal sealed class FakeTokenClient : ITokenClient
{
    private readonly FakeTimeProvider _time;
    private int _calls;

    public FakeTokenClient(FakeTimeProvider time) => _time = time;

    public int Calls => Volatile.Read(ref _calls);

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>When set, calls wait for it before answering.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>When set, calls fail with it.</summary>
    public Exception? Failure { get; set; }

    public async Task<AccessToken> RequestTokenAsync(string? scope, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        return new AccessToken($"token-{call}", "Bearer", _time.GetUtcNow() + Lifetime, scope);
    }
}
