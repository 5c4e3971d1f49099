using System;
using System.Security.Cryptography.X509Certificates;
using IdentityGuard.Vault;
using IdentityGuard.Vault.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so they show up where services are registered.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the PostgreSQL grant store and the PostgreSQL key ring.</summary>
public static class PostgreSqlGrantStoreServiceCollectionExtensions
{
    /// <summary>
    /// Makes the token vault keep its grants, refresh leases and user federation's pending authorizations in
    /// PostgreSQL, replacing the embedded SQLite store whether <c>AddIdentityGuardVault</c> is called before or
    /// after this. Every instance of the agent must also share the Data Protection keys, or one instance cannot
    /// decrypt what another stored: add <see cref="PersistVaultKeysToPostgreSql"/> (or set
    /// <c>IdentityGuard:Vault:UseHostDataProtection</c> and share the application's keys).
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

    /// <summary>
    /// Keeps the vault's private Data Protection key ring (which encrypts grants, pending authorizations and workload
    /// access tokens) in PostgreSQL instead of a folder, so every instance on every machine uses the same keys and
    /// needs nothing but the connection string and <paramref name="keyEncryptionCertificate"/>. Each key is encrypted
    /// at rest with the certificate (Data Protection's certificate XML encryption); the certificate, with its private
    /// key, must be the same on every instance. Has no effect when <c>IdentityGuard:Vault:UseHostDataProtection</c>
    /// is set: then configure the application's Data Protection, for example with
    /// <see cref="PersistKeysToPostgreSql"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">The Npgsql connection string (from configuration, not source code).</param>
    /// <param name="keyEncryptionCertificate">Encrypts and decrypts the stored keys; it must hold a private key.</param>
    public static IServiceCollection PersistVaultKeysToPostgreSql(this IServiceCollection services, string connectionString, X509Certificate2 keyEncryptionCertificate)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(keyEncryptionCertificate);
        if (!keyEncryptionCertificate.HasPrivateKey)
        {
            throw new ArgumentException("The key-encryption certificate must hold its private key: every instance decrypts the keys with it.", nameof(keyEncryptionCertificate));
        }

        // PostConfigure runs after every Configure, so a ConfigureDataProtection set in AddIdentityGuardVault's
        // callback is kept and the key ring location set here is not overwritten by it.
        services.AddOptions<IdentityGuardVaultOptions>().PostConfigure(options =>
        {
            var configured = options.ConfigureDataProtection;
            options.ConfigureDataProtection = builder =>
            {
                configured?.Invoke(builder);
                builder.PersistKeysToPostgreSql(connectionString).ProtectKeysWithCertificate(keyEncryptionCertificate).UnprotectKeysWithAnyCertificate(keyEncryptionCertificate);
            };
        });
        return services;
    }

    /// <summary>
    /// Keeps a Data Protection key ring in PostgreSQL (table <c>identityguard_data_protection_keys</c>, created on
    /// first use), separated from other key rings in the table by the application name. Add key encryption (for
    /// example <c>ProtectKeysWithCertificate</c>): the repository stores what it is given.
    /// </summary>
    /// <param name="builder">The Data Protection builder.</param>
    /// <param name="connectionString">The Npgsql connection string (from configuration, not source code).</param>
    public static IDataProtectionBuilder PersistKeysToPostgreSql(this IDataProtectionBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        // A service of the Data Protection container, so the container disposes its connections.
        builder.Services.AddSingleton(sp => new PostgreSqlXmlRepository(connectionString, sp.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator ?? "default"));
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
            options.XmlRepository = sp.GetRequiredService<PostgreSqlXmlRepository>()));
        return builder;
    }
}
