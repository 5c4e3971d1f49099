using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// Agent instances as separate OS processes on one PostgreSQL database, behind a round-robin reverse proxy (YARP),
/// against a real OpenIddict server with rotating refresh tokens. Every request goes through the front, and every
/// answer names the instance that gave it: consent completes on whichever instance the callback reaches, a refresh
/// happens once however many processes and callers need it, and an instance killed mid-refresh loses nobody's grant.
/// </summary>
[Collection(PostgreSqlClusterGroup.Name)]
public sealed class ScaleOutEndToEndTests(PostgreSqlCluster cluster, ITestOutputHelper output)
{
    /// <summary>The consented token's lifetime in the expiry tests: the wait for its expiry is this long at most.</summary>
    private static readonly TimeSpan ShortConsentLifetime = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task A_consent_started_on_one_instance_is_completed_by_the_callback_on_the_other()
    {
        await using var env = await ScaleOutEnvironment.StartAsync(cluster, instances: 2);
        var all = env.Instances.Select(i => i.Name).Order().ToArray();

        using var call = await env.StartTokenCallAsync("alice");
        var (status, completedOn, callback) = await env.ApproveAsync(await call.ConsentUrlAsync(), "alice");
        var granted = await call.ResultAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotNull(call.Instance);
        Assert.NotNull(completedOn);
        output.WriteLine($"consent started on {call.Instance}, completed on {completedOn}");
        Assert.NotEqual(call.Instance, completedOn);
        Assert.True(granted.Served, granted.Error + "\n" + string.Join("\n", env.Instances.Select(i => i.Output)));

        // Both instances serve the grant the callback stored: two calls in a row reach both.
        var next = new[] { await env.TokenAsync("alice"), await env.TokenAsync("alice") };
        Assert.Equal(all, next.Select(r => r.Instance).Order());
        Assert.All(next, r => Assert.Equal(granted.Fingerprint, r.Fingerprint));

        // The state was taken once: replayed through the front, the callback is refused by both instances.
        var replays = new[] { await env.BrowseAsync(callback), await env.BrowseAsync(callback) };
        Assert.All(replays, r => Assert.Equal(HttpStatusCode.BadRequest, r.Status));
        Assert.Equal(all, replays.Select(r => r.Instance).Order());
    }

    [Fact]
    public async Task Four_processes_with_a_hundred_callers_each_refresh_an_expired_token_exactly_once()
    {
        await using var env = await ScaleOutEnvironment.StartAsync(cluster, instances: 4, ShortConsentLifetime);
        var all = env.Instances.Select(i => i.Name).Order().ToArray();
        var (startedOn, completedOn, consented) = await env.ConsentAsync("bob");
        Assert.True(consented.Served, consented.Error);
        Assert.NotEqual(startedOn, completedOn);
        await ScaleOutEnvironment.WaitForExpiryAsync(consented);
        env.IdentityProvider.ResetCounters();

        var results = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => env.TokenAsync("bob")));

        Assert.All(results, r => Assert.True(r.Served, $"{r.Instance}: {(int)r.Status} {r.Error}"));
        var perInstance = results.GroupBy(r => r.Instance!).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"consent started on {startedOn}, completed on {completedOn}; callers per instance: {string.Join(", ", perInstance.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}");
        Assert.Equal(all, perInstance.Keys.Order());
        Assert.All(perInstance.Values, count => Assert.Equal(100, count));
        var renewed = Assert.Single(results.Select(r => r.Fingerprint).Distinct());
        Assert.NotEqual(consented.Fingerprint, renewed);
        Assert.Equal(1, env.IdentityProvider.TokenRequestCount);

        // The rotated refresh token was stored, not lost: a round of calls reaches every instance, each serving it.
        var round = new CallerResult[all.Length];
        for (var i = 0; i < round.Length; i++)
        {
            round[i] = await env.TokenAsync("bob");
        }

        Assert.Equal(all, round.Select(r => r.Instance).Order());
        Assert.All(round, r => Assert.Equal(renewed, r.Fingerprint));
        Assert.Equal(1, env.IdentityProvider.TokenRequestCount);
    }

    [Fact]
    public async Task Killing_the_instance_that_holds_the_refresh_lease_mid_refresh_leaves_the_grant_usable_by_the_others()
    {
        await using var env = await ScaleOutEnvironment.StartAsync(cluster, instances: 3, ShortConsentLifetime);
        var live = env.Instances.Select(i => i.Name).Order().ToArray();
        var (_, _, consented) = await env.ConsentAsync("carol");
        Assert.True(consented.Served, consented.Error);
        var doomed = await env.StartHangingInstanceAsync();
        await ScaleOutEnvironment.WaitForExpiryAsync(consented);
        env.IdentityProvider.ResetCounters();

        // The front's turn comes to the instance whose refresh will hang; it takes the lease and starts the refresh.
        await env.TurnToAsync(doomed);
        using var abandoned = await env.StartTokenCallAsync("carol");
        Assert.Equal(doomed.Name, abandoned.Instance);
        await doomed.RefreshHanging.WaitAsync(TimeSpan.FromSeconds(60));
        doomed.Kill();
        await Assert.ThrowsAnyAsync<Exception>(() => abandoned.ResultAsync());

        // At once, before the front's health check has noticed: calls the front still sends to the dead instance fail
        // at the front (502, no instance); all others wait out the dead instance's lease and get the refreshed token.
        var results = await Task.WhenAll(Enumerable.Range(0, 80).Select(_ => env.TokenAsync("carol")));

        var failed = results.Where(r => !r.Served).ToArray();
        output.WriteLine($"right after the kill: {failed.Length} of {results.Length} calls failed at the front; served by {string.Join(", ", results.Where(r => r.Served).GroupBy(r => r.Instance).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))}");
        Assert.All(failed, r => Assert.True(r.Status == HttpStatusCode.BadGateway && r.Instance is null, $"{r.Instance}: {(int)r.Status} {r.Error}"));
        var served = results.Where(r => r.Served).ToArray();
        Assert.Equal(live, served.Select(r => r.Instance).Distinct().Order());
        var renewed = Assert.Single(served.Select(r => r.Fingerprint).Distinct());
        Assert.NotEqual(consented.Fingerprint, renewed);
        Assert.Equal(1, env.IdentityProvider.TokenRequestCount);

        // Once the health check has taken the dead instance out, every call through the front is served.
        await env.Front.WaitUntilOutOfRotationAsync(doomed.Name);
        var round = new CallerResult[2 * live.Length];
        for (var i = 0; i < round.Length; i++)
        {
            round[i] = await env.TokenAsync("carol");
        }

        Assert.All(round, r => Assert.True(r.Served && r.Fingerprint == renewed, $"{r.Instance}: {(int)r.Status} {r.Error}"));
        Assert.Equal(live, round.Select(r => r.Instance).Distinct().Order());
        Assert.Equal(1, env.IdentityProvider.TokenRequestCount);
    }
}
