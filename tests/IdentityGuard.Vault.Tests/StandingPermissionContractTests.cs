using System;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Background;
using IdentityGuard.Manifest;
using IdentityGuard.Workload;
using Xunit;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// Standing permissions (pre-approved consent for background jobs) over each grant store: granted only by a signed-in
/// user, used only within provider, scopes and expiry, re-checked on every use so revocation stops the next call,
/// and bound to their user by encryption.
/// </summary>
public abstract class StandingPermissionContractTests : IDisposable
{
    private const string Scope = "crm.notes.read";
    private readonly Lazy<VaultHarness> _harness;
    private readonly System.Collections.Generic.List<IGrantStore> _stores = [];

    protected StandingPermissionContractTests() => _harness = new Lazy<VaultHarness>(() => new VaultHarness(CreateStore));

    private VaultHarness Harness => _harness.Value;

    protected abstract IGrantStore CreateStore();

    public virtual void Dispose()
    {
        if (_harness.IsValueCreated)
        {
            _harness.Value.Dispose();
        }

        foreach (var store in _stores)
        {
            }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task A_job_acts_within_the_permission_and_every_use_is_audited()
    {
        var permissions = Permissions();
        var alice = Harness.Alice();
        var granted = await permissions.GrantAsync(alice, VaultHarness.Provider, [Scope], TimeSpan.FromDays(7));

        var job = await permissions.IssueForBackgroundJobAsync(granted.UserKey, VaultHarness.Provider);
        var principal = Harness.Identity.Validate(job);
        await permissions.EnsureAllowsAsync(principal, VaultHarness.Provider, [Scope], default);
        await permissions.EnsureAllowsAsync(principal, VaultHarness.Provider, [Scope], default);

        Assert.Equal(Harness.Identity.Validate(alice).UserKey, principal.UserKey);
        Assert.Equal(VaultHarness.Provider, principal.StandingPermissionProvider);
        Assert.Equal(1, Harness.Count(AuditEventKind.StandingPermissionGranted));
        Assert.Equal(2, Harness.Count(AuditEventKind.StandingPermissionUsed));
    }

    [Fact]
    public async Task Without_a_permission_no_background_token_is_issued()
    {
        var permissions = Permissions();
        var userKey = Harness.Identity.Validate(Harness.Alice()).UserKey;

        var refused = await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.IssueForBackgroundJobAsync(userKey, VaultHarness.Provider));

        Assert.Equal("no_standing_permission", refused.Reason);
        Assert.Contains(Harness.Trail.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "no_standing_permission");
    }

    [Fact]
    public async Task Revoking_stops_the_next_call_of_a_running_job()
    {
        var permissions = Permissions();
        var granted = await permissions.GrantAsync(Harness.Alice(), VaultHarness.Provider, [Scope], TimeSpan.FromDays(7));
        var running = Harness.Identity.Validate(await permissions.IssueForBackgroundJobAsync(granted.UserKey, VaultHarness.Provider));
        await permissions.EnsureAllowsAsync(running, VaultHarness.Provider, [Scope], default);

        Assert.True(await Permissions().RevokeAsync(granted.UserKey, VaultHarness.Provider));
        var refused = await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.EnsureAllowsAsync(running, VaultHarness.Provider, [Scope], default));

        Assert.Equal("no_standing_permission", refused.Reason);
        Assert.Equal(1, Harness.Count(AuditEventKind.StandingPermissionRevoked));
        await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.IssueForBackgroundJobAsync(granted.UserKey, VaultHarness.Provider));
    }

    [Fact]
    public async Task Expiry_ends_the_permission_and_no_job_token_outlives_it()
    {
        var permissions = Permissions();
        var granted = await permissions.GrantAsync(Harness.Alice(), VaultHarness.Provider, [Scope], TimeSpan.FromHours(1));
        var job = Harness.Identity.Validate(await permissions.IssueForBackgroundJobAsync(granted.UserKey, VaultHarness.Provider, TimeSpan.FromHours(6)));
        Assert.Equal(granted.ExpiresAt, job.ExpiresAt);

        Harness.Time.Advance(TimeSpan.FromHours(1));

        Assert.Null(await permissions.FindAsync(granted.UserKey, VaultHarness.Provider));
        await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.IssueForBackgroundJobAsync(granted.UserKey, VaultHarness.Provider));
        await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.EnsureAllowsAsync(job, VaultHarness.Provider, [Scope], default));
    }

    [Fact]
    public async Task A_job_cannot_reach_beyond_the_scopes_or_the_provider_it_was_given()
    {
        var permissions = Permissions();
        var granted = await permissions.GrantAsync(Harness.Alice(), VaultHarness.Provider, [Scope], TimeSpan.FromDays(1));
        var job = Harness.Identity.Validate(await permissions.IssueForBackgroundJobAsync(granted.UserKey, VaultHarness.Provider));

        var widerScope = await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.EnsureAllowsAsync(job, VaultHarness.Provider, [Scope, "crm.notes.write"], default));
        var otherProvider = await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.EnsureAllowsAsync(job, "Mail", [Scope], default));

        Assert.Equal("scope_outside_standing_permission", widerScope.Reason);
        Assert.Equal("provider_outside_standing_permission", otherProvider.Reason);
    }

    [Fact]
    public async Task The_vault_opens_no_other_providers_grant_with_a_job_token()
    {
        var permissions = Permissions();
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, new Grant("Mail", ["mail.read"], Harness.Token("mail-token", TimeSpan.FromHours(1)), new RefreshToken("mail-refresh")));
        var granted = await permissions.GrantAsync(alice, VaultHarness.Provider, [Scope], TimeSpan.FromDays(1));
        var job = await permissions.IssueForBackgroundJobAsync(granted.UserKey, VaultHarness.Provider);

        await Assert.ThrowsAsync<WorkloadAccessTokenException>(() => Harness.Vault.GetGrantAsync(job, "Mail"));
        await Assert.ThrowsAsync<WorkloadAccessTokenException>(() => Harness.Vault.StoreGrantAsync(job, new Grant("Mail", ["mail.read"], Harness.Token("forged", TimeSpan.FromHours(1)), null)));
        Assert.NotNull(await Harness.Vault.GetGrantAsync(alice, "Mail"));
        Assert.Contains(Harness.Trail.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "provider_outside_standing_permission");
    }

    [Fact]
    public async Task Only_a_signed_in_user_can_grant()
    {
        var permissions = Permissions();
        var granted = await permissions.GrantAsync(Harness.Alice(), VaultHarness.Provider, [Scope], TimeSpan.FromDays(1));
        var job = await permissions.IssueForBackgroundJobAsync(granted.UserKey, VaultHarness.Provider);
        var vouchedFor = Harness.Identity.IssueForTrustedUser(granted.UserKey);

        var byJob = await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.GrantAsync(job, VaultHarness.Provider, [Scope], TimeSpan.FromDays(90)));
        var byApplication = await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.GrantAsync(vouchedFor, VaultHarness.Provider, [Scope], TimeSpan.FromDays(90)));

        Assert.Equal("grant_requires_signed_in_user", byJob.Reason);
        Assert.Equal("grant_requires_signed_in_user", byApplication.Reason);
        Assert.Equal(granted.ExpiresAt, (await permissions.FindAsync(granted.UserKey, VaultHarness.Provider))!.ExpiresAt);
    }

    [Fact]
    public async Task A_permission_copied_to_another_user_is_worthless()
    {
        var permissions = Permissions();
        var alice = await permissions.GrantAsync(Harness.Alice(), VaultHarness.Provider, [Scope], TimeSpan.FromDays(1));
        var bobKey = Harness.Identity.Validate(Harness.Bob()).UserKey;
        var store = (IStandingPermissionStore)Store();
        var stolen = await store.GetPermissionAsync(new GrantKey(Harness.Workload, alice.UserKey, VaultHarness.Provider), Harness.Time.GetUtcNow());
        Assert.NotNull(stolen);

        await store.SavePermissionAsync(new GrantKey(Harness.Workload, bobKey, VaultHarness.Provider), stolen, alice.ExpiresAt);

        Assert.Null(await permissions.FindAsync(bobKey, VaultHarness.Provider));
        await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.IssueForBackgroundJobAsync(bobKey, VaultHarness.Provider));
        Assert.Contains(Harness.Trail.Events, e => e.Reason == "standing_permission_unreadable" && e.User == bobKey);
    }

    [Fact]
    public async Task The_store_sees_neither_scopes_nor_expiry_in_its_data()
    {
        var permissions = Permissions();
        var granted = await permissions.GrantAsync(Harness.Alice(), VaultHarness.Provider, [Scope], TimeSpan.FromDays(1));
        var store = (IStandingPermissionStore)Store();

        var data = await store.GetPermissionAsync(new GrantKey(Harness.Workload, granted.UserKey, VaultHarness.Provider), Harness.Time.GetUtcNow());

        Assert.NotNull(data);
        Assert.DoesNotContain(Scope, System.Text.Encoding.UTF8.GetString(data), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permission_is_never_granted_for_longer_than_90_days()
    {
        var permissions = Permissions();
        var alice = Harness.Alice();
        var userKey = Harness.Identity.Validate(alice).UserKey;

        // One tick past the cap, and far past it: refused, and nothing is stored.
        foreach (var tooLong in new[] { StandingPermissions.MaxLifetime + TimeSpan.FromTicks(1), TimeSpan.FromDays(3650) })
        {
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => permissions.GrantAsync(alice, VaultHarness.Provider, [Scope], tooLong));
            Assert.Null(await permissions.FindAsync(userKey, VaultHarness.Provider));
        }

        // Exactly the cap is allowed, and the permission then ends after 90 days.
        var granted = await permissions.GrantAsync(alice, VaultHarness.Provider, [Scope], StandingPermissions.MaxLifetime);
        Assert.Equal(TimeSpan.FromDays(90), StandingPermissions.MaxLifetime);
        Assert.Equal(Harness.Time.GetUtcNow() + TimeSpan.FromDays(90), granted.ExpiresAt);
        Harness.Time.Advance(TimeSpan.FromDays(90));
        Assert.Null(await permissions.FindAsync(userKey, VaultHarness.Provider));
        Assert.Equal(1, Harness.Count(AuditEventKind.StandingPermissionGranted));
    }

    [Fact]
    public async Task With_the_manifest_only_a_declared_user_federation_provider_and_its_scopes_can_be_granted()
    {
        var manifest = new CredentialManifest(Harness.Workload,
        [
            new ProviderDescriptor(VaultHarness.Provider, CredentialKind.OAuth2) { Flow = OAuthFlow.UserFederation, Scopes = [new ScopeDescriptor("NotesRead", Scope)] },
            new ProviderDescriptor("Billing", CredentialKind.OAuth2) { Flow = OAuthFlow.M2M, Scopes = [new ScopeDescriptor("Read", "billing.read")] },
            new ProviderDescriptor("Finance", CredentialKind.OAuth2) { Flow = OAuthFlow.OnBehalfOf, Scopes = [new ScopeDescriptor("Read", "finance.read")] },
            new ProviderDescriptor("Weather", CredentialKind.ApiKey),
        ]);
        var permissions = Permissions(manifest);
        var alice = Harness.Alice();
        var userKey = Harness.Identity.Validate(alice).UserKey;

        var attempts = new (string Provider, string[] Scopes, string Reason)[]
        {
            (VaultHarness.Provider, [Scope, "crm.notes.write"], "undeclared_scope"),     // more scopes than declared
            (VaultHarness.Provider, ["crm.admin"], "undeclared_scope"),
            ("Mail", ["mail.read"], "not_a_user_federation_provider"),                  // a provider the agent does not declare
            ("Billing", ["billing.read"], "not_a_user_federation_provider"),            // the agent's own client credentials
            ("Finance", ["finance.read"], "not_a_user_federation_provider"),            // needs the user's live token
            ("Weather", ["weather.read"], "not_a_user_federation_provider"),
        };
        foreach (var (provider, scopes, reason) in attempts)
        {
            var refused = await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.GrantAsync(alice, provider, scopes, TimeSpan.FromDays(1)));
            Assert.Equal(reason, refused.Reason);
            Assert.Null(await permissions.FindAsync(userKey, provider));
            Assert.Contains(Harness.Trail.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == reason && e.Provider == provider);
        }

        Assert.Equal(0, Harness.Count(AuditEventKind.StandingPermissionGranted));
        var granted = await permissions.GrantAsync(alice, VaultHarness.Provider, [Scope], TimeSpan.FromDays(1));
        Assert.Equal([Scope], granted.Scopes);
    }

    private IGrantStore Store()
    {
        var store = CreateStore();
        _stores.Add(store);
        return store;
    }

    private StandingPermissions Permissions(CredentialManifest? manifest = null)
    {
        var store = CreateStore();
        _stores.Add(store);
        return new StandingPermissions(Harness.Identity, (IStandingPermissionStore)store, Harness.DataProtection, Harness.Audit, Harness.Time, manifest);
    }
}
