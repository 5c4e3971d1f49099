using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Xunit;

namespace IdentityGuard.Authorization.Tests.Delegation;

/// <summary>
/// Orchestrator → task agent → finance API over HTTP, every hop verified by the IdentityGuard authorizer and
/// exchanged again: the resource sees the user as subject and both agents, in order, as the actor chain.
/// </summary>
[Collection(SharedDelegationEnvironment.Name)]
public sealed class MultiHopTests(DelegationEnvironment environment)
{
    private static readonly System.Text.Json.JsonSerializerOptions WebJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_resource_sees_the_user_and_both_agents_in_order()
    {
        var audit = new InMemoryAuditTrail();
        await using var orchestrator = environment.BuildOrchestrator(audit);
        var userToken = await environment.UserTokenAsync("alice");

        var answer = await OnBehalfOfTests.AsVerifiedUserAsync(orchestrator, userToken, () => LookUpThroughTaskAgentAsync(orchestrator));

        Assert.Equal("alice", answer.Subject);
        Assert.Equal([DelegationEnvironment.TaskAgent, DelegationEnvironment.Orchestrator], answer.Actors);

        // Each agent's audit trail names the whole chain its token carries.
        Assert.Contains(audit.Events, e => e.Kind == AuditEventKind.TokenIssued && e.Provider == "TaskAgent" && e.Actors.SequenceEqual([DelegationEnvironment.Orchestrator]));
        Assert.Contains(environment.TaskAgentAudit.Events, e => e.Kind == AuditEventKind.WorkloadTokenIssued && e.Actors.SequenceEqual([DelegationEnvironment.Orchestrator]));
        Assert.Contains(environment.TaskAgentAudit.Events, e => e.Kind == AuditEventKind.TokenIssued && e.Provider == "Finance"
            && e.Actors.SequenceEqual([DelegationEnvironment.TaskAgent, DelegationEnvironment.Orchestrator]));
    }

    [Fact]
    public async Task No_token_of_the_chain_reaches_a_log_or_an_audit_event()
    {
        var audit = new InMemoryAuditTrail();
        await using var orchestrator = environment.BuildOrchestrator(audit);
        var userToken = await environment.UserTokenAsync("bob");

        await OnBehalfOfTests.AsVerifiedUserAsync(orchestrator, userToken, () => LookUpThroughTaskAgentAsync(orchestrator));

        var secrets = environment.TokensSeenByFinance.Append(userToken)
            .Select(token => token.Split('.')[2]) // the signature part is unique to each token
            .ToArray();
        var written = orchestrator.GetFakeLogCollector().GetSnapshot().Select(r => r.Message + " " + r.Exception)
            .Concat(environment.TaskAgentLogs.GetSnapshot().Select(r => r.Message + " " + r.Exception))
            .Concat(audit.Events.Concat(environment.TaskAgentAudit.Events).Concat(environment.FinanceAudit.Events).Select(e => e.ToString()))
            .ToArray();
        Assert.NotEmpty(written);
        Assert.All(secrets, secret => Assert.DoesNotContain(written, line => line.Contains(secret, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task An_unknown_agent_is_refused_by_the_resource_and_audited_with_its_chain()
    {
        var forRogue = await environment.UserTokenAsync("alice", DelegationEnvironment.InvokeRogue);
        var exchanged = await environment.ExchangeAsync(forRogue, DelegationEnvironment.Rogue, environment.RogueSecret, DelegationEnvironment.ReadFinance);
        Assert.True(exchanged.Succeeded, exchanged.Value);

        using var response = await CallAsync(new Uri(environment.FinanceAddress, "spend"), exchanged.Value);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(environment.FinanceAudit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "actor_not_allowed (unknown_actor)"
            && e.User == "alice" && e.Actors.SequenceEqual([DelegationEnvironment.Rogue]));
    }

    [Fact]
    public async Task An_unknown_agent_cannot_hide_behind_a_known_one()
    {
        // The rogue agent delegates to the task agent, which is allowed at the finance API: the earlier actor still counts.
        var forRogue = await environment.UserTokenAsync("alice", DelegationEnvironment.InvokeRogue);
        var toTaskAgent = await environment.ExchangeAsync(forRogue, DelegationEnvironment.Rogue, environment.RogueSecret, DelegationEnvironment.RunTasks);
        Assert.True(toTaskAgent.Succeeded, toTaskAgent.Value);
        var toFinance = await environment.ExchangeAsync(toTaskAgent.Value, DelegationEnvironment.TaskAgent, environment.TaskAgentSecret, DelegationEnvironment.ReadFinance);
        Assert.True(toFinance.Succeeded, toFinance.Value);

        using var atTaskAgent = await CallAsync(new Uri(environment.TaskAgentAddress, "finance-lookup"), toTaskAgent.Value);
        using var atFinance = await CallAsync(new Uri(environment.FinanceAddress, "spend"), toFinance.Value);

        Assert.Equal(HttpStatusCode.Forbidden, atTaskAgent.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, atFinance.StatusCode);
        Assert.Contains(environment.FinanceAudit.Events, e => e.Reason == "actor_not_allowed (unknown_actor)"
            && e.Actors.SequenceEqual([DelegationEnvironment.TaskAgent, DelegationEnvironment.Rogue]));
    }

    [Fact]
    public async Task A_chain_deeper_than_allowed_is_refused()
    {
        var chained = await TwoHopFinanceTokenAsync("alice");
        using var depthOne = IdentityProviderFixture.CreateAuthorizer(environment.FinanceOptions(o => o.MaxActorChainDepth = 1));
        using var depthTwo = IdentityProviderFixture.CreateAuthorizer(environment.FinanceOptions(o => o.MaxActorChainDepth = 2));

        var refused = await depthOne.ValidateAsync(chained);
        var accepted = await depthTwo.ValidateAsync(chained);

        Assert.False(refused.Succeeded);
        Assert.Equal((AuthorizationErrors.ActorNotAllowed, AuthorizationFailureReasons.ActorChainTooDeep), (refused.Failure.Error, refused.Failure.Reason));
        Assert.True(accepted.Succeeded, accepted.ToString());
        Assert.Equal([DelegationEnvironment.TaskAgent, DelegationEnvironment.Orchestrator], accepted.Caller.Actors);
        Assert.Equal(DelegationEnvironment.TaskAgent, accepted.Caller.Actors.Current);
    }

    [Fact]
    public async Task An_api_that_refuses_actors_refuses_delegated_tokens_and_one_that_requires_them_refuses_direct_ones()
    {
        var chained = await TwoHopFinanceTokenAsync("bob");
        using var refusing = IdentityProviderFixture.CreateAuthorizer(environment.FinanceOptions(o => o.ActorRequirement = ActorRequirement.Refused));
        var direct = await environment.UserTokenAsync("bob");
        var requiringOptions = new JwtAuthorizerOptions { DiscoveryUrl = environment.Idp.DiscoveryUrl, ActorRequirement = ActorRequirement.Required };
        requiringOptions.Audiences.Add(DelegationEnvironment.Orchestrator);
        using var requiring = IdentityProviderFixture.CreateAuthorizer(requiringOptions);

        var delegatedResult = await refusing.ValidateAsync(chained);
        var directResult = await requiring.ValidateAsync(direct);

        Assert.Equal(AuthorizationFailureReasons.ActorRefused, delegatedResult.Failure?.Reason);
        Assert.Equal(AuthorizationFailureReasons.ActorRequired, directResult.Failure?.Reason);
        Assert.Equal(AuthorizationErrors.ActorNotAllowed, directResult.Failure?.Error);
    }

    private async Task<string> TwoHopFinanceTokenAsync(string user)
    {
        var userToken = await environment.UserTokenAsync(user);
        var toTaskAgent = await environment.ExchangeAsync(userToken, DelegationEnvironment.Orchestrator, environment.OrchestratorSecret, DelegationEnvironment.RunTasks);
        Assert.True(toTaskAgent.Succeeded, toTaskAgent.Value);
        var toFinance = await environment.ExchangeAsync(toTaskAgent.Value, DelegationEnvironment.TaskAgent, environment.TaskAgentSecret, DelegationEnvironment.ReadFinance);
        Assert.True(toFinance.Succeeded, toFinance.Value);
        return toFinance.Value;
    }

    private async Task<HttpResponseMessage> CallAsync(Uri address, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await environment.Http.SendAsync(request);
    }

    private static async Task<FinanceAnswer> LookUpThroughTaskAgentAsync(IServiceProvider orchestrator)
    {
        using var response = await orchestrator.GetRequiredService<IHttpClientFactory>().CreateClient("tasks").GetAsync(new Uri("finance-lookup", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return System.Text.Json.JsonSerializer.Deserialize<FinanceAnswer>(body, WebJson)!;
    }
}
