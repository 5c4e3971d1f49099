using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using IdentityGuard.Consent;
using IdentityGuard.Demo;
using IdentityGuard.Federation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Tests.Federation;

/// <summary>What an attacker can put into the consent path: return URLs, callback error text, serialized requests.</summary>
public sealed class ConsentHygieneTests
{
    private static readonly string[] s_read = [DemoApi.SalesReadScope];

    [Theory]
    [InlineData("https://evil.example@legit.example/done")]
    [InlineData("https://legit.example/done#@evil.example")]
    [InlineData("https://legit.example/DONE")]
    [InlineData("https://legit.example:443/done/")]
    public async Task A_return_url_must_match_a_registered_one_exactly(string attempt)
    {
        await using var env = await FederationEnvironment.StartAsync(
            withConsentHandler: false,
            settings: new Dictionary<string, string?> { ["IdentityGuard:Consent:AllowedReturnUrls:0"] = "https://legit.example/done" });
        var alice = env.SignIn("alice");

        await Assert.ThrowsAsync<ArgumentException>(() => env.Federation.RequestConsentAsync(
            alice, FederationEnvironment.Provider, s_read, new UserTokenRequestOptions { ReturnUrl = new Uri(attempt) }));

        var allowed = await env.Federation.RequestConsentAsync(
            alice, FederationEnvironment.Provider, s_read, new UserTokenRequestOptions { ReturnUrl = new Uri("https://legit.example/done") });
        Assert.NotNull(allowed);
    }

    [Fact]
    public async Task A_callback_error_cannot_pass_for_one_of_our_own_audit_reasons()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var request = await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read);
        var state = System.Web.HttpUtility.ParseQueryString(request.AuthorizationUrl.Query)["state"];

        // Whoever holds the link can send the browser to the callback with any error code, e.g. one of ours.
        await env.Federation.CompleteAsync(new AuthorizationCallback(state, null, "approver_mismatch", null));

        var denied = env.Audit.Events.Last(e => e.Kind == IdentityGuard.Audit.AuditEventKind.Denied);
        Assert.Equal("provider:approver_mismatch", denied.Reason);
    }

    [Fact]
    public async Task Callback_error_text_cannot_forge_audit_lines_or_grow_without_bound()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var request = await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read);
        var state = System.Web.HttpUtility.ParseQueryString(request.AuthorizationUrl.Query)["state"];

        var result = await env.Federation.CompleteAsync(new AuthorizationCallback(
            state, null, "access_denied\r\n2030-01-01 ConsentGranted user=victim", "bad\r\nthings" + new string('x', 100_000)));

        Assert.Equal(ConsentCallbackStatus.Denied, result.Status);
        var denied = env.Audit.Events.Last(e => e.Kind == IdentityGuard.Audit.AuditEventKind.Denied);
        Assert.DoesNotContain('\n', denied.ToString());
        Assert.DoesNotContain('\r', denied.ToString());
        Assert.True(denied.Reason!.Length <= 64, denied.Reason);
        var logged = string.Join('\n', env.Logs.GetSnapshot().Select(r => r.Message));
        Assert.DoesNotContain("ConsentGranted user=victim", logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_waiting_caller_sees_the_callback_error_text_cleaned_and_capped()
    {
        // Whoever holds the link sends the browser to the callback with an error description of their choosing; the
        // request waiting for that consent ends with ConsentDeniedException, whose message must not carry it raw.
        const string Forged = "bad\r\n2030-01-01 ConsentGranted user=victim";
        await using var env = await FederationEnvironment.StartAsync(
            withConsentHandler: false,
            configureAgent: services => services.AddSingleton<IConsentHandler>(new CraftedErrorCallback(Forged + new string('x', 100_000))));
        var alice = env.SignIn("alice");

        var denied = await Assert.ThrowsAsync<ConsentDeniedException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));

        Assert.Equal("access_denied", denied.Error);
        Assert.DoesNotContain('\r', denied.Message);
        Assert.DoesNotContain('\n', denied.Message);
        Assert.Contains("bad2030-01-01 ConsentGranted user=victim", denied.Message, StringComparison.Ordinal);
        Assert.True(denied.Message.Length < 1_000, "the description is capped at 256 characters");
    }

    [Fact]
    public async Task A_pending_consent_never_outlives_the_workload_access_token_it_was_started_with()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var shortLived = env.Workloads.IssueForVerifiedUser(env.IdentityProvider.Issuer.AbsoluteUri, "alice", TimeSpan.FromMinutes(2));
        var expiresAt = env.Workloads.Validate(shortLived).ExpiresAt;

        var request = await env.Federation.RequestConsentAsync(shortLived, FederationEnvironment.Provider, s_read);

        // PendingLifetime is 10 minutes; the workload token lives 2.
        Assert.Equal(expiresAt, request.ExpiresAt);
    }

    [Fact]
    public void Callbacks_and_consent_requests_serialize_without_code_state_or_url()
    {
        var callback = new AuthorizationCallback("state-7f3e", "code-91ab", null, null);
        var request = new ConsentRequest("agent", "idp.user", "Crm", ["crm.notes.read"], ["crm.notes.read"], new Uri("https://login.example/authorize?state=state-7f3e"), DateTimeOffset.UnixEpoch);

        var json = JsonSerializer.Serialize(callback) + JsonSerializer.Serialize(request);

        Assert.DoesNotContain("state-7f3e", json, StringComparison.Ordinal);
        Assert.DoesNotContain("code-91ab", json, StringComparison.Ordinal);
        Assert.Contains("crm.notes.read", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_form_post_the_code_and_state_never_appear_in_a_url()
    {
        await using var env = await FederationEnvironment.StartAsync(
            withConsentHandler: false,
            settings: new Dictionary<string, string?> { ["IdentityGuard:Consent:ResponseMode"] = "FormPost" });
        var alice = env.SignIn("alice");
        var required = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));
        Assert.Contains("response_mode=form_post", required.Request!.AuthorizationUrl.Query, StringComparison.Ordinal);

        Assert.Equal(System.Net.HttpStatusCode.OK, await env.Browser.ApproveAsync(required.Request, "alice"));

        var posted = env.Browser.LastFormPost;
        Assert.NotNull(posted);
        Assert.True(posted.Fields.ContainsKey("code"));
        Assert.Empty(posted.Action.Query);
        Assert.Null(env.Browser.LastCallback);
        var token = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        Assert.Contains(DemoApi.SalesReadScope, token.Scope, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_response_mode_setting_fails_naming_the_key()
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["IdentityGuard:Consent:ResponseMode"] = "fragment" })
            .Build();
        var collection = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        collection.AddIdentityGuardRuntime(configuration).AddUserFederation();
        using var services = collection.BuildServiceProvider();

        var error = Assert.ThrowsAny<Exception>(() => services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ConsentOptions>>().Value);

        Assert.Contains("IdentityGuard:Consent:ResponseMode", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Sends the browser to the callback (the redirect URI named in the link) with a crafted error instead of approving.</summary>
    private sealed class CraftedErrorCallback(string description) : IConsentHandler
    {
        public async ValueTask PresentAsync(ConsentRequest request, System.Threading.CancellationToken cancellationToken)
        {
            var link = System.Web.HttpUtility.ParseQueryString(request.AuthorizationUrl.Query);
            var callback = new Uri($"{link["redirect_uri"]}?state={Uri.EscapeDataString(link["state"]!)}&error=access_denied&error_description={Uri.EscapeDataString(description)}");
            using var browser = new System.Net.Http.HttpClient();
            using var answer = await browser.GetAsync(callback, cancellationToken);
        }
    }
}
