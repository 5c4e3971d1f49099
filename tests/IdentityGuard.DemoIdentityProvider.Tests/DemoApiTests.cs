using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Demo.Tests;

[Collection(SharedDemoEnvironment.Name)]
public sealed class DemoApiTests(DemoEnvironment environment)
{
    private DemoApi Api => environment.Api;

    [Fact]
    public async Task AcceptsTokenWithRequiredScopeAndNeverEchoesIt()
    {
        var token = await GetTokenAsync("sales.read");

        using var response = await SendAsync(HttpMethod.Get, "reports/sales", token);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var records = await response.Content.ReadFromJsonAsync<SalesRecord[]>();
        Assert.Equal(3, records!.Length);
        Assert.Equal(new SalesRecord(1, "North", 1200.50m), records[0]);
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutEchoesTheRecordWithWriteScope()
    {
        var token = await GetTokenAsync("sales.write");

        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(Api.BaseAddress, "reports/sales/7"))
        {
            Content = JsonContent.Create(new SalesRecordUpdate("West", 99.5m)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await environment.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new SalesRecord(7, "West", 99.5m), await response.Content.ReadFromJsonAsync<SalesRecord>());
    }

    [Fact]
    public async Task RejectsRequestWithoutToken()
    {
        using var response = await SendAsync(HttpMethod.Get, "reports/sales", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, header => header.Scheme == "Bearer");
    }

    [Fact]
    public async Task ForbidsValidTokenWithoutTheEndpointsScope()
    {
        var readOnlyToken = await GetTokenAsync("sales.read", DemoEnvironment.ReaderId, DemoEnvironment.ReaderSecret);

        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(Api.BaseAddress, "reports/sales/1"))
        {
            Content = JsonContent.Create(new SalesRecordUpdate("West", 1m)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", readOnlyToken);
        using var response = await environment.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task RejectsGarbageToken()
    {
        using var response = await SendAsync(HttpMethod.Get, "reports/sales", "not.a.jwt");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RejectsTokenFromAnotherIdentityProviderInstance()
    {
        // Same clients, scopes and audience, but its own signing key and issuer port.
        await using var otherIdp = await DemoIdentityProvider.StartAsync(DemoIdentityProviderOptions.CreateDefault());
        var foreign = await TokenRequests.ClientCredentialsAsync(
            environment.Http, otherIdp.TokenEndpoint, DemoEnvironment.AgentId, DemoEnvironment.AgentSecret, "sales.read");
        Assert.NotNull(foreign.AccessToken);

        using var response = await SendAsync(HttpMethod.Get, "reports/sales", foreign.AccessToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RejectsTheNextRequestsWhenToldAndCountsThem()
    {
        var token = await GetTokenAsync("sales.read");
        Api.ResetCounters();
        Api.RejectNextRequests(2);

        using var first = await SendAsync(HttpMethod.Get, "reports/sales", token);
        using var second = await SendAsync(HttpMethod.Get, "reports/sales", token);
        using var third = await SendAsync(HttpMethod.Get, "reports/sales", token);

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(3, Api.RequestCount);
        Assert.Equal(2, Api.UnauthorizedCount);
    }

    [Fact]
    public async Task WeatherAcceptsTheRightApiKey()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Api.BaseAddress, "weather"));
        request.Headers.Add(DemoApi.ApiKeyHeaderName, DemoApiOptions.DefaultApiKey);
        using var response = await environment.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEmpty((await response.Content.ReadFromJsonAsync<WeatherForecast[]>())!);
    }

    [Theory]
    [InlineData("wrong-key")]
    [InlineData(null)]
    public async Task WeatherRejectsAWrongOrMissingApiKey(string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Api.BaseAddress, "weather"));
        if (apiKey is not null)
        {
            request.Headers.Add(DemoApi.ApiKeyHeaderName, apiKey);
        }

        using var response = await environment.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<string> GetTokenAsync(string scope, string clientId = DemoEnvironment.AgentId, string secret = DemoEnvironment.AgentSecret)
    {
        var response = await TokenRequests.ClientCredentialsAsync(environment.Http, environment.IdentityProvider.TokenEndpoint, clientId, secret, scope);
        return response.AccessToken ?? throw new InvalidOperationException($"No token: {response.Error}");
    }

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token)
    {
        var request = new HttpRequestMessage(method, new Uri(Api.BaseAddress, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return SendAndDisposeRequestAsync(request);
    }

    private async Task<HttpResponseMessage> SendAndDisposeRequestAsync(HttpRequestMessage request)
    {
        using (request)
        {
            return await environment.Http.SendAsync(request);
        }
    }
}
