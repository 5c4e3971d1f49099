namespace IdentityGuard.Vault.PostgreSql;

/// <summary>Settings of <see cref="PostgreSqlGrantStore"/>.</summary>
public sealed class PostgreSqlGrantStoreOptions
{
    /// <summary>
    /// The Npgsql connection string. Required. Keep its password out of source code: read it from configuration
    /// or a secret store.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;
}
