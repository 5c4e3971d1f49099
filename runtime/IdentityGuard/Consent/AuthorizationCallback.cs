using System.Text.Json.Serialization;
using IdentityGuard.Tokens;

namespace IdentityGuard.Consent;

/// <summary>
/// The query parameters of an authorization response (RFC 6749 §4.1.2) as they reached the callback. The code and the
/// state are one-time credentials: <see cref="ToString"/> and JSON show them as redacted.
/// </summary>
/// <param name="State">The <c>state</c> parameter.</param>
/// <param name="Code">The authorization code, on success.</param>
/// <param name="Error">The error code, on failure (e.g. <c>access_denied</c>).</param>
/// <param name="ErrorDescription">The error description, if any.</param>
/// <param name="Issuer">The <c>iss</c> parameter (RFC 9207), naming the authorization server that answered, if sent.</param>
public sealed record AuthorizationCallback(
    [property: JsonConverter(typeof(RedactingJsonConverter<string>))] string? State,
    [property: JsonConverter(typeof(RedactingJsonConverter<string>))] string? Code,
    string? Error,
    string? ErrorDescription,
    string? Issuer = null)
{
    /// <summary>Redacted: the code is a one-time credential.</summary>
    public override string ToString() => $"AuthorizationCallback(state {(State is null ? "missing" : "present")}, code {(Code is null ? "missing" : "[redacted]")}, error {Error ?? "none"})";
}
