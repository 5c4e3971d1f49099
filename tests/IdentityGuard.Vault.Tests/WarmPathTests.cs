using System;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Workload;
using Microsoft.Extensions.Options;
using Xunit;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// A warm per-user token: the workload access token is decrypted once per token object, the grant once per stored
/// version, and neither shortcut outlives an expiry.
/// </summary>
public sealed class WarmPathTests : IDisposable
{
    private const string WorkloadTokenPurpose = "IdentityGuard.Workload.AccessToken.v1";
    private const string GrantPurpose = "IdentityGuard.Vault.Grant.v1";
    private static readonly string[] NotesRead = ["crm.notes.read"];

    private readonly TempFolder _folder = new();
    private readonly CountingDataProtectionProvider _dataProtection = new();
    private readonly VaultHarness _harness;

    public WarmPathTests()
    {
        _harness = new VaultHarness(
            () => new SqliteGrantStore(Options.Create(new SqliteGrantStoreOptions { DatabasePath = _folder.File("vault.db") })),
            dataProtection: _dataProtection);
    }

    public void Dispose()
    {
        _harness.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task An_issued_workload_token_is_not_decrypted_again_but_its_expiry_is_still_enforced()
    {
        var alice = _harness.Identity.IssueForVerifiedUser("https://idp.example", "alice", TimeSpan.FromMinutes(5));
        await _harness.Vault.StoreGrantAsync(alice, _harness.NewGrant("warm-access", "warm-refresh", TimeSpan.FromHours(1)));

        for (var call = 0; call < 3; call++)
        {
            Assert.Equal("warm-access", (await _harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
            _harness.Identity.Validate(alice);
        }

        Assert.Equal(0, _dataProtection.Unprotects(WorkloadTokenPurpose));

        // The same value arriving as a new object (from another component) is decrypted once, then remembered too.
        var copy = new WorkloadAccessToken(alice.RevealValue());
        _harness.Identity.Validate(copy);
        await _harness.Vault.GetAccessTokenAsync(copy, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException());
        Assert.Equal(1, _dataProtection.Unprotects(WorkloadTokenPurpose));

        _harness.Time.Advance(TimeSpan.FromMinutes(5));
        foreach (var token in new[] { alice, copy })
        {
            Assert.Equal(WorkloadAccessTokenFailure.Expired, Assert.Throws<WorkloadAccessTokenException>(() => _harness.Identity.Validate(token)).Failure);
            var refused = await Assert.ThrowsAsync<WorkloadAccessTokenException>(() => _harness.Vault.GetAccessTokenAsync(token, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException()));
            Assert.Equal(WorkloadAccessTokenFailure.Expired, refused.Failure);
        }

        Assert.Contains(_harness.Trail.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "workload_token_expired");
    }

    [Fact]
    public void A_remembered_validation_is_not_trusted_by_another_workload()
    {
        var alice = _harness.Alice();
        _harness.Identity.Validate(alice);

        var ex = Assert.Throws<WorkloadAccessTokenException>(() => _harness.NewIdentity("another-agent").Validate(alice));

        Assert.Equal(WorkloadAccessTokenFailure.Invalid, ex.Failure);
    }

    [Fact]
    public async Task A_warm_grant_is_decrypted_once_per_stored_version()
    {
        var alice = _harness.Alice();
        await _harness.Vault.StoreGrantAsync(alice, _harness.NewGrant("warm-access", "warm-refresh", TimeSpan.FromHours(1)));

        for (var call = 0; call < 5; call++)
        {
            Assert.Equal("warm-access", (await _harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
            _harness.Time.Advance(TimeSpan.FromSeconds(30)); // past the store check: the version is read again, the blob is not decrypted again
        }

        Assert.Equal(1, _dataProtection.Unprotects(GrantPurpose));
        Assert.Equal(5, _harness.Count(AuditEventKind.TokenServedFromVault));
    }

    [Fact]
    public async Task An_idle_grant_leaves_no_decrypted_tokens_in_memory()
    {
        var alice = _harness.Alice();
        var bob = _harness.Identity.IssueForVerifiedUser("https://idp.example", "bob");
        await _harness.Vault.StoreGrantAsync(alice, _harness.NewGrant("alice-access", "alice-refresh", TimeSpan.FromHours(1)));
        await _harness.Vault.StoreGrantAsync(bob, _harness.NewGrant("bob-access", "bob-refresh", TimeSpan.FromHours(1)));
        Assert.Equal("alice-access", (await _harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
        Assert.Equal(1, _dataProtection.Unprotects(GrantPurpose));

        // Alice goes quiet; Bob's next read sweeps what nobody used for the idle lifetime.
        _harness.Time.Advance(GrantMemory.IdleContentLifetime + TimeSpan.FromMinutes(1));
        await _harness.Vault.GetAccessTokenAsync(bob, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException());
        Assert.Equal(2, _dataProtection.Unprotects(GrantPurpose));

        // Alice's tokens were dropped from memory, so her next call decrypts her row again.
        Assert.Equal("alice-access", (await _harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
        Assert.Equal(3, _dataProtection.Unprotects(GrantPurpose));
    }

    [Fact]
    public async Task A_warm_token_is_never_served_inside_its_refresh_window()
    {
        // A store check interval far longer than the token lives: only the expiry check can stop the warm path.
        using var harness = new VaultHarness(
            () => new SqliteGrantStore(Options.Create(new SqliteGrantStoreOptions { DatabasePath = _folder.File("long-check.db") })),
            options: new TokenVaultOptions { StoreCheckInterval = TimeSpan.FromHours(1) });
        var alice = harness.Alice();
        await harness.Vault.StoreGrantAsync(alice, harness.NewGrant("short-lived", "rt-gen-0", TimeSpan.FromSeconds(40)));
        var server = new RotatingRefreshServer(harness, "rt-gen-0", TimeSpan.Zero);
        Assert.Equal("short-lived", (await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync)).RevealValue());
        Assert.Equal("short-lived", (await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync)).RevealValue());

        harness.Time.Advance(TimeSpan.FromSeconds(31)); // inside the last quarter

        Assert.Equal("at-gen-1", (await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync)).RevealValue());
        Assert.Equal(1, server.Calls);
        harness.Time.Advance(TimeSpan.FromHours(1));
        alice = harness.Alice(); // a later agent turn
        var expired = await Assert.ThrowsAsync<GrantUnavailableException>(() => harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => Task.FromResult(TokenRefreshResult.Failure("server_error"))));
        Assert.Equal(GrantUnavailableReason.RefreshFailed, expired.Reason);
    }
}
