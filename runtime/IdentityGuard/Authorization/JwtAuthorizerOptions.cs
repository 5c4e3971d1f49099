using System;
using System.Collections.Generic;

namespace IdentityGuard.Authorization;

/// <summary>
/// Configures a <see cref="JwtAuthorizer"/>: where the trusted identity provider publishes its metadata and what an
/// inbound access token must prove before the caller is accepted. Bound from the
/// <c>IdentityGuard:Authorizer</c> configuration section by default and validated at start-up.
/// </summary>
public sealed class JwtAuthorizerOptions
{
    /// <summary>The configuration section these options are bound from by default.</summary>
    public const string SectionName = "IdentityGuard:Authorizer";

    /// <summary>The name of the <see cref="System.Net.Http.HttpClient"/> that fetches the identity provider's metadata and keys.</summary>
    public const string MetadataHttpClientName = "IdentityGuard.Authorizer.Metadata";

    /// <summary>The OpenID Connect discovery document path appended to <see cref="Authority"/>.</summary>
    public const string DiscoveryPath = ".well-known/openid-configuration";

    /// <summary>
    /// The identity provider's OpenID Connect discovery document, e.g.
    /// <c>https://login.example.com/.well-known/openid-configuration</c>. Set this or <see cref="Authority"/>.
    /// </summary>
    public Uri? DiscoveryUrl { get; set; }

    /// <summary>
    /// The identity provider's base address; the discovery document is read from
    /// <c>{Authority}/.well-known/openid-configuration</c>. Set this or <see cref="DiscoveryUrl"/>.
    /// </summary>
    public Uri? Authority { get; set; }

    /// <summary>
    /// The accepted issuers (<c>iss</c>). Empty (the default) means exactly the <c>issuer</c> named by the discovery
    /// document.
    /// </summary>
    public IList<string> ValidIssuers { get; } = new List<string>();

    /// <summary>
    /// The accepted audiences (<c>aud</c>); a token must name at least one. Required unless
    /// <see cref="DisableAudienceValidation"/> is set, so that a token minted for another API is never accepted by default.
    /// </summary>
    public IList<string> Audiences { get; } = new List<string>();

    /// <summary>
    /// Turns audience validation off. Only for identity providers that cannot put an audience into access tokens;
    /// it must be set explicitly because it lets tokens issued for other APIs in.
    /// </summary>
    public bool DisableAudienceValidation { get; set; }

    /// <summary>
    /// The client applications allowed to call, matched against the token's <c>client_id</c>, <c>azp</c> or <c>cid</c>
    /// claim (the first present). Empty (the default) allows any client.
    /// </summary>
    public IList<string> AllowedClientIds { get; } = new List<string>();

    /// <summary>Scopes that must all be present in the token's <c>scope</c> / <c>scp</c> claim.</summary>
    public IList<string> RequiredScopes { get; } = new List<string>();

    /// <summary>
    /// When not empty, the only scopes a token may carry: a token granted anything else is refused, so an over-broad
    /// token cannot be replayed against this caller. Empty (the default) allows any scope.
    /// </summary>
    public IList<string> AllowedScopes { get; } = new List<string>();

    /// <summary>Rules over custom claims; every rule must hold.</summary>
    public IList<ClaimRule> ClaimRules { get; } = new List<ClaimRule>();

    /// <summary>
    /// Whether a token may, must or must not carry an actor chain (<c>act</c>, a token obtained by RFC 8693 token
    /// exchange on the subject's behalf). Default <see cref="ActorRequirement.Allowed"/>.
    /// </summary>
    public ActorRequirement ActorRequirement { get; set; } = ActorRequirement.Allowed;

    /// <summary>
    /// When not empty, the only actors (<c>sub</c> of each <c>act</c> level) a chain may name: every agent in the
    /// chain, not only the most recent, must be listed, so an unknown agent cannot hide behind a known one. Empty (the
    /// default) allows any actor.
    /// </summary>
    public IList<string> AllowedActors { get; } = new List<string>();

    /// <summary>
    /// The longest actor chain accepted (1 = one agent acting for the user, 2 = an orchestrator and a task agent, …);
    /// <see langword="null"/> (the default) sets no limit beyond <see cref="ActorChain.MaxReadableDepth"/>.
    /// </summary>
    public int? MaxActorChainDepth { get; set; }

    /// <summary>The tolerance for clock differences when checking <c>exp</c> and <c>nbf</c> (default 60 seconds).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The accepted signing algorithms. The default lists asymmetric algorithms only, so a token signed with a shared
    /// secret (for example HS256 keyed with the provider's public key) or not signed at all is always refused.
    /// </summary>
    public IList<string> AllowedAlgorithms { get; } = new List<string>(DefaultAllowedAlgorithms);

    /// <summary>
    /// The accepted JOSE <c>typ</c> header values. Defaults to <c>at+jwt</c>, <c>application/at+jwt</c> (RFC 9068) and
    /// <c>JWT</c>, which refuses ID tokens' or logout tokens' dedicated types being replayed as access tokens.
    /// </summary>
    public IList<string> ValidTokenTypes { get; } = new List<string> { "at+jwt", "application/at+jwt", "JWT" };

    /// <summary>
    /// Accepts tokens that carry OpenID Connect ID token claims (<c>nonce</c>, <c>at_hash</c>, <c>c_hash</c>,
    /// <c>s_hash</c>, or an <c>oi_tkn_typ</c> other than <c>access_token</c>). Off by default, because those claims mark
    /// an ID token, which must never be accepted as an access token. Set it only for a provider that copies them into
    /// its access tokens, and then narrow <see cref="ValidTokenTypes"/> to <c>at+jwt</c> if the provider supports it:
    /// without the claim check, only the token type keeps its ID tokens out.
    /// </summary>
    public bool AllowIdTokenClaims { get; set; }

    /// <summary>
    /// Whether metadata (discovery document and keys) must be fetched over HTTPS (default <see langword="true"/>).
    /// Loopback addresses are exempt, so local development and tests work without certificates.
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// The shortest time between two metadata refreshes triggered by a token signed with an unknown key (default five
    /// minutes). It stops a flood of tokens with made-up key ids from turning into a flood of requests to the provider.
    /// </summary>
    public TimeSpan MinimumMetadataRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often metadata is refreshed in the background regardless (default 12 hours; at least 5 minutes).</summary>
    public TimeSpan AutomaticMetadataRefreshInterval { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// The workload named in audit events. When unset, the runtime's workload name is used
    /// (<see cref="IdentityGuardOptions.Workload"/>: <c>IdentityGuard:Workload</c>, else the manifest's) if the runtime
    /// is registered, otherwise the application's name.
    /// </summary>
    public string? Workload { get; set; }

    /// <summary>The algorithms <see cref="AllowedAlgorithms"/> starts with: RSA, RSA-PSS and ECDSA signatures.</summary>
    public static IReadOnlyList<string> DefaultAllowedAlgorithms { get; } =
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>The discovery document address: <see cref="DiscoveryUrl"/>, or the one derived from <see cref="Authority"/>.</summary>
    /// <returns>The address, or <see langword="null"/> when neither is set.</returns>
    public Uri? ResolveDiscoveryUrl()
    {
        if (DiscoveryUrl is not null)
        {
            return DiscoveryUrl;
        }

        if (Authority is null)
        {
            return null;
        }

        // The trailing slash makes the relative path land under the authority's own path (e.g. a tenant segment).
        var authority = Authority.AbsoluteUri.EndsWith('/') ? Authority : new Uri(Authority.AbsoluteUri + "/");
        return new Uri(authority, DiscoveryPath);
    }
}
