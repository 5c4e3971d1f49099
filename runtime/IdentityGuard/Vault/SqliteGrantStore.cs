using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Vault;

/// <summary>
/// The embedded default <see cref="IGrantStore"/>: one SQLite file, no server. The file is created on first use and
/// runs in write-ahead-log mode, so readers never block the writer and several processes on one machine can share
/// it. Every write is a single statement, so it is atomic without explicit transactions; optimistic concurrency
/// and the refresh lease are conditional upserts.
/// </summary>
public sealed partial class SqliteGrantStore : IGrantStore, IPendingAuthorizationStore, IDisposable
{
    private readonly string _connectionString;
    private readonly string _databasePath;
    private readonly SemaphoreSlim _initialization = new(1, 1);
    private volatile bool _initialized;

    /// <summary>Creates the store.</summary>
    /// <param name="options">Where the database file lives.</param>
    public SqliteGrantStore(IOptions<SqliteGrantStoreOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.DatabasePath))
        {
            throw new OptionsValidationException(nameof(SqliteGrantStoreOptions.DatabasePath), typeof(SqliteGrantStoreOptions), ["The vault database path is required."]);
        }

        _databasePath = Path.GetFullPath(settings.DatabasePath);
        if (Path.GetDirectoryName(_databasePath) is { Length: > 0 } folder)
        {
            PrivateFolder.Ensure(folder, "vault database");
        }

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,

            // Microsoft.Data.Sqlite retries a statement that meets another connection's lock until this timeout.
            DefaultTimeout = settings.BusyTimeoutSeconds,
        }.ToString();
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _databasePath;

    /// <summary>Releases the store's own resources; pooled SQLite connections are left to the provider.</summary>
    public void Dispose() => _initialization.Dispose();

    /// <inheritdoc />
    public async Task<StoredGrant?> GetAsync(GrantKey key, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data, version FROM ig_grants WHERE workload = $w AND user_key = $u AND provider = $p;";
        AddKey(command, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new StoredGrant((byte[])reader.GetValue(0), reader.GetInt64(1));
    }

    /// <inheritdoc />
    public async Task<long?> TryWriteAsync(GrantKey key, byte[] protectedData, long? expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(protectedData);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = expectedVersion switch
        {
            null => """
                INSERT INTO ig_grants (workload, user_key, provider, data, version, updated_at) VALUES ($w, $u, $p, $data, 1, $now)
                ON CONFLICT (workload, user_key, provider) DO UPDATE SET data = excluded.data, version = ig_grants.version + 1, updated_at = excluded.updated_at
                RETURNING version;
                """,
            0 => """
                INSERT INTO ig_grants (workload, user_key, provider, data, version, updated_at) VALUES ($w, $u, $p, $data, 1, $now)
                ON CONFLICT (workload, user_key, provider) DO NOTHING
                RETURNING version;
                """,
            _ => """
                UPDATE ig_grants SET data = $data, version = version + 1, updated_at = $now
                WHERE workload = $w AND user_key = $u AND provider = $p AND version = $expected
                RETURNING version;
                """,
        };
        AddKey(command, key);
        command.Parameters.AddWithValue("$data", protectedData);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expected", expectedVersion ?? 0);
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is null or DBNull ? null : Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(GrantKey key, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ig_grants WHERE workload = $w AND user_key = $u AND provider = $p;";
        AddKey(command, key);
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        // A lease left behind would only expire; removing it keeps the table from collecting dead rows.
        command.CommandText = "DELETE FROM ig_grant_leases WHERE workload = $w AND user_key = $u AND provider = $p;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return deleted > 0;
    }

    /// <inheritdoc />
    public async Task<bool> TryAcquireLeaseAsync(GrantKey key, string owner, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();

        // One statement: take a free lease, or replace one that expired (its holder died) or that we hold already.
        // A lease held by someone else and still running leaves the row untouched, so RETURNING yields nothing.
        command.CommandText = """
            INSERT INTO ig_grant_leases (workload, user_key, provider, owner, expires_at) VALUES ($w, $u, $p, $owner, $expires)
            ON CONFLICT (workload, user_key, provider) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE ig_grant_leases.expires_at <= $now OR ig_grant_leases.owner = excluded.owner
            RETURNING owner;
            """;
        AddKey(command, key);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", (now + duration).ToUnixTimeMilliseconds());
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is string holder && string.Equals(holder, owner, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(GrantKey key, string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ig_grant_leases WHERE workload = $w AND user_key = $u AND provider = $p AND owner = $owner;";
        AddKey(command, key);
        command.Parameters.AddWithValue("$owner", owner);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddKey(SqliteCommand command, GrantKey key)
    {
        command.Parameters.AddWithValue("$w", key.Workload);
        command.Parameters.AddWithValue("$u", key.UserKey);
        command.Parameters.AddWithValue("$p", key.Provider);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_initialized)
        {
            await InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
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

            // Owner-only from the start: SQLite would create it with the process umask (often world-readable), and
            // it gives its write-ahead log and shared-memory files the database file's mode.
            PrivateFolder.CreateOwnerOnlyFile(_databasePath);

            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();

            // WAL is a property of the database file, so setting it once makes every later connection (in any
            // process) use it. IF NOT EXISTS lets several processes initialize the same file at once.
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS ig_grants (
                    workload TEXT NOT NULL,
                    user_key TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    data BLOB NOT NULL,
                    version INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL,
                    PRIMARY KEY (workload, user_key, provider)
                ) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS ig_grant_leases (
                    workload TEXT NOT NULL,
                    user_key TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    owner TEXT NOT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (workload, user_key, provider)
                ) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS ig_pending_authorizations (
                    workload TEXT NOT NULL,
                    state_hash TEXT NOT NULL,
                    user_key TEXT NOT NULL,
                    data BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (workload, state_hash)
                ) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS ig_pending_authorizations_user ON ig_pending_authorizations (workload, user_key, created_at);
                CREATE INDEX IF NOT EXISTS ig_pending_authorizations_expiry ON ig_pending_authorizations (workload, expires_at);
                CREATE TABLE IF NOT EXISTS ig_consent_outcomes (
                    workload TEXT NOT NULL,
                    state_hash TEXT NOT NULL,
                    result INTEGER NOT NULL,
                    error TEXT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (workload, state_hash)
                ) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS ig_standing_permissions (
                    workload TEXT NOT NULL,
                    user_key TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    data BLOB NOT NULL,
                    expires_at INTEGER NOT NULL,
                    PRIMARY KEY (workload, user_key, provider)
                ) WITHOUT ROWID;
                """;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _initialized = true;
        }
        finally
        {
            _initialization.Release();
        }
    }
}
