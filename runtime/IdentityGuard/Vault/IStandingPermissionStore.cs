using System;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Vault;

/// <summary>
/// Keeps standing permissions (pre-approved consent for background jobs) next to the grants, one per workload, user
/// and provider (<see cref="GrantKey"/>). The data is a Data Protection payload bound to its key: the store never sees
/// the permitted scopes in clear, and a row moved to another user or provider does not decrypt.
/// Implemented by <see cref="SqliteGrantStore"/> and the PostgreSQL store.
/// </summary>
public interface IStandingPermissionStore
{
    /// <summary>Creates or replaces the permission under <paramref name="key"/>.</summary>
    /// <param name="key">Workload, user key and provider.</param>
    /// <param name="protectedData">The encrypted permission.</param>
    /// <param name="expiresAt">When it lapses; kept in clear so expired rows can be removed.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task SavePermissionAsync(GrantKey key, byte[] protectedData, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>The encrypted permission under <paramref name="key"/>, or <see langword="null"/> when there is none or it has expired.</summary>
    /// <param name="key">Workload, user key and provider.</param>
    /// <param name="now">The current time; an expired row is deleted and not returned.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<byte[]?> GetPermissionAsync(GrantKey key, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes the permission under <paramref name="key"/>; <see langword="true"/> when there was one.</summary>
    /// <param name="key">Workload, user key and provider.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    Task<bool> DeletePermissionAsync(GrantKey key, CancellationToken cancellationToken = default);
}
