using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using IdentityGuard.Manifest;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Tests.Composition;

/// <summary>
/// Vault state per app by default: two agents run by one OS user on one machine, each with its own manifest, keep
/// their grants and key rings in two folders named for their workloads, and neither can read the other's.
/// </summary>
public sealed class VaultFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "identityguard-vault-folders", Guid.NewGuid().ToString("N"));
    private readonly string? _previousHome = Environment.GetEnvironmentVariable("XDG_DATA_HOME");

    [Fact]
    public async Task Two_apps_on_one_machine_get_different_vault_folders()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the per-user data folder is redirected through XDG_DATA_HOME, which only Linux reads
        }

        // The user's local application data folder, redirected so the test does not touch the real one.
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", _root);
        try
        {
            await using var briefs = Agent("client-brief-agent");
            await using var reports = Agent("sales-report-agent");

            var briefsFolder = Path.GetDirectoryName(briefs.GetRequiredService<IOptions<SqliteGrantStoreOptions>>().Value.DatabasePath)!;
            var reportsFolder = Path.GetDirectoryName(reports.GetRequiredService<IOptions<SqliteGrantStoreOptions>>().Value.DatabasePath)!;
            var token = briefs.GetRequiredService<WorkloadIdentity>().IssueForTrustedUser("carol");
            await briefs.GetRequiredService<TokenVault>().StoreGrantAsync(token, new Grant("Crm", ["crm.notes.read"], new IdentityGuard.Tokens.AccessToken("briefs-only", "Bearer", DateTimeOffset.UtcNow.AddHours(1)), null));
            reports.GetRequiredService<TokenVault>();

            Assert.Equal(Path.Combine(_root, "IdentityGuard", "client-brief-agent"), briefsFolder);
            Assert.Equal(Path.Combine(_root, "IdentityGuard", "sales-report-agent"), reportsFolder);
            Assert.True(File.Exists(Path.Combine(briefsFolder, "vault.db")));
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(briefsFolder, "keys"), "*.xml"));
            Assert.ThrowsAny<Exception>(() => reports.GetRequiredService<WorkloadIdentity>().Validate(token));
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", _previousHome);
        }
    }

    [Fact]
    public async Task A_grant_row_copied_into_the_other_apps_database_cannot_be_read_there()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the per-user data folder is redirected through XDG_DATA_HOME, which only Linux reads
        }

        Environment.SetEnvironmentVariable("XDG_DATA_HOME", _root);
        try
        {
            await using var briefs = Agent("client-brief-agent");
            await using var reports = Agent("sales-report-agent");
            var carolAtBriefs = briefs.GetRequiredService<WorkloadIdentity>().IssueForVerifiedUser("https://idp.example", "carol");
            var carolAtReports = reports.GetRequiredService<WorkloadIdentity>().IssueForVerifiedUser("https://idp.example", "carol");
            await briefs.GetRequiredService<TokenVault>().StoreGrantAsync(carolAtBriefs, new Grant("Crm", ["crm.notes.read"], new IdentityGuard.Tokens.AccessToken("briefs-only", "Bearer", DateTimeOffset.UtcNow.AddHours(1)), new RefreshToken("briefs-only-refresh")));

            // Someone who can write to the sales-report agent's database (but holds no key) copies Carol's encrypted
            // row from the client-brief agent's database into it, under the key the sales-report agent looks up.
            var briefsKey = new GrantKey("client-brief-agent", briefs.GetRequiredService<WorkloadIdentity>().Validate(carolAtBriefs).UserKey, "Crm");
            var reportsKey = new GrantKey("sales-report-agent", reports.GetRequiredService<WorkloadIdentity>().Validate(carolAtReports).UserKey, "Crm");
            var row = await briefs.GetRequiredService<IGrantStore>().GetAsync(briefsKey);
            Assert.NotNull(row);
            Assert.NotNull(await reports.GetRequiredService<IGrantStore>().TryWriteAsync(reportsKey, row.ProtectedData, expectedVersion: 0));

            var refused = await Assert.ThrowsAsync<GrantUnavailableException>(() => reports.GetRequiredService<TokenVault>().GetGrantAsync(carolAtReports, "Crm"));
            Assert.Equal(GrantUnavailableReason.Unreadable, refused.Reason);
            Assert.Equal("briefs-only", (await briefs.GetRequiredService<TokenVault>().GetGrantAsync(carolAtBriefs, "Crm"))!.AccessToken.RevealValue());
        }
        finally
        {
            Environment.SetEnvironmentVariable("XDG_DATA_HOME", _previousHome);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static ServiceProvider Agent(string workload)
    {
        var services = new ServiceCollection();
        services.AddIdentityGuardRuntime(new ConfigurationBuilder().Build(), new CredentialManifest(workload, [])).AddVault();
        return services.BuildServiceProvider();
    }
}
