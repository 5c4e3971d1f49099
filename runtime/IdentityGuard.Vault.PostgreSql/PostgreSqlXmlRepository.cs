using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;
using NpgsqlTypes;

namespace IdentityGuard.Vault.PostgreSql;

/// <summary>
/// A Data Protection key ring in a PostgreSQL table (<c>identityguard_data_protection_keys</c>), so every instance of
/// an agent that shares the database decrypts what any other instance encrypted. Data Protection encrypts each key
/// element (with the configured <c>IXmlEncryptor</c>) before it reaches this repository; the repository stores and
/// returns the XML as it is given.
/// </summary>
public sealed class PostgreSqlXmlRepository : IXmlRepository, IDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS identityguard_data_protection_keys (
            application text NOT NULL,
            friendly_name text NOT NULL,
            xml text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (application, friendly_name)
        )
        """;

    // Same lock as the grant store's schema creation: concurrent CREATE TABLE IF NOT EXISTS can collide in the catalog.
    private const long SchemaLockId = 0x4944_4755_4152_4431;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _application;
    private readonly object _initialization = new();
    private bool _initialized;

    /// <summary>Creates the repository.</summary>
    /// <param name="connectionString">The Npgsql connection string (from configuration, not source code).</param>
    /// <param name="application">
    /// Separates key rings that share one table; every instance of one agent must use the same value.
    /// </param>
    public PostgreSqlXmlRepository(string connectionString, string application)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(application);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _application = application;
    }

    /// <inheritdoc />
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        // Data Protection's key ring API is synchronous.
        EnsureSchema();
        using var command = _dataSource.CreateCommand("SELECT xml FROM identityguard_data_protection_keys WHERE application = $1 ORDER BY created_at, friendly_name");
        command.Parameters.Add(new NpgsqlParameter { Value = _application, NpgsqlDbType = NpgsqlDbType.Text });
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return new ReadOnlyCollection<XElement>(elements);
    }

    /// <inheritdoc />
    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        EnsureSchema();

        // Data Protection names each key element after its id, so names never legitimately repeat; a repeat is kept
        // as first written rather than replacing a key that other instances may already use.
        using var command = _dataSource.CreateCommand(
            "INSERT INTO identityguard_data_protection_keys (application, friendly_name, xml) VALUES ($1, $2, $3) ON CONFLICT (application, friendly_name) DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter { Value = _application, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = string.IsNullOrEmpty(friendlyName) ? "key-" + Guid.NewGuid().ToString("N") : friendlyName, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting), NpgsqlDbType = NpgsqlDbType.Text });
        command.ExecuteNonQuery();
    }

    /// <summary>Closes the repository's connections.</summary>
    public void Dispose() => _dataSource.Dispose();

    private void EnsureSchema()
    {
        lock (_initialization)
        {
            if (_initialized)
            {
                return;
            }

            using var connection = _dataSource.OpenConnection();
            using var transaction = connection.BeginTransaction();
            using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1)", connection, transaction))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = SchemaLockId, NpgsqlDbType = NpgsqlDbType.Bigint });
                command.ExecuteNonQuery();
            }

            using (var command = new NpgsqlCommand(Schema, connection, transaction))
            {
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            _initialized = true;
        }
    }
}
