using System;

namespace IdentityGuard.Scrubbing;

/// <summary>
/// One held value and, swapped atomically as a whole, who issued it and until when it is looked for. The matchers
/// refer to the entry, not to a copy of its state, so extending a value's expiry, or forgetting it, takes effect at
/// once without rebuilding any matcher. Carries the value only to rebuild matchers; never printed.
/// </summary>
internal sealed class HeldEntry
{
    private static readonly HeldState Forgotten = new(null, DateTimeOffset.MinValue);

    private HeldState _state;
    private string[]? _needles;

    public HeldEntry(string value, string? provider, DateTimeOffset expiresAt)
    {
        Value = value;
        _state = new HeldState(provider, expiresAt);
    }

    public string Value { get; }

    public HeldState State => System.Threading.Volatile.Read(ref _state);

    /// <summary>The strings searched for this value: itself, then the stable middles of its base64 forms.</summary>
    /// <remarks>Computed once: a matcher rebuild reuses them instead of encoding every value again.</remarks>
    public string[] Needles => _needles ??= EncodedForms.NeedlesOf(Value);

    /// <summary>Whether the value is looked for at <paramref name="now"/>.</summary>
    public bool IsLiveAt(DateTimeOffset now) => State.ExpiresAt > now;

    public void Update(string? provider, DateTimeOffset expiresAt) =>
        System.Threading.Volatile.Write(ref _state, new HeldState(provider, expiresAt));

    /// <summary>Stops the value being looked for (it expired or the store was full); matchers still holding it skip it.</summary>
    public void Forget() => System.Threading.Volatile.Write(ref _state, Forgotten);

    /// <inheritdoc />
    public override string ToString() => "HeldEntry([redacted])";
}

/// <summary>Who issued a held value and until when it is looked for. Carries no value.</summary>
internal sealed record HeldState(string? Provider, DateTimeOffset ExpiresAt);
