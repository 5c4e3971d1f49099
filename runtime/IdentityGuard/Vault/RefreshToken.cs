using System;
using System.Text.Json.Serialization;
using IdentityGuard.Tokens;

namespace IdentityGuard.Vault;

/// <summary>
/// An OAuth 2.0 refresh token. Like every <see cref="SecretValue"/>, the value is reachable only through
/// <see cref="SecretValue.RevealValue"/> (to send it to the token endpoint; it is stored nowhere but the token vault);
/// <see cref="ToString"/>, JSON and the debugger show a redacted form.
/// </summary>
[JsonConverter(typeof(RedactingJsonConverter<RefreshToken>))]
public sealed class RefreshToken : SecretValue
{
    /// <summary>Creates a refresh token.</summary>
    /// <param name="value">The token value.</param>
    public RefreshToken(string value)
        : base(value)
    {
    }

    /// <summary>Whether <paramref name="other"/> carries the same value (constant-time comparison).</summary>
    public bool HasSameValue(RefreshToken? other) => HasSameValueAs(other);

    /// <summary>A redacted description; never the value.</summary>
    public override string ToString() => "refresh token [redacted]";
}
