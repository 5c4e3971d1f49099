using System;
using System.Collections.Generic;
using System.Threading;
using IdentityGuard.Tokens;

namespace IdentityGuard.Scrubbing;

/// <summary>
/// The credential values this process issued or served (client-credentials tokens, users' tokens, API keys),
/// remembered until they expire so that <see cref="CredentialScrubber"/> can find them by exact value in text bound
/// for a model. The runtime fills it where credentials are handed out; applications may add others (an inbound
/// bearer token, a secret read elsewhere). Bounded: when full, the value closest to expiry is forgotten first.
/// Values are never printed or serialized.
/// </summary>
public sealed class HeldCredentials
{
    /// <summary>The default number of values held.</summary>
    public const int DefaultCapacity = 4096;

    /// <summary>
    /// Shorter values are not held: a short string such as a PIN would also match ordinary words and numbers, and
    /// redacting those would corrupt tool results. No issued token is this short.
    /// </summary>
    public const int MinimumLength = 8;

    private readonly Dictionary<string, HeldValue> _values = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private HeldSnapshot? _snapshot;
    private int _version;

    /// <summary>Creates an empty store.</summary>
    /// <param name="time">The clock that decides expiry.</param>
    /// <param name="capacity">How many values are held at most.</param>
    public HeldCredentials(TimeProvider? time = null, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _time = time ?? TimeProvider.System;
        _capacity = capacity;
    }

    /// <summary>How many values are held now (expired values count until the next scrub drops them).</summary>
    public int Count
    {
        get
        {
            lock (_values)
            {
                return _values.Count;
            }
        }
    }

    /// <summary>Remembers an access token until it expires.</summary>
    /// <param name="token">The token.</param>
    /// <param name="provider">The provider that issued it, named in the audit event when it is redacted.</param>
    public void Remember(AccessToken token, string? provider)
    {
        ArgumentNullException.ThrowIfNull(token);
        Remember(token.RevealValue(), provider, token.ExpiresAt);
    }

    /// <summary>Remembers an API key. API keys do not expire; a rotated key is forgotten only when the store is full.</summary>
    public void Remember(ApiKey key, string? provider)
    {
        ArgumentNullException.ThrowIfNull(key);
        Remember(key.RevealValue(), provider, DateTimeOffset.MaxValue);
    }

    /// <summary>Remembers any credential value until <paramref name="expiresAt"/>.</summary>
    /// <param name="value">The value; values shorter than <see cref="MinimumLength"/> are ignored.</param>
    /// <param name="provider">Who issued it, if known; named in the audit event, never the value.</param>
    /// <param name="expiresAt">When the value stops being valid and need no longer be looked for.</param>
    public void Remember(string value, string? provider, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length < MinimumLength || expiresAt <= _time.GetUtcNow())
        {
            return;
        }

        lock (_values)
        {
            if (_values.TryGetValue(value, out var known))
            {
                if (known.ExpiresAt >= expiresAt && string.Equals(known.Provider, provider, StringComparison.Ordinal))
                {
                    return;
                }

                expiresAt = known.ExpiresAt > expiresAt ? known.ExpiresAt : expiresAt;
            }
            else if (_values.Count >= _capacity)
            {
                DropExpiredOrSoonest();
            }

            _values[value] = new HeldValue(provider, expiresAt);
            _version++;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"HeldCredentials({Count} values [redacted])";

    /// <summary>
    /// The current matcher over the held values. Rebuilt only after a value was added or one expired, so the steady
    /// state costs one volatile read.
    /// </summary>
    internal HeldSnapshot GetSnapshot()
    {
        var snapshot = Volatile.Read(ref _snapshot);
        var now = _time.GetUtcNow();
        if (snapshot is not null && snapshot.Version == Volatile.Read(ref _version) && now < snapshot.NextExpiry)
        {
            return snapshot;
        }

        lock (_values)
        {
            if (_snapshot is { } current && current.Version == _version && now < current.NextExpiry)
            {
                return current;
            }

            var expired = new List<string>();
            var live = new List<KeyValuePair<string, HeldValue>>(_values.Count);
            foreach (var entry in _values)
            {
                if (entry.Value.ExpiresAt <= now)
                {
                    expired.Add(entry.Key);
                }
                else
                {
                    live.Add(entry);
                }
            }

            foreach (var key in expired)
            {
                _values.Remove(key);
            }

            if (expired.Count > 0)
            {
                _version++;
            }

            snapshot = HeldSnapshot.Create(live, _version);
            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
    }

    private void DropExpiredOrSoonest()
    {
        string? soonest = null;
        var soonestExpiry = DateTimeOffset.MaxValue;
        foreach (var entry in _values)
        {
            if (soonest is null || entry.Value.ExpiresAt < soonestExpiry)
            {
                soonest = entry.Key;
                soonestExpiry = entry.Value.ExpiresAt;
            }
        }

        if (soonest is not null)
        {
            _values.Remove(soonest);
        }
    }
}

/// <summary>Who issued a held value and until when it is looked for. Carries no value.</summary>
internal readonly record struct HeldValue(string? Provider, DateTimeOffset ExpiresAt);
