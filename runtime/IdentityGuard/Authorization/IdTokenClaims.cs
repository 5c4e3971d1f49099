using System;
using System.Collections.Generic;
using System.Linq;

namespace IdentityGuard.Authorization;

/// <summary>
/// Recognizes OpenID Connect ID tokens by claims only they carry. An ID token is signed by the same issuer with the
/// same keys, and its audience is the client's id, so an API that accepts that client id as an audience (or a provider
/// using <c>typ: JWT</c> for both kinds) would otherwise take a sign-in proof for a grant to call.
/// </summary>
internal static class IdTokenClaims
{
    // OpenID Connect Core: nonce (sign-in request binding), at_hash / c_hash (hashes of the access token and code issued
    // alongside), s_hash (FAPI: hash of the state). None of them belongs in an access token (RFC 9068 section 2.2).
    private static readonly string[] Markers = ["nonce", "at_hash", "c_hash", "s_hash"];

    // OpenIddict's private token type claim; an access token, when it carries the claim at all, says access_token.
    private const string OpenIddictTokenType = "oi_tkn_typ";

    public static bool AreCarriedBy(IReadOnlyDictionary<string, IReadOnlyList<string>> claims) =>
        Markers.Any(claims.ContainsKey)
        || (claims.TryGetValue(OpenIddictTokenType, out var types) && types.Any(type => !string.Equals(type, "access_token", StringComparison.Ordinal)));
}
