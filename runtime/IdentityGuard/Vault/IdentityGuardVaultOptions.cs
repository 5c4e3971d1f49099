using System;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityGuard.Vault;

/// <summary>
/// Settings of the vault added by <c>AddVault</c> on the <c>IdentityGuardBuilder</c>, bound from
/// <c>IdentityGuard:Vault</c>. The workload name and the refresh margin are the runtime's
/// (<see cref="IdentityGuardOptions.Workload"/>, <see cref="IdentityGuardOptions.RefreshBeforeExpiry"/>).
/// </summary>
public sealed class IdentityGuardVaultOptions
{
    /// <summary>The configuration section of the vault settings.</summary>
    public const string SectionName = "IdentityGuard:Vault";

    /// <summary>The default lifetime of workload access tokens (15 minutes).</summary>
    public TimeSpan WorkloadTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The SQLite database file of the default store. Default: <c>IdentityGuard/&lt;workload&gt;/vault.db</c> under the
    /// user's local application data folder (the application folder when there is none), so every agent (every
    /// workload name) has its own database and key ring, even when one OS user runs several.
    /// </summary>
    public string? DatabasePath { get; set; }

    /// <summary>
    /// The folder of the Data Protection key ring that encrypts grants and workload access tokens. Default: a
    /// <c>keys</c> folder next to the database file, so a later run (and other processes on this machine) can
    /// decrypt what an earlier one stored. Ignored when <see cref="UseHostDataProtection"/> is set. The keys are
    /// stored unencrypted unless <see cref="ConfigureDataProtection"/> adds key encryption: keep the folder private.
    /// </summary>
    public string? KeysDirectory { get; set; }

    /// <summary>
    /// Use the application's own <see cref="IDataProtectionProvider"/> (registered with <c>AddDataProtection()</c>)
    /// instead of the vault's private key ring: for agents that run on several machines and already share keys
    /// (in a database, Redis, a key vault). Off by default so the vault's keys stay separate from cookie keys.
    /// </summary>
    public bool UseHostDataProtection { get; set; }

    /// <summary>
    /// Further configures the vault's private Data Protection (for example key encryption with a certificate).
    /// Not bound from configuration.
    /// </summary>
    public Action<IDataProtectionBuilder>? ConfigureDataProtection { get; set; }

    /// <summary>How long a cross-process refresh lease lasts unless released (30 seconds).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a token held in memory is served before the store is asked whether its grant changed (one second):
    /// the bound on how long another instance's revocation or refresh stays unseen.
    /// </summary>
    public TimeSpan StoreCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
