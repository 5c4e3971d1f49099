using System;
using System.Text.Json.Serialization;

namespace IdentityGuard.Tokens;

/// <summary>
/// An OAuth 2.0 access token. Like every <see cref="SecretValue"/>, the value is reachable only through
/// <see cref="SecretValue.RevealValue"/>; <see cref="ToString"/>, JSON and the debugger show a redacted form.
/// </summary>
// Each secret type names its own converter: System.Text.Json does not inherit a [JsonConverter] from a base class.
[JsonConverter(typeof(RedactingJsonConverter<AccessToken>))]
public sealed class AccessToken : SecretValue
{
    /// <summary>Creates a token.</summary>
    /// <param name="value">The token value.</param>
    /// <param name="tokenType">The token type, normally <c>Bearer</c>.</param>
    /// <param name="expiresAt">When the token stops being valid.</param>
    /// <param name="scope">The space-separated scopes granted, when the server said.</param>
    public AccessToken(string value, string tokenType, DateTimeOffset expiresAt, string? scope = null)
        : base(value)
    {
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

    /// <summary>Whether <paramref name="other"/> carries the same token value (constant-time comparison).</summary>
    public bool HasSameValue(AccessToken? other) => HasSameValueAs(other);

    /// <summary>A redacted description: type, expiry and scopes, never the value.</summary>
    public override string ToString() => $"{TokenType} access token [redacted], expires {ExpiresAt:O}{(Scope is null ? string.Empty : ", scope '" + Scope + "'")}";
}
