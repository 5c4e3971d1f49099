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
    public async Task Registration_replaces_the_sqlite_store()
    {
        var services = new ServiceCollection()
            .AddPostgreSqlGrantStore(_cluster.ConnectionString)
            .AddIdentityGuardVault(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), o =>
            {
                o.Workload = "pg-agent";
                o.DatabasePath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ig-unused-" + System.Guid.NewGuid().ToString("N"), "vault.db");
            });
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<PostgreSqlGrantStore>(provider.GetRequiredService<IGrantStore>());
    }
}
