using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Diagnostics;
using IdentityGuard.Tokens;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Caching;

/// <summary>
/// An in-memory cache of one provider's access tokens, keyed by scope set (the bits of the generated scope enum).
/// A hit is a dictionary read and a clock read, with no allocation. A miss starts exactly one token request per
/// key, however many callers wait; each caller waits with its own cancellation, so one caller giving up does not
/// fail the others. Tokens are renewed a little before they expire.
/// </summary>
internal sealed class TokenCache : IDisposable
{
    private readonly ConcurrentDictionary<ulong, Slot> _slots = new();
    private readonly Func<ulong, CancellationToken, Task<AccessToken>> _fetch;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshBeforeExpiry;
    private readonly string _provider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _shutdown = new();

    public TokenCache(
        string provider,
        Func<ulong, CancellationToken, Task<AccessToken>> fetch,
        TimeProvider time,
        TimeSpan refreshBeforeExpiry,
        ILogger logger)
    {
        _provider = provider;
        _fetch = fetch;
        _time = time;
        _refreshBeforeExpiry = refreshBeforeExpiry;
        _logger = logger;
    }

    /// <summary>Returns a cached token that is not due for renewal, or obtains one.</summary>
    public ValueTask<AccessToken> GetAsync(ulong key, CancellationToken cancellationToken)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            var entry = slot.Current;
            if (entry is not null && _time.GetUtcNow().UtcTicks < entry.RenewAtTicks)
            {
                IdentityGuardTelemetry.RecordCacheHit(_provider);
                return new ValueTask<AccessToken>(entry.Token);
            }
        }
        else
        {
            slot = _slots.GetOrAdd(key, static _ => new Slot());
        }

        return new ValueTask<AccessToken>(GetSlowAsync(slot, key, cancellationToken));
    }

    /// <summary>
    /// Forgets <paramref name="token"/> if it is still the cached one (a resource server rejected it). Comparing
    /// the instance means a burst of 401s for the same token causes one renewal, not one per response.
    /// </summary>
    public void Invalidate(ulong key, AccessToken token)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            lock (slot)
            {
                if (ReferenceEquals(slot.Current?.Token, token))
                {
                    slot.Current = null;
                }
            }
        }
    }

    public void Dispose()
    {
        _shutdown.Cancel();
        _shutdown.Dispose();
    }

    private async Task<AccessToken> GetSlowAsync(Slot slot, ulong key, CancellationToken cancellationToken)
    {
        Task<AccessToken> flight;
        lock (slot)
        {
            var entry = slot.Current;
            if (entry is not null && _time.GetUtcNow().UtcTicks < entry.RenewAtTicks)
            {
                return entry.Token;
            }

            // Task.Run: the request must not run under this lock or on the first caller's context, and it is
            // not tied to any caller's cancellation because others may be waiting for it.
            flight = slot.InFlight ??= Task.Run(() => FetchAsync(slot, key));
        }

        return await flight.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AccessToken> FetchAsync(Slot slot, ulong key)
    {
        try
        {
            var token = await _fetch(key, _shutdown.Token).ConfigureAwait(false);
            var entry = new CacheEntry(token, RenewAt(token));
            lock (slot)
            {
                slot.Current = entry;
                slot.InFlight = null;
            }

            return token;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_shutdown.IsCancellationRequested)
        {
            CacheEntry? stale;
            lock (slot)
            {
                slot.InFlight = null;
                stale = slot.Current;
            }

            // A failed renewal must not take away a token that is still valid: serve it until it truly expires.
            if (stale is not null && _time.GetUtcNow() < stale.Token.ExpiresAt)
            {
                RuntimeLog.RenewalFailedServingCurrent(_logger, _provider, stale.Token.ExpiresAt, ex);
                return stale.Token;
            }

            throw;
        }
    }

    /// <summary>
    /// Renew ahead of expiry by the configured margin, but never more than a quarter of the token's lifetime,
    /// so short-lived tokens are still reused.
    /// </summary>
    private long RenewAt(AccessToken token)
    {
        var now = _time.GetUtcNow();
        var lifetime = token.ExpiresAt - now;
        if (lifetime <= TimeSpan.Zero)
        {
            return now.UtcTicks;
        }

        var margin = TimeSpan.FromTicks(Math.Min(_refreshBeforeExpiry.Ticks, lifetime.Ticks / 4));
        return (token.ExpiresAt - margin).UtcTicks;
    }

    private sealed class Slot
    {
        // Read without the lock on the hit path; written under the lock.
        private volatile CacheEntry? _current;

        public CacheEntry? Current
        {
            get => _current;
            set => _current = value;
        }

        public Task<AccessToken>? InFlight { get; set; }
    }

    private sealed record CacheEntry(AccessToken Token, long RenewAtTicks);
}
