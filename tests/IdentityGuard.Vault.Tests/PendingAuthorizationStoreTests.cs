using IdentityGuard.Vault.PostgreSql;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Vault.Tests;

public sealed class SqlitePendingAuthorizationStoreTests : PendingAuthorizationStoreContractTests
{
    private readonly TempFolder _folder = new();

    protected override IPendingAuthorizationStore CreateStore() =>
        new SqliteGrantStore(Options.Create(new SqliteGrantStoreOptions { DatabasePath = _folder.File("vault.db") }));

    public override void Dispose()
    {
        base.Dispose();
        _folder.Dispose();
    }
}

[Collection(PostgreSqlClusterGroup.Name)]
public sealed class PostgreSqlPendingAuthorizationStoreTests(PostgreSqlCluster cluster) : PendingAuthorizationStoreContractTests
{
    protected override IPendingAuthorizationStore CreateStore() =>
        new PostgreSqlGrantStore(Options.Create(new PostgreSqlGrantStoreOptions { ConnectionString = cluster.ConnectionString }));
}

public sealed class SqliteStandingPermissionTests : StandingPermissionContractTests
{
    private readonly TempFolder _folder = new();

    protected override IGrantStore CreateStore() =>
        new SqliteGrantStore(Options.Create(new SqliteGrantStoreOptions { DatabasePath = _folder.File("vault.db") }));

    public override void Dispose()
    {
        base.Dispose();
        _folder.Dispose();
    }
}

[Collection(PostgreSqlClusterGroup.Name)]
public sealed class PostgreSqlStandingPermissionTests(PostgreSqlCluster cluster) : StandingPermissionContractTests
{
    protected override IGrantStore CreateStore() =>
        new PostgreSqlGrantStore(Options.Create(new PostgreSqlGrantStoreOptions { ConnectionString = cluster.ConnectionString }));
}
