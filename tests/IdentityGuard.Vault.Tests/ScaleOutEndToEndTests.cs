using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Vault.Tests;

/// <summary>
/// Agent instances as separate OS processes on one PostgreSQL database, against a real OpenIddict server with
/// rotating refresh tokens: consent completes on whichever instance the callback reaches, a refresh happens once
/// however many processes and callers need it, and an instance killed mid-refresh loses nobody's grant.
/// </summary>
[Collection(PostgreSqlClusterGroup.Name)]
public sealed class ScaleOutEndToEndTests(PostgreSqlCluster cluster)
{
    [Fact]
    public async Task A_consent_started_on_one_instance_is_completed_by_the_callback_on_the_other()
    {
        await using var env = await ScaleOutEnvironment.StartAsync(cluster, instances: 2);
        var (first, second) = (env.Instances[0], env.Instances[1]);

        var waiting = first.TokenAsync("alice");
        var url = await first.ConsentRequestAsync("alice");
        var (status, callback) = await env.ApproveAsync(url, "alice", landOn: second);

        Assert.Equal(HttpStatusCode.OK, status);
        var granted = Assert.Single(await waiting);
        Assert.True(granted.Error is null, granted.Error + "\n" + first.Output);
        Assert.Equal(granted.Fingerprint, Assert.Single(await second.TokenAsync("alice")).Fingerprint);

        // The state was taken by the second instance: replaying the callback on the first finds nothing.
        Assert.Equal(HttpStatusCode.BadRequest, await env.DeliverAsync(callback, first));
    }

    [Fact]
    public async Task Four_processes_with_a_hundred_callers_each_refresh_an_expired_token_exactly_once()
    {
        await using var env = await ScaleOutEnvironment.StartAsync(cluster, instances: 4);
        var consented = await env.ConsentAsync("bob", startOn: env.Instances[0], landOn: env.Instances[3]);
        Assert.True(consented.Error is null, consented.Error);
        await ScaleOutEnvironment.WaitForExpiryAsync(consented);
        env.IdentityProvider.ResetCounters();

        var results = (await Task.WhenAll(env.Instances.Select(instance => instance.TokenAsync("bob", callers: 100)))).SelectMany(r => r).ToArray();

        Assert.Equal(400, results.Length);
        Assert.All(results, r => Assert.True(r.Error is null, r.Error));
        var renewed = Assert.Single(results.Select(r => r.Fingerprint).Distinct());
        Assert.NotEqual(consented.Fingerprint, renewed);
        Assert.Equal(1, env.IdentityProvider.TokenRequestCount);

        // The rotated refresh token was stored, not lost: every instance still serves the grant.
        foreach (var instance in env.Instances)
        {
            Assert.Equal(renewed, Assert.Single(await instance.TokenAsync("bob")).Fingerprint);
        }
    }

    [Fact]
    public async Task Killing_the_instance_that_holds_the_refresh_lease_mid_refresh_leaves_the_grant_usable_by_the_others()
    {
        await using var env = await ScaleOutEnvironment.StartAsync(cluster, instances: 3);
        var doomed = await env.StartHangingInstanceAsync();
        var consented = await env.ConsentAsync("carol", startOn: env.Instances[0], landOn: env.Instances[1]);
        Assert.True(consented.Error is null, consented.Error);
        await ScaleOutEnvironment.WaitForExpiryAsync(consented);
        env.IdentityProvider.ResetCounters();

        var abandoned = doomed.TokenAsync("carol");
        await doomed.RefreshHanging.WaitAsync(TimeSpan.FromSeconds(60));
        doomed.Kill();
        await Assert.ThrowsAnyAsync<Exception>(() => abandoned);

        var results = (await Task.WhenAll(env.Instances.Select(instance => instance.TokenAsync("carol", callers: 20)))).SelectMany(r => r).ToArray();

        Assert.All(results, r => Assert.True(r.Error is null, r.Error));
        var renewed = Assert.Single(results.Select(r => r.Fingerprint).Distinct());
        Assert.NotEqual(consented.Fingerprint, renewed);
        Assert.Equal(1, env.IdentityProvider.TokenRequestCount);
    }
}
