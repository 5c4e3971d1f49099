using System;

namespace IdentityGuard;

/// <summary>
/// The runtime's root settings, bound from the <c>IdentityGuard</c> configuration section. The parts added on the
/// <c>IdentityGuardBuilder</c> have their own sections below it (<c>IdentityGuard:Vault</c>,
/// <c>IdentityGuard:Consent</c>, <c>IdentityGuard:Authorizer</c>, <c>IdentityGuard:Mcp</c>) and read the workload name
/// and the refresh margin from here, so each is set in one place.
/// </summary>
public sealed class IdentityGuardOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "IdentityGuard";

    /// <summary>
    /// The workload (agent) name: bound from <c>IdentityGuard:Workload</c>, else the manifest's <c>workload</c>. Every
    /// part audits under it, the workload identity binds its tokens to it, and the vault's default folder is named for
    /// it.
    /// </summary>
    public string? Workload { get; set; }

    /// <summary>
    /// How long before expiry a token is renewed (default one minute): cached client-credentials and exchanged tokens,
    /// and users' tokens in the vault. For short-lived tokens the margin is capped at a quarter of the token's lifetime.
    /// </summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The lifetime assumed when a token endpoint omits <c>expires_in</c> (default five minutes).</summary>
    public TimeSpan DefaultTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
