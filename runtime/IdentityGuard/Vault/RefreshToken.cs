using System;
using System.Diagnostics;
using System.Text.Json.Serialization;
using IdentityGuard.Tokens;

namespace IdentityGuard.Vault;

/// <summary>
/// An OAuth 2.0 refresh token. Like <see cref="AccessToken"/>, the value is reachable only through
/// <see cref="RevealValue"/>; <see cref="ToString"/> and JSON serialization print a redacted form.
/// </summary>
[JsonConverter(typeof(RedactingJsonConverter<RefreshToken>))]
[DebuggerDisplay("{ToString(),nq}")]
public sealed class RefreshToken
{
    private readonly string _value;

    /// <summary>Creates a refresh token.</summary>
    /// <param name="value">The token value.</param>
    public RefreshToken(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary>
    /// Returns the secret token value, to send it to the token endpoint. Never log, return to a model or store the
    /// result anywhere but the token vault.
    /// </summary>
    public string RevealValue() => _value;

    /// <summary>Whether <paramref name="other"/> carries the same value (constant-time comparison).</summary>
    public bool HasSameValue(RefreshToken? other) =>
        other is not null &&
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(_value.AsSpan()),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(other._value.AsSpan()));

    /// <summary>A redacted description; never the value.</summary>
    public override string ToString() => "refresh token [redacted]";
}
