using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// What every <see cref="IPendingAuthorizationStore"/> must do, run against each store. Two store objects over one
/// database stand for two instances of the agent.
/// </summary>
public abstract class PendingAuthorizationStoreContractTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2030, 1, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly PendingAuthorizationLimits s_roomy = new(20, 10_000);
    private readonly List<IDisposable> _owned = [];

    /// <summary>Unique per test, so tests sharing one database never see each other's rows.</summary>
    protected string Workload { get; } = "scale-agent-" + Guid.NewGuid().ToString("N")[..8];

    protected abstract IPendingAuthorizationStore CreateStore();

    public virtual void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Of_instances_racing_on_one_callback_exactly_one_takes_the_request()
    {
        var first = Store();
        var second = Store();
        var key = Key("raced");
        Assert.True((await first.AddAsync(key, Entry("alice", 1), s_roomy, s_now)).Added);

        var takes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).TakeAsync(key, s_now))));

        Assert.Single(takes, data => data is not null);
        Assert.Null(await first.TakeAsync(key, s_now));
    }

    [Fact]
    public async Task An_expired_request_is_refused_and_removed()
    {
        var store = Store();
        var key = Key("late");
        await store.AddAsync(key, Entry("alice", 1, validFor: TimeSpan.FromMinutes(10)), s_roomy, s_now);

        Assert.Null(await store.TakeAsync(key, s_now.AddMinutes(11)));
        Assert.Null(await store.TakeAsync(key, s_now));
        Assert.Equal(0, await store.CountAsync(Workload, null, s_now));
    }

    [Fact]
    public async Task Expired_requests_are_cleaned_up_when_new_ones_are_added()
    {
        var store = Store();
        for (var i = 0; i < 5; i++)
        {
            await store.AddAsync(Key("old" + i), Entry("u" + i, i, validFor: TimeSpan.FromMinutes(1)), s_roomy, s_now);
        }

        await store.AddAsync(Key("new"), Entry("alice", 10), s_roomy, s_now.AddMinutes(2));

        Assert.Equal(1, await store.CountAsync(Workload, null, s_now));
    }

    [Fact]
    public async Task Beyond_the_per_user_limit_the_users_oldest_requests_are_dropped()
    {
        var store = Store();
        var limits = new PendingAuthorizationLimits(3, 10_000);
        var dropped = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var admission = await store.AddAsync(Key("alice" + i), Entry("alice", i), limits, s_now);
            Assert.True(admission.Added);
            dropped.AddRange(admission.Dropped);
        }

        await store.AddAsync(Key("bob"), Entry("bob", 9), limits, s_now);

        Assert.Equal([Key("alice0").StateHash, Key("alice1").StateHash], dropped.Order(StringComparer.Ordinal));
        Assert.Equal(3, await store.CountAsync(Workload, "alice", s_now));
        Assert.Equal(1, await store.CountAsync(Workload, "bob", s_now));
        Assert.Null(await store.TakeAsync(Key("alice0"), s_now));
        Assert.NotNull(await store.TakeAsync(Key("alice4"), s_now));
    }

    [Fact]
    public async Task Beyond_the_per_workload_limit_new_requests_are_refused()
    {
        var store = Store();
        var limits = new PendingAuthorizationLimits(20, 2);
        Assert.True((await store.AddAsync(Key("a"), Entry("alice", 1), limits, s_now)).Added);
        Assert.True((await store.AddAsync(Key("b"), Entry("bob", 2), limits, s_now)).Added);

        var refused = await store.AddAsync(Key("c"), Entry("carol", 3), limits, s_now);

        Assert.False(refused.Added);
        Assert.Equal(2, await store.CountAsync(Workload, null, s_now));
        Assert.Null(await store.TakeAsync(Key("c"), s_now));
    }

    [Fact]
    public async Task Concurrent_adds_by_one_user_on_several_instances_stay_within_the_limit()
    {
        var stores = new[] { Store(), Store(), Store() };
        var limits = new PendingAuthorizationLimits(5, 10_000);

        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Task.Run(() => stores[i % 3].AddAsync(Key("many" + i), Entry("alice", i), limits, s_now))));

        Assert.Equal(5, await stores[0].CountAsync(Workload, "alice", s_now));
    }

    [Fact]
    public async Task An_outcome_is_read_once()
    {
        var store = Store();
        var key = Key("outcome");
        await store.WriteOutcomeAsync(key, new PendingAuthorizationOutcome(PendingAuthorizationResult.Denied, "access_denied"), s_now.AddMinutes(5));

        Assert.Equal(new PendingAuthorizationOutcome(PendingAuthorizationResult.Denied, "access_denied"), await Store().TakeOutcomeAsync(key));
        Assert.Null(await store.TakeOutcomeAsync(key));
    }

    private IPendingAuthorizationStore Store()
    {
        var store = CreateStore();
        if (store is IDisposable disposable)
        {
            _owned.Add(disposable);
        }

        return store;
    }

    private PendingAuthorizationKey Key(string state) => new(Workload, "hash-of-" + state);

    private static PendingAuthorizationEntry Entry(string user, int order, TimeSpan? validFor = null) =>
        new(user, [1, 2, 3, (byte)order], s_now.AddMilliseconds(order), s_now + (validFor ?? TimeSpan.FromMinutes(10)));
}
