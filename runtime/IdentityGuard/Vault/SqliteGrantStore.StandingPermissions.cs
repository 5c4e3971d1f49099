using System;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Vault;

/// <summary>Standing permissions in the same SQLite file as the grants.</summary>
public sealed partial class SqliteGrantStore : IStandingPermissionStore
{
    /// <inheritdoc />
    public async Task SavePermissionAsync(GrantKey key, byte[] protectedData, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(protectedData);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO ig_standing_permissions (workload, user_key, provider, data, expires_at)
            VALUES ($w, $u, $p, $data, $expires);
            """;
        AddKey(command, key);
        command.Parameters.AddWithValue("$data", protectedData);
        command.Parameters.AddWithValue("$expires", expiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetPermissionAsync(GrantKey key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var cleanup = connection.CreateCommand())
        {
            cleanup.CommandText = "DELETE FROM ig_standing_permissions WHERE workload = $w AND user_key = $u AND provider = $p AND expires_at <= $now;";
            AddKey(cleanup, key);
            cleanup.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            await cleanup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM ig_standing_permissions WHERE workload = $w AND user_key = $u AND provider = $p AND expires_at > $now;";
        AddKey(command, key);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    /// <inheritdoc />
    public async Task<bool> DeletePermissionAsync(GrantKey key, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ig_standing_permissions WHERE workload = $w AND user_key = $u AND provider = $p;";
        AddKey(command, key);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
