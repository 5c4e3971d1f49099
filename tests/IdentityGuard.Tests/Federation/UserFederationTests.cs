using System;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Consent;
using IdentityGuard.Demo;
using IdentityGuard.Federation;
using IdentityGuard.Providers;
using IdentityGuard.Vault;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace IdentityGuard.Tests.Federation;

public sealed class UserFederationTests
{
    private static readonly string[] s_read = [DemoApi.SalesReadScope];
    private static readonly string[] s_readWrite = [DemoApi.SalesReadScope, DemoApi.SalesWriteScope];

    [Fact]
    public async Task The_user_consents_once_and_the_api_sees_the_user_not_the_agent()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var alice = env.SignIn("alice");

        CallerInfo? first;
        CallerInfo? second;
        using (WorkloadContext.Use(alice))
        {
            var http = env.Services.GetRequiredService<IHttpClientFactory>().CreateClient("sales");
            first = await http.GetFromJsonAsync<CallerInfo>(new Uri("whoami", UriKind.Relative));
            second = await http.GetFromJsonAsync<CallerInfo>(new Uri("whoami", UriKind.Relative));
        }

        Assert.Equal("alice", first!.Subject);
        Assert.Equal("alice", second!.Subject);
        Assert.Equal(1, env.Browser.Presented);
        var kinds = env.Audit.Events.Select(e => e.Kind).ToArray();
        Assert.Contains(AuditEventKind.ConsentRequested, kinds);
        Assert.Contains(AuditEventKind.ConsentGranted, kinds);
        Assert.Contains(AuditEventKind.TokenServedFromVault, kinds);
    }

    [Fact]
    public async Task Without_a_consent_handler_the_caller_gets_the_authorization_url_and_consent_completes_later()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");

        var required = await Assert.ThrowsAsync<ConsentRequiredException>(() => env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read));
        Assert.Equal([DemoApi.SalesReadScope], required.Request!.Scopes);
        Assert.DoesNotContain("state=", required.Message, StringComparison.Ordinal);

        // The UI shows the URL; the user approves in their browser.
        await env.Browser.PresentAsync(required.Request, default);

        var token = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        Assert.Contains(DemoApi.SalesReadScope, token.Scope, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_denied_consent_stores_nothing_and_is_audited()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var mallory = env.SignIn("mallory");

        var denied = await Assert.ThrowsAsync<ConsentDeniedException>(() => env.Federation.GetAccessTokenAsync(mallory, FederationEnvironment.Provider, s_read));

        Assert.Equal("access_denied", denied.Error);
        Assert.Null(await env.Services.GetRequiredService<IdentityGuard.Vault.TokenVault>().GetGrantAsync(mallory, FederationEnvironment.Provider));
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "provider:access_denied");
    }

    [Fact]
    public async Task A_replayed_callback_is_rejected()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var alice = env.SignIn("alice");
        await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        var query = System.Web.HttpUtility.ParseQueryString(env.Browser.LastCallback!.Query);

        var replay = await env.Federation.CompleteAsync(new AuthorizationCallback(query["state"], query["code"], null, null, query["iss"]));

        Assert.Equal(ConsentCallbackStatus.Rejected, replay.Status);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "unknown_state");
    }

    [Fact]
    public async Task A_callback_in_another_users_session_is_rejected()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");
        var bob = env.SignIn("bob");
        var request = await env.Federation.RequestConsentAsync(alice, FederationEnvironment.Provider, s_read);
        var response = await FederationEnvironment.AuthorizeAsync(request.AuthorizationUrl, "alice");
        var redemptions = env.IdentityProvider.TokenRequestCount;

        // Alice's genuine code, state and iss, delivered in Bob's session: refused before the code is redeemed.
        var result = await env.Federation.CompleteAsync(
            new AuthorizationCallback(response["state"], response["code"], null, null, response["iss"]), env.Workloads.Validate(bob).UserKey);

        Assert.Equal(ConsentCallbackStatus.Rejected, result.Status);
        Assert.Equal(redemptions, env.IdentityProvider.TokenRequestCount);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Reason == "approver_mismatch");
        Assert.Null(await env.Services.GetRequiredService<TokenVault>().GetGrantAsync(alice, FederationEnvironment.Provider));
    }

    [Fact]
    public async Task Incremental_consent_asks_only_for_the_new_scope()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var alice = env.SignIn("alice");
        await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);

        var token = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_readWrite);

        Assert.Equal(2, env.Browser.Presented);
        var second = env.Browser.Requests.Last();
        Assert.Equal([DemoApi.SalesWriteScope], second.Scopes);
        Assert.Contains(DemoApi.SalesReadScope, second.RequestedScopes);
        Assert.Contains(DemoApi.SalesWriteScope, token.Scope, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Force_authentication_asks_again_even_with_a_grant()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var alice = env.SignIn("alice");
        await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);

        await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read, new UserTokenRequestOptions { ForceAuthentication = true });

        Assert.Equal(2, env.Browser.Presented);
        Assert.Contains("prompt=consent", env.Browser.Requests.Last().AuthorizationUrl.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_grant_needs_consent_again()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var alice = env.SignIn("alice");
        await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);

        Assert.True(await env.Federation.RevokeAsync(alice, FederationEnvironment.Provider));
        await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);

        Assert.Equal(2, env.Browser.Presented);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.GrantRevoked);
    }

    [Fact]
    public async Task Two_users_in_parallel_each_get_their_own_token()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var alice = env.SignIn("alice");
        var bob = env.SignIn("bob");

        async Task<string?> WhoAmI(IdentityGuard.Workload.WorkloadAccessToken user)
        {
            using (WorkloadContext.Use(user))
            {
                var http = env.Services.GetRequiredService<IHttpClientFactory>().CreateClient("sales");
                return (await http.GetFromJsonAsync<CallerInfo>(new Uri("whoami", UriKind.Relative)))!.Subject;
            }
        }

        var results = await Task.WhenAll(WhoAmI(alice), WhoAmI(bob), WhoAmI(alice), WhoAmI(bob));

        Assert.Equal(new string?[] { "alice", "bob", "alice", "bob" }, results);
    }

    [Fact]
    public async Task Without_a_user_bound_to_the_operation_a_user_federation_client_fails_closed()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var http = env.Services.GetRequiredService<IHttpClientFactory>().CreateClient("sales");

        await Assert.ThrowsAsync<CredentialUnavailableException>(() => http.GetAsync(new Uri("whoami", UriKind.Relative)));

        Assert.Equal(0, env.Api.RequestCount);
    }

    [Fact]
    public async Task No_token_or_code_appears_in_logs_or_audit()
    {
        await using var env = await FederationEnvironment.StartAsync();
        var alice = env.SignIn("alice");
        var token = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);
        var code = System.Web.HttpUtility.ParseQueryString(env.Browser.LastCallback!.Query)["code"]!;
        var grant = await env.Services.GetRequiredService<IdentityGuard.Vault.TokenVault>().GetGrantAsync(alice, FederationEnvironment.Provider);

        var secrets = new[] { token.RevealValue(), code, grant!.RefreshToken!.RevealValue(), alice.RevealValue(), env.ClientSecret };
        var text = string.Join('\n', env.Logs.GetSnapshot().Select(r => r.Message + " " + r.Exception + " " + string.Join(',', r.StructuredState?.Select(p => p.Value) ?? [])))
            + string.Join('\n', env.Audit.Events.Select(e => e.ToString()));
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_expired_refresh_token_leads_back_to_consent_not_to_a_failure()
    {
        await using var env = await FederationEnvironment.StartAsync(configureServer: server =>
        {
            server.AccessTokenLifetime = TimeSpan.FromSeconds(2);
            server.RefreshTokenLifetime = TimeSpan.FromSeconds(1);
        });
        var alice = env.SignIn("alice");
        var first = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);

        // Both tokens expire; the server refuses the refresh with invalid_grant, so the user is asked again.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var second = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);

        Assert.False(second.HasSameValue(first));
        Assert.Equal(2, env.Browser.Presented);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Provider == FederationEnvironment.Provider && e.Reason != null && e.Reason.Contains("consent", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_refresh_renews_an_expired_access_token_without_asking_the_user()
    {
        await using var env = await FederationEnvironment.StartAsync(configureServer: server => server.AccessTokenLifetime = TimeSpan.FromSeconds(2));
        var alice = env.SignIn("alice");
        var first = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var second = await env.Federation.GetAccessTokenAsync(alice, FederationEnvironment.Provider, s_read);

        Assert.False(second.HasSameValue(first));
        Assert.Equal(1, env.Browser.Presented);
        Assert.Contains(env.Audit.Events, e => e.Kind == AuditEventKind.TokenRefreshed);
    }

    [Fact]
    public async Task Only_registered_return_urls_are_accepted()
    {
        await using var env = await FederationEnvironment.StartAsync(withConsentHandler: false);
        var alice = env.SignIn("alice");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => env.Federation.RequestConsentAsync(
            alice, FederationEnvironment.Provider, s_read, new UserTokenRequestOptions { ReturnUrl = new Uri("https://evil.example/after-consent") }));

        Assert.Contains("AllowedReturnUrls", error.Message, StringComparison.Ordinal);
    }
}
