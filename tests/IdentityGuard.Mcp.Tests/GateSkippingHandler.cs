using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Mcp.Tests;

/// <summary>How a <c>tools/call</c> body is made to pass the HTTP endpoint gate uninspected.</summary>
public enum GateSkip
{
    /// <summary>The same JSON-RPC message followed by more than 1 MB of JSON whitespace (the gate reads at most 1 MB).</summary>
    OversizedBody,

    /// <summary>The same JSON-RPC message as a <c>+json</c> media type, which the gate does not inspect but the MCP SDK reads.</summary>
    JsonSuffixMediaType,
}

/// <summary>
/// Sits innermost in the MCP client's HTTP stack (below the OAuth handler) and rewrites every <c>tools/call</c> body so
/// that the endpoint gate of <c>RequireIdentityGuard()</c> does not look at it, while the MCP endpoint still accepts it.
/// </summary>
internal sealed class GateSkippingHandler(GateSkip skip) : DelegatingHandler
{
    private readonly List<(long Length, HttpStatusCode Status)> _toolCalls = [];

    /// <summary>The body length and response status of every rewritten <c>tools/call</c> request.</summary>
    public IReadOnlyList<(long Length, HttpStatusCode Status)> ToolCalls
    {
        get
        {
            lock (_toolCalls)
            {
                return _toolCalls.ToArray();
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post || request.Content is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var body = await request.Content.ReadAsStringAsync(cancellationToken);
        if (!IsToolCall(body))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        request.Content = skip switch
        {
            GateSkip.OversizedBody => new StringContent(body + new string(' ', (1024 * 1024) + 1), Encoding.UTF8, "application/json"),
            GateSkip.JsonSuffixMediaType => new StringContent(body, Encoding.UTF8, "application/vnd.contoso.mcp+json"),
            _ => throw new InvalidOperationException($"Unknown way to skip the gate: {skip}."),
        };
        var length = (await request.Content.ReadAsByteArrayAsync(cancellationToken)).LongLength;
        var response = await base.SendAsync(request, cancellationToken);
        lock (_toolCalls)
        {
            _toolCalls.Add((length, response.StatusCode));
        }

        return response;
    }

    private static bool IsToolCall(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("method", out var method)
                && method.ValueEquals("tools/call");
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
