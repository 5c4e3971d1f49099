using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using IdentityGuard.Demo;
using McpCrmServer;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace IdentityGuard.Mcp.Tests;

/// <summary>
/// The MCP CRM server driven by the real MCP C# client with its OAuth support, against the loopback OpenIddict
/// server: discovery, sign-in, consent through URL elicitation, step-up, and users kept apart.
/// </summary>
public sealed class McpRoundTripTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, object?> s_acme = new() { ["clientId"] = "acme" };

    [Fact]
    public async Task Discovery_sign_in_elicitation_approval_and_retry_act_as_the_signed_in_user()
    {
        await using var landscape = await McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output));
        var observer = new HttpObserver();

        await using var maria = await landscape.ConnectAsync("maria", observer);

        // Discovery: the first request had no token and got 401 pointing at the metadata, which the client then read.
        var metadata = new Uri(landscape.Server.Settings.BaseAddress, ".well-known/oauth-protected-resource/mcp");
        var challenge = observer.Exchanges.First(exchange => exchange.Status == HttpStatusCode.Unauthorized);
        Assert.False(challenge.HadAuthorization);
        Assert.Contains($"resource_metadata=\"{metadata.AbsoluteUri}\"", challenge.WwwAuthenticate, StringComparison.Ordinal);
        Assert.Contains($"scope=\"{McpScopes.Use}\"", challenge.WwwAuthenticate, StringComparison.Ordinal);
        Assert.Contains(observer.Exchanges, exchange => exchange.Uri == metadata && exchange.Status == HttpStatusCode.OK);
        Assert.Single(landscape.Landscape.IdentityProvider.ConsentLog.Records, record => record.Request.ClientId == McpDemoLandscape.McpClientId);

        // Tools the token's scopes do not allow are not listed.
        var tools = (await maria.Client.ListToolsAsync()).Select(tool => tool.Name).ToArray();
        Assert.Contains("get_client_notes", tools);
        Assert.DoesNotContain("flag_client", tools);

        // No grant yet: the declared requirement is checked before the tool runs, so the CRM is not called at all.
        var elicitation = await Assert.ThrowsAsync<UrlElicitationRequiredException>(() => maria.Client.CallToolAsync("get_client_notes", s_acme).AsTask());
        var consent = Assert.Single(elicitation.Elicitations);
        Assert.Equal("url", consent.Mode);
        var consentUrl = new Uri(consent.Url!);
        Assert.StartsWith(landscape.Landscape.IdentityProvider.AuthorizationEndpoint.AbsoluteUri, consentUrl.AbsoluteUri, StringComparison.Ordinal);
        Assert.DoesNotContain(consentUrl.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("state=", StringComparison.Ordinal))[6..], consent.ElicitationId!, StringComparison.Ordinal);
        Assert.Empty(landscape.Landscape.Apis.Crm.Calls);

        // Maria approves in her browser; the callback stores her grant.
        using (var approved = await maria.ApproveAsync(consentUrl))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        var result = await maria.Client.CallToolAsync("get_client_notes", s_acme);
        Assert.NotEqual(true, result.IsError);
        Assert.Contains("Acme", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text, StringComparison.Ordinal);

        // The CRM saw Maria, through the server's own client registration: never the MCP client's token.
        var call = Assert.Single(landscape.Landscape.Apis.Crm.Calls);
        Assert.True(call.Succeeded);
        Assert.Equal("maria", call.Subject);
        Assert.Equal(McpDemoLandscape.ServerClientId, call.ClientId);
    }

    [Fact]
    public async Task A_consent_raised_inside_a_Refit_call_becomes_the_elicitation_too()
    {
        // A tool that declares no provider may use any credential only with the opt-out; its consent requirement is
        // then raised by the credential handler inside Refit, which wraps it in ApiRequestException, and no code in the
        // tool catches it.
        await using var landscape = await McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output), configureServer: (builder, _) =>
        {
            builder.Configuration["IdentityGuard:Mcp:ToolsWithoutActsWith"] = "AnyCredential";
            builder.Services.AddSingleton<BackgroundProbe>();
            builder.Services.AddMcpServer().WithTools<CredentialAttackTools>();
        });
        await using var maria = await landscape.ConnectAsync("maria");

        var elicitation = await Assert.ThrowsAsync<UrlElicitationRequiredException>(() => maria.Client.CallToolAsync("undeclared_count_notes", s_acme).AsTask());
        using (var approved = await maria.ApproveAsync(new Uri(elicitation.Elicitations[0].Url!)))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        var result = await maria.Client.CallToolAsync("undeclared_count_notes", s_acme);
        Assert.NotEqual(true, result.IsError);
        Assert.All(landscape.Landscape.Apis.Crm.Calls.Where(call => call.Succeeded), call => Assert.Equal("maria", call.Subject));
        Assert.Contains(landscape.Landscape.Apis.Crm.Calls, call => call.Succeeded);
    }

    [Fact]
    public async Task A_second_user_never_gets_the_first_users_grant()
    {
        await using var landscape = await McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output));
        await using var maria = await landscape.ConnectAsync("maria");
        var first = await Assert.ThrowsAsync<UrlElicitationRequiredException>(() => maria.Client.CallToolAsync("get_client_notes", s_acme).AsTask());
        using (await maria.ApproveAsync(new Uri(first.Elicitations[0].Url!)))
        {
        }

        Assert.NotEqual(true, (await maria.Client.CallToolAsync("get_client_notes", s_acme)).IsError);

        // Sam is asked for his own consent, with his own link.
        await using var sam = await landscape.ConnectAsync("sam");
        var samsConsent = await Assert.ThrowsAsync<UrlElicitationRequiredException>(() => sam.Client.CallToolAsync("get_client_notes", s_acme).AsTask());
        Assert.NotEqual(first.Elicitations[0].Url, samsConsent.Elicitations[0].Url);

        // Maria approving Sam's link (say he forwarded it) does not give Sam her grant: the callback is refused.
        using (var forwarded = await maria.ApproveAsync(new Uri(samsConsent.Elicitations[0].Url!)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forwarded.StatusCode);
        }

        await Assert.ThrowsAsync<UrlElicitationRequiredException>(() => sam.Client.CallToolAsync("get_client_notes", s_acme).AsTask());
        Assert.All(landscape.Landscape.Apis.Crm.Calls, call => Assert.Equal("maria", call.Subject));
    }

    [Fact]
    public async Task A_tool_needing_a_scope_the_token_lacks_gets_insufficient_scope_and_the_client_steps_up()
    {
        await using var landscape = await McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output));
        var observer = new HttpObserver();
        await using var maria = await landscape.ConnectAsync("maria", observer);

        var result = await maria.Client.CallToolAsync("flag_client", s_acme);

        var forbidden = Assert.Single(observer.Exchanges, exchange => exchange.Status == HttpStatusCode.Forbidden);
        Assert.Contains("error=\"insufficient_scope\"", forbidden.WwwAuthenticate, StringComparison.Ordinal);
        var scopes = System.Text.RegularExpressions.Regex.Match(forbidden.WwwAuthenticate!, "scope=\"([^\"]*)\"").Groups[1].Value.Split(' ');
        Assert.Contains(McpScopes.Use, scopes);
        Assert.Contains(McpScopes.Write, scopes);
        Assert.Contains("resource_metadata=\"", forbidden.WwwAuthenticate, StringComparison.Ordinal);

        // The client asked Maria again, this time for the write scope too, and the retried call ran.
        var signIns = landscape.Landscape.IdentityProvider.ConsentLog.Records.Where(record => record.Request.ClientId == McpDemoLandscape.McpClientId).ToArray();
        Assert.Equal(2, signIns.Length);
        Assert.Contains(McpScopes.Write, signIns[1].Request.Scopes);
        Assert.NotEqual(true, result.IsError);
        Assert.Equal("acme flagged for follow-up", Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text);

        // With the stepped-up token, the tool is listed too.
        Assert.Contains("flag_client", (await maria.Client.ListToolsAsync()).Select(tool => tool.Name));
    }

    [Fact]
    public async Task A_refused_step_up_leaves_the_tool_unrun()
    {
        await using var landscape = await McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output), configureIdentityProvider: options =>
            options.ConsentDecision = request => !request.Scopes.Contains(McpScopes.Write));
        await using var maria = await landscape.ConnectAsync("maria");

        await Assert.ThrowsAnyAsync<Exception>(() => maria.Client.CallToolAsync("flag_client", s_acme).AsTask());
    }

    [Fact]
    public async Task A_client_without_URL_elicitation_never_receives_the_consent_link()
    {
        await using var landscape = await McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output));
        await using var maria = await landscape.ConnectAsync("maria", urlElicitation: false);

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => maria.Client.CallToolAsync("get_client_notes", s_acme).AsTask());

        Assert.IsNotType<UrlElicitationRequiredException>(error);
        Assert.DoesNotContain(landscape.Landscape.IdentityProvider.AuthorizationEndpoint.AbsoluteUri, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(landscape.Landscape.Apis.Crm.Calls);
    }
}
