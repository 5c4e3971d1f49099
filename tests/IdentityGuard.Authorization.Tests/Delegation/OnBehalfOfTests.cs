using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Federation;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using IdentityGuard.Workload;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace IdentityGuard.Authorization.Tests.Delegation;

/// <summary>
/// On-behalf-of providers (RFC 8693) against the real OpenIddict server: the user's verified token is the subject
/// token, the agent is the actor, and the resource verifies both with the IdentityGuard authorizer.
/// </summary>
[Collection(SharedDelegationEnvironment.Name)]
public sealed class OnBehalfOfTests(DelegationEnvironment environment)
{
    [Fact]
    public async Task Exchanged_token_names_the_user_as_subject_and_the_agent_as_actor()
    {
        var audit = new InMemoryAuditTrail();
        await using var orchestrator = environment.BuildOrchestrator(audit);
        var userToken = await environment.UserTokenAsync("alice");

        var answer = await AsVerifiedUserAsync(orchestrator, userToken, () => GetFinanceAsync(orchestrator));

        Assert.Equal("alice", answer.Subject);
        Assert.Equal([DelegationEnvironment.Orchestrator], answer.Actors);
        var issued = Assert.Single(audit.Events, e => e.Kind == AuditEventKind.TokenIssued);
        Assert.Equal("Finance", issued.Provider);
        Assert.Equal([DelegationEnvironment.ReadFinance], issued.Scopes);
        Assert.Equal([DelegationEnvironment.Orchestrator], issued.Actors);
    }

    [Fact]
    public async Task Exchanged_token_is_reused_for_the_same_user_and_scopes()
    {
        await using var orchestrator = environment.BuildOrchestrator(new InMemoryAuditTrail());
        var userToken = await environment.UserTokenAsync("alice");
        var source = orchestrator.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance");

        var held = orchestrator.GetRequiredService<IdentityGuard.Scrubbing.HeldCredentials>();
        var heldBefore = held.Count;
        var (first, second, requests) = await AsVerifiedUserAsync(orchestrator, userToken, async () =>
        {
            var before = environment.Idp.TokenRequestCount;
            var first = await source.GetAsync(1);
            var second = await source.GetAsync(1);
            return (first, second, environment.Idp.TokenRequestCount - before);
        });

        Assert.Same(first, second);
        Assert.Equal(1, requests);

        // The exchanged token is one the process holds (remembered once, when obtained), so the credential scrubber
        // removes it by value from text bound for a model.
        Assert.Equal(heldBefore + 1, held.Count);
        var scrubbed = orchestrator.GetRequiredService<IdentityGuard.Scrubbing.CredentialScrubber>().Scrub("tool said " + first.RevealValue());
        Assert.DoesNotContain(first.RevealValue(), scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_verified_inbound_token_nothing_is_exchanged()
    {
        await using var orchestrator = environment.BuildOrchestrator(new InMemoryAuditTrail());
        var identity = orchestrator.GetRequiredService<WorkloadIdentity>();
        var source = orchestrator.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance");
        var verified = identity.IssueForVerifiedCaller(await VerifyAsync(orchestrator, await environment.UserTokenAsync("alice")));
        var before = environment.Idp.TokenRequestCount;

        // Bound to a user but not to her token (issued from issuer and subject alone, or rebuilt from its value).
        var noSubject = identity.IssueForVerifiedUser(environment.Idp.Issuer.AbsoluteUri, "alice");
        var copied = new WorkloadAccessToken(verified.RevealValue());
        foreach (var token in new[] { noSubject, copied })
        {
            using (WorkloadContext.Use(token))
            {
                var refused = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetAsync(1));
                Assert.Contains("no verified inbound user token", refused.Message, StringComparison.Ordinal);
            }
        }

        // And with no user at all.
        await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetAsync(1));
        Assert.Equal(before, environment.Idp.TokenRequestCount);
    }

    [Fact]
    public async Task An_expired_subject_token_ends_the_delegation_even_with_a_cached_token()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var audit = new InMemoryAuditTrail();
        await using var orchestrator = environment.BuildOrchestrator(audit, time);

        // A subject token that lives ten minutes, exchanged at a server that grants the new token a full hour.
        var caller = await VerifyAsync(orchestrator, await environment.UserTokenAsync("alice", client: DelegationEnvironment.BriefUserApp));
        var workloadToken = orchestrator.GetRequiredService<WorkloadIdentity>().IssueForVerifiedCaller(caller, TimeSpan.FromHours(6));
        var source = orchestrator.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance");

        using (WorkloadContext.Use(workloadToken))
        {
            var cached = await source.GetAsync(1);
            Assert.True(ExpiryWritten(cached) > caller.ExpiresAt, "the server capped the exchanged token itself, so this test would not see the runtime's cap");
            Assert.True(cached.ExpiresAt <= caller.ExpiresAt, "the exchanged token outlives its subject token");

            time.SetUtcNow(caller.ExpiresAt);
            var before = environment.Idp.TokenRequestCount;
            var refused = await Assert.ThrowsAsync<CredentialUnavailableException>(async () => await source.GetAsync(1));

            Assert.Contains("expired", refused.Message, StringComparison.Ordinal);
            Assert.Equal(before, environment.Idp.TokenRequestCount);
        }

        Assert.Contains(audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "subject_token_expired");
    }

    [Fact]
    public async Task A_revoked_subject_token_is_refused_at_the_next_exchange()
    {
        var audit = new InMemoryAuditTrail();
        await using var orchestrator = environment.BuildOrchestrator(audit);
        var userToken = await environment.UserTokenAsync("bob");
        var caller = await VerifyAsync(orchestrator, userToken);

        // The user signs out of the app, which revokes its token at the authorization server (RFC 7009).
        using (var revocation = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = userToken,
            ["token_type_hint"] = "access_token",
            ["client_id"] = DelegationEnvironment.UserApp,
        }))
        {
            using var revoked = await environment.Http.PostAsync(environment.Idp.RevocationEndpoint, revocation);
            Assert.True(revoked.IsSuccessStatusCode, await revoked.Content.ReadAsStringAsync());
        }

        using (WorkloadContext.Use(orchestrator.GetRequiredService<WorkloadIdentity>().IssueForVerifiedCaller(caller)))
        {
            var refused = await Assert.ThrowsAsync<TokenRequestException>(async () => await orchestrator.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance").GetAsync(1));
            Assert.Equal("invalid_grant", refused.Error);
        }

        Assert.Contains(audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "invalid_grant" && e.Actors.SequenceEqual([DelegationEnvironment.Orchestrator]));
    }

    [Fact]
    public async Task Exchanged_tokens_are_renewed_by_exchanging_again_when_due()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var orchestrator = environment.BuildOrchestrator(new InMemoryAuditTrail(), time);
        var caller = await VerifyAsync(orchestrator, await environment.UserTokenAsync("bob"));
        var workloadToken = orchestrator.GetRequiredService<WorkloadIdentity>().IssueForVerifiedCaller(caller, TimeSpan.FromHours(6));
        var source = orchestrator.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance");

        using (WorkloadContext.Use(workloadToken))
        {
            var first = await source.GetAsync(1);

            // Past the renewal point (at most a quarter of the lifetime before expiry), still before the subject expires.
            time.SetUtcNow(first.ExpiresAt - TimeSpan.FromSeconds(1));
            var before = environment.Idp.TokenRequestCount;
            var second = await source.GetAsync(1);

            Assert.NotSame(first, second);
            Assert.Equal(before + 1, environment.Idp.TokenRequestCount);
        }
    }

    [Fact]
    public async Task A_token_exchanged_for_one_application_is_not_served_to_another_application_of_the_same_user()
    {
        // The authorization server decides per client whether and what to exchange; a token exchanged for Alice's
        // first app must not stand in for a request that arrived with her second app's token.
        await using var orchestrator = environment.BuildOrchestrator(new InMemoryAuditTrail());
        var identity = orchestrator.GetRequiredService<WorkloadIdentity>();
        var source = orchestrator.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance");
        var viaFirst = await VerifyAsync(orchestrator, await environment.UserTokenAsync("alice"));
        var viaSecond = await VerifyAsync(orchestrator, await environment.UserTokenAsync("alice", client: DelegationEnvironment.SecondUserApp));
        Assert.Equal(viaFirst.Subject, viaSecond.Subject);

        AccessToken first;
        using (WorkloadContext.Use(identity.IssueForVerifiedCaller(viaFirst)))
        {
            first = await source.GetAsync(1);
        }

        var before = environment.Idp.TokenRequestCount;
        using (WorkloadContext.Use(identity.IssueForVerifiedCaller(viaSecond)))
        {
            Assert.NotSame(first, await source.GetAsync(1));
        }

        Assert.Equal(before + 1, environment.Idp.TokenRequestCount);
    }

    [Fact]
    public async Task A_token_the_resource_refused_is_dropped_and_exchanged_again()
    {
        await using var orchestrator = environment.BuildOrchestrator(new InMemoryAuditTrail());
        var caller = await VerifyAsync(orchestrator, await environment.UserTokenAsync("alice"));
        var bystander = await VerifyAsync(orchestrator, await environment.UserTokenAsync("bob"));
        var source = orchestrator.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance");
        var identity = orchestrator.GetRequiredService<WorkloadIdentity>();

        AccessToken bobs;
        using (WorkloadContext.Use(identity.IssueForVerifiedCaller(bystander)))
        {
            bobs = await source.GetAsync(1);
        }

        using (WorkloadContext.Use(identity.IssueForVerifiedCaller(caller)))
        {
            var refused = await source.GetAsync(1);
            Assert.Same(refused, await source.GetAsync(1));

            // What the HTTP handler does after a 401: the cached exchanged token must not be served again.
            source.Invalidate(1, refused);
            var before = environment.Idp.TokenRequestCount;
            var renewed = await source.GetAsync(1);

            Assert.NotSame(refused, renewed);
            Assert.Equal(before + 1, environment.Idp.TokenRequestCount);
        }

        // Alice's refusal dropped only her token: Bob's is still served from the cache, with no exchange.
        using (WorkloadContext.Use(identity.IssueForVerifiedCaller(bystander)))
        {
            var before = environment.Idp.TokenRequestCount;
            Assert.Same(bobs, await source.GetAsync(1));
            Assert.Equal(before, environment.Idp.TokenRequestCount);
        }
    }

    [Fact]
    public async Task An_agent_the_token_was_not_issued_to_cannot_exchange_it()
    {
        var aliceForOrchestrator = await environment.UserTokenAsync("alice");

        var stolen = await environment.ExchangeAsync(aliceForOrchestrator, DelegationEnvironment.Rogue, environment.RogueSecret, DelegationEnvironment.ReadFinance);

        Assert.False(stolen.Succeeded);
    }

    [Fact]
    public async Task Many_users_in_parallel_each_get_only_their_own_token()
    {
        var audit = new InMemoryAuditTrail();
        await using var orchestrator = environment.BuildOrchestrator(audit);
        var users = DelegationEnvironment.Users;
        var tokens = await Task.WhenAll(users.Select(user => environment.UserTokenAsync(user)));
        var callers = await Task.WhenAll(tokens.Select(token => VerifyAsync(orchestrator, token)));
        var identity = orchestrator.GetRequiredService<WorkloadIdentity>();
        var before = environment.Idp.TokenRequestCount;

        // Eight concurrent requests per user, all users at once, every request on its own workload context.
        var calls = callers.SelectMany(caller => Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using (WorkloadContext.Use(identity.IssueForVerifiedCaller(caller)))
            {
                return (Expected: caller.Subject, Answer: await GetFinanceAsync(orchestrator));
            }
        }))).ToArray();
        var results = await Task.WhenAll(calls);

        Assert.All(results, result => Assert.Equal(result.Expected, result.Answer.Subject));
        Assert.Equal(users.Count, environment.Idp.TokenRequestCount - before);
        Assert.Equal(users.Count, audit.Events.Count(e => e.Kind == AuditEventKind.TokenIssued));
    }

    /// <summary>The <c>exp</c> the authorization server wrote into an exchanged token, whatever the runtime made of it.</summary>
    internal static DateTimeOffset ExpiryWritten(AccessToken token) =>
        DateTimeOffset.FromUnixTimeSeconds(JwtSegments.Decode(JwtSegments.Split(token.RevealValue())[1]).GetProperty("exp").GetInt64());

    internal static async Task<VerifiedCaller> VerifyAsync(IServiceProvider agent, string userToken)
    {
        var result = await agent.GetRequiredService<JwtAuthorizer>().ValidateAsync(userToken);
        Assert.True(result.Succeeded, result.ToString());
        return result.Caller;
    }

    internal static async Task<T> AsVerifiedUserAsync<T>(IServiceProvider agent, string userToken, Func<Task<T>> work)
    {
        var caller = await VerifyAsync(agent, userToken);
        using (WorkloadContext.Use(agent.GetRequiredService<WorkloadIdentity>().IssueForVerifiedCaller(caller)))
        {
            return await work();
        }
    }

    private async Task<FinanceAnswer> GetFinanceAsync(IServiceProvider agent)
    {
        using var response = await agent.GetRequiredService<IHttpClientFactory>().CreateClient("finance").GetAsync(new Uri("spend", UriKind.Relative));
        Assert.True(response.StatusCode == HttpStatusCode.OK, string.Join("\n", environment.FinanceAudit.Events.TakeLast(3)));
        return (await response.Content.ReadFromJsonAsync<FinanceAnswer>())!;
    }
}
