namespace IdentityGuard.Vault;

/// <summary>Settings of <see cref="SqliteGrantStore"/>.</summary>
public sealed class SqliteGrantStoreOptions
{
    /// <summary>The database file. It and its folder are created on first use. Required.</summary>
    public string DatabasePath { get; set; } = string.Empty;

    /// <summary>How long a statement waits for another process's lock before failing (default 30 seconds).</summary>
    public int BusyTimeoutSeconds { get; set; } = 30;
}
