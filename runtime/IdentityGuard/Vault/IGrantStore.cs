using System;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Vault;

/// <summary>Addresses one stored grant: the workload, the user key and the provider.</summary>
/// <param name="Workload">The workload name.</param>
/// <param name="UserKey">The user key (from a validated workload access token, never from a caller's string).</param>
/// <param name="Provider">The credential provider name.</param>
public readonly record struct GrantKey(string Workload, string UserKey, string Provider);

/// <summary>A stored, encrypted grant and its version.</summary>
/// <param name="ProtectedData">The encrypted grant; the store never sees anything else.</param>
/// <param name="Version">The version, increased by every write, for optimistic concurrency.</param>
public sealed record StoredGrant(byte[] ProtectedData, long Version);

/// <summary>
/// Persists the token vault's encrypted grants and coordinates refreshes across processes. A store only ever sees
/// opaque encrypted blobs; <see cref="TokenVault"/> encrypts and decrypts. Implementations must be safe for
/// concurrent use by many threads and by many processes sharing the same storage, must be linearizable (a read that
/// begins after a write returned sees that write or a newer one), and must increase a grant's version by exactly
/// one per write: the vault seals the version a blob is written at into the blob and refuses it under any other.
/// The vault itself never calls <see cref="DeleteAsync"/>; it replaces a revoked grant with a revocation record.
/// </summary>
public interface IGrantStore
{
    /// <summary>Reads a grant, or <see langword="null"/> when there is none.</summary>
    Task<StoredGrant?> GetAsync(GrantKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a grant atomically, if the stored version still matches.
    /// </summary>
    /// <param name="key">The grant.</param>
    /// <param name="protectedData">The encrypted grant.</param>
    /// <param name="expectedVersion">
    /// <see langword="null"/> to write regardless of what is stored (a new consent replaces the old grant);
    /// 0 to write only if no grant is stored; otherwise the version the caller read.
    /// </param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The new version, or <see langword="null"/> when the stored version did not match (nothing was written).</returns>
    Task<long?> TryWriteAsync(GrantKey key, byte[] protectedData, long? expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes a grant (and its lease); returns whether one was stored.</summary>
    Task<bool> DeleteAsync(GrantKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tries to take the refresh lease of a grant: granted when no lease exists, the existing one has expired
    /// (its holder crashed or hung), or <paramref name="owner"/> already holds it (then it is extended).
    /// </summary>
    /// <param name="key">The grant.</param>
    /// <param name="owner">A unique identifier of the caller (one per vault instance).</param>
    /// <param name="now">The caller's current time; leases are compared on it.</param>
    /// <param name="duration">How long the lease lasts unless released.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    Task<bool> TryAcquireLeaseAsync(GrantKey key, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>Releases the lease if <paramref name="owner"/> still holds it.</summary>
    Task ReleaseLeaseAsync(GrantKey key, string owner, CancellationToken cancellationToken = default);
}
