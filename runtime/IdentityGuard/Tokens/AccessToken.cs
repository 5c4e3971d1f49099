using System;
using System.Diagnostics;
using System.Text.Json.Serialization;

namespace IdentityGuard.Tokens;

/// <summary>
/// An OAuth 2.0 access token. The secret value is reachable only through <see cref="RevealValue"/>, a method
/// rather than a property so that serializers, debuggers' property views and structured loggers never pick it up;
/// <see cref="ToString"/> and JSON serialization print a redacted form.
/// </summary>
[JsonConverter(typeof(RedactingJsonConverter<AccessToken>))]
[DebuggerDisplay("{ToString(),nq}")]
public sealed class AccessToken
{
    private readonly string _value;

    /// <summary>Creates a token.</summary>
    /// <param name="value">The token value.</param>
    /// <param name="tokenType">The token type, normally <c>Bearer</c>.</param>
    /// <param name="expiresAt">When the token stops being valid.</param>
    /// <param name="scope">The space-separated scopes granted, when the server said.</param>
    public AccessToken(string value, string tokenType, DateTimeOffset expiresAt, string? scope = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
        TokenType = string.IsNullOrEmpty(tokenType) ? "Bearer" : tokenType;
        ExpiresAt = expiresAt;
        Scope = scope;
    }

    /// <summary>The token type (the authorization scheme), normally <c>Bearer</c>.</summary>
    public string TokenType { get; }

    /// <summary>When the token stops being valid.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The space-separated scopes granted, when known.</summary>
    public string? Scope { get; }

    /// <summary>
    /// Returns the secret token value. Call it only to hand the token to a transport that needs it; never log,
    /// return to a model or store the result. The IdentityGuard analyzers treat it as a token source.
    /// </summary>
    public string RevealValue() => _value;

    /// <summary>Whether <paramref name="other"/> carries the same token value (constant-time comparison).</summary>
    public bool HasSameValue(AccessToken? other) =>
        other is not null &&
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(_value.AsSpan()),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(other._value.AsSpan()));

    /// <summary>A redacted description: type, expiry and scopes, never the value.</summary>
    public override string ToString() => $"{TokenType} access token [redacted], expires {ExpiresAt:O}{(Scope is null ? string.Empty : ", scope '" + Scope + "'")}";
}
