using System.Linq;
using System.Net;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Demo.Tests;

[Collection(SharedDemoEnvironment.Name)]
public sealed class ClientCredentialsTests(DemoEnvironment environment)
{
    private DemoIdentityProvider Idp => environment.IdentityProvider;

    [Fact]
    public async Task IssuesSignedJwtWithClientSubjectScopesAndAudience()
    {
        var response = await TokenRequests.ClientCredentialsAsync(
            environment.Http, Idp.TokenEndpoint, DemoEnvironment.AgentId, DemoEnvironment.AgentSecret, "sales.read sales.write");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Bearer", response.Body.GetProperty("token_type").GetString());
        Assert.InRange(response.Body.GetProperty("expires_in").GetInt32(), 3500, 3600);

        var payload = TokenRequests.ReadPayload(response.AccessToken!);
        Assert.Equal(DemoEnvironment.AgentId, payload.GetProperty("sub").GetString());
        Assert.Equal(Idp.Issuer.AbsoluteUri, payload.GetProperty("iss").GetString());
        Assert.Equal(["sales.read", "sales.write"], payload.GetProperty("scope").GetString()!.Split(' ').Order());
        var audience = payload.GetProperty("aud");
        var audiences = audience.ValueKind == JsonValueKind.Array
            ? audience.EnumerateArray().Select(value => value.GetString()).ToArray()
            : [audience.GetString()];
        Assert.Contains(DemoApiOptions.DefaultAudience, audiences);
    }

    [Fact]
    public async Task WrongSecretIsRejectedAsInvalidClient()
    {
        var response = await TokenRequests.ClientCredentialsAsync(
            environment.Http, Idp.TokenEndpoint, DemoEnvironment.AgentId, "not-the-secret", "sales.read");

        Assert.Contains(response.Status, new[] { HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized });
        Assert.Equal("invalid_client", response.Error);
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task UnknownClientIsRejectedAsInvalidClient()
    {
        var response = await TokenRequests.ClientCredentialsAsync(
            environment.Http, Idp.TokenEndpoint, "nobody", "whatever", "sales.read");

        Assert.Equal("invalid_client", response.Error);
    }

    [Fact]
    public async Task UnknownScopeIsRejectedAsInvalidScope()
    {
        var response = await TokenRequests.ClientCredentialsAsync(
            environment.Http, Idp.TokenEndpoint, DemoEnvironment.AgentId, DemoEnvironment.AgentSecret, "payroll.read");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_scope", response.Error);
    }

    [Fact]
    public async Task ScopeTheClientIsNotAllowedIsRejected()
    {
        var response = await TokenRequests.ClientCredentialsAsync(
            environment.Http, Idp.TokenEndpoint, DemoEnvironment.ReaderId, DemoEnvironment.ReaderSecret, "sales.write");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.NotNull(response.Error);
        Assert.Null(response.AccessToken);
    }

    [Fact]
    public async Task CountsEveryPostToTheTokenEndpoint()
    {
        Idp.ResetCounters();

        await TokenRequests.ClientCredentialsAsync(environment.Http, Idp.TokenEndpoint, DemoEnvironment.AgentId, DemoEnvironment.AgentSecret, "sales.read");
        await TokenRequests.ClientCredentialsAsync(environment.Http, Idp.TokenEndpoint, DemoEnvironment.AgentId, "wrong", "sales.read");
        using (await environment.Http.GetAsync(Idp.DiscoveryUrl))
        {
            // Discovery is not a token request.
        }

        Assert.Equal(2, Idp.TokenRequestCount);
    }

    [Fact]
    public async Task DiscoveryDocumentPointsAtTheRealEndpoints()
    {
        using var response = await environment.Http.GetAsync(Idp.DiscoveryUrl);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;

        Assert.Equal(Idp.Issuer.AbsoluteUri, root.GetProperty("issuer").GetString());
        Assert.Equal(Idp.TokenEndpoint.AbsoluteUri, root.GetProperty("token_endpoint").GetString());
        Assert.Equal(Idp.AuthorizationEndpoint.AbsoluteUri, root.GetProperty("authorization_endpoint").GetString());
        Assert.Equal("127.0.0.1", Idp.Issuer.Host);
        Assert.NotEqual(0, Idp.Issuer.Port);
    }
}
