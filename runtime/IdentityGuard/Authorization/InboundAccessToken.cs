using System;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using IdentityGuard.Tokens;

namespace IdentityGuard.Authorization;

/// <summary>
/// The caller's access token after it passed every check of the <see cref="JwtAuthorizer"/>. It is kept so the agent
/// can later exchange it for a downstream token on the caller's behalf (RFC 8693 token exchange); like
/// <see cref="AccessToken"/>, its value is reachable only through <see cref="RevealValue"/> and it prints and
/// serializes redacted.
/// </summary>
[JsonConverter(typeof(RedactingJsonConverter<InboundAccessToken>))]
[DebuggerDisplay("{ToString(),nq}")]
public sealed class InboundAccessToken
{
    private readonly string _value;

    internal InboundAccessToken(string value, DateTimeOffset expiresAt)
    {
        _value = value;
        ExpiresAt = expiresAt;
    }

    /// <summary>When the token stops being valid.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>
    /// Returns the token value, e.g. as the <c>subject_token</c> of a token exchange. Never log, store or return the
    /// result to a model.
    /// </summary>
    public string RevealValue() => _value;

    /// <summary>Whether <paramref name="other"/> carries the same token value (constant-time comparison).</summary>
    public bool HasSameValue(InboundAccessToken? other) =>
        other is not null &&
        CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(_value.AsSpan()), MemoryMarshal.AsBytes(other._value.AsSpan()));

    /// <summary>A redacted description that never contains the token.</summary>
    public override string ToString() => $"inbound access token [redacted], expires {ExpiresAt:O}";
}
