using System;
using IdentityGuard.Vault.PostgreSql;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace, with AddDataProtection.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Keeps a Data Protection key ring in PostgreSQL.</summary>
public static class PostgreSqlDataProtectionBuilderExtensions
{
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
