using System;
using System.Security.Cryptography.X509Certificates;
using IdentityGuard.Vault;
using IdentityGuard.Vault.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection.Extensions;

#pragma warning disable IDE0130 // Next to IdentityGuardBuilder, so the methods show up where the runtime is composed.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>The PostgreSQL store and key ring, added on the <see cref="IdentityGuardBuilder"/>.</summary>
public static class IdentityGuardBuilderPostgreSqlExtensions
{
    /// <summary>
    /// Makes the token vault keep its grants, refresh leases, standing permissions and user federation's pending
    /// authorizations in PostgreSQL, replacing the embedded SQLite store whether <c>AddVault</c> is called before or
    /// after this. Every instance of the agent must also share the Data Protection keys, or one instance cannot
    /// decrypt what another stored: add <see cref="PersistVaultKeysToPostgreSql"/> (or set
    /// <c>IdentityGuard:Vault:UseHostDataProtection</c> and share the application's keys).
    /// </summary>
    /// <param name="builder">The IdentityGuard builder.</param>
    /// <param name="connectionString">The Npgsql connection string (from configuration, not source code).</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IdentityGuardBuilder AddPostgreSqlStore(this IdentityGuardBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        builder.Services.AddOptions<PostgreSqlGrantStoreOptions>().Configure(options => options.ConnectionString = connectionString);
        builder.Services.Replace(ServiceDescriptor.Singleton<IGrantStore, PostgreSqlGrantStore>());
        return builder;
    }

    /// <summary>
    /// Keeps the vault's private Data Protection key ring (which encrypts grants, pending authorizations and workload
    /// access tokens) in PostgreSQL instead of a folder, so every instance on every machine uses the same keys and
    /// needs nothing but the connection string and <paramref name="keyEncryptionCertificate"/>. Each key is encrypted
    /// at rest with the certificate (Data Protection's certificate XML encryption); the certificate, with its private
    /// key, must be the same on every instance. Has no effect when <c>IdentityGuard:Vault:UseHostDataProtection</c>
    /// is set: then configure the application's Data Protection, for example with
    /// <see cref="PostgreSqlDataProtectionBuilderExtensions.PersistKeysToPostgreSql"/>.
    /// </summary>
    /// <param name="builder">The IdentityGuard builder.</param>
    /// <param name="connectionString">The Npgsql connection string (from configuration, not source code).</param>
    /// <param name="keyEncryptionCertificate">Encrypts and decrypts the stored keys; it must hold a private key.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IdentityGuardBuilder PersistVaultKeysToPostgreSql(this IdentityGuardBuilder builder, string connectionString, X509Certificate2 keyEncryptionCertificate)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(keyEncryptionCertificate);
        if (!keyEncryptionCertificate.HasPrivateKey)
        {
            throw new ArgumentException("The key-encryption certificate must hold its private key: every instance decrypts the keys with it.", nameof(keyEncryptionCertificate));
        }

        // PostConfigure runs after every Configure, so a ConfigureDataProtection set in AddVault's callback is kept
        // and the key ring location set here is not overwritten by it.
        builder.Services.AddOptions<IdentityGuardVaultOptions>().PostConfigure(options =>
        {
            var configured = options.ConfigureDataProtection;
            options.ConfigureDataProtection = dataProtection =>
            {
                configured?.Invoke(dataProtection);
                dataProtection.PersistKeysToPostgreSql(connectionString).ProtectKeysWithCertificate(keyEncryptionCertificate).UnprotectKeysWithAnyCertificate(keyEncryptionCertificate);
            };
        });
        return builder;
    }
}
