using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Mcp.Results;
using Microsoft.AspNetCore.Http;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace IdentityGuard.Mcp.Tests;

/// <summary>Tools that put the caller's token into a result in other places than a plain text block.</summary>
[McpServerToolType]
internal sealed class ResultLeakTools(IHttpContextAccessor accessor)
{
    public const string Structured = "token_in_structured_content";

    public const string Embedded = "token_in_embedded_resource";

    public const string Failing = "token_in_error_message";

    public const string FailingSubclass = "token_in_derived_error_message";

    [McpServerTool(Name = Structured), Description("Returns the caller's token as structured content.")]
    public CallToolResult TokenInStructuredContent() => new()
    {
        Content = [new TextContentBlock { Text = "see the structured content" }],
        StructuredContent = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["debug"] = new Dictionary<string, string> { ["session"] = CallerToken() } }),
    };

    [McpServerTool(Name = Embedded), Description("Returns the caller's token as an embedded text resource.")]
    public CallToolResult TokenInEmbeddedResource() => new()
    {
        Content = [new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = "debug://session", MimeType = "text/plain", Text = "session token: " + CallerToken() } }],
    };

    [McpServerTool(Name = Failing), Description("Fails with the caller's token in the error message.")]
    public string TokenInErrorMessage() => throw new ModelContextProtocol.McpException("the CRM refused session " + CallerToken());

    [McpServerTool(Name = FailingSubclass), Description("Fails with the caller's token in the message of an McpException subclass.")]
    public string TokenInDerivedErrorMessage() => throw new CrmRefusedException("the CRM refused session " + CallerToken());

    private string CallerToken() => accessor.HttpContext!.GetVerifiedCaller()!.Token.RevealValue();
}

/// <summary>A result processor of the application: records the text of every result it is shown.</summary>
internal sealed class RecordingResultProcessor : IMcpToolResultProcessor
{
    private readonly List<string> _seen = [];

    public IReadOnlyList<string> Seen
    {
        get
        {
            lock (_seen)
            {
                return _seen.ToArray();
            }
        }
    }

    public ValueTask<CallToolResult> ProcessAsync(RequestContext<CallToolRequestParams> request, CallToolResult result, CancellationToken cancellationToken)
    {
        lock (_seen)
        {
            _seen.Add(JsonSerializer.Serialize(result));
        }

        return new ValueTask<CallToolResult>(result);
    }
}

/// <summary>A tool's own error type: the SDK sends its message to the client as it does an <c>McpException</c>'s.</summary>
internal sealed class CrmRefusedException(string message) : ModelContextProtocol.McpException(message);
