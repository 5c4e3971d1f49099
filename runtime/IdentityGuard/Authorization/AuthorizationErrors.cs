namespace IdentityGuard.Authorization;

/// <summary>
/// The machine-readable <see cref="AuthorizationFailure.Error"/> codes. <see cref="InvalidToken"/> and
/// <see cref="InsufficientScope"/> are RFC 6750's; the others name authorization refusals RFC 6750 has no code for.
/// </summary>
public static class AuthorizationErrors
{
    /// <summary>The token is missing, malformed, expired, forged or not meant for this API (HTTP 401).</summary>
    public const string InvalidToken = "invalid_token";

    /// <summary>The token lacks a required scope (HTTP 403).</summary>
    public const string InsufficientScope = "insufficient_scope";

    /// <summary>The token carries a scope outside the allowed set (HTTP 403).</summary>
    public const string ScopeNotAllowed = "scope_not_allowed";

    /// <summary>The token was issued to a client application that may not call (HTTP 403).</summary>
    public const string ClientNotAllowed = "client_not_allowed";

    /// <summary>A configured claim rule does not hold (HTTP 403).</summary>
    public const string ClaimRuleNotSatisfied = "claim_rule_not_satisfied";

    /// <summary>
    /// The chain of agents acting for the subject (the token's <c>act</c> claim) is not acceptable: an actor not in
    /// <see cref="JwtAuthorizerOptions.AllowedActors"/>, a chain longer than
    /// <see cref="JwtAuthorizerOptions.MaxActorChainDepth"/>, or an actor missing or present against
    /// <see cref="JwtAuthorizerOptions.ActorRequirement"/> (HTTP 403).
    /// </summary>
    public const string ActorNotAllowed = "actor_not_allowed";

    /// <summary>The identity provider's metadata or keys could not be fetched, so no token can be checked (HTTP 503).</summary>
    public const string MetadataUnavailable = "metadata_unavailable";
}

/// <summary>
/// The finer <see cref="AuthorizationFailure.Reason"/> codes: which check refused the token. They go to logs and audit
/// events; clients see only the <see cref="AuthorizationErrors"/> code.
/// </summary>
public static class AuthorizationFailureReasons
{
    /// <summary>No token was presented.</summary>
    public const string MissingToken = "missing_token";

    /// <summary>The token is not a well-formed JWS compact serialization.</summary>
    public const string MalformedToken = "malformed_token";

    /// <summary>The token carries no signature (<c>alg: none</c>).</summary>
    public const string UnsignedToken = "unsigned_token";

    /// <summary>The token's <c>alg</c> is not in <see cref="JwtAuthorizerOptions.AllowedAlgorithms"/>.</summary>
    public const string AlgorithmNotAllowed = "algorithm_not_allowed";

    /// <summary>The token was signed with a key the issuer does not publish, even after refreshing its keys.</summary>
    public const string UnknownSigningKey = "unknown_signing_key";

    /// <summary>The signature does not match the token (tampered or forged).</summary>
    public const string InvalidSignature = "invalid_signature";

    /// <summary>The <c>iss</c> claim is not a trusted issuer.</summary>
    public const string InvalidIssuer = "invalid_issuer";

    /// <summary>The <c>aud</c> claim names none of the accepted audiences.</summary>
    public const string InvalidAudience = "invalid_audience";

    /// <summary>The token has expired (<c>exp</c>).</summary>
    public const string Expired = "token_expired";

    /// <summary>The token is not valid yet (<c>nbf</c>).</summary>
    public const string NotYetValid = "token_not_yet_valid";

    /// <summary>The token has no <c>exp</c> claim.</summary>
    public const string MissingExpiration = "missing_expiration";

    /// <summary>The <c>typ</c> header is not an accepted access token type.</summary>
    public const string InvalidTokenType = "invalid_token_type";

    /// <summary>
    /// The token's <c>crit</c> header names an extension the authorizer does not implement (it implements none), so
    /// RFC 7515 section 4.1.11 requires refusing it.
    /// </summary>
    public const string UnsupportedCriticalHeader = "unsupported_critical_header";

    /// <summary>
    /// The token is an OpenID Connect ID token (it carries <c>nonce</c>, <c>at_hash</c>, <c>c_hash</c>,
    /// <c>s_hash</c> or an <c>oi_tkn_typ</c> other than <c>access_token</c>): it proves a sign-in to a client, not a
    /// grant to call this API.
    /// </summary>
    public const string IdToken = "id_token";

    /// <summary>The discovery document names an issuer other than the address it was read from (OpenID Connect Discovery section 4.3).</summary>
    public const string MetadataIssuerMismatch = "metadata_issuer_mismatch";

    /// <summary>A metadata address (such as <c>jwks_uri</c>) uses plain HTTP on a host other than loopback.</summary>
    public const string InsecureMetadataAddress = "insecure_metadata_address";

    /// <summary>The token has no <c>sub</c> claim.</summary>
    public const string MissingSubject = "missing_subject";

    /// <summary>The <c>act</c> claim is not a chain of JSON objects each naming a <c>sub</c>.</summary>
    public const string MalformedActor = "malformed_actor";

    /// <summary>An actor in the chain is not in <see cref="JwtAuthorizerOptions.AllowedActors"/>.</summary>
    public const string UnknownActor = "unknown_actor";

    /// <summary>The actor chain is longer than <see cref="JwtAuthorizerOptions.MaxActorChainDepth"/>.</summary>
    public const string ActorChainTooDeep = "actor_chain_too_deep";

    /// <summary>The token has no actor, but <see cref="JwtAuthorizerOptions.ActorRequirement"/> requires one.</summary>
    public const string ActorRequired = "actor_required";

    /// <summary>The token names an actor, but <see cref="JwtAuthorizerOptions.ActorRequirement"/> refuses delegated tokens.</summary>
    public const string ActorRefused = "actor_refused";

    /// <summary>Any other validation failure.</summary>
    public const string Other = "validation_failed";
}
