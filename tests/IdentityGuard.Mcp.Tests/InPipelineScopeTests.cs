using System;
using System.Collections.Generic;
using System.IO.Pipelines;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using McpCrmServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Xunit;
using Xunit.Abstractions;

namespace IdentityGuard.Mcp.Tests;

/// <summary>
/// The requirement check inside the MCP pipeline, reached without the HTTP endpoint gate answering first: a
/// <c>tools/call</c> body the gate does not inspect, an endpoint mapped without <c>RequireIdentityGuard()</c>, and the
/// stream (stdio) transport. In each, a tool with requirements must not run for a caller who does not meet them.
/// </summary>
public sealed class InPipelineScopeTests(ITestOutputHelper output)
{
    private const string LocalResource = "http://127.0.0.1/mcp";

    private static readonly Dictionary<string, object?> s_acme = new() { ["clientId"] = "acme" };

    [Theory]
    [InlineData(GateSkip.OversizedBody)]
    [InlineData(GateSkip.JsonSuffixMediaType)]
    public async Task A_tool_call_the_endpoint_gate_does_not_inspect_still_needs_the_scope(GateSkip skip)
    {
        var runs = new ToolRuns();
        await using var landscape = await McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output), configureServer: (builder, _) =>
        {
            builder.Services.AddSingleton(runs);
            builder.Services.AddMcpServer().WithTools<ScopedWriteTools>();
        });
        var skipper = new GateSkippingHandler(skip);

        // A protocol version before 2026-07-28: its requests carry no Mcp-Name header the SDK checks, so the gate would
        // have to read the body, and this body is one it does not read.
        await using var maria = await ScriptedMcpUser.ConnectAsync(landscape.Resource, "maria", landscape.ClientRedirect, skipper, protocolVersion: "2025-11-25");

        // Maria's token carries crm.mcp only; archive_client needs crm.mcp.write.
        var error = await Assert.ThrowsAnyAsync<McpProtocolException>(() => maria.Client.CallToolAsync(ScopedWriteTools.Name, s_acme).AsTask());

        // The endpoint gate did not answer (no 403, no step-up sign-in): the MCP pipeline refused the call itself.
        var call = Assert.Single(skipper.ToolCalls);
        Assert.NotEqual(HttpStatusCode.Forbidden, call.Status);
        if (skip == GateSkip.OversizedBody)
        {
            Assert.True(call.Length > 1024 * 1024, $"body of {call.Length} bytes");
        }

        Assert.Contains("insufficient_scope", error.Message, StringComparison.Ordinal);
        Assert.Contains(McpScopes.Write, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, runs.Count);
        Assert.Single(landscape.Landscape.IdentityProvider.ConsentLog.Records, record => record.Request.ClientId == McpDemoLandscape.McpClientId);
    }

    [Fact]
    public async Task An_endpoint_mapped_without_RequireIdentityGuard_never_runs_a_tool_with_requirements()
    {
        var runs = new ToolRuns();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        Configure(builder.Services, builder.Configuration, builder.Logging, runs);
        builder.Services.AddMcpServer().WithHttpTransport().WithTools<ScopedWriteTools>();
        await using var app = builder.Build();
        app.MapMcp("/mcp"); // the mistake: no RequireIdentityGuard(), so no request has a verified caller
        await app.StartAsync();
        var endpoint = new Uri(new Uri(app.Urls.First()), "/mcp");

        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = endpoint }));
        await AssertAnonymousCallsAreRefusedAsync(client, runs);
    }

    [Fact]
    public async Task The_stream_transport_never_runs_a_tool_with_requirements()
    {
        // A stdio-style server: the client writes to one pipe, the server to the other; no HTTP, no caller at all.
        var runs = new ToolRuns();
        var toServer = new Pipe();
        var toClient = new Pipe();
        var builder = Host.CreateApplicationBuilder();
        Configure(builder.Services, builder.Configuration, builder.Logging, runs);
        builder.Services.AddMcpServer().WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream()).WithTools<ScopedWriteTools>();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            await using var client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()));
            await AssertAnonymousCallsAreRefusedAsync(client, runs);
        }
        finally
        {
            await toServer.Writer.CompleteAsync();
            await host.StopAsync();
        }
    }

    private static async Task AssertAnonymousCallsAreRefusedAsync(McpClient client, ToolRuns runs)
    {
        // Control: the pipeline serves anonymous callers a tool that needs nothing.
        var pong = await client.CallToolAsync("ping");
        Assert.Equal("pong", Assert.IsType<TextContentBlock>(Assert.Single(pong.Content)).Text);
        Assert.DoesNotContain(ScopedWriteTools.Name, (await client.ListToolsAsync()).Select(tool => tool.Name));

        var error = await Assert.ThrowsAnyAsync<McpProtocolException>(() => client.CallToolAsync(ScopedWriteTools.Name, s_acme).AsTask());

        Assert.Contains("requires an authenticated caller", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, runs.Count);
    }

    private void Configure(IServiceCollection services, IConfigurationManager configuration, ILoggingBuilder logging, ToolRuns runs)
    {
        logging.ClearProviders().AddProvider(new TestOutputLoggerProvider(output));
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["IdentityGuard:Authorizer:Authority"] = "https://login.example.com/",
            ["IdentityGuard:Authorizer:Audiences:0"] = LocalResource,
            ["IdentityGuard:Mcp:Resource"] = LocalResource,
        });
        services.AddIdentityGuardRuntime(configuration).AddMcp();
        services.AddSingleton(runs);
        services.AddSingleton(McpServerTool.Create((Func<string>)(() => "pong"), new McpServerToolCreateOptions { Name = "ping" }));
    }
}
