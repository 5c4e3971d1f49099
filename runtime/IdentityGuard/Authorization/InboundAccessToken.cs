using System;
using System.Text.Json.Serialization;
using IdentityGuard.Tokens;

namespace IdentityGuard.Authorization;

/// <summary>
/// The caller's access token after it passed every check of the <see cref="JwtAuthorizer"/>. It is kept so the agent
/// can later exchange it for a downstream token on the caller's behalf (RFC 8693 token exchange); like
/// every <see cref="SecretValue"/>, its value is reachable only through <see cref="SecretValue.RevealValue"/> (e.g.
/// as the <c>subject_token</c> of a token exchange) and it prints, serializes and shows in the debugger redacted.
/// </summary>
[JsonConverter(typeof(RedactingJsonConverter<InboundAccessToken>))]
public sealed class InboundAccessToken : SecretValue
{
    internal InboundAccessToken(string value, DateTimeOffset expiresAt)
        : base(value)
    {
        ExpiresAt = expiresAt;
    }

    /// <summary>When the token stops being valid.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Whether <paramref name="other"/> carries the same token value (constant-time comparison).</summary>
    public bool HasSameValue(InboundAccessToken? other) => HasSameValueAs(other);

    /// <summary>A redacted description that never contains the token.</summary>
    public override string ToString() => $"inbound access token [redacted], expires {ExpiresAt:O}";
}
