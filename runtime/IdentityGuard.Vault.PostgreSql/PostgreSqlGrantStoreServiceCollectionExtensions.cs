using System;
using IdentityGuard.Vault;
using IdentityGuard.Vault.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so they show up where services are registered.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the PostgreSQL grant store.</summary>
public static class PostgreSqlGrantStoreServiceCollectionExtensions
{
    /// <summary>
    /// Makes the token vault keep its grants and refresh leases in PostgreSQL, replacing the embedded SQLite store
    /// whether <c>AddIdentityGuardVault</c> is called before or after this. Every instance of the agent must also
    /// share the Data Protection keys (see <c>IdentityGuard:Vault:UseHostDataProtection</c>), or one instance
    /// cannot decrypt what another stored.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">The Npgsql connection string (from configuration, not source code).</param>
    public static IServiceCollection AddPostgreSqlGrantStore(this IServiceCollection services, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        services.AddOptions<PostgreSqlGrantStoreOptions>().Configure(options => options.ConnectionString = connectionString);
        services.Replace(ServiceDescriptor.Singleton<IGrantStore>(sp => new PostgreSqlGrantStore(sp.GetRequiredService<IOptions<PostgreSqlGrantStoreOptions>>())));
        return services;
    }
}
