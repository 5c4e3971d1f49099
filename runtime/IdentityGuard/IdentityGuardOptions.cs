using System;

namespace IdentityGuard;

/// <summary>Run-time settings, bound from the <c>IdentityGuard</c> configuration section.</summary>
public sealed class IdentityGuardOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "IdentityGuard";

    /// <summary>
    /// How long before expiry a cached token is renewed (default one minute). For short-lived tokens the margin
    /// is capped at a quarter of the token's lifetime.
    /// </summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The lifetime assumed when a token endpoint omits <c>expires_in</c> (default five minutes).</summary>
    public TimeSpan DefaultTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
