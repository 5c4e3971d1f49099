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
}
