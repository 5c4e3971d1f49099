using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Claims;
using IdentityGuard.Authorization;

namespace IdentityGuard.AspNetCore;

/// <summary>
/// The identity the IdentityGuard scheme signs a request in with: the token's claims, plus the
/// <see cref="VerifiedCaller"/> they came from, so code that only sees the <see cref="ClaimsPrincipal"/> (an MCP tool
/// filter, for example) still reaches the verified issuer, subject and scopes without parsing claims again.
/// </summary>
public sealed class VerifiedCallerIdentity : ClaimsIdentity
{
    /// <summary>Creates the identity of <paramref name="caller"/>.</summary>
    /// <param name="caller">The verified caller.</param>
    /// <param name="claims">The caller's claims.</param>
    /// <param name="authenticationType">The authentication scheme that verified it.</param>
    public VerifiedCallerIdentity(VerifiedCaller caller, IEnumerable<Claim> claims, string authenticationType)
        : base(claims, authenticationType, nameType: "sub", roleType: "role")
    {
        Caller = caller ?? throw new ArgumentNullException(nameof(caller));
    }

    private VerifiedCallerIdentity(VerifiedCallerIdentity other)
        : base(other)
    {
        Caller = other.Caller;
    }

    /// <summary>The verified caller.</summary>
    public VerifiedCaller Caller { get; }

    /// <inheritdoc />
    public override ClaimsIdentity Clone() => new VerifiedCallerIdentity(this);
}

/// <summary>Reads the verified caller from a principal.</summary>
public static class VerifiedCallerClaimsPrincipalExtensions
{
    /// <summary>
    /// The caller the IdentityGuard scheme verified for <paramref name="principal"/>, or <see langword="null"/> when
    /// no identity of the principal came from it.
    /// </summary>
    public static VerifiedCaller? GetVerifiedCaller(this ClaimsPrincipal? principal) =>
        principal?.Identities.OfType<VerifiedCallerIdentity>().FirstOrDefault()?.Caller;
}
