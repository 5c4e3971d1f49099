using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IdentityGuard.Tokens;
using IdentityGuard.Workload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// Agents on several machines share one key ring in PostgreSQL: a second instance needs only the connection string
/// and the key-encryption certificate to read what the first stored.
/// </summary>
[Collection(PostgreSqlClusterGroup.Name)]
public sealed class PostgreSqlKeyRingTests(PostgreSqlCluster cluster) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Two_separately_built_instances_on_one_database_read_each_others_grants_and_workload_tokens()
    {
        var database = await cluster.CreateDatabaseAsync();
        using var certificate = KeyEncryptionCertificate();
        await using var first = Instance(database, certificate, "first");
        await using var second = Instance(database, certificate, "second");

        var firstsToken = first.GetRequiredService<WorkloadIdentity>().IssueForVerifiedUser("https://idp.example", "alice");
        await first.GetRequiredService<TokenVault>().StoreGrantAsync(firstsToken, Grant("from-first"));
        var secondsToken = second.GetRequiredService<WorkloadIdentity>().IssueForVerifiedUser("https://idp.example", "bob");
        await second.GetRequiredService<TokenVault>().StoreGrantAsync(secondsToken, Grant("from-second"));

        Assert.Equal("from-first", (await second.GetRequiredService<TokenVault>().GetGrantAsync(firstsToken, "Crm"))!.AccessToken.RevealValue());
        Assert.Equal("from-second", (await first.GetRequiredService<TokenVault>().GetGrantAsync(secondsToken, "Crm"))!.AccessToken.RevealValue());
        Assert.Equal(
            first.GetRequiredService<WorkloadIdentity>().Validate(firstsToken).UserKey,
            second.GetRequiredService<WorkloadIdentity>().Validate(firstsToken).UserKey);
    }

    [Fact]
    public async Task The_stored_keys_are_encrypted_with_the_certificate()
    {
        var database = await cluster.CreateDatabaseAsync();
        using var certificate = KeyEncryptionCertificate();
        await using (var instance = Instance(database, certificate, "only"))
        {
            instance.GetRequiredService<WorkloadIdentity>().IssueForVerifiedUser("https://idp.example", "alice");
        }

        var keys = new List<string>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM identityguard_data_protection_keys", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            keys.Add(reader.GetString(0));
        }

        var key = Assert.Single(keys);
        Assert.Contains("EncryptedData", key, StringComparison.Ordinal);
        Assert.DoesNotContain("<value>", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_without_the_certificate_cannot_read_the_grants()
    {
        var database = await cluster.CreateDatabaseAsync();
        using var certificate = KeyEncryptionCertificate();
        using var stranger = KeyEncryptionCertificate();
        await using var first = Instance(database, certificate, "first");
        await using var other = Instance(database, stranger, "other");
        var token = first.GetRequiredService<WorkloadIdentity>().IssueForVerifiedUser("https://idp.example", "alice");
        await first.GetRequiredService<TokenVault>().StoreGrantAsync(token, Grant("secret-grant"));

        Assert.ThrowsAny<Exception>(() => other.GetRequiredService<WorkloadIdentity>().Validate(token));
    }

    private ServiceProvider Instance(string connectionString, X509Certificate2 certificate, string name)
    {
        // Each instance has its own (unused) folder, as on its own machine: everything shared is in the database.
        var services = new ServiceCollection();
        services.AddRuntimeFor("keyring-agent")
            .AddPostgreSqlStore(connectionString)
            .PersistVaultKeysToPostgreSql(connectionString, certificate)
            .AddVault(options => options.DatabasePath = Path.Combine(_folder.Path, name, "vault.db"));
        return services.BuildServiceProvider();
    }

    private static Grant Grant(string accessToken) =>
        new("Crm", ["crm.notes.read"], new AccessToken(accessToken, "Bearer", DateTimeOffset.UtcNow.AddHours(1), null), new RefreshToken("rt-" + accessToken));

    private static X509Certificate2 KeyEncryptionCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=IdentityGuard key encryption (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));

        // Through PKCS#12, as an operator would load it, so the private key is usable by EncryptedXml on every platform.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12, "test"), "test", X509KeyStorageFlags.Exportable);
    }
}
