using System;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Consent;
using IdentityGuard.Demo;
using IdentityGuard.Vault;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Tests.Federation;

/// <summary>
/// A grant that can no longer be decrypted (the Data Protection key ring was lost or rotated away, or the row was
/// corrupted) must not lock the user out: the user is asked to consent again and the new grant replaces the row.
/// </summary>
public sealed class UnreadableGrantTests
{
    private static readonly string[] s_read = [DemoApi.SalesReadScope];

    [Fact]
    public async Task An_unreadable_grant_leads_to_consent_and_the_new_consent_replaces_it()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var first = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));
        await env.Browser.ApproveAsync(first.Request!, "alice");
        await CorruptStoredGrantAsync(env, alice);

        // Before: GrantUnavailableException(Unreadable) on every call, from both entry points.
        var again = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));
        var request = await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read);
        Assert.Equal([DemoApi.SalesReadScope], request.Scopes);
        await env.Browser.ApproveAsync(again.Request!, "alice");

        var token = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        Assert.Contains(DemoApi.SalesReadScope, token.Scope, StringComparison.Ordinal);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "grant_unreadable");
        Assert.Equal(2, env.Audit.Events.Count(e => e.Kind == AuditEventKind.ConsentGranted));
    }

    private static async Task CorruptStoredGrantAsync(FederationEnvironment env, IdentityGuard.Workload.WorkloadAccessToken user)
    {
        var store = env.Services.GetRequiredService<IGrantStore>();
        var key = new GrantKey(env.Workloads.WorkloadName, env.Workloads.Validate(user).UserKey, FederationEnvironment.Provider);
        var stored = (await store.GetAsync(key))!;
        var damaged = stored.ProtectedData.ToArray();
        damaged[^1] ^= 0xFF;
        Assert.NotNull(await store.TryWriteAsync(key, damaged, stored.Version));
    }
}
