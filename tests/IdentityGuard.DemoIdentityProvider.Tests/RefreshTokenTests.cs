using System;
using System.Net;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Demo.Tests;

[Collection(SharedDemoEnvironment.Name)]
public sealed class RefreshTokenTests(DemoEnvironment environment)
{
    private DemoIdentityProvider Idp => environment.IdentityProvider;

    [Fact]
    public async Task RefreshRotatesTheRefreshTokenAndKeepsTheUser()
    {
        var tokens = await environment.SignInAsync("alice");

        var refreshed = await AuthorizationCodeFlow.RefreshAsync(environment.Http, Idp.TokenEndpoint, DemoEnvironment.BriefAgentId, tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal("alice", TokenRequests.ReadPayload(refreshed.AccessToken!).GetProperty("sub").GetString());
        Assert.NotNull(refreshed.RefreshToken);
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
    }

    [Fact]
    public async Task RevokedRefreshTokenIsRejectedAsInvalidGrant()
    {
        var tokens = await environment.SignInAsync("alice");

        await AuthorizationCodeFlow.RevokeAsync(environment.Http, Idp.RevocationEndpoint, DemoEnvironment.BriefAgentId, tokens.RefreshToken!);
        var refreshed = await AuthorizationCodeFlow.RefreshAsync(environment.Http, Idp.TokenEndpoint, DemoEnvironment.BriefAgentId, tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.BadRequest, refreshed.Status);
        Assert.Equal("invalid_grant", refreshed.Error);
    }

    [Fact]
    public async Task DiscoveryListsTheRevocationEndpoint()
    {
        using var response = await environment.Http.GetAsync(Idp.DiscoveryUrl);
        using var document = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(Idp.RevocationEndpoint.AbsoluteUri, document.RootElement.GetProperty("revocation_endpoint").GetString());
    }
}
