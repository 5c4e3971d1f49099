using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Background;
using IdentityGuard.Demo;
using IdentityGuard.Federation;
using IdentityGuard.Workload;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Tests.Federation;

/// <summary>
/// A scheduled job acting for a user against the real identity provider and API, without her inbound token, only
/// within the standing permission she granted while signed in.
/// </summary>
public sealed class BackgroundJobTests
{
    private static readonly string[] s_read = [DemoApi.SalesReadScope];
    private static readonly string[] s_write = [DemoApi.SalesWriteScope];

    [Fact]
    public async Task A_weekly_job_reads_with_the_users_grant_only_while_her_permission_stands()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var permissions = env.Services.GetRequiredService<StandingPermissions>();

        // Interactive session: alice consents to the agent, then pre-approves the weekly report.
        var alice = env.SignIn("alice");
        await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        var granted = await permissions.GrantAsync(alice, FederationEnvironment.Provider, s_read, TimeSpan.FromDays(30));

        // Later, with no user present.
        var job = await permissions.IssueForBackgroundJobAsync(granted.UserKey, FederationEnvironment.Provider);
        var http = env.Services.GetRequiredService<IHttpClientFactory>().CreateClient("sales");
        CallerInfo? caller;
        using (WorkloadContext.Use(job))
        {
            caller = await http.GetFromJsonAsync<CallerInfo>(new Uri("whoami", UriKind.Relative));

            // Outside the permission's scopes: refused before any consent is asked for.
            var presented = env.Browser.Presented;
            var wider = await Assert.ThrowsAsync<StandingPermissionException>(() => env.Federation.GetAccessTokenAsync(job, FederationEnvironment.Provider, s_write));
            Assert.Equal("scope_outside_standing_permission", wider.Reason);
            Assert.Equal(presented, env.Browser.Presented);

            // Alice revokes; the job's very next call fails closed.
            Assert.True(await permissions.RevokeAsync(granted.UserKey, FederationEnvironment.Provider));
            var revoked = await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync(new Uri("whoami", UriKind.Relative)));
            Assert.True(revoked is StandingPermissionException || revoked.InnerException is StandingPermissionException, revoked.ToString());
        }

        Assert.Equal("alice", caller!.Subject);
        var events = env.Audit.Events;
        Assert.Single(events, e => e.Kind == AuditEventKind.StandingPermissionGranted);
        Assert.Single(events, e => e.Kind == AuditEventKind.StandingPermissionUsed);
        Assert.Single(events, e => e.Kind == AuditEventKind.StandingPermissionRevoked);
        Assert.Contains(events, e => e.Kind == AuditEventKind.Denied && e.Reason == "no_standing_permission");
        await Assert.ThrowsAsync<StandingPermissionException>(() => permissions.IssueForBackgroundJobAsync(granted.UserKey, FederationEnvironment.Provider));
    }

    [Fact]
    public async Task A_job_token_copied_from_its_value_is_just_as_restricted()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var permissions = env.Services.GetRequiredService<StandingPermissions>();
        var alice = env.SignIn("alice");
        await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        var granted = await permissions.GrantAsync(alice, FederationEnvironment.Provider, s_read, TimeSpan.FromDays(1));
        var job = await permissions.IssueForBackgroundJobAsync(granted.UserKey, FederationEnvironment.Provider);

        var copy = new WorkloadAccessToken(job.RevealValue());

        var refused = await Assert.ThrowsAsync<StandingPermissionException>(() => env.Federation.GetAccessTokenAsync(copy, FederationEnvironment.Provider, s_write));
        Assert.Equal("scope_outside_standing_permission", refused.Reason);
        Assert.NotNull(await env.Federation.GetAccessTokenAsync(copy, FederationEnvironment.Provider, s_read));
    }
}
