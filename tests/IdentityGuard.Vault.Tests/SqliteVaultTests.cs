using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Vault.Tests;

public sealed class SqliteVaultTests : VaultContractTests
{
    private readonly TempFolder _folder = new();

    private string DatabasePath => _folder.File("vault.db");

    protected override IGrantStore CreateStore() =>
        new SqliteGrantStore(Options.Create(new SqliteGrantStoreOptions { DatabasePath = DatabasePath }));

    protected override async Task OverwriteRowAsync(GrantKey key, byte[] protectedData, long version)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO ig_grants (workload, user_key, provider, data, version, updated_at) VALUES ($w, $u, $p, $data, $version, 0)
            ON CONFLICT (workload, user_key, provider) DO UPDATE SET data = excluded.data, version = excluded.version;
            """;
        command.Parameters.AddWithValue("$w", key.Workload);
        command.Parameters.AddWithValue("$u", key.UserKey);
        command.Parameters.AddWithValue("$p", key.Provider);
        command.Parameters.AddWithValue("$data", protectedData);
        command.Parameters.AddWithValue("$version", version);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    public override void Dispose()
    {
        base.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_vault_folder_database_and_write_ahead_log_are_private_to_the_owner()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // ACLs, not mode bits; the folder inherits the user profile's.
        }

        var folder = Path.Combine(_folder.Path, "app", "vault");
        var database = Path.Combine(folder, "vault.db");
        using (var store = new SqliteGrantStore(Options.Create(new SqliteGrantStoreOptions { DatabasePath = database })))
        {
            Assert.Equal(1, await store.TryWriteAsync(new GrantKey("agent", "user", "Crm"), [1, 2, 3], expectedVersion: null));

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(database + "-wal"));
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_key_ring_folder_other_users_can_read_is_refused_and_an_old_world_readable_database_is_tightened()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var keys = Path.Combine(_folder.Path, "readable-keys");
        Directory.CreateDirectory(keys);
        File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var services = new ServiceCollection().AddLogging();
        services.AddRuntimeFor("agent").AddVault(vault =>
        {
            vault.DatabasePath = DatabasePath;
            vault.KeysDirectory = keys;
        });
        using (var provider = services.BuildServiceProvider())
        {
            var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<TokenVault>());
            Assert.Contains("read by other users", error.Message, StringComparison.Ordinal);
        }

        var old = _folder.File("old.db");
        File.WriteAllBytes(old, []);
        File.SetUnixFileMode(old, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var store = new SqliteGrantStore(Options.Create(new SqliteGrantStoreOptions { DatabasePath = old }));
        Assert.Null(await store.GetAsync(new GrantKey("agent", "user", "Crm")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(old));
    }

    [Theory]
    [InlineData("keys")]
    [InlineData("database")]
    public void A_vault_folder_other_users_can_write_to_is_refused(string which)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var shared = Path.Combine(_folder.Path, "shared-" + which);
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
        var services = new ServiceCollection().AddLogging();
        services.AddRuntimeFor("agent").AddVault(vault =>
        {
            vault.DatabasePath = which == "database" ? Path.Combine(shared, "vault.db") : DatabasePath;
            vault.KeysDirectory = which == "keys" ? shared : _folder.File("keys");
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<TokenVault>());

        var message = error is IdentityGuard.Vault.GrantStoreUnavailableException ? error.InnerException!.Message : error.Message;
        Assert.Contains(shared, message, StringComparison.Ordinal);
        Assert.Contains("chmod 700", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_check_interval_of_zero_can_be_configured()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["IdentityGuard:Vault:StoreCheckInterval"] = "00:00:00" })
            .Build();
        var services = new ServiceCollection().AddLogging();
        services.AddRuntimeFor("agent", configuration).AddVault();
        using var provider = services.BuildServiceProvider();

        Assert.Equal(TimeSpan.Zero, provider.GetRequiredService<IOptions<TokenVaultOptions>>().Value.StoreCheckInterval);
    }

    [Fact]
    public void By_default_each_workload_has_its_own_vault_folder()
    {
        string PathFor(string workload)
        {
            var services = new ServiceCollection().AddLogging();
            services.AddRuntimeFor(workload).AddVault();
            using var provider = services.BuildServiceProvider();
            return provider.GetRequiredService<IOptions<SqliteGrantStoreOptions>>().Value.DatabasePath!;
        }

        var briefs = PathFor("client-brief-agent");
        var reports = PathFor("sales/report agent");

        Assert.EndsWith(Path.Combine("IdentityGuard", "client-brief-agent", "vault.db"), briefs, StringComparison.Ordinal);
        Assert.EndsWith(Path.Combine("IdentityGuard", "sales_report_agent", "vault.db"), reports, StringComparison.Ordinal);
        Assert.NotEqual(Path.GetDirectoryName(briefs), Path.GetDirectoryName(reports));
    }

    [Fact]
    public async Task Database_file_and_its_write_ahead_log_hold_no_token_in_plain_text()
    {
        const string access = "plain-access-token-4f1d2c9e8b7a";
        const string refresh = "plain-refresh-token-0a9b8c7d6e5f";
        const string rotated = "rotated-refresh-token-13579bdf";
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant(access, refresh, TimeSpan.FromSeconds(20)));
        Harness.Time.Advance(TimeSpan.FromSeconds(16)); // into the refresh window, so the rotated token is written too
        await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, ["crm.notes.read"],
            (_, _) => Task.FromResult(TokenRefreshResult.Success(Harness.Token(access + "-2", TimeSpan.FromHours(1)), new RefreshToken(rotated))));

        // Read while the vault still holds the database open, so the write-ahead log has not been checkpointed away.
        var files = new List<byte[]>();
        foreach (var path in new[] { DatabasePath, DatabasePath + "-wal" })
        {
            Assert.True(File.Exists(path), $"{Path.GetFileName(path)} should exist in WAL mode");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            files.Add(copy.ToArray());
        }

        Assert.True(files[1].Length > 0, "the write-ahead log should hold the recent writes");
        foreach (var bytes in files)
        {
            foreach (var secret in new[] { access, refresh, rotated, "plain-access-token", "refresh-token" })
            {
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)));
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)));
            }
        }

        // The key columns are there in the clear (they are not secret), which shows the search itself works.
        Assert.True(files[0].AsSpan().IndexOf(Encoding.UTF8.GetBytes(Harness.Workload)) >= 0 || files[1].AsSpan().IndexOf(Encoding.UTF8.GetBytes(Harness.Workload)) >= 0);
    }

    [Fact]
    public async Task A_grant_blob_without_a_sealed_version_is_refused()
    {
        // The payload shape of grants stored before the version was sealed into the blob.
        var alice = Harness.Alice();
        var key = new GrantKey(Harness.Workload, Harness.Identity.Validate(alice).UserKey, VaultHarness.Provider);
        var expires = Harness.Time.GetUtcNow().AddHours(1).ToUnixTimeMilliseconds();
        var unsealed = Harness.DataProtection.CreateProtector("IdentityGuard.Vault.Grant.v1", key.Workload, key.UserKey, key.Provider)
            .Protect(Encoding.UTF8.GetBytes($$"""{"p":"Crm","s":["crm.notes.read"],"at":"unsealed-access","tt":"Bearer","exp":{{expires}},"rt":"unsealed-refresh"}"""));
        var store = CreateStore();
        try
        {
            Assert.Equal(1, await store.TryWriteAsync(key, unsealed, expectedVersion: 0));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }

        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, ["crm.notes.read"], (_, _) => throw new InvalidOperationException()));

        Assert.Equal(GrantUnavailableReason.Unreadable, ex.Reason);
        Assert.True(ex.ConsentRequired);
    }

    [Fact]
    public async Task Registered_vault_persists_grants_and_keys_across_runs()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Workload"] = "di-agent",
            ["IdentityGuard:Vault:DatabasePath"] = _folder.File("data/vault.db"),
        }).Build();
        var userKey = WorkloadIdentity.DeriveUserKey("https://idp.example", "carol");

        await using (var first = Vault(configuration))
        {
            var identity = first.GetRequiredService<WorkloadIdentity>();
            var vault = first.GetRequiredService<TokenVault>();
            var grant = new Grant("Crm", ["crm.notes.read"], new IdentityGuard.Tokens.AccessToken("persisted-access", "Bearer", DateTimeOffset.UtcNow.AddHours(1)), new RefreshToken("persisted-refresh"));
            await vault.StoreGrantAsync(identity.IssueForTrustedUser(userKey), grant);
        }

        Assert.True(Directory.Exists(_folder.File("data/keys")));
        Assert.NotEmpty(Directory.GetFiles(_folder.File("data/keys"), "*.xml"));

        await using var second = Vault(configuration);
        var read = await second.GetRequiredService<TokenVault>().GetGrantAsync(second.GetRequiredService<WorkloadIdentity>().IssueForTrustedUser(userKey), "Crm");
        Assert.Equal("persisted-access", read!.AccessToken.RevealValue());
        Assert.Equal("persisted-refresh", read.RefreshToken!.RevealValue());
    }

    [Fact]
    public async Task Registration_without_a_workload_name_fails_clearly()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Vault:DatabasePath"] = _folder.File("vault.db"),
        }).Build();
        await using var services = Vault(configuration);

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<TokenVault>());
        Assert.Contains("IdentityGuard:Workload", ex.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Vault(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddIdentityGuardRuntime(configuration).AddVault();
        return services.BuildServiceProvider();
    }
}
