using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Authentication;

namespace IdentityGuard.AspNetCore;

/// <summary>
/// Options of the IdentityGuard authentication scheme itself. What a token must prove is configured on
/// <see cref="IdentityGuard.Authorization.JwtAuthorizerOptions"/>.
/// </summary>
public sealed class IdentityGuardJwtOptions : AuthenticationSchemeOptions
{
    /// <summary>The <c>realm</c> named in <c>WWW-Authenticate</c> challenges, if any.</summary>
    public string? Realm { get; set; }

    /// <summary>
    /// The address of this resource's protected-resource metadata (RFC 9728), or <see langword="null"/>. When set,
    /// every challenge carries it as <c>resource_metadata</c>, so a client can discover the authorization server
    /// from a 401 alone (the MCP authorization specification requires this of MCP servers).
    /// </summary>
    public Uri? ResourceMetadataUri { get; set; }

    /// <summary>
    /// The scopes named in a 401 challenge (<c>scope</c>), telling a client which scopes to ask for first; empty (the
    /// default) names none. A 403 <c>insufficient_scope</c> challenge always names the scopes that were missing.
    /// </summary>
    public IList<string> ChallengeScopes { get; } = new List<string>();
}
