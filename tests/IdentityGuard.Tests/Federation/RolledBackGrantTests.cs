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
/// A grant row put back to an older state by someone who can write the store (but holds no Data Protection keys)
/// is not served: the user is asked to consent again, and the new consent replaces the row.
/// </summary>
public sealed class RolledBackGrantTests
{
    private static readonly string[] s_read = [DemoApi.SalesReadScope];

    [Fact]
    public async Task A_revoked_grant_written_back_leads_to_consent_not_to_a_token()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var first = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));
        await env.Browser.ApproveAsync(first.Request!, "alice");
        await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        var store = env.Services.GetRequiredService<IGrantStore>();
        var key = new GrantKey(env.Workloads.WorkloadName, env.Workloads.Validate(alice).UserKey, FederationEnvironment.Provider);
        var copied = (await store.GetAsync(key))!;

        Assert.True(await env.Federation.RevokeAsync(alice, FederationEnvironment.Provider));
        Assert.NotNull(await store.TryWriteAsync(key, copied.ProtectedData, expectedVersion: null));

        var again = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "grant_rolled_back");
        await env.Browser.ApproveAsync(again.Request!, "alice");

        var token = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        Assert.Contains(DemoApi.SalesReadScope, token.Scope, StringComparison.Ordinal);
        Assert.Equal(2, env.Audit.Events.Count(e => e.Kind == AuditEventKind.ConsentGranted));
    }
}
