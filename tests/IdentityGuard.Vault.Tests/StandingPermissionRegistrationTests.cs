using System;
using System.Threading.Tasks;
using IdentityGuard.Background;
using IdentityGuard.Manifest;
using IdentityGuard.Workload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// Standing permissions as <c>AddVault</c> registers them: with the manifest registered, only its user-federation
/// providers and their declared scopes can be granted.
/// </summary>
public sealed class StandingPermissionRegistrationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task The_registered_manifest_limits_what_a_user_can_grant()
    {
        var manifest = new CredentialManifest("client-brief-agent",
        [
            new ProviderDescriptor("Crm", CredentialKind.OAuth2) { Flow = OAuthFlow.UserFederation, Scopes = [new ScopeDescriptor("NotesRead", "crm.notes.read")] },
            new ProviderDescriptor("Billing", CredentialKind.OAuth2) { Flow = OAuthFlow.M2M, Scopes = [new ScopeDescriptor("Read", "billing.read")] },
        ]);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddIdentityGuardRuntime(new ConfigurationBuilder().Build(), manifest)
            .AddVault(vault => vault.DatabasePath = _folder.File("vault.db"));
        await using var provider = services.BuildServiceProvider();
        var permissions = provider.GetRequiredService<StandingPermissions>();
        var alice = provider.GetRequiredService<WorkloadIdentity>().IssueForVerifiedUser("https://idp.example", "alice");

        var widerScope = await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.GrantAsync(alice, "Crm", ["crm.notes.read", "crm.notes.write"], TimeSpan.FromDays(1)));
        var machineProvider = await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.GrantAsync(alice, "Billing", ["billing.read"], TimeSpan.FromDays(1)));
        var undeclared = await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.GrantAsync(alice, "Mail", ["mail.read"], TimeSpan.FromDays(1)));

        Assert.Equal("undeclared_scope", widerScope.Reason);
        Assert.Equal("not_a_user_federation_provider", machineProvider.Reason);
        Assert.Equal("not_a_user_federation_provider", undeclared.Reason);
        Assert.Equal(["crm.notes.read"], (await permissions.GrantAsync(alice, "Crm", ["crm.notes.read"], TimeSpan.FromDays(1))).Scopes);
    }

    public void Dispose() => _folder.Dispose();
}
