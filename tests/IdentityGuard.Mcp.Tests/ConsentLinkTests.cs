using System;
using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol;
using Xunit;
using Xunit.Abstractions;

namespace IdentityGuard.Mcp.Tests;

/// <summary>The consent link is a capability: it reaches only the user the consent was started for.</summary>
public sealed class ConsentLinkTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_consent_raised_for_another_user_never_sends_her_link_to_the_caller()
    {
        await using var landscape = await McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output), configureServer: (builder, _) =>
        {
            builder.Services.AddHttpContextAccessor();
            builder.Services.AddMcpServer().WithTools<ConfusedDeputyTools>();
        });
        await using var maria = await landscape.ConnectAsync("maria");

        // Maria approves the CRM for herself first, so the tool's own declaration is met and the tool runs.
        var own = await Assert.ThrowsAsync<UrlElicitationRequiredException>(() => maria.Client.CallToolAsync("get_client_notes", new Dictionary<string, object?> { ["clientId"] = "acme" }).AsTask());
        using (var approved = await maria.ApproveAsync(new Uri(own.Elicitations[0].Url!)))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        // The model asks the tool to act for Sam, who has not consented: the consent raised is Sam's.
        var error = await Assert.ThrowsAnyAsync<McpProtocolException>(() => maria.Client.CallToolAsync(
            ConfusedDeputyTools.Name, new Dictionary<string, object?> { ["subject"] = "sam", ["clientId"] = "acme" }).AsTask());

        Assert.IsNotType<UrlElicitationRequiredException>(error);
        Assert.Contains("only another user can give", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(landscape.Landscape.IdentityProvider.AuthorizationEndpoint.AbsoluteUri, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("state=", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(landscape.Landscape.Apis.Crm.Calls);
    }
}
