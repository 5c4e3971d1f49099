using System;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Scrubbing;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace IdentityGuard.Mcp.Results;

/// <summary>
/// The run-time twin of IG0301 for MCP: every tool result's text blocks, embedded text resources and structured
/// content pass through the <see cref="CredentialScrubber"/> before they leave for the client, and so for the model.
/// Registered by <c>AddIdentityGuard</c> on the MCP server builder, first among the result processors.
/// </summary>
internal sealed class CredentialScrubbingProcessor : IMcpToolResultProcessor
{
    private readonly CredentialScrubber _scrubber;

    public CredentialScrubbingProcessor(IServiceProvider services) =>
        // Without the generated AddIdentityGuard there are no held values, but token shapes are still found.
        _scrubber = services.GetService(typeof(CredentialScrubber)) as CredentialScrubber ?? new CredentialScrubber(new HeldCredentials());

    public ValueTask<CallToolResult> ProcessAsync(RequestContext<CallToolRequestParams> request, CallToolResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var origin = "mcp tool " + (request?.Params?.Name ?? "?");
        foreach (var block in result.Content)
        {
            if (block is TextContentBlock text)
            {
                text.Text = _scrubber.Scrub(text.Text, origin);
            }
            else if (block is EmbeddedResourceBlock { Resource: TextResourceContents resource })
            {
                // An embedded text resource reaches the model as text too.
                resource.Text = _scrubber.Scrub(resource.Text, origin);
            }
        }

        if (result.StructuredContent is { } structured)
        {
            result.StructuredContent = _scrubber.Scrub(structured, origin);
        }

        return new ValueTask<CallToolResult>(result);
    }
}
