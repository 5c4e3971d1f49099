using System;
using System.Collections.Generic;

namespace IdentityGuard.Authorization;

/// <summary>
/// Who is calling, as proven by a validated access token: the user (or machine) subject, the client application it
/// used, the scopes and audiences it was granted and every claim, plus the token itself for on-behalf-of exchange.
/// </summary>
public sealed class VerifiedCaller
{
    private static readonly IReadOnlyList<string> NoValues = Array.Empty<string>();

    internal VerifiedCaller(
        string subject,
        string issuer,
        string? clientId,
        IReadOnlyList<string> scopes,
        IReadOnlyList<string> audiences,
        DateTimeOffset expiresAt,
        IReadOnlyDictionary<string, IReadOnlyList<string>> claims,
        InboundAccessToken token,
        ActorChain? actors = null)
    {
        Actors = actors ?? ActorChain.Empty;
        Subject = subject;
        Issuer = issuer;
        ClientId = clientId;
        Scopes = scopes;
        Audiences = audiences;
        ExpiresAt = expiresAt;
        Claims = claims;
        Token = token;
    }

    /// <summary>The subject (<c>sub</c>): the user, or for a client-credentials token the client itself.</summary>
    public string Subject { get; }

    /// <summary>The issuer (<c>iss</c>) that signed the token.</summary>
    public string Issuer { get; }

    /// <summary>The client application (<c>client_id</c>, <c>azp</c> or <c>cid</c>), when the token names one.</summary>
    public string? ClientId { get; }

    /// <summary>The scopes granted (<c>scope</c> / <c>scp</c>), in token order, without duplicates.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>The audiences (<c>aud</c>) the token was issued for.</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The first audience, when there is one.</summary>
    public string? Audience => Audiences.Count > 0 ? Audiences[0] : null;

    /// <summary>When the token expires (<c>exp</c>).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>
    /// Every payload claim by name, each with all its values: an array claim has one entry per element, a JSON object
    /// claim (such as <c>act</c>) its JSON text.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Claims { get; }

    /// <summary>
    /// The agents acting for <see cref="Subject"/>, read from the token's nested <c>act</c> claim (RFC 8693): index 0
    /// is the most recent actor, the one calling now. Empty when the subject calls for itself.
    /// </summary>
    public ActorChain Actors { get; }

    /// <summary>The validated token, redacted when printed; use it as the subject token of an on-behalf-of exchange.</summary>
    public InboundAccessToken Token { get; }

    /// <summary>The values of <paramref name="claimType"/>, or an empty list when the token lacks it.</summary>
    public IReadOnlyList<string> GetClaimValues(string claimType) =>
        Claims.TryGetValue(claimType, out var values) ? values : NoValues;

    /// <summary>Whether the token grants <paramref name="scope"/>.</summary>
    public bool HasScope(string scope)
    {
        foreach (var granted in Scopes)
        {
            if (string.Equals(granted, scope, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A short description (subject, client, scopes); it never contains the token.</summary>
    public override string ToString() =>
        $"caller {Subject} via {ClientId ?? "-"} scopes [{string.Join(' ', Scopes)}]" + (Actors.Count == 0 ? string.Empty : $" actors [{Actors}]");
}
