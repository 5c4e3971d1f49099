using System;

namespace IdentityGuard.Workload;

/// <summary>What a valid <see cref="WorkloadAccessToken"/> proves: this workload acts for this user until this time.</summary>
/// <param name="Workload">The workload (agent) name the token was issued for.</param>
/// <param name="UserKey">
/// The stable key of the user: derived from issuer and subject for verified users (see
/// <see cref="WorkloadIdentity.DeriveUserKey"/>), or the identifier a trusted caller supplied.
/// </param>
/// <param name="ExpiresAt">When the token stops being accepted.</param>
/// <param name="TokenId">A random identifier of this token, for correlation; not a secret and not a credential.</param>
/// <param name="Issuer">
/// The identity provider that verified the user (the inbound token's <c>iss</c>), or <see langword="null"/> for a user
/// the application named itself. Consent uses it to recognise the same user in the provider's ID token.
/// </param>
public sealed record WorkloadPrincipal(string Workload, string UserKey, DateTimeOffset ExpiresAt, string TokenId, string? Issuer = null)
{
    /// <summary>
    /// For a token issued to a background job under a standing permission, the one provider it may be used with (and
    /// only within that permission's scopes, checked on every use); <see langword="null"/> for a signed-in user's token.
    /// </summary>
    public string? StandingPermissionProvider { get; init; }
}
