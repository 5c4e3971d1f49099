using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace IdentityGuard.Vault.PostgreSql;

/// <summary>
/// An <see cref="IGrantStore"/> on PostgreSQL, for agents that run as several processes or on several machines.
/// The tables are created on first use. Writes are single statements, so each is atomic; optimistic concurrency
/// compares the version column, and the refresh lease is a row with an expiry.
/// </summary>
/// <remarks>
/// Why a lease row rather than <c>pg_try_advisory_lock</c>: a session advisory lock lives on one connection, so
/// the holder would have to keep a pooled connection checked out for the whole refresh (an HTTP call to the
/// authorization server), it does not work behind transaction-mode poolers such as PgBouncer, and a 64-bit lock
/// key would be a hash of the grant key that can collide. A lease row is an ordinary upsert that works through any
/// pooler, behaves exactly like the SQLite store, and survives a crashed holder: its lease simply expires after
/// <see cref="TokenVaultOptions.LeaseDuration"/>, after which any instance may take it. The cost is that after a
/// crash, others wait up to that duration.
/// </remarks>
public sealed partial class PostgreSqlGrantStore : IGrantStore, IPendingAuthorizationStore, IDisposable, IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS identityguard_grants (
            workload text NOT NULL,
            user_key text NOT NULL,
            provider text NOT NULL,
            data bytea NOT NULL,
            version bigint NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (workload, user_key, provider)
        );
        CREATE TABLE IF NOT EXISTS identityguard_grant_leases (
            workload text NOT NULL,
            user_key text NOT NULL,
            provider text NOT NULL,
            owner text NOT NULL,
            expires_at bigint NOT NULL,
            PRIMARY KEY (workload, user_key, provider)
        );
        CREATE TABLE IF NOT EXISTS identityguard_pending_authorizations (
            workload text NOT NULL,
            state_hash text NOT NULL,
            user_key text NOT NULL,
            data bytea NOT NULL,
            created_at bigint NOT NULL,
            expires_at bigint NOT NULL,
            PRIMARY KEY (workload, state_hash)
        );
        CREATE INDEX IF NOT EXISTS identityguard_pending_authorizations_user ON identityguard_pending_authorizations (workload, user_key, created_at);
        CREATE INDEX IF NOT EXISTS identityguard_pending_authorizations_expiry ON identityguard_pending_authorizations (workload, expires_at);
        CREATE TABLE IF NOT EXISTS identityguard_consent_outcomes (
            workload text NOT NULL,
            state_hash text NOT NULL,
            result integer NOT NULL,
            error text NULL,
            expires_at bigint NOT NULL,
            PRIMARY KEY (workload, state_hash)
        );
        CREATE TABLE IF NOT EXISTS identityguard_standing_permissions (
            workload text NOT NULL,
            user_key text NOT NULL,
            provider text NOT NULL,
            data bytea NOT NULL,
            expires_at bigint NOT NULL,
            PRIMARY KEY (workload, user_key, provider)
        );
        """;

    // Serializes schema creation across processes: concurrent CREATE TABLE IF NOT EXISTS can still collide in
    // PostgreSQL's catalog. The number is arbitrary but fixed.
    private const long SchemaLockId = 0x4944_4755_4152_4431;

    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _initialization = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Creates the store.</summary>
    /// <param name="options">The connection string.</param>
    public PostgreSqlGrantStore(IOptions<PostgreSqlGrantStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Value.ConnectionString))
        {
            throw new OptionsValidationException(nameof(PostgreSqlGrantStoreOptions.ConnectionString), typeof(PostgreSqlGrantStoreOptions), ["The PostgreSQL connection string of the grant store is required."]);
        }

        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString);
    }

    /// <inheritdoc />
    public Task<StoredGrant?> GetAsync(GrantKey key, CancellationToken cancellationToken = default) =>
        RetryOnDeadConnectionAsync(ct => GetCoreAsync(key, ct), cancellationToken);

    /// <inheritdoc />
    public Task<long?> TryWriteAsync(GrantKey key, byte[] protectedData, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(protectedData);
        return RetryOnDeadConnectionAsync(ct => TryWriteCoreAsync(key, protectedData, expectedVersion, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteAsync(GrantKey key, CancellationToken cancellationToken = default) =>
        RetryOnDeadConnectionAsync(ct => DeleteCoreAsync(key, ct), cancellationToken);

    /// <inheritdoc />
    public Task<bool> TryAcquireLeaseAsync(GrantKey key, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return RetryOnDeadConnectionAsync(ct => TryAcquireLeaseCoreAsync(key, owner, now, duration, ct), cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(GrantKey key, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return RetryOnDeadConnectionAsync(ct => ReleaseLeaseCoreAsync(key, owner, ct), cancellationToken);
    }

    private async Task<StoredGrant?> GetCoreAsync(GrantKey key, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("SELECT data, version FROM identityguard_grants WHERE workload = $1 AND user_key = $2 AND provider = $3", key, cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new StoredGrant(reader.GetFieldValue<byte[]>(0), reader.GetInt64(1));
    }

    private async Task<long?> TryWriteCoreAsync(GrantKey key, byte[] protectedData, long? expectedVersion, CancellationToken cancellationToken)
    {
        var sql = expectedVersion switch
        {
            null => """
                INSERT INTO identityguard_grants (workload, user_key, provider, data, version) VALUES ($1, $2, $3, $4, 1)
                ON CONFLICT (workload, user_key, provider) DO UPDATE SET data = excluded.data, version = identityguard_grants.version + 1, updated_at = now()
                RETURNING version
                """,
            0 => """
                INSERT INTO identityguard_grants (workload, user_key, provider, data, version) VALUES ($1, $2, $3, $4, 1)
                ON CONFLICT (workload, user_key, provider) DO NOTHING
                RETURNING version
                """,
            _ => """
                UPDATE identityguard_grants SET data = $4, version = version + 1, updated_at = now()
                WHERE workload = $1 AND user_key = $2 AND provider = $3 AND version = $5
                RETURNING version
                """,
        };
        await using var command = await CommandAsync(sql, key, cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = protectedData, NpgsqlDbType = NpgsqlDbType.Bytea });
        if (expectedVersion is > 0)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = expectedVersion.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        }

        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is long version ? version : null;
    }

    private async Task<bool> DeleteCoreAsync(GrantKey key, CancellationToken cancellationToken)
    {
        int deleted;
        await using (var command = await CommandAsync("DELETE FROM identityguard_grants WHERE workload = $1 AND user_key = $2 AND provider = $3", key, cancellationToken).ConfigureAwait(false))
        {
            deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // A lease left behind would only expire; removing it keeps the table from collecting dead rows.
        await using (var command = await CommandAsync("DELETE FROM identityguard_grant_leases WHERE workload = $1 AND user_key = $2 AND provider = $3", key, cancellationToken).ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return deleted > 0;
    }

    private async Task<bool> TryAcquireLeaseCoreAsync(GrantKey key, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        // One statement: take a free lease, or replace one that expired (its holder died) or that we hold already.
        // A live lease held by someone else leaves the row untouched, so RETURNING yields nothing.
        await using var command = await CommandAsync(
            """
            INSERT INTO identityguard_grant_leases (workload, user_key, provider, owner, expires_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (workload, user_key, provider) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE identityguard_grant_leases.expires_at <= $6 OR identityguard_grant_leases.owner = excluded.owner
            RETURNING owner
            """,
            key,
            cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = owner, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (now + duration).ToUnixTimeMilliseconds(), NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUnixTimeMilliseconds(), NpgsqlDbType = NpgsqlDbType.Bigint });
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is string holder && string.Equals(holder, owner, StringComparison.Ordinal);
    }

    private async Task<bool> ReleaseLeaseCoreAsync(GrantKey key, string owner, CancellationToken cancellationToken)
    {
        await using var command = await CommandAsync("DELETE FROM identityguard_grant_leases WHERE workload = $1 AND user_key = $2 AND provider = $3 AND owner = $4", key, cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = owner, NpgsqlDbType = NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>
    /// Runs a statement, and once more on a fresh connection when the pooled one turned out to be dead: a server
    /// restart or failover ends every idle backend (SQLSTATE 57P01-57P03) or breaks its socket, and the pool only
    /// learns it on first use. Every statement is safe to repeat: reads and lease changes trivially, and a repeated
    /// conditional write that had in fact been applied reports a version conflict, which the vault treats as
    /// "another writer won" and serves the token it holds.
    /// </summary>
    private async Task<T> RetryOnDeadConnectionAsync<T>(Func<CancellationToken, Task<T>> statement, CancellationToken cancellationToken)
    {
        try
        {
            return await statement(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex) when (IsDeadConnection(ex) && !cancellationToken.IsCancellationRequested)
        {
            // Every idle connection died with the same server process: drop them all, not just this one.
            _dataSource.Clear();
            return await statement(cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsDeadConnection(NpgsqlException ex) =>
        ex is PostgresException { SqlState: "57P01" or "57P02" or "57P03" } || ex.InnerException is System.IO.IOException or System.Net.Sockets.SocketException;

    /// <summary>Closes the store's connections.</summary>
    public void Dispose()
    {
        _dataSource.Dispose();
        _initialization.Dispose();
    }

    /// <summary>Closes the store's connections.</summary>
    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _initialization.Dispose();
    }

    private async Task<NpgsqlCommand> CommandAsync(string sql, GrantKey key, CancellationToken cancellationToken)
    {
        // A data-source command opens a pooled connection and returns it when the command is disposed.
        var command = await CommandAsync(sql, cancellationToken).ConfigureAwait(false);
        command.Parameters.Add(new NpgsqlParameter { Value = key.Workload, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = key.UserKey, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Provider, NpgsqlDbType = NpgsqlDbType.Text });
        return command;
    }

    private async Task<NpgsqlCommand> CommandAsync(string sql, CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        return _dataSource.CreateCommand(sql);
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _initialization.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized)
            {
                return;
            }

            await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = SchemaLockId, NpgsqlDbType = NpgsqlDbType.Bigint });
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = new NpgsqlCommand(Schema, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initialization.Release();
        }
    }
}
