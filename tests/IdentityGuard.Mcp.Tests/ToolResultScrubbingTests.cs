using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Mcp.Results;
using IdentityGuard.Scrubbing;
using McpCrmServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using Xunit;
using Xunit.Abstractions;

namespace IdentityGuard.Mcp.Tests;

/// <summary>
/// Tool results are scrubbed before the client (and the model) sees them: structured content and embedded text
/// resources as well as text blocks, with an audit event naming the tool, and before any processor of the application.
/// </summary>
public sealed class ToolResultScrubbingTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, object?> s_none = new();

    [Fact]
    public async Task A_token_in_structured_content_never_reaches_the_client()
    {
        await using var landscape = await StartAsync();
        await using var maria = await landscape.ConnectAsync("maria");

        var result = await maria.Client.CallToolAsync(ResultLeakTools.Structured, s_none);

        var structured = result.StructuredContent?.GetRawText();
        Assert.NotNull(structured);
        Assert.Contains(CredentialScrubber.Marker, structured, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", structured, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_in_an_embedded_text_resource_never_reaches_the_client()
    {
        await using var landscape = await StartAsync();
        await using var maria = await landscape.ConnectAsync("maria");

        var result = await maria.Client.CallToolAsync(ResultLeakTools.Embedded, s_none);

        var resource = Assert.IsType<TextResourceContents>(Assert.IsType<EmbeddedResourceBlock>(Assert.Single(result.Content)).Resource);
        Assert.StartsWith("session token: ", resource.Text, StringComparison.Ordinal);
        Assert.Contains(CredentialScrubber.Marker, resource.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", resource.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ResultLeakTools.Failing)]
    [InlineData(ResultLeakTools.FailingSubclass)]
    public async Task A_token_in_a_tool_error_message_never_reaches_the_client(string tool)
    {
        await using var landscape = await StartAsync();
        await using var maria = await landscape.ConnectAsync("maria");

        var result = await maria.Client.CallToolAsync(tool, s_none);

        Assert.True(result.IsError);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        Assert.Contains("the CRM refused session", text, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redaction_is_audited_naming_the_tool_and_not_the_token()
    {
        await using var landscape = await StartAsync();
        await using var maria = await landscape.ConnectAsync("maria");

        await maria.Client.CallToolAsync(ResultLeakTools.Structured, s_none);

        var redacted = Assert.Single(landscape.Server.Audit.Events, e => e.Kind == AuditEventKind.CredentialRedacted);
        Assert.Equal("mcp-crm-server", redacted.Workload);
        Assert.Contains("mcp tool " + ResultLeakTools.Structured, redacted.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", redacted.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_processor_sees_the_scrubbed_result_even_when_registered_first()
    {
        var recorder = new RecordingResultProcessor();

        // Registered before AddMcp (the server's set-up runs after this), so before the scrubber in the service list.
        await using var landscape = await StartAsync(builder => builder.Services.AddSingleton<IMcpToolResultProcessor>(recorder));
        await using var maria = await landscape.ConnectAsync("maria");

        await maria.Client.CallToolAsync(ResultLeakTools.Structured, s_none);
        await maria.Client.CallToolAsync(ResultLeakTools.Embedded, s_none);

        Assert.Equal(2, recorder.Seen.Count);
        Assert.All(recorder.Seen, seen =>
        {
            Assert.Contains(CredentialScrubber.Marker, seen, StringComparison.Ordinal);
            Assert.DoesNotContain("eyJ", seen, StringComparison.Ordinal);
        });
    }

    private Task<McpLandscape> StartAsync(Action<WebApplicationBuilder>? configure = null) =>
        McpLandscape.StartAsync(log: new TestOutputLoggerProvider(output), configureServer: (builder, _) =>
        {
            configure?.Invoke(builder);
            builder.Services.AddHttpContextAccessor();
            builder.Services.AddMcpServer().WithTools<ResultLeakTools>();
        });
}
