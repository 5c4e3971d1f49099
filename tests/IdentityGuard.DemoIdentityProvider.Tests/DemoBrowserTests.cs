using System;
using System.Net;
using System.Threading.Tasks;
using Xunit;

namespace IdentityGuard.Demo.Tests;

[Collection(SharedDemoEnvironment.Name)]
public sealed class DemoBrowserTests(DemoEnvironment environment)
{
    private DemoIdentityProvider Idp => environment.IdentityProvider;

    [Fact]
    public async Task SignsTheUserInAndStopsAtTheRedirectToTheClient()
    {
        Idp.ResetCounters();
        var request = CreateRequest(loginHint: "mallory");
        using var browser = new DemoBrowser("alice");

        var redirect = await browser.AuthorizeAsync(request.Url);

        // The browser's user replaced the URL's login_hint, so consent was asked of alice (mallory would refuse).
        Assert.True(redirect.IsSuccess, redirect.ErrorDescription);
        Assert.Equal(request.State, redirect.State);
        Assert.Equal(environment.Callback.CallbackUri.AbsoluteUri, redirect.RedirectUri.GetLeftPart(UriPartial.Path));
        Assert.Equal(Idp.Issuer.AbsoluteUri, redirect.Issuer);
        Assert.DoesNotContain(redirect.Code!, redirect.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(request.State, environment.Callback.ReceivedStates.ToArray());

        Assert.Equal(1, Idp.AuthorizationRequestCount);
        var consent = Assert.Single(Idp.ConsentLog.Records);
        Assert.True(consent.Granted);
        Assert.Equal("alice", consent.Request.User.Subject);
        Assert.Equal(DemoEnvironment.BriefAgentId, consent.Request.ClientId);
        Assert.Contains(DemoBusinessApis.CrmNotesReadScope, consent.Request.Scopes);

        var tokens = await AuthorizationCodeFlow.RedeemAsync(
            environment.Http, Idp.TokenEndpoint, DemoEnvironment.BriefAgentId, environment.Callback.CallbackUri, redirect.Code!, request.Verifier);
        Assert.Equal("alice", TokenRequests.ReadPayload(tokens.AccessToken!).GetProperty("sub").GetString());
        Assert.NotNull(tokens.RefreshToken);
    }

    [Fact]
    public async Task RefusedConsentRedirectsWithAccessDenied()
    {
        Idp.ResetCounters();
        using var browser = new DemoBrowser("mallory");

        var redirect = await browser.AuthorizeAsync(CreateRequest().Url);

        Assert.False(redirect.IsSuccess);
        Assert.Equal("access_denied", redirect.Error);
        Assert.Null(redirect.Code);
        var consent = Assert.Single(Idp.ConsentLog.Records);
        Assert.False(consent.Granted);
    }

    [Fact]
    public async Task FollowsTheRedirectToTheClientsCallback()
    {
        var request = CreateRequest();
        using var browser = new DemoBrowser("alice");

        using var response = await browser.AuthorizeAndFollowAsync(request.Url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(request.State, environment.Callback.ReceivedStates.ToArray());
    }

    [Fact]
    public async Task UnregisteredRedirectUriIsAnErrorNotARedirect()
    {
        var request = AuthorizationCodeFlow.CreateRequest(
            Idp.AuthorizationEndpoint, DemoEnvironment.BriefAgentId, new Uri("http://127.0.0.1:9/elsewhere"), DemoEnvironment.AllBusinessScopes);
        using var browser = new DemoBrowser("alice");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => browser.AuthorizeAsync(request.Url));

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusesToLeaveLoopback()
    {
        using var browser = new DemoBrowser("alice");

        await Assert.ThrowsAsync<InvalidOperationException>(() => browser.AuthorizeAsync(new Uri("https://login.example.com/authorize")));
    }

    private PkceAuthorizationRequest CreateRequest(string? loginHint = null) =>
        AuthorizationCodeFlow.CreateRequest(
            Idp.AuthorizationEndpoint, DemoEnvironment.BriefAgentId, environment.Callback.CallbackUri, DemoEnvironment.AllBusinessScopes, loginHint);
}
