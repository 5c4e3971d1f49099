using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using Xunit;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// The token vault's behaviour, run once per store (SQLite and PostgreSQL), always against the real engine.
/// </summary>
public abstract class VaultContractTests : IDisposable
{
    private static readonly string[] NotesRead = ["crm.notes.read"];
    private VaultHarness? _harness;

    protected VaultHarness Harness => _harness ??= new VaultHarness(CreateStore);

    protected abstract IGrantStore CreateStore();

    /// <summary>
    /// Writes a row the way someone with write access to the database (but not the Data Protection keys) can:
    /// any blob, any version, whether or not a row is there.
    /// </summary>
    protected abstract Task OverwriteRowAsync(GrantKey key, byte[] protectedData, long version);

    public virtual void Dispose()
    {
        _harness?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Copies the encrypted row of <paramref name="from"/> to <paramref name="to"/>, as someone with write access to the store can.</summary>
    private async Task CopyRowAsync(GrantKey from, GrantKey to)
    {
        var store = CreateStore();
        try
        {
            var row = await store.GetAsync(from);
            Assert.NotNull(row);
            Assert.NotNull(await store.TryWriteAsync(to, row.ProtectedData, expectedVersion: 0));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task Grant_round_trips_through_the_store()
    {
        var alice = Harness.Alice();
        var grant = Harness.NewGrant("round-trip-access", "round-trip-refresh", TimeSpan.FromHours(1), "crm.notes.read", "crm.briefs.write");

        var stored = await Harness.Vault.StoreGrantAsync(alice, grant);
        var read = await Harness.NewVault().GetGrantAsync(alice, VaultHarness.Provider);

        Assert.Equal(1, stored.Version);
        Assert.NotNull(read);
        Assert.Equal(1, read.Version);
        Assert.Equal("round-trip-access", read.AccessToken.RevealValue());
        Assert.Equal("round-trip-refresh", read.RefreshToken!.RevealValue());
        Assert.Equal(grant.ExpiresAt, read.ExpiresAt);
        Assert.Equal(["crm.briefs.write", "crm.notes.read"], read.Scopes);
        Assert.True(read.Covers(NotesRead));
        Assert.Equal(["crm.notes.write"], read.MissingScopes(["crm.notes.read", "crm.notes.write"]));
        Assert.Equal(2, (await Harness.Vault.StoreGrantAsync(alice, grant)).Version);
        Assert.Equal(2, Harness.Count(AuditEventKind.ConsentGranted));
    }

    [Fact]
    public async Task Valid_token_is_served_without_refreshing()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("cached-access", "cached-refresh", TimeSpan.FromHours(1)));

        var token = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException("must not refresh"));

        Assert.Equal("cached-access", token.RevealValue());
        Assert.Equal(1, Harness.Count(AuditEventKind.TokenServedFromVault));
    }

    [Fact]
    public async Task Missing_scopes_are_reported_for_incremental_consent()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("a", "r", TimeSpan.FromHours(1)));

        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() =>
            Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, ["crm.notes.read", "crm.briefs.write"], (_, _) => throw new InvalidOperationException()));

        Assert.Equal(GrantUnavailableReason.MissingScopes, ex.Reason);
        Assert.True(ex.ConsentRequired);
        Assert.Equal(["crm.briefs.write"], ex.MissingScopes);
    }

    [Fact]
    public async Task Due_token_is_refreshed_and_a_rotated_refresh_token_replaces_the_old_one()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("old-access", "rt-gen-0", TimeSpan.FromSeconds(30)));
        Harness.Time.Advance(TimeSpan.FromSeconds(25)); // into the refresh window (the last quarter of its life)
        var server = new RotatingRefreshServer(Harness, "rt-gen-0", TimeSpan.Zero);

        var first = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);
        Harness.Time.Advance(TimeSpan.FromMinutes(59.5));
        alice = Harness.Alice(); // a later agent turn, with its own short-lived workload access token
        var second = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);

        Assert.Equal("at-gen-1", first.RevealValue());
        Assert.Equal("at-gen-2", second.RevealValue());
        Assert.Equal(2, server.Calls);
        Assert.Equal(0, server.ReuseDetected);
        var stored = await Harness.Vault.GetGrantAsync(alice, VaultHarness.Provider);
        Assert.Equal("rt-gen-2", stored!.RefreshToken!.RevealValue());
        Assert.Equal(3, stored.Version);
        Assert.Equal(2, Harness.Count(AuditEventKind.TokenRefreshed));
    }

    [Fact]
    public async Task Refresh_without_a_new_refresh_token_keeps_the_old_one()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("old-access", "long-lived-refresh", TimeSpan.FromSeconds(10)));
        Harness.Time.Advance(TimeSpan.FromSeconds(8)); // into the refresh window (the last quarter of its life)

        var token = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead,
            (rt, _) => Task.FromResult(TokenRefreshResult.Success(Harness.Token("new-access", TimeSpan.FromHours(1)))));

        Assert.Equal("new-access", token.RevealValue());
        var stored = await Harness.Vault.GetGrantAsync(alice, VaultHarness.Provider);
        Assert.Equal("long-lived-refresh", stored!.RefreshToken!.RevealValue());
    }

    [Fact]
    public async Task Failed_refresh_keeps_a_valid_grant_and_serves_its_token()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("still-valid", "refresh", TimeSpan.FromSeconds(40)));
        Harness.Time.Advance(TimeSpan.FromSeconds(35)); // into the refresh window (the last quarter of its life)

        var served = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead,
            (_, _) => Task.FromResult(TokenRefreshResult.Failure("temporarily_unavailable")));
        var servedAfterThrow = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead,
            (_, _) => throw new System.Net.Http.HttpRequestException("connection refused"));

        Assert.Equal("still-valid", served.RevealValue());
        Assert.Equal("still-valid", servedAfterThrow.RevealValue());

        // Once expired, a failing refresh is a retryable error, and the grant is still there for the retry.
        Harness.Time.Advance(TimeSpan.FromSeconds(41));
        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead,
            (_, _) => Task.FromResult(TokenRefreshResult.Failure("server_error"))));
        Assert.Equal(GrantUnavailableReason.RefreshFailed, ex.Reason);
        Assert.False(ex.ConsentRequired);
        Assert.Equal("refresh", (await Harness.Vault.GetGrantAsync(alice, VaultHarness.Provider))!.RefreshToken!.RevealValue());

        var recovered = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead,
            (_, _) => Task.FromResult(TokenRefreshResult.Success(Harness.Token("recovered", TimeSpan.FromHours(1)))));
        Assert.Equal("recovered", recovered.RevealValue());
    }

    [Fact]
    public async Task Invalid_grant_keeps_the_access_token_until_expiry_then_asks_for_consent()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("last-access", "dead-refresh", TimeSpan.FromSeconds(50)));
        Harness.Time.Advance(TimeSpan.FromSeconds(40)); // into the refresh window (the last quarter of its life)
        var calls = 0;
        Task<TokenRefreshResult> Refuse(RefreshToken token, CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            return Task.FromResult(TokenRefreshResult.InvalidGrant());
        }

        var first = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, Refuse);
        var second = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, Refuse);

        Assert.Equal("last-access", first.RevealValue());
        Assert.Equal("last-access", second.RevealValue());
        Assert.Equal(1, calls); // the dead refresh token is dropped, not retried
        var kept = await Harness.Vault.GetGrantAsync(alice, VaultHarness.Provider);
        Assert.NotNull(kept);
        Assert.Null(kept.RefreshToken);
        Assert.Contains(Harness.Trail.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "invalid_grant");

        Harness.Time.Advance(TimeSpan.FromSeconds(51));
        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, Refuse));
        Assert.Equal(GrantUnavailableReason.ConsentExpired, ex.Reason);
        Assert.True(ex.ConsentRequired);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task Revoked_grant_is_gone()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("to-revoke", "to-revoke-refresh", TimeSpan.FromHours(1)));

        Assert.True(await Harness.Vault.RevokeAsync(alice, VaultHarness.Provider));

        Assert.Null(await Harness.Vault.GetGrantAsync(alice, VaultHarness.Provider));
        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException()));
        Assert.Equal(GrantUnavailableReason.NoGrant, ex.Reason);
        Assert.Equal(1, Harness.Count(AuditEventKind.GrantRevoked));
        Assert.False(await Harness.Vault.RevokeAsync(alice, VaultHarness.Provider));
    }

    [Fact]
    public async Task Row_copied_to_another_users_key_does_not_decrypt()
    {
        var alice = Harness.Alice();
        var bob = Harness.Bob();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("alice-secret-access", "alice-secret-refresh", TimeSpan.FromHours(1)));
        var store = CreateStore();
        try
        {
            var aliceKey = new GrantKey(Harness.Workload, Harness.Identity.Validate(alice).UserKey, VaultHarness.Provider);
            var bobKey = aliceKey with { UserKey = Harness.Identity.Validate(bob).UserKey };
            var row = await store.GetAsync(aliceKey);
            Assert.NotNull(await store.TryWriteAsync(bobKey, row!.ProtectedData, expectedVersion: 0));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }

        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => Harness.Vault.GetAccessTokenAsync(bob, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException()));
        Assert.Equal(GrantUnavailableReason.Unreadable, ex.Reason);
        Assert.Equal("alice-secret-access", (await Harness.Vault.GetGrantAsync(alice, VaultHarness.Provider))!.AccessToken.RevealValue());
    }

    [Fact]
    public async Task Row_copied_to_another_workloads_key_does_not_decrypt()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("alice-secret-access", "alice-secret-refresh", TimeSpan.FromHours(1)));

        // Another agent sharing the store and even the Data Protection keys: only the purpose (its workload) differs.
        var otherIdentity = Harness.NewIdentity(Harness.Workload + "-other");
        var aliceThere = otherIdentity.IssueForVerifiedUser("https://idp.example", "alice");
        var aliceKey = new GrantKey(Harness.Workload, Harness.Identity.Validate(alice).UserKey, VaultHarness.Provider);
        var otherKey = new GrantKey(otherIdentity.WorkloadName, otherIdentity.Validate(aliceThere).UserKey, VaultHarness.Provider);
        await CopyRowAsync(aliceKey, otherKey);

        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => Harness.NewVault(otherIdentity).GetAccessTokenAsync(aliceThere, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException()));
        Assert.Equal(GrantUnavailableReason.Unreadable, ex.Reason);
        Assert.Equal("alice-secret-access", (await Harness.Vault.GetGrantAsync(alice, VaultHarness.Provider))!.AccessToken.RevealValue());
    }

    [Fact]
    public async Task Row_copied_to_another_providers_key_does_not_decrypt()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("alice-secret-access", "alice-secret-refresh", TimeSpan.FromHours(1)));
        var aliceKey = new GrantKey(Harness.Workload, Harness.Identity.Validate(alice).UserKey, VaultHarness.Provider);
        await CopyRowAsync(aliceKey, aliceKey with { Provider = "Finance" });

        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => Harness.Vault.GetAccessTokenAsync(alice, "Finance", NotesRead, (_, _) => throw new InvalidOperationException()));
        Assert.Equal(GrantUnavailableReason.Unreadable, ex.Reason);
        Assert.Equal("alice-secret-access", (await Harness.Vault.GetGrantAsync(alice, VaultHarness.Provider))!.AccessToken.RevealValue());
    }

    [Fact]
    public async Task Two_hundred_concurrent_callers_cause_exactly_one_refresh()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("stale", "rt-gen-0", TimeSpan.FromSeconds(5)));
        Harness.Time.Advance(TimeSpan.FromSeconds(4)); // into the refresh window (the last quarter of its life)
        var server = new RotatingRefreshServer(Harness, "rt-gen-0", TimeSpan.FromMilliseconds(200));
        using var start = new ManualResetEventSlim();

        var callers = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);
        })).ToArray();
        start.Set();
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, server.Calls);
        // Callers that arrive while the other instance holds the lease get the still-valid token instead of waiting.
        Assert.All(tokens, t => Assert.Contains(t.RevealValue(), new[] { "stale", "at-gen-1" }));
        Assert.Equal(1, Harness.Count(AuditEventKind.TokenRefreshed));
    }

    [Fact]
    public async Task Two_vault_instances_on_one_store_refresh_once()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("stale", "rt-gen-0", TimeSpan.FromSeconds(5)));
        Harness.Time.Advance(TimeSpan.FromSeconds(4)); // into the refresh window (the last quarter of its life)
        var server = new RotatingRefreshServer(Harness, "rt-gen-0", TimeSpan.FromMilliseconds(300));
        var vaults = new[] { Harness.NewVault(), Harness.NewVault() };
        using var start = new ManualResetEventSlim();

        var callers = Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await vaults[i % 2].GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);
        })).ToArray();
        start.Set();
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, server.Calls);
        Assert.Equal(0, server.ReuseDetected);
        // Callers that arrive while the other instance holds the lease get the still-valid token instead of waiting.
        Assert.All(tokens, t => Assert.Contains(t.RevealValue(), new[] { "stale", "at-gen-1" }));
        Assert.Equal("rt-gen-1", (await Harness.Vault.GetGrantAsync(alice, VaultHarness.Provider))!.RefreshToken!.RevealValue());
    }

    [Fact]
    public async Task Lease_of_a_crashed_holder_expires()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("stale", "rt-gen-0", TimeSpan.FromSeconds(5)));
        Harness.Time.Advance(TimeSpan.FromSeconds(4)); // into the refresh window (the last quarter of its life)
        var key = new GrantKey(Harness.Workload, Harness.Identity.Validate(alice).UserKey, VaultHarness.Provider);
        var store = CreateStore();
        try
        {
            var now = Harness.Time.GetUtcNow();
            Assert.True(await store.TryAcquireLeaseAsync(key, "crashed-process", now, TimeSpan.FromSeconds(30)));
            Assert.False(await store.TryAcquireLeaseAsync(key, "other-process", now + TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)));
            Assert.True(await store.TryAcquireLeaseAsync(key, "crashed-process", now + TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }

        // The holder never releases. Once its lease has run out, a vault takes it over and refreshes.
        Harness.Time.Advance(TimeSpan.FromSeconds(41));
        var server = new RotatingRefreshServer(Harness, "rt-gen-0", TimeSpan.Zero);
        var token = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);

        Assert.Equal("at-gen-1", token.RevealValue());
    }

    [Fact]
    public async Task Store_writes_are_optimistic_on_the_version()
    {
        var store = CreateStore();
        try
        {
            var key = new GrantKey(Harness.Workload, "user-" + Guid.NewGuid().ToString("N"), "Crm");
            Assert.Null(await store.GetAsync(key));
            Assert.Equal(1, await store.TryWriteAsync(key, [1, 2, 3], expectedVersion: 0));
            Assert.Null(await store.TryWriteAsync(key, [4], expectedVersion: 0));
            Assert.Equal(2, await store.TryWriteAsync(key, [5], expectedVersion: 1));
            Assert.Null(await store.TryWriteAsync(key, [6], expectedVersion: 1));
            Assert.Equal(3, await store.TryWriteAsync(key, [7], expectedVersion: null));
            var stored = await store.GetAsync(key);
            Assert.Equal(new byte[] { 7 }, stored!.ProtectedData);
            Assert.Equal(3, stored.Version);
            Assert.True(await store.DeleteAsync(key));
            Assert.False(await store.DeleteAsync(key));
            Assert.Null(await store.TryWriteAsync(key, [8], expectedVersion: 3));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public async Task A_rotated_refresh_token_survives_a_failed_store_write()
    {
        FaultyGrantStore? faulty = null;
        using var harness = new VaultHarness(() => faulty = new FaultyGrantStore(CreateStore()));
        var alice = harness.Alice();
        await harness.Vault.StoreGrantAsync(alice, harness.NewGrant("stale", "rt-gen-0", TimeSpan.FromSeconds(5)));
        harness.Time.Advance(TimeSpan.FromSeconds(4)); // into the refresh window (the last quarter of its life)
        var server = new RotatingRefreshServer(harness, "rt-gen-0", TimeSpan.Zero);

        // The refresh succeeds at the server (rt-gen-0 is now spent), then the write of rt-gen-1 fails once.
        faulty!.FailWrites = 1;
        var first = await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);

        Assert.Equal("at-gen-1", first.RevealValue());
        Assert.Equal("rt-gen-1", (await harness.Vault.GetGrantAsync(alice, VaultHarness.Provider))!.RefreshToken!.RevealValue());
        harness.Time.Advance(TimeSpan.FromHours(1));
        alice = harness.Alice(); // a later agent turn, with its own short-lived workload access token
        var second = await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);
        Assert.Equal("at-gen-2", second.RevealValue());
        Assert.Equal(0, server.ReuseDetected);
    }

    [Fact]
    public async Task While_the_store_cannot_be_written_the_rotated_grant_is_kept_and_written_later()
    {
        FaultyGrantStore? faulty = null;
        using var harness = new VaultHarness(() => faulty = new FaultyGrantStore(CreateStore()));
        var alice = harness.Alice();
        await harness.Vault.StoreGrantAsync(alice, harness.NewGrant("stale", "rt-gen-0", TimeSpan.FromSeconds(5)));
        harness.Time.Advance(TimeSpan.FromSeconds(4)); // into the refresh window (the last quarter of its life)
        var server = new RotatingRefreshServer(harness, "rt-gen-0", TimeSpan.Zero);

        // Every write fails for a while: the successful refresh must not be thrown away.
        faulty!.FailWrites = 1_000;
        var first = await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);
        Assert.Equal("at-gen-1", first.RevealValue());

        // The store is back; the next refresh uses rt-gen-1 (not the spent rt-gen-0) and the newest grant is stored.
        faulty.FailWrites = 0;
        harness.Time.Advance(TimeSpan.FromHours(1));
        alice = harness.Alice(); // a later agent turn, with its own short-lived workload access token
        var second = await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);

        Assert.Equal("at-gen-2", second.RevealValue());
        Assert.Equal(0, server.ReuseDetected);
        Assert.Equal("rt-gen-2", (await harness.Vault.GetGrantAsync(alice, VaultHarness.Provider))!.RefreshToken!.RevealValue());
    }

    [Fact]
    public async Task A_held_grant_reaches_the_store_when_it_recovers_without_another_call()
    {
        FaultyGrantStore? faulty = null;
        using var harness = new VaultHarness(() => faulty = new FaultyGrantStore(CreateStore()));
        var alice = harness.Alice();
        await harness.Vault.StoreGrantAsync(alice, harness.NewGrant("stale", "rt-gen-0", TimeSpan.FromSeconds(5)));
        harness.Time.Advance(TimeSpan.FromSeconds(4));
        var server = new RotatingRefreshServer(harness, "rt-gen-0", TimeSpan.Zero);
        var holder = faulty!;
        holder.FailWrites = 1_000;
        Assert.Equal("at-gen-1", (await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync)).RevealValue());

        // The store recovers and nobody calls this vault again (the process may be about to end): the rotated refresh
        // token must reach the store anyway, where another instance finds it. Before, it waited for the next call.
        holder.FailWrites = 0;
        var other = harness.NewVault();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? stored;
        do
        {
            stored = (await other.GetGrantAsync(alice, VaultHarness.Provider))?.RefreshToken?.RevealValue();
            if (stored != "rt-gen-1")
            {
                await Task.Delay(50); // polling for the background write, bounded by the deadline
            }
        }
        while (stored != "rt-gen-1" && DateTime.UtcNow < deadline);

        Assert.Equal("rt-gen-1", stored);
    }

    [Fact]
    public async Task A_store_fault_surfaces_as_a_credential_unavailable_error_not_a_raw_exception()
    {
        FaultyGrantStore? faulty = null;
        using var harness = new VaultHarness(() => faulty = new FaultyGrantStore(CreateStore()));
        var alice = harness.Alice();
        await harness.Vault.StoreGrantAsync(alice, harness.NewGrant("valid", "rt", TimeSpan.FromHours(1)));
        faulty!.FailReads = 1;

        var error = await Assert.ThrowsAnyAsync<IdentityGuard.Providers.CredentialUnavailableException>(
            () => harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException("no refresh expected")));

        Assert.IsType<GrantStoreUnavailableException>(error);
        Assert.Contains("grant store", error.Message, StringComparison.Ordinal);
        Assert.Equal("valid", (await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
    }

    [Fact]
    public async Task While_another_instance_holds_the_lease_a_still_valid_token_is_served_without_waiting()
    {
        using var harness = new VaultHarness(CreateStore, options: new TokenVaultOptions { LeaseWaitTimeout = TimeSpan.FromMinutes(10), LeaseDuration = TimeSpan.FromMinutes(11), RefreshTimeout = TimeSpan.FromSeconds(20) });
        var alice = harness.Alice();
        await harness.Vault.StoreGrantAsync(alice, harness.NewGrant("still-valid", "rt-gen-0", TimeSpan.FromHours(1)));
        harness.Time.Advance(TimeSpan.FromMinutes(59) + TimeSpan.FromSeconds(10)); // 50 s left: due, not expired
        alice = harness.Alice(); // a later agent turn, with its own short-lived workload access token
        var key = new GrantKey(harness.Workload, harness.Identity.Validate(alice).UserKey, VaultHarness.Provider);
        var store = CreateStore();
        try
        {
            // An instance took the lease and crashed mid-refresh.
            Assert.True(await store.TryAcquireLeaseAsync(key, "crashed-instance", harness.Time.GetUtcNow(), TimeSpan.FromMinutes(11)));
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }

        var server = new RotatingRefreshServer(harness, "rt-gen-0", TimeSpan.Zero);
        var token = await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal("still-valid", token.RevealValue());
        Assert.Equal(0, server.Calls);
    }

    [Fact]
    public async Task A_token_living_shorter_than_the_refresh_margin_is_not_refreshed_on_every_call()
    {
        var alice = Harness.Alice();
        // 40 s of life against the default one-minute margin: the margin is capped at a quarter of the lifetime.
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("short-lived", "rt-gen-0", TimeSpan.FromSeconds(40)));
        var server = new RotatingRefreshServer(Harness, "rt-gen-0", TimeSpan.Zero);

        var first = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);
        Harness.Time.Advance(TimeSpan.FromSeconds(20));
        var second = await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync);

        Assert.Equal("short-lived", first.RevealValue());
        Assert.Equal("short-lived", second.RevealValue());
        Assert.Equal(0, server.Calls);
        Harness.Time.Advance(TimeSpan.FromSeconds(11)); // inside the last quarter
        Assert.Equal("at-gen-1", (await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, server.RefreshAsync)).RevealValue());
    }

    [Fact]
    public async Task A_revoked_grant_written_back_into_the_store_is_refused()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("revoked-access", "revoked-refresh", TimeSpan.FromHours(1)));
        var key = KeyOf(alice);
        var lastBlob = await ReadRowAsync(key); // what an attacker with database access copies before the revoke
        Assert.True(await Harness.Vault.RevokeAsync(alice, VaultHarness.Provider));

        // Written back through the store's own API: whatever is there now is replaced by the revoked grant's blob.
        await WithStoreAsync(store => store.TryWriteAsync(key, lastBlob.ProtectedData, expectedVersion: null));

        // Refused by the instance that revoked it and by one that never saw the grant (a restarted process).
        foreach (var vault in new[] { Harness.Vault, Harness.NewVault() })
        {
            var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException("must not refresh")));
            Assert.True(ex.ConsentRequired);
            Assert.DoesNotContain("revoked-access", ex.ToString(), StringComparison.Ordinal);
            await Assert.ThrowsAsync<GrantUnavailableException>(() => vault.GetGrantAsync(alice, VaultHarness.Provider));
        }

        Assert.Equal(0, Harness.Count(AuditEventKind.TokenServedFromVault));
        Assert.Contains(Harness.Trail.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "grant_rolled_back");
    }

    [Fact]
    public async Task An_older_blob_put_back_over_a_newer_grant_is_refused()
    {
        var alice = Harness.Alice();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("first-access", "first-refresh", TimeSpan.FromHours(1)));
        var key = KeyOf(alice);
        var older = await ReadRowAsync(key);
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("second-access", "second-refresh", TimeSpan.FromHours(1)));

        // Only the data column is rolled back; the store's version keeps counting.
        var current = await ReadRowAsync(key);
        await WithStoreAsync(store => store.TryWriteAsync(key, older.ProtectedData, current.Version));

        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => Harness.NewVault().GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException("must not refresh")));
        Assert.True(ex.ConsentRequired);
        Assert.Contains(Harness.Trail.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "grant_rolled_back");
    }

    [Fact]
    public async Task A_row_rolled_back_with_its_version_is_refused_by_instances_that_saw_a_newer_version()
    {
        var alice = Harness.Alice();
        var other = Harness.NewVault();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("first-access", "first-refresh", TimeSpan.FromHours(1)));
        var key = KeyOf(alice);
        var older = await ReadRowAsync(key);
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("second-access", "second-refresh", TimeSpan.FromHours(1)));
        Assert.Equal("second-access", (await other.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());

        // Row and version column both put back to the older state, as a restored backup would do.
        await OverwriteRowAsync(key, older.ProtectedData, older.Version);
        Harness.Time.Advance(TimeSpan.FromMinutes(1)); // longer than the store check interval of the instances' memory

        foreach (var vault in new[] { Harness.Vault, other })
        {
            var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException("must not refresh")));
            Assert.True(ex.ConsentRequired);
        }

        // A new consent supersedes the rolled-back row, and every instance that refused it accepts the new grant.
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("third-access", "third-refresh", TimeSpan.FromHours(1)));
        Assert.Equal("third-access", (await other.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
        Assert.Equal("third-access", (await Harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
    }

    [Fact]
    public async Task A_revoked_grant_rolled_back_with_its_version_is_refused_by_instances_that_saw_the_revocation()
    {
        var alice = Harness.Alice();
        var other = Harness.NewVault();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("revoked-access", "revoked-refresh", TimeSpan.FromHours(1)));
        var key = KeyOf(alice);
        var lastBlob = await ReadRowAsync(key);
        Assert.Equal("revoked-access", (await other.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
        Assert.True(await Harness.Vault.RevokeAsync(alice, VaultHarness.Provider));
        Harness.Time.Advance(TimeSpan.FromMinutes(1)); // longer than the store check interval
        await Assert.ThrowsAsync<GrantUnavailableException>(() => other.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException()));

        await OverwriteRowAsync(key, lastBlob.ProtectedData, lastBlob.Version);
        Harness.Time.Advance(TimeSpan.FromMinutes(1));

        foreach (var vault in new[] { Harness.Vault, other })
        {
            var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException("must not refresh")));
            Assert.True(ex.ConsentRequired);
        }
    }

    [Fact]
    public async Task A_revoke_on_one_instance_stops_another_within_the_store_check_interval()
    {
        var alice = Harness.Alice();
        var other = Harness.NewVault();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("soon-revoked", "rt", TimeSpan.FromHours(1)));
        Assert.Equal("soon-revoked", (await other.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());

        Assert.True(await Harness.Vault.RevokeAsync(alice, VaultHarness.Provider));
        Harness.Time.Advance(Harness.Options.StoreCheckInterval);

        var ex = await Assert.ThrowsAsync<GrantUnavailableException>(() => other.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException()));
        Assert.Equal(GrantUnavailableReason.NoGrant, ex.Reason);
        Assert.Null(await Harness.Vault.GetGrantAsync(alice, VaultHarness.Provider));

        // No grant is never answered from memory: a consent given through the first instance is used at once.
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("consented-again", "rt-2", TimeSpan.FromHours(1)));
        Assert.Equal("consented-again", (await other.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
    }

    [Fact]
    public async Task A_new_consent_on_one_instance_is_served_by_another_within_the_store_check_interval()
    {
        var alice = Harness.Alice();
        var other = Harness.NewVault();
        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("before", "rt", TimeSpan.FromHours(1)));
        Assert.Equal("before", (await other.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());

        await Harness.Vault.StoreGrantAsync(alice, Harness.NewGrant("after", "rt-2", TimeSpan.FromHours(1), "crm.notes.read", "crm.briefs.write"));

        // Scopes the remembered grant lacks are looked up in the store at once, not refused from memory.
        Assert.Equal("after", (await other.GetAccessTokenAsync(alice, VaultHarness.Provider, ["crm.briefs.write"], (_, _) => throw new InvalidOperationException())).RevealValue());
        Harness.Time.Advance(Harness.Options.StoreCheckInterval);
        Assert.Equal("after", (await other.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
    }

    [Fact]
    public async Task A_remembered_token_is_not_served_past_the_store_check_interval_while_the_store_is_unreachable()
    {
        FaultyGrantStore? faulty = null;
        using var harness = new VaultHarness(() => faulty = new FaultyGrantStore(CreateStore()));
        var alice = harness.Alice();
        await harness.Vault.StoreGrantAsync(alice, harness.NewGrant("warm", "rt", TimeSpan.FromHours(1)));
        Assert.Equal("warm", (await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());

        faulty!.FailReads = 1_000;
        Assert.Equal("warm", (await harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException())).RevealValue());
        harness.Time.Advance(harness.Options.StoreCheckInterval);

        await Assert.ThrowsAsync<GrantStoreUnavailableException>(() => harness.Vault.GetAccessTokenAsync(alice, VaultHarness.Provider, NotesRead, (_, _) => throw new InvalidOperationException()));
    }

    private GrantKey KeyOf(IdentityGuard.Workload.WorkloadAccessToken user) =>
        new(Harness.Workload, Harness.Identity.Validate(user).UserKey, VaultHarness.Provider);

    private async Task<StoredGrant> ReadRowAsync(GrantKey key) => (await WithStoreAsync(store => store.GetAsync(key)))!;

    private async Task<T> WithStoreAsync<T>(Func<IGrantStore, Task<T>> action)
    {
        var store = CreateStore();
        try
        {
            return await action(store);
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }
}
