using System;
using System.Collections.Concurrent;

namespace IdentityGuard.Federation;

/// <summary>
/// Pending authorization requests by <c>state</c>. Taking one removes it, so a replayed callback finds nothing;
/// an expired one is removed and refused. Requests that are waited on by a caller live in this process, so this
/// store is in memory by design.
/// </summary>
internal sealed class PendingAuthorizationStore
{
    private readonly ConcurrentDictionary<string, PendingAuthorization> _pending = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public PendingAuthorizationStore(TimeProvider time) => _time = time;

    public void Add(PendingAuthorization pending)
    {
        RemoveExpired();
        if (!_pending.TryAdd(pending.State, pending))
        {
            throw new InvalidOperationException("A state value was generated twice.");
        }
    }

    /// <summary>Takes the request for <paramref name="state"/>: null when unknown, already used, or expired.</summary>
    public PendingAuthorization? Take(string state)
    {
        if (!_pending.TryRemove(state, out var pending))
        {
            return null;
        }

        return _time.GetUtcNow() < pending.ExpiresAt ? pending : null;
    }

    private void RemoveExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var entry in _pending)
        {
            if (entry.Value.ExpiresAt <= now && _pending.TryRemove(entry.Key, out var expired))
            {
                expired.Fail(new TimeoutException("The authorization request expired before the user answered it."));
            }
        }
    }
}
