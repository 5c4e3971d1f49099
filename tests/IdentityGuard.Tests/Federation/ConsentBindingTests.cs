using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Consent;
using IdentityGuard.Demo;
using IdentityGuard.Federation;
using IdentityGuard.Vault;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Tests.Federation;

/// <summary>
/// Consent is completed only by the user who started it. The attack: user A's agent asks for consent, A forwards the
/// authorization link to user B, B signs in at the provider and approves. Without session binding the callback
/// succeeds and A's agent then calls the API as B.
/// </summary>
public sealed class ConsentBindingTests
{
    private static readonly string[] s_read = [DemoApi.SalesReadScope];

    [Fact]
    public async Task A_consent_link_forwarded_to_another_user_and_approved_by_them_is_refused()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var required = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));

        // Alice forwards the link; Bob opens it, signs in at the identity provider as himself and approves.
        var callbackStatus = await env.Browser.ApproveAsync(required.Request!, "bob");

        Assert.Equal(HttpStatusCode.BadRequest, callbackStatus);
        Assert.Null(await env.Services.GetRequiredService<TokenVault>().GetGrantAsync(alice, FederationEnvironment.Provider));
        await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "approver_mismatch");
        Assert.DoesNotContain(env.Audit.Events, e => e.Kind == AuditEventKind.ConsentGranted);
    }

    [Fact]
    public async Task A_waiting_request_ends_denied_when_another_user_approves_its_link()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var alice = env.SignIn("alice");

        // The consent handler shows Alice's link, but Bob is the one signed in at the identity provider.
        env.Browser.Subjects[env.Workloads.Validate(alice).UserKey] = "bob";
        var denied = await Assert.ThrowsAsync<ConsentDeniedException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));

        Assert.Equal("approver_mismatch", denied.Error);
        Assert.Equal(0, env.Api.RequestCount);
    }

    [Fact]
    public async Task The_user_who_started_the_consent_completes_it_and_is_verified_by_the_providers_id_token()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var required = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));

        Assert.Contains("nonce=", required.Request!.AuthorizationUrl.Query, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await env.Browser.ApproveAsync(required.Request, "alice"));

        var token = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        Assert.Contains(DemoApi.SalesReadScope, token.Scope, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consent_that_cannot_be_bound_to_a_user_is_refused_by_default()
    {
        // The user was named by the application (no identity provider verified them), so the provider's ID token
        // cannot prove who approved, and the loopback listener knows no signed-in user.
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var job = env.SignInTrusted("alice");
        var required = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(job, FederationEnvironment.Provider, s_read));

        Assert.Equal(HttpStatusCode.BadRequest, await env.Browser.ApproveAsync(required.Request!, "alice"));

        Assert.Null(await env.Services.GetRequiredService<TokenVault>().GetGrantAsync(job, FederationEnvironment.Provider));
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "approver_unverified");
    }

    [Fact]
    public async Task Turning_session_binding_off_is_an_explicit_opt_out_that_completes_unverified_consent()
    {
        await using var env = await FederationEnvironment.StartAsync(
            withConsentHandler: false,
            settings: new Dictionary<string, string?> { ["IdentityGuard:Consent:RequireSessionBinding"] = "false" });
        var job = env.SignInTrusted("alice");
        var required = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(job, FederationEnvironment.Provider, s_read));

        Assert.Equal(HttpStatusCode.OK, await env.Browser.ApproveAsync(required.Request!, "alice"));

        Assert.NotNull(await env.Services.GetRequiredService<TokenVault>().GetGrantAsync(job, FederationEnvironment.Provider));
        Assert.Contains(env.Logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning && r.Message.Contains("RequireSessionBinding", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Even_with_binding_off_an_id_token_naming_another_user_is_refused()
    {
        await using var env = await FederationEnvironment.StartAsync(
            withConsentHandler: false,
            settings: new Dictionary<string, string?> { ["IdentityGuard:Consent:RequireSessionBinding"] = "false" });
        var alice = env.SignIn("alice");
        var required = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));

        Assert.Equal(HttpStatusCode.BadRequest, await env.Browser.ApproveAsync(required.Request!, "bob"));

        Assert.Null(await env.Services.GetRequiredService<TokenVault>().GetGrantAsync(alice, FederationEnvironment.Provider));
    }

    [Fact]
    public async Task A_code_issued_for_another_users_request_cannot_complete_this_one()
    {
        // Bob approves his own request, then sends his code (with the provider's genuine iss) against Alice's state:
        // the code was issued for Bob's request, bound to its PKCE challenge and nonce, so it cannot complete Alice's.
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var bob = env.SignIn("bob");
        var aliceRequest = await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read);
        var bobRequest = await env.Federation.RequestConsentAsync(bob, FederationEnvironment.Provider, s_read);
        var bobsResponse = await FederationEnvironment.AuthorizeAsync(bobRequest.AuthorizationUrl, "bob");
        var aliceState = System.Web.HttpUtility.ParseQueryString(aliceRequest.AuthorizationUrl.Query)["state"];
        Assert.False(string.IsNullOrEmpty(bobsResponse["iss"]), "the demo server sends RFC 9207 iss");
        var redemptions = env.IdentityProvider.TokenRequestCount;

        var result = await env.Federation.CompleteAsync(new AuthorizationCallback(aliceState, bobsResponse["code"], null, null, bobsResponse["iss"]));

        // The code reached the token endpoint with Alice's PKCE verifier, and the server refused it.
        Assert.Equal(ConsentCallbackStatus.Rejected, result.Status);
        Assert.Equal(redemptions + 1, env.IdentityProvider.TokenRequestCount);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "provider:invalid_grant");
        Assert.Null(await env.Services.GetRequiredService<TokenVault>().GetGrantAsync(alice, FederationEnvironment.Provider));
        Assert.Null(await env.Services.GetRequiredService<TokenVault>().GetGrantAsync(bob, FederationEnvironment.Provider));
    }

    [Fact]
    public async Task Removing_openid_from_the_link_does_not_let_a_delivering_session_vouch_for_the_approver()
    {
        // Bob strips openid and the nonce from Alice's link, approves as himself, then gets Alice's signed-in browser
        // to deliver his code to the callback: the session says Alice, but nothing says who approved.
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var request = await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read);
        var query = System.Web.HttpUtility.ParseQueryString(request.AuthorizationUrl.Query);
        query["scope"] = string.Join(' ', query["scope"]!.Split(' ').Where(scope => scope != "openid"));
        query.Remove("nonce");
        var stripped = new UriBuilder(request.AuthorizationUrl) { Query = query.ToString() }.Uri;
        var response = await FederationEnvironment.AuthorizeAsync(stripped, "bob");
        Assert.NotNull(response["code"]);

        var result = await env.Federation.CompleteAsync(
            new AuthorizationCallback(response["state"], response["code"], null, null, response["iss"]), env.Workloads.Validate(alice).UserKey);

        Assert.Equal(ConsentCallbackStatus.Rejected, result.Status);
        Assert.Null(await env.Services.GetRequiredService<TokenVault>().GetGrantAsync(alice, FederationEnvironment.Provider));
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "approver_unverified");
    }

    [Fact]
    public async Task An_authorization_response_naming_another_issuer_is_refused_before_the_code_is_redeemed()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var request = await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read);
        var response = await FederationEnvironment.AuthorizeAsync(request.AuthorizationUrl, "alice");
        Assert.False(string.IsNullOrEmpty(response["iss"]), "the demo server sends RFC 9207 iss");

        var redemptions = env.IdentityProvider.TokenRequestCount;

        var mixedUp = await env.Federation.CompleteAsync(new AuthorizationCallback(response["state"], response["code"], null, null, "https://evil.example/"));

        Assert.Equal(ConsentCallbackStatus.Rejected, mixedUp.Status);
        Assert.Equal(redemptions, env.IdentityProvider.TokenRequestCount);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "issuer_mismatch");
        Assert.Null(await env.Services.GetRequiredService<TokenVault>().GetGrantAsync(alice, FederationEnvironment.Provider));
    }

    [Fact]
    public async Task An_authorization_response_without_iss_is_refused_when_the_provider_promises_it()
    {
        // RFC 9207: the demo server advertises authorization_response_iss_parameter_supported, so a response that
        // lost its iss (a mix-up attacker strips it) is not redeemed.
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var request = await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read);
        var response = await FederationEnvironment.AuthorizeAsync(request.AuthorizationUrl, "alice");
        var redemptions = env.IdentityProvider.TokenRequestCount;

        var stripped = await env.Federation.CompleteAsync(new AuthorizationCallback(response["state"], response["code"], null, null, Issuer: null));

        Assert.Equal(ConsentCallbackStatus.Rejected, stripped.Status);
        Assert.Equal(redemptions, env.IdentityProvider.TokenRequestCount);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "issuer_mismatch");
        Assert.Null(await env.Services.GetRequiredService<TokenVault>().GetGrantAsync(alice, FederationEnvironment.Provider));
    }
}
