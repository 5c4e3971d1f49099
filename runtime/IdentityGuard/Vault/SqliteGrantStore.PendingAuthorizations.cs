using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;

namespace IdentityGuard.Vault;

/// <summary>Pending authorizations and consent outcomes in the same SQLite file as the grants.</summary>
public sealed partial class SqliteGrantStore
{
    /// <inheritdoc />
    public async Task<PendingAuthorizationAdmission> AddAsync(PendingAuthorizationKey key, PendingAuthorizationEntry entry, PendingAuthorizationLimits limits, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(limits);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // Expired rows go first, in their own statement: they are garbage whether or not this request is admitted.
        await using (var cleanup = connection.CreateCommand())
        {
            cleanup.CommandText = """
                DELETE FROM ig_pending_authorizations WHERE workload = $w AND expires_at <= $now;
                DELETE FROM ig_consent_outcomes WHERE workload = $w AND expires_at <= $now;
                """;
            cleanup.Parameters.AddWithValue("$w", key.Workload);
            cleanup.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            await cleanup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // BEGIN IMMEDIATE takes the write lock up front, so the count and the insert see no other process's adds.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var dropped = new List<string>();
        await using (var drop = connection.CreateCommand())
        {
            drop.Transaction = transaction;
            drop.CommandText = """
                DELETE FROM ig_pending_authorizations WHERE workload = $w AND state_hash IN (
                    SELECT state_hash FROM ig_pending_authorizations WHERE workload = $w AND user_key = $u
                    ORDER BY created_at DESC, state_hash DESC LIMIT -1 OFFSET $keep)
                RETURNING state_hash;
                """;
            drop.Parameters.AddWithValue("$w", key.Workload);
            drop.Parameters.AddWithValue("$u", entry.UserKey);
            drop.Parameters.AddWithValue("$keep", Math.Max(limits.PerUser - 1, 0));
            await using var reader = await drop.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                dropped.Add(reader.GetString(0));
            }
        }

        await using (var count = connection.CreateCommand())
        {
            count.Transaction = transaction;
            count.CommandText = "SELECT count(*) FROM ig_pending_authorizations WHERE workload = $w;";
            count.Parameters.AddWithValue("$w", key.Workload);
            if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) >= limits.PerWorkload)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return new PendingAuthorizationAdmission(false, []);
            }
        }

        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO ig_pending_authorizations (workload, state_hash, user_key, data, created_at, expires_at)
                VALUES ($w, $h, $u, $data, $created, $expires);
                """;
            insert.Parameters.AddWithValue("$w", key.Workload);
            insert.Parameters.AddWithValue("$h", key.StateHash);
            insert.Parameters.AddWithValue("$u", entry.UserKey);
            insert.Parameters.AddWithValue("$data", entry.ProtectedData);
            insert.Parameters.AddWithValue("$created", entry.CreatedAt.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$expires", entry.ExpiresAt.ToUnixTimeMilliseconds());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new PendingAuthorizationAdmission(true, dropped);
    }

    /// <inheritdoc />
    public async Task<byte[]?> TakeAsync(PendingAuthorizationKey key, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();

        // One statement deletes and returns: of two processes racing on one callback, only one gets the row.
        command.CommandText = "DELETE FROM ig_pending_authorizations WHERE workload = $w AND state_hash = $h RETURNING data, expires_at;";
        command.Parameters.AddWithValue("$w", key.Workload);
        command.Parameters.AddWithValue("$h", key.StateHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var data = (byte[])reader.GetValue(0);
        return reader.GetInt64(1) > now.ToUnixTimeMilliseconds() ? data : null;
    }

    /// <inheritdoc />
    public async Task WriteOutcomeAsync(PendingAuthorizationKey key, PendingAuthorizationOutcome outcome, DateTimeOffset expiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO ig_consent_outcomes (workload, state_hash, result, error, expires_at) VALUES ($w, $h, $r, $e, $expires);";
        command.Parameters.AddWithValue("$w", key.Workload);
        command.Parameters.AddWithValue("$h", key.StateHash);
        command.Parameters.AddWithValue("$r", (int)outcome.Result);
        command.Parameters.AddWithValue("$e", (object?)outcome.Error ?? DBNull.Value);
        command.Parameters.AddWithValue("$expires", expiresAt.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PendingAuthorizationOutcome?> TakeOutcomeAsync(PendingAuthorizationKey key, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ig_consent_outcomes WHERE workload = $w AND state_hash = $h RETURNING result, error;";
        command.Parameters.AddWithValue("$w", key.Workload);
        command.Parameters.AddWithValue("$h", key.StateHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new PendingAuthorizationOutcome((PendingAuthorizationResult)reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    /// <inheritdoc />
    public async Task<int> CountAsync(string workload, string? userKey, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workload);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM ig_pending_authorizations WHERE workload = $w AND ($u IS NULL OR user_key = $u) AND expires_at > $now;";
        command.Parameters.AddWithValue("$w", workload);
        command.Parameters.AddWithValue("$u", (object?)userKey ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
