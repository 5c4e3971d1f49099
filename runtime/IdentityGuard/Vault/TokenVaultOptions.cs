using System;

namespace IdentityGuard.Vault;

/// <summary>
/// Lease and store timing of <see cref="TokenVault"/>. The refresh margin is the runtime's one
/// <see cref="IdentityGuardOptions.RefreshBeforeExpiry"/> (<c>IdentityGuard:RefreshBeforeExpiry</c>).
/// </summary>
public sealed class TokenVaultOptions
{
    /// <summary>
    /// How long a refresh lease lasts unless released (default 30 seconds). It bounds how long other instances wait
    /// when a holder crashes mid-refresh; it must exceed <see cref="RefreshTimeout"/> so a live holder never loses it.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an instance that waits for another's lease looks again (default 50 milliseconds).</summary>
    public TimeSpan LeasePollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long an instance waits for another's lease before giving up (default 35 seconds: a little longer than
    /// the lease, so a crashed holder's lease expires within the wait).
    /// </summary>
    public TimeSpan LeaseWaitTimeout { get; set; } = TimeSpan.FromSeconds(35);

    /// <summary>
    /// How long a token held in memory is served without asking the store whether its grant changed (default one
    /// second). It bounds how long a revocation, new consent or refresh made by another instance stays unseen here;
    /// asking costs one read of the row and no decryption while it is unchanged. <see cref="TimeSpan.Zero"/> asks on
    /// every call.
    /// </summary>
    public TimeSpan StoreCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one refresh request may take (default 20 seconds).</summary>
    public TimeSpan RefreshTimeout { get; set; } = TimeSpan.FromSeconds(20);
}
