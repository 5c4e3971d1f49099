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

    /// <summary>
    /// How many search strings the small tier of values added since the last full build may hold (about 36 values)
    /// before it is folded into the main tier. Rebuilding a tier this small for each new value costs microseconds
    /// whatever the number of values held, and searching it adds one sampled pass over the text.
    /// </summary>
    internal const int RecentTierLimit = 256;

    private readonly Dictionary<string, HeldEntry> _values = new(StringComparer.Ordinal);
    private readonly List<HeldEntry> _recent = [];
    private readonly TimeProvider _time;
    private readonly int _capacity;
    private readonly int _recentTierLimit;
    private HeldSnapshot? _snapshot;
    private int _version;
    private int _recentNeedles;
    private int _forgottenSinceBuild;
    private long _nextExpiryTicks = DateTimeOffset.MaxValue.UtcTicks;

    /// <summary>Creates an empty store.</summary>
    /// <param name="time">The clock that decides expiry.</param>
    /// <param name="capacity">How many values are held at most.</param>
    public HeldCredentials(TimeProvider? time = null, int capacity = DefaultCapacity)
        : this(time, capacity, RecentTierLimit)
    {
    }

    /// <summary>Creates a store whose small tier holds at most <paramref name="recentTierLimit"/> search strings (0: every new value rebuilds the whole matcher).</summary>
    internal HeldCredentials(TimeProvider? time, int capacity, int recentTierLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegative(recentTierLimit);
        _time = time ?? TimeProvider.System;
        _capacity = capacity;
        _recentTierLimit = recentTierLimit;
    }

    /// <summary>The clock that decides expiry.</summary>
    internal TimeProvider Time => _time;

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
                var state = known.State;
                if (state.ExpiresAt >= expiresAt && string.Equals(state.Provider, provider, StringComparison.Ordinal))
                {
                    return;
                }

                // Matchers refer to the entry: a new expiry or provider needs no rebuild.
                known.Update(provider, state.ExpiresAt > expiresAt ? state.ExpiresAt : expiresAt);
                return;
            }

            if (_values.Count >= _capacity)
            {
                DropSoonest();
            }

            var entry = new HeldEntry(value, provider, expiresAt);
            _values[value] = entry;
            _recent.Add(entry);
            _recentNeedles += entry.Needles.Length;
            Volatile.Write(ref _nextExpiryTicks, Math.Min(_nextExpiryTicks, expiresAt.UtcTicks));
            _version++;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"HeldCredentials({Count} values [redacted])";

    /// <summary>
    /// The current matchers over the held values. The steady state costs one volatile read; a new value rebuilds only
    /// the small tier (see <see cref="RecentTierLimit"/>); a full rebuild happens when that tier is full or when many
    /// values were forgotten since the last one. Expired values are dropped from the store here but need no rebuild:
    /// their hits are skipped.
    /// </summary>
    internal HeldSnapshot GetSnapshot()
    {
        var now = _time.GetUtcNow();
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is not null && snapshot.Version == Volatile.Read(ref _version) && now.UtcTicks < Volatile.Read(ref _nextExpiryTicks))
        {
            return snapshot;
        }

        lock (_values)
        {
            if (now.UtcTicks >= _nextExpiryTicks)
            {
                DropExpired(now);
            }

            var current = _snapshot;
            if (current is not null && current.Version == _version)
            {
                return current;
            }

            var fold = current is null
                || _recentNeedles > _recentTierLimit
                || _forgottenSinceBuild > Math.Max(64, _values.Count / 2);
            if (fold)
            {
                snapshot = HeldSnapshot.Create(_values.Values, _version);
                _recent.Clear();
                _recentNeedles = 0;
                _forgottenSinceBuild = 0;
            }
            else
            {
                snapshot = current!.WithRecent(_recent, _version);
            }

            Volatile.Write(ref _snapshot, snapshot);
            return snapshot;
        }
    }

    private void DropExpired(DateTimeOffset now)
    {
        List<string>? expired = null;
        var next = DateTimeOffset.MaxValue;
        foreach (var (value, entry) in _values)
        {
            var expiresAt = entry.State.ExpiresAt;
            if (expiresAt <= now)
            {
                (expired ??= []).Add(value);
            }
            else if (expiresAt < next)
            {
                next = expiresAt;
            }
        }

        foreach (var value in expired ?? [])
        {
            Forget(value);
        }

        Volatile.Write(ref _nextExpiryTicks, next.UtcTicks);
    }

    private void DropSoonest()
    {
        string? soonest = null;
        var soonestExpiry = DateTimeOffset.MaxValue;
        foreach (var (value, entry) in _values)
        {
            var expiresAt = entry.State.ExpiresAt;
            if (soonest is null || expiresAt < soonestExpiry)
            {
                soonest = value;
                soonestExpiry = expiresAt;
            }
        }

        if (soonest is not null)
        {
            Forget(soonest);
        }
    }

    private void Forget(string value)
    {
        var entry = _values[value];
        _values.Remove(value);
        entry.Forget();
        _forgottenSinceBuild++;
        if (_recent.Remove(entry))
        {
            _recentNeedles -= entry.Needles.Length;
        }

        // No rebuild: the matchers still hold the forgotten value's strings but skip them; a later fold drops them.
    }
}
