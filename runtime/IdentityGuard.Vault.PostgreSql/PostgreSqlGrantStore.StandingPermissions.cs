using System;
using System.Threading;
using System.Threading.Tasks;
using NpgsqlTypes;

namespace IdentityGuard.Vault.PostgreSql;

/// <summary>Standing permissions in the same database as the grants.</summary>
public sealed partial class PostgreSqlGrantStore : IStandingPermissionStore
{
    /// <inheritdoc />
    public Task SavePermissionAsync(GrantKey key, byte[] protectedData, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(protectedData);

        // An upsert: repeating it after a dead connection writes the same row again.
        return RetryOnDeadConnectionAsync(
            async ct =>
            {
                await using var command = await CommandAsync(
                    """
                    INSERT INTO identityguard_standing_permissions (workload, user_key, provider, data, expires_at)
                    VALUES ($1, $2, $3, $4, $5)
                    ON CONFLICT (workload, user_key, provider) DO UPDATE SET data = EXCLUDED.data, expires_at = EXCLUDED.expires_at;
                    """,
                    key,
                    ct).ConfigureAwait(false);
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = protectedData, NpgsqlDbType = NpgsqlDbType.Bytea });
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = expiresAt.ToUnixTimeMilliseconds(), NpgsqlDbType = NpgsqlDbType.Bigint });
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<byte[]?> GetPermissionAsync(GrantKey key, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RetryOnDeadConnectionAsync(
            async ct =>
            {
                await using (var cleanup = await CommandAsync(
                    "DELETE FROM identityguard_standing_permissions WHERE workload = $1 AND user_key = $2 AND provider = $3 AND expires_at <= $4;", key, ct).ConfigureAwait(false))
                {
                    cleanup.Parameters.Add(new Npgsql.NpgsqlParameter { Value = now.ToUnixTimeMilliseconds(), NpgsqlDbType = NpgsqlDbType.Bigint });
                    await cleanup.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                await using var command = await CommandAsync(
                    "SELECT data FROM identityguard_standing_permissions WHERE workload = $1 AND user_key = $2 AND provider = $3 AND expires_at > $4;", key, ct).ConfigureAwait(false);
                command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = now.ToUnixTimeMilliseconds(), NpgsqlDbType = NpgsqlDbType.Bigint });
                return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as byte[];
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeletePermissionAsync(GrantKey key, CancellationToken cancellationToken = default) =>
        RetryOnDeadConnectionAsync(
            async ct =>
            {
                await using var command = await CommandAsync(
                    "DELETE FROM identityguard_standing_permissions WHERE workload = $1 AND user_key = $2 AND provider = $3;", key, ct).ConfigureAwait(false);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
            },
            cancellationToken);
}
