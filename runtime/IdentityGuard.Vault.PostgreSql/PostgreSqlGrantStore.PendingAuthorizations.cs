using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;

namespace IdentityGuard.Vault.PostgreSql;

/// <summary>Pending authorizations and consent outcomes in the same database as the grants.</summary>
public sealed partial class PostgreSqlGrantStore
{
    // Namespaces the per-workload advisory lock that serializes adds (the second key is the workload's hash; a
    // collision only serializes two workloads' adds, it never lets a limit slip).
    private const int PendingLockNamespace = 0x4947_5041;

    /// <inheritdoc />
    public Task<PendingAuthorizationAdmission> AddAsync(PendingAuthorizationKey key, PendingAuthorizationEntry entry, PendingAuthorizationLimits limits, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(limits);

        // Safe to repeat: a transaction cut off by a dead connection was rolled back.
        return RetryOnDeadConnectionAsync(ct => AddCoreAsync(key, entry, limits, now, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<byte[]?> TakeAsync(PendingAuthorizationKey key, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RetryOnDeadConnectionAsync(ct => TakeCoreAsync(key, now, ct), cancellationToken);

    /// <inheritdoc />
    public Task WriteOutcomeAsync(PendingAuthorizationKey key, PendingAuthorizationOutcome outcome, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return RetryOnDeadConnectionAsync(ct => WriteOutcomeCoreAsync(key, outcome, expiresAt, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<PendingAuthorizationOutcome?> TakeOutcomeAsync(PendingAuthorizationKey key, CancellationToken cancellationToken = default) =>
        RetryOnDeadConnectionAsync(ct => TakeOutcomeCoreAsync(key, ct), cancellationToken);

    /// <inheritdoc />
    public Task<int> CountAsync(string workload, string? userKey, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workload);
        return RetryOnDeadConnectionAsync(ct => CountCoreAsync(workload, userKey, now, ct), cancellationToken);
    }

    private async Task<PendingAuthorizationAdmission> AddCoreAsync(PendingAuthorizationKey key, PendingAuthorizationEntry entry, PendingAuthorizationLimits limits, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // Expired rows go first, in their own statements: they are garbage whether or not this request is admitted.
        foreach (var table in (string[])["identityguard_pending_authorizations", "identityguard_consent_outcomes"])
        {
            await Execute(connection, null, $"DELETE FROM {table} WHERE workload = $1 AND expires_at <= $2", cancellationToken, Text(key.Workload), Long(now.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // Every add of this workload waits here, so the count below cannot be raced past the limits by other
        // instances; the lock ends with the transaction.
        await Execute(connection, transaction, "SELECT pg_advisory_xact_lock($1, hashtext($2))", cancellationToken, Int(PendingLockNamespace), Text(key.Workload)).ConfigureAwait(false);

        var dropped = new List<string>();
        await using (var drop = new NpgsqlCommand(
            """
            DELETE FROM identityguard_pending_authorizations WHERE workload = $1 AND state_hash IN (
                SELECT state_hash FROM identityguard_pending_authorizations WHERE workload = $1 AND user_key = $2
                ORDER BY created_at DESC, state_hash DESC OFFSET $3)
            RETURNING state_hash
            """,
            connection,
            transaction))
        {
            drop.Parameters.Add(Text(key.Workload));
            drop.Parameters.Add(Text(entry.UserKey));
            drop.Parameters.Add(Int(Math.Max(limits.PerUser - 1, 0)));
            await using var reader = await drop.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                dropped.Add(reader.GetString(0));
            }
        }

        await using (var count = new NpgsqlCommand("SELECT count(*) FROM identityguard_pending_authorizations WHERE workload = $1", connection, transaction))
        {
            count.Parameters.Add(Text(key.Workload));
            if ((long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! >= limits.PerWorkload)
            {
                // Nothing is added and nothing of the user's is dropped.
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return new PendingAuthorizationAdmission(false, []);
            }
        }

        await Execute(
            connection,
            transaction,
            "INSERT INTO identityguard_pending_authorizations (workload, state_hash, user_key, data, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
            cancellationToken,
            Text(key.Workload),
            Text(key.StateHash),
            Text(entry.UserKey),
            new NpgsqlParameter { Value = entry.ProtectedData, NpgsqlDbType = NpgsqlDbType.Bytea },
            Long(entry.CreatedAt.ToUnixTimeMilliseconds()),
            Long(entry.ExpiresAt.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PendingAuthorizationAdmission(true, dropped);
    }

    private async Task<byte[]?> TakeCoreAsync(PendingAuthorizationKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // One statement deletes and returns: a second instance racing on the same callback blocks on the row, then
        // finds it gone.
        await using var command = await CommandAsync("DELETE FROM identityguard_pending_authorizations WHERE workload = $1 AND state_hash = $2 RETURNING data, expires_at", cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text(key.Workload));
        command.Parameters.Add(Text(key.StateHash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var data = reader.GetFieldValue<byte[]>(0);
        return reader.GetInt64(1) > now.ToUnixTimeMilliseconds() ? data : null;
    }

    private async Task<bool> WriteOutcomeCoreAsync(PendingAuthorizationKey key, PendingAuthorizationOutcome outcome, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            """
            INSERT INTO identityguard_consent_outcomes (workload, state_hash, result, error, expires_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (workload, state_hash) DO UPDATE SET result = excluded.result, error = excluded.error, expires_at = excluded.expires_at
            """,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text(key.Workload));
        command.Parameters.Add(Text(key.StateHash));
        command.Parameters.Add(Int((int)outcome.Result));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)outcome.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(Long(expiresAt.ToUnixTimeMilliseconds()));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private async Task<PendingAuthorizationOutcome?> TakeOutcomeCoreAsync(PendingAuthorizationKey key, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("DELETE FROM identityguard_consent_outcomes WHERE workload = $1 AND state_hash = $2 RETURNING result, error", cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text(key.Workload));
        command.Parameters.Add(Text(key.StateHash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new PendingAuthorizationOutcome((PendingAuthorizationResult)reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private async Task<int> CountCoreAsync(string workload, string? userKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync(
            "SELECT count(*) FROM identityguard_pending_authorizations WHERE workload = $1 AND ($2::text IS NULL OR user_key = $2) AND expires_at > $3",
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(Text(workload));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)userKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(Long(now.ToUnixTimeMilliseconds()));
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        command.Parameters.AddRange(parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter Text(string value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Long(long value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static NpgsqlParameter Int(int value) => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Integer };
}
