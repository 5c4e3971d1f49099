using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Demo.Tests;

/// <summary>The CRM, finance and documents APIs of the client-brief sample, called with user tokens.</summary>
[Collection(SharedDemoEnvironment.Name)]
public sealed class BusinessApiTests(DemoEnvironment environment)
{
    private DemoBusinessApis Apis => environment.BusinessApis;

    [Fact]
    public async Task UserTokenCarriesEveryApisAudience()
    {
        var tokens = await environment.SignInAsync("alice");

        var audience = TokenRequests.ReadPayload(tokens.AccessToken!).GetProperty("aud");
        var audiences = audience.ValueKind == JsonValueKind.Array
            ? audience.EnumerateArray().Select(value => value.GetString()).ToArray()
            : [audience.GetString()];
        Assert.Equal(
            [DemoBusinessApis.CrmAudience, DemoBusinessApis.DocumentsAudience, DemoBusinessApis.FinanceAudience],
            audiences.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CrmReturnsNotesAndRecordsTheUserAsCaller()
    {
        var token = (await environment.SignInAsync("alice")).AccessToken!;
        Apis.ResetCounters();

        using var response = await SendAsync(HttpMethod.Get, Apis.Crm, "clients/acme/notes", token);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var notes = JsonSerializer.Deserialize<ClientNotes>(body, JsonSerializerOptions.Web)!;
        Assert.Equal("Acme Corporation", notes.ClientName);
        Assert.Equal(3, notes.Notes.Count);
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);

        var call = Assert.Single(Apis.Crm.Calls);
        Assert.True(call.Succeeded);
        Assert.Equal("/clients/acme/notes", call.Path);
        Assert.Equal("alice", call.Subject);
        Assert.Equal(DemoEnvironment.BriefAgentId, call.ClientId);
        Assert.Contains(DemoBusinessApis.CrmNotesReadScope, call.Scopes);
    }

    [Fact]
    public async Task FinanceReturnsDeterministicSpend()
    {
        var token = (await environment.SignInAsync("alice")).AccessToken!;

        using var response = await SendAsync(HttpMethod.Get, Apis.Finance, "clients/globex/spend", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spend = (await response.Content.ReadFromJsonAsync<ClientSpend>())!;
        Assert.Equal(36000m, spend.Total);
        Assert.Equal("EUR", spend.Currency);
        Assert.Equal("alice", Apis.Finance.Calls[^1].Subject);
    }

    [Fact]
    public async Task UnknownCustomerIsNotFound()
    {
        var token = (await environment.SignInAsync("alice")).AccessToken!;

        using var response = await SendAsync(HttpMethod.Get, Apis.Crm, "clients/initech/notes", token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DocumentsStoresTheBriefAsTheUserAndReadsItBack()
    {
        var token = (await environment.SignInAsync("alice")).AccessToken!;

        using var created = await SendAsync(HttpMethod.Post, Apis.Documents, "briefs", token,
            JsonContent.Create(new BriefDraft("acme", "Acme renewal brief", "Three-year renewal; open data-residency questions.")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var brief = (await created.Content.ReadFromJsonAsync<Brief>())!;
        Assert.Equal("alice", brief.Author);
        Assert.Equal("/briefs/" + brief.Id, created.Headers.Location!.OriginalString);
        Assert.Contains(Apis.Briefs, stored => stored.Id == brief.Id && stored.Author == "alice");

        using var read = await SendAsync(HttpMethod.Get, Apis.Documents, "briefs/" + brief.Id, token);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(brief, await read.Content.ReadFromJsonAsync<Brief>());

        // Another user cannot see it, not even that it exists.
        var bobToken = (await environment.SignInAsync("bob")).AccessToken!;
        using var foreign = await SendAsync(HttpMethod.Get, Apis.Documents, "briefs/" + brief.Id, bobToken);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task TokenForAnotherApiIsRejectedAsUnauthorized()
    {
        // Only crm.notes.read: the token's audience is the CRM API alone.
        var crmOnly = (await environment.SignInAsync("alice", "openid " + DemoBusinessApis.CrmNotesReadScope)).AccessToken!;
        Apis.ResetCounters();

        using var response = await SendAsync(HttpMethod.Get, Apis.Finance, "clients/acme/spend", crmOnly);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var call = Assert.Single(Apis.Finance.Calls);
        Assert.Null(call.Subject);
        Assert.Equal(1, Apis.Finance.UnauthorizedCount);
    }

    [Fact]
    public async Task TokenWithoutTheEndpointsScopeIsForbidden()
    {
        // The documents audience, but only the read scope.
        var readOnly = (await environment.SignInAsync("alice", DemoBusinessApis.DocumentsBriefsReadScope)).AccessToken!;

        using var response = await SendAsync(HttpMethod.Post, Apis.Documents, "briefs", readOnly,
            JsonContent.Create(new BriefDraft("acme", "Title", "Content")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("alice", Apis.Documents.Calls[^1].Subject);
    }

    [Fact]
    public async Task RequestWithoutTokenIsChallenged()
    {
        using var response = await SendAsync(HttpMethod.Get, Apis.Crm, "clients/acme/notes", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, header => header.Scheme == "Bearer");
    }

    [Fact]
    public async Task ForcedRejectionLooksLikeARevokedToken()
    {
        var token = (await environment.SignInAsync("alice")).AccessToken!;
        Apis.Crm.RejectNextRequests(1);

        using var first = await SendAsync(HttpMethod.Get, Apis.Crm, "clients/acme/notes", token);
        using var second = await SendAsync(HttpMethod.Get, Apis.Crm, "clients/acme/notes", token);

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, DemoBusinessApi api, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(api.BaseAddress, path)) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await environment.Http.SendAsync(request);
    }
}
