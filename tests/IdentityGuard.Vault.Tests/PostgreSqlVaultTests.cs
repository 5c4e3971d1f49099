using System.Threading.Tasks;
using IdentityGuard.Vault.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Xunit;

namespace IdentityGuard.Vault.Tests;

[Collection(PostgreSqlClusterGroup.Name)]
public sealed class PostgreSqlVaultTests : VaultContractTests
{
    private readonly PostgreSqlCluster _cluster;

    public PostgreSqlVaultTests(PostgreSqlCluster cluster)
    {
        _cluster = cluster;
    }

    protected override IGrantStore CreateStore() =>
        new PostgreSqlGrantStore(Options.Create(new PostgreSqlGrantStoreOptions { ConnectionString = _cluster.ConnectionString }));

    protected override async Task OverwriteRowAsync(GrantKey key, byte[] protectedData, long version)
    {
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO identityguard_grants (workload, user_key, provider, data, version) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (workload, user_key, provider) DO UPDATE SET data = excluded.data, version = excluded.version
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = key.Workload });
        command.Parameters.Add(new NpgsqlParameter { Value = key.UserKey });
        command.Parameters.Add(new NpgsqlParameter { Value = key.Provider });
        command.Parameters.Add(new NpgsqlParameter { Value = protectedData });
        command.Parameters.Add(new NpgsqlParameter { Value = version });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task Stored_rows_hold_no_token_in_plain_text()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("pg-plain-access-7e3a", "pg-plain-refresh-9c1b", System.TimeSpan.FromHours(1)));

        await using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM identityguard_grants WHERE workload = $1 AND position(convert_to('pg-plain', 'UTF8') in data) > 0", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Harness.Workload });
        await using var total = new NpgsqlCommand("SELECT count(*) FROM identityguard_grants WHERE workload = $1", connection);
        total.Parameters.Add(new NpgsqlParameter { Value = Harness.Workload });

        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        Assert.Equal(1L, (long)(await total.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Pooled_connections_killed_by_a_server_restart_are_replaced_without_failing_the_caller()
    {
        var application = "ig-restart-" + System.Guid.NewGuid().ToString("N")[..8];
        using var harness = new VaultHarness(() => new PostgreSqlGrantStore(Options.Create(new PostgreSqlGrantStoreOptions
        {
            ConnectionString = _cluster.ConnectionString + ";Application Name=" + application,
        })), options: new TokenVaultOptions { StoreCheckInterval = System.TimeSpan.Zero }); // every call reads the store
        var alice = harness.Alice();
        await harness.Vault.StoreGrantAsync(alice, harness.NewGrant("valid", "rt", System.TimeSpan.FromHours(1)));
        Assert.Equal("valid", (await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, ["crm.notes.read"], (_, _) => throw new System.InvalidOperationException())).RevealValue());

        // A restart or failover ends every server process behind the pool's idle connections (SQLSTATE 57P01).
        await using (var admin = new NpgsqlConnection(_cluster.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", admin);
            kill.Parameters.Add(new NpgsqlParameter { Value = application });
            Assert.True((long)(await kill.ExecuteScalarAsync())! > 0);
        }

        var token = await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, ["crm.notes.read"], (_, _) => throw new System.InvalidOperationException());

        Assert.Equal("valid", token.RevealValue());
    }

    [Fact]
    public async Task Registration_replaces_the_sqlite_store()
    {
        var services = new ServiceCollection();
        services.AddRuntimeFor("pg-agent")
            .AddPostgreSqlStore(_cluster.ConnectionString)
            .AddVault(o => o.DatabasePath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ig-unused-" + System.Guid.NewGuid().ToString("N"), "vault.db"));
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<PostgreSqlGrantStore>(provider.GetRequiredService<IGrantStore>());
    }
}
