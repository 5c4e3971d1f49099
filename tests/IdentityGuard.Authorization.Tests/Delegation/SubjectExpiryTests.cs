using System;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Federation;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using IdentityGuard.Workload;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Authorization.Tests.Delegation;

/// <summary>
/// One user, two subject tokens with different expiries (two apps of the same identity provider): a token exchanged
/// for the longer-lived one must never be served to a request that carries the shorter-lived one, whether it is
/// already cached or still being exchanged when that request arrives.
/// </summary>
[Collection(SharedDelegationEnvironment.Name)]
public sealed class SubjectExpiryTests(DelegationEnvironment environment)
{
    private const ulong Read = 1;

    [Fact]
    public async Task A_cached_token_is_not_served_to_a_request_whose_subject_token_expires_earlier()
    {
        await using var orchestrator = environment.BuildOrchestrator(new InMemoryAuditTrail());
        var (longLived, shortLived) = await TwoSubjectTokensOfOneUserAsync(orchestrator, "alice");
        var source = orchestrator.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance");
        var identity = orchestrator.GetRequiredService<WorkloadIdentity>();

        AccessToken cached;
        using (WorkloadContext.Use(identity.IssueForVerifiedCaller(longLived)))
        {
            cached = await source.GetAsync(Read);
        }

        Assert.True(cached.ExpiresAt > shortLived.ExpiresAt, "the cached token would not outlive the second subject token, so this test would prove nothing");
        var before = environment.Idp.TokenRequestCount;
        AccessToken served;
        using (WorkloadContext.Use(identity.IssueForVerifiedCaller(shortLived)))
        {
            served = await source.GetAsync(Read);
        }

        Assert.NotSame(cached, served);
        Assert.True(served.ExpiresAt <= shortLived.ExpiresAt, "a token outliving the request's subject token was served from the cache");
        Assert.Equal(before + 1, environment.Idp.TokenRequestCount);
    }

    [Fact]
    public async Task A_request_joining_an_exchange_in_flight_does_not_get_a_token_that_outlives_its_subject_token()
    {
        var gate = new TokenEndpointGate();
        await using var orchestrator = environment.BuildOrchestrator(new InMemoryAuditTrail(), configure: services =>
            services.AddHttpClient(CredentialProviderRegistry.TokenHttpClientName).AddHttpMessageHandler(gate.CreateHandler));
        var (longLived, shortLived) = await TwoSubjectTokensOfOneUserAsync(orchestrator, "bob");
        var source = orchestrator.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance");
        var identity = orchestrator.GetRequiredService<WorkloadIdentity>();

        // The long-lived request starts the exchange; it is held at the token endpoint.
        Task<AccessToken> first;
        using (WorkloadContext.Use(identity.IssueForVerifiedCaller(longLived)))
        {
            first = source.GetAsync(Read).AsTask();
        }

        await gate.Arrived.WaitAsync(TimeSpan.FromMinutes(2));

        // Same user, same chain, same scopes: the short-lived request finds that exchange in flight and waits for it.
        Task<AccessToken> second;
        using (WorkloadContext.Use(identity.IssueForVerifiedCaller(shortLived)))
        {
            second = source.GetAsync(Read).AsTask();
        }

        Assert.False(second.IsCompleted, "the second request did not wait for the exchange in flight");
        gate.Release();
        var longToken = await first.WaitAsync(TimeSpan.FromMinutes(2));
        var shortToken = await second.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(longToken.ExpiresAt > shortLived.ExpiresAt, "the first exchange's token would not outlive the second subject token, so this test would prove nothing");
        Assert.True(shortToken.ExpiresAt <= shortLived.ExpiresAt, "the request got the in-flight exchange's token, which outlives its own subject token");
        Assert.NotSame(longToken, shortToken);
        Assert.True(longToken.ExpiresAt <= longLived.ExpiresAt);
    }

    /// <summary>Two verified subject tokens of one user: one from the user app (an hour), one from the brief app (ten minutes).</summary>
    private async Task<(VerifiedCaller LongLived, VerifiedCaller ShortLived)> TwoSubjectTokensOfOneUserAsync(IServiceProvider agent, string user)
    {
        var longLived = await OnBehalfOfTests.VerifyAsync(agent, await environment.UserTokenAsync(user));
        var shortLived = await OnBehalfOfTests.VerifyAsync(agent, await environment.UserTokenAsync(user, client: DelegationEnvironment.BriefUserApp));
        Assert.Equal(longLived.Subject, shortLived.Subject);
        Assert.Equal(longLived.Actors, shortLived.Actors);
        Assert.True(shortLived.ExpiresAt < longLived.ExpiresAt - TimeSpan.FromMinutes(30), "the two subject tokens do not differ in expiry");
        return (longLived, shortLived);
    }
}
