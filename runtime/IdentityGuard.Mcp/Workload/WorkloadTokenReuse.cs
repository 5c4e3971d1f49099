using System;
using System.Collections.Concurrent;
using IdentityGuard.Authorization;
using IdentityGuard.Workload;

namespace IdentityGuard.Mcp.Workload;

/// <summary>
/// One workload access token per verified inbound token, reused by that token's tool calls while both are valid,
/// instead of issuing (and encrypting) a new one per call. Keyed on the value of a token the authorizer has verified
/// (signature, issuer, audience, lifetime): the same value carries the same user, client and actor chain, so a call
/// can only ever receive a workload token issued for its own verified token. An entry is served until half of the
/// workload token's lifetime has passed (so every call gets one with the other half ahead of it) or the inbound token
/// expires, whichever is first. At most <see cref="Capacity"/> entries are held; expired ones are dropped when it fills.
/// </summary>
internal sealed class WorkloadTokenReuse(WorkloadIdentity identity, TimeProvider time)
{
    /// <summary>The most inbound tokens remembered at once; beyond it, calls get a freshly issued token as before.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>The workload access token for <paramref name="caller"/>: reused when one was issued for the same verified token and is still due to serve.</summary>
    public WorkloadAccessToken For(VerifiedCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var key = caller.Token.RevealValue();
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry))
        {
            if (now < entry.ServeUntil)
            {
                return entry.Token;
            }

            _entries.TryRemove(new(key, entry));
        }

        var token = identity.IssueForVerifiedCaller(caller);
        var expiresAt = identity.Validate(token).ExpiresAt; // remembered by the issuer: no decryption
        var serveUntil = now + ((expiresAt - now) / 2);
        if (caller.Token.ExpiresAt < serveUntil)
        {
            serveUntil = caller.Token.ExpiresAt;
        }

        if (now < serveUntil && HasRoom(now))
        {
            _entries[key] = new Entry(token, serveUntil);
        }

        return token;
    }

    private bool HasRoom(DateTimeOffset now)
    {
        if (_entries.Count < Capacity)
        {
            return true;
        }

        foreach (var pair in _entries)
        {
            if (pair.Value.ServeUntil <= now)
            {
                _entries.TryRemove(pair);
            }
        }

        return _entries.Count < Capacity;
    }

    private sealed record Entry(WorkloadAccessToken Token, DateTimeOffset ServeUntil)
    {
        // A record would print its members; this one holds a credential.
        public override string ToString() => $"workload token reuse entry until {ServeUntil:O}";
    }
}
