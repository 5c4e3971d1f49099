using System.Threading;
using System.Threading.Tasks;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace IdentityGuard.Mcp.Results;

/// <summary>
/// Post-processes the result of every tool call before it leaves for the client (and so for the model): register
/// implementations as services (<c>services.AddSingleton&lt;IMcpToolResultProcessor, …&gt;()</c>); they run in
/// registration order, after the tool returned and inside the caller's workload context.
/// </summary>
public interface IMcpToolResultProcessor
{
    /// <summary>Returns the result to send: <paramref name="result"/> itself, changed, or a replacement.</summary>
    /// <param name="request">The tool call.</param>
    /// <param name="result">The tool's result.</param>
    /// <param name="cancellationToken">The call's cancellation.</param>
    ValueTask<CallToolResult> ProcessAsync(RequestContext<CallToolRequestParams> request, CallToolResult result, CancellationToken cancellationToken);
}
