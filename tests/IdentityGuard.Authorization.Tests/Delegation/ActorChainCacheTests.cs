using System;
using System.Collections.Concurrent;
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
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Authorization.Tests.Delegation;

/// <summary>
/// The exchanged-token cache keyed by actor chain: one agent serving the same user directly and through a chain of
/// agents keeps two tokens apart, and a resource refusing one of them drops only that one.
/// </summary>
[Collection(SharedDelegationEnvironment.Name)]
public sealed class ActorChainCacheTests(DelegationEnvironment environment)
{
    private const ulong Read = 1;

    [Fact]
    public async Task A_user_calling_directly_never_gets_the_token_minted_for_her_chain_of_agents()
    {
        await using var taskAgent = environment.BuildTaskAgent(new InMemoryAuditTrail());
        var (direct, chained) = await DirectAndChainedCallersAsync(taskAgent, "alice");
        var source = taskAgent.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance");
        var identity = taskAgent.GetRequiredService<WorkloadIdentity>();
        var finance = taskAgent.GetRequiredService<IHttpClientFactory>();
        var before = environment.Idp.TokenRequestCount;

        // Eight requests of each kind at once, each on its own workload context.
        var calls = new[] { direct, chained }.SelectMany(caller => Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using (WorkloadContext.Use(identity.IssueForVerifiedCaller(caller)))
            {
                var token = await source.GetAsync(Read);
                using var response = await finance.CreateClient("finance").GetAsync(new Uri("spend", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return (Caller: caller, Token: token, Answer: (await response.Content.ReadFromJsonAsync<FinanceAnswer>())!);
            }
        }))).ToArray();
        var results = await Task.WhenAll(calls);

        var directResults = results.Where(r => r.Caller == direct).ToArray();
        var chainedResults = results.Where(r => r.Caller == chained).ToArray();
        Assert.All(results, r => Assert.Equal("alice", r.Answer.Subject));
        Assert.All(directResults, r => Assert.Equal([DelegationEnvironment.TaskAgent], r.Answer.Actors));
        Assert.All(chainedResults, r => Assert.Equal([DelegationEnvironment.TaskAgent, DelegationEnvironment.Orchestrator], r.Answer.Actors));

        // Two tokens, one per chain, each exchanged once.
        var directToken = Assert.Single(directResults.Select(r => r.Token.RevealValue()).Distinct());
        var chainedToken = Assert.Single(chainedResults.Select(r => r.Token.RevealValue()).Distinct());
        Assert.NotEqual(directToken, chainedToken);
        Assert.Equal(2, environment.Idp.TokenRequestCount - before);

        // The direct call's token names only this agent as actor: no agent the user did not go through.
        var directAct = JwtSegments.Decode(JwtSegments.Split(directToken)[1]).GetProperty("act");
        Assert.Equal(DelegationEnvironment.TaskAgent, directAct.GetProperty("sub").GetString());
        Assert.False(directAct.TryGetProperty("act", out _), "the direct call's token carries a chain of agents");
        var chainedAct = JwtSegments.Decode(JwtSegments.Split(chainedToken)[1]).GetProperty("act");
        Assert.Equal(DelegationEnvironment.Orchestrator, chainedAct.GetProperty("act").GetProperty("sub").GetString());
    }

    [Fact]
    public async Task A_401_from_the_resource_drops_only_the_refused_token()
    {
        await using var resource = await RefusingResource.StartAsync();
        await using var taskAgent = environment.BuildTaskAgent(new InMemoryAuditTrail(), services =>
            services.AddHttpClient("records", http => http.BaseAddress = resource.Address).AddIdentityGuardAccessToken("Finance", Read));
        var (direct, chained) = await DirectAndChainedCallersAsync(taskAgent, "bob");
        var bystander = (await DirectAndChainedCallersAsync(taskAgent, "alice")).Direct;
        var source = taskAgent.GetRequiredService<CredentialProviderRegistry>().GetOAuth2TokenSource("Finance");
        var identity = taskAgent.GetRequiredService<WorkloadIdentity>();
        var records = taskAgent.GetRequiredService<IHttpClientFactory>();

        async Task<AccessToken> TokenAsync(VerifiedCaller caller)
        {
            using (WorkloadContext.Use(identity.IssueForVerifiedCaller(caller)))
            {
                return await source.GetAsync(Read);
            }
        }

        var refused = await TokenAsync(direct);
        var otherChain = await TokenAsync(chained);
        var otherUser = await TokenAsync(bystander);
        resource.Refuse(refused.RevealValue());
        var before = environment.Idp.TokenRequestCount;

        // A real request through the agent's HTTP handler: 401 with the cached token, then one retry with a new one.
        using (WorkloadContext.Use(identity.IssueForVerifiedCaller(direct)))
        {
            using var response = await records.CreateClient("records").GetAsync(new Uri("records", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal([refused.RevealValue(), resource.Seen.Last()], resource.Seen);
        Assert.NotEqual(refused.RevealValue(), resource.Seen.Last());
        Assert.Equal(before + 1, environment.Idp.TokenRequestCount);

        // Bob through the orchestrator, and Alice, keep their cached tokens: no exchange for either.
        Assert.Same(otherChain, await TokenAsync(chained));
        Assert.Same(otherUser, await TokenAsync(bystander));
        Assert.Equal(before + 1, environment.Idp.TokenRequestCount);

        // And Bob's direct calls now get the renewed token, never the refused one again.
        Assert.NotEqual(refused.RevealValue(), (await TokenAsync(direct)).RevealValue());
        Assert.Equal(before + 1, environment.Idp.TokenRequestCount);
    }

    /// <summary>
    /// The same user verified by the task agent twice: with her own token for the task agent, and with the token the
    /// orchestrator exchanged for her (actor chain [orchestrator]).
    /// </summary>
    private async Task<(VerifiedCaller Direct, VerifiedCaller Chained)> DirectAndChainedCallersAsync(IServiceProvider taskAgent, string user)
    {
        var ownToken = await environment.UserTokenAsync(user, DelegationEnvironment.RunTasks, DelegationEnvironment.DirectUserApp);
        var viaOrchestrator = await environment.ExchangeAsync(await environment.UserTokenAsync(user), DelegationEnvironment.Orchestrator, environment.OrchestratorSecret, DelegationEnvironment.RunTasks);
        Assert.True(viaOrchestrator.Succeeded, viaOrchestrator.Value);

        var direct = await OnBehalfOfTests.VerifyAsync(taskAgent, ownToken);
        var chained = await OnBehalfOfTests.VerifyAsync(taskAgent, viaOrchestrator.Value);
        Assert.Empty(direct.Actors);
        Assert.Equal([DelegationEnvironment.Orchestrator], chained.Actors);
        return (direct, chained);
    }

    /// <summary>A resource on loopback that answers 401 to one token it is told to refuse, and 200 to any other.</summary>
    private sealed class RefusingResource : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<string> _seen = new();
        private volatile string? _refused;

        private RefusingResource(WebApplication app) => _app = app;

        public Uri Address { get; private set; } = null!;

        /// <summary>Every bearer token received, in order.</summary>
        public string[] Seen => [.. _seen];

        public static async Task<RefusingResource> StartAsync()
        {
            var app = Loopback.CreateBuilder().Build();
            var resource = new RefusingResource(app);
            app.MapGet("/records", (HttpContext context) =>
            {
                var token = context.Request.Headers.Authorization.ToString()["Bearer ".Length..];
                resource._seen.Enqueue(token);
                return token == resource._refused ? Results.Unauthorized() : Results.Ok();
            });
            resource.Address = await Loopback.StartAsync(app);
            return resource;
        }

        public void Refuse(string token) => _refused = token;

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
