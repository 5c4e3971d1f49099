using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using McpCrmServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace IdentityGuard.Mcp.Tests;

/// <summary>
/// ActsWith enforced where credentials are handed out: while a tool runs, it gets only the providers and scopes it
/// declared, whichever way it asks (generated accessor, Refit client, user federation's own method), and nothing
/// after its call has returned.
/// </summary>
public sealed class CredentialUseTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, object?> s_none = new();
    private static readonly Dictionary<string, object?> s_acme = new() { ["clientId"] = "acme" };

    [Fact]
    public async Task A_declared_provider_is_used_as_declared()
    {
        await using var landscape = await McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output));
        await using var maria = await landscape.ConnectAsync("maria");

        var result = await maria.Client.CallToolAsync("get_client_spend", s_acme);

        Assert.NotEqual(true, result.IsError);
        Assert.StartsWith("acme: ", Text(result), StringComparison.Ordinal);
        var call = Assert.Single(landscape.Landscape.Apis.Finance.Calls);
        Assert.Equal(McpDemoLandscape.ServerClientId, call.ClientId);
    }

    [Fact]
    public async Task A_tool_cannot_take_another_providers_token_through_its_generated_accessor()
    {
        await using var landscape = await StartWithAttackToolsAsync();
        await using var maria = await landscape.ConnectAsync("maria");
        await ApproveDeclaredCrmAsync(maria, "peek_spend_token");
        var tokenRequests = landscape.Landscape.IdentityProvider.TokenRequestCount;

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => maria.Client.CallToolAsync("peek_spend_token", s_none).AsTask());

        AssertNamesToolProviderAndDeclaration(error.Message, "peek_spend_token", "Finance", "[ActsWith<FinanceScopes>(FinanceScopes.SpendRead)]");
        Assert.Equal(tokenRequests, landscape.Landscape.IdentityProvider.TokenRequestCount);
        AssertAudited(landscape, "Finance");
    }

    [Fact]
    public async Task A_tool_cannot_call_another_providers_api_through_a_client_wired_with_its_token()
    {
        await using var landscape = await StartWithAttackToolsAsync();
        await using var maria = await landscape.ConnectAsync("maria");
        await ApproveDeclaredCrmAsync(maria, "peek_spend");

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => maria.Client.CallToolAsync("peek_spend", s_none).AsTask());

        AssertNamesToolProviderAndDeclaration(error.Message, "peek_spend", "Finance", "[ActsWith<FinanceScopes>(FinanceScopes.SpendRead)]");
        Assert.Equal(0, landscape.Landscape.Apis.Finance.RequestCount);
        AssertAudited(landscape, "Finance");
    }

    [Fact]
    public async Task A_tool_cannot_ask_for_scopes_beyond_its_declaration()
    {
        await using var landscape = await StartWithAttackToolsAsync();
        await using var maria = await landscape.ConnectAsync("maria");

        await ApproveDeclaredCrmAsync(maria, "widen_crm_scopes");

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => maria.Client.CallToolAsync("widen_crm_scopes", s_none).AsTask());

        Assert.IsNotType<UrlElicitationRequiredException>(error);
        AssertNamesToolProviderAndDeclaration(error.Message, "widen_crm_scopes", "Crm", "crm.notes.write");
        AssertAudited(landscape, "Crm");
    }

    [Fact]
    public async Task A_tool_without_ActsWith_may_use_no_credential_by_default()
    {
        await using var landscape = await StartWithAttackToolsAsync();
        await using var maria = await landscape.ConnectAsync("maria");

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => maria.Client.CallToolAsync("undeclared_spend", s_none).AsTask());

        AssertNamesToolProviderAndDeclaration(error.Message, "undeclared_spend", "Finance", "[ActsWith<FinanceScopes>(FinanceScopes.SpendRead)]");
        Assert.Equal(0, landscape.Landscape.Apis.Finance.RequestCount);
    }

    [Fact]
    public async Task The_opt_out_lets_tools_without_ActsWith_use_any_credential_and_keeps_declared_tools_enforced()
    {
        await using var landscape = await StartWithAttackToolsAsync(configure: builder => builder.Configuration["IdentityGuard:Mcp:ToolsWithoutActsWith"] = "AnyCredential");
        await using var maria = await landscape.ConnectAsync("maria");

        var undeclared = await maria.Client.CallToolAsync("undeclared_spend", s_none);
        Assert.NotEqual(true, undeclared.IsError);
        Assert.StartsWith("spend ", Text(undeclared), StringComparison.Ordinal);

        await ApproveDeclaredCrmAsync(maria, "peek_spend");
        var error = await Assert.ThrowsAsync<McpProtocolException>(() => maria.Client.CallToolAsync("peek_spend", s_none).AsTask());
        Assert.IsNotType<UrlElicitationRequiredException>(error);
        Assert.Equal(1, landscape.Landscape.Apis.Finance.RequestCount);
    }

    [Fact]
    public async Task Work_a_tool_leaves_behind_gets_no_credential_after_the_call_returned()
    {
        await using var landscape = await StartWithAttackToolsAsync();
        await using var maria = await landscape.ConnectAsync("maria");
        var probe = landscape.Server.Services.GetRequiredService<BackgroundProbe>();

        var result = await maria.Client.CallToolAsync("leave_background_work", s_none);
        Assert.Equal("started", Text(result));
        probe.Release.SetResult();
        var outcome = await probe.Outcome!.WaitAsync(TimeSpan.FromMinutes(1));

        Assert.StartsWith("refused: ", outcome, StringComparison.Ordinal);
        Assert.Contains("leave_background_work", outcome, StringComparison.Ordinal);
        AssertAudited(landscape, "Finance", "tool_call_ended");
    }

    [Fact]
    public async Task An_invalid_opt_out_value_stops_the_host()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => StartWithAttackToolsAsync(configure: builder =>
            builder.Services.Configure<IdentityGuardMcpOptions>(options => options.ToolsWithoutActsWith = (ToolCredentialDefault)7)));

        Assert.Contains("ToolsWithoutActsWith", exception.ToString(), StringComparison.Ordinal);
    }

    private Task<McpLandscape> StartWithAttackToolsAsync(Action<WebApplicationBuilder>? configure = null) =>
        McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output), configureServer: (builder, _) =>
        {
            builder.Services.AddSingleton<BackgroundProbe>();
            builder.Services.AddMcpServer().WithTools<CredentialAttackTools>();
            configure?.Invoke(builder);
        });

    /// <summary>The declared crm.notes.read is checked before the tool runs: Maria approves it first.</summary>
    private static async Task ApproveDeclaredCrmAsync(ScriptedMcpUser user, string tool)
    {
        var consent = await Assert.ThrowsAsync<UrlElicitationRequiredException>(() => user.Client.CallToolAsync(tool, s_none).AsTask());
        using (await user.ApproveAsync(new Uri(consent.Elicitations[0].Url!)))
        {
        }
    }

    private static void AssertNamesToolProviderAndDeclaration(string message, string tool, string provider, string declaration)
    {
        Assert.Contains($"'{tool}'", message, StringComparison.Ordinal);
        Assert.Contains($"'{provider}'", message, StringComparison.Ordinal);
        Assert.Contains(declaration, message, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", message, StringComparison.Ordinal);
    }

    private static void AssertAudited(McpLandscape landscape, string provider, string reason = "credential_not_declared") =>
        Assert.Contains(landscape.Server.Audit.Events, e => e.Kind == AuditEventKind.Denied && e.Provider == provider && e.Reason == reason && e.User is not null);

    private static string Text(CallToolResult result) => Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
}
