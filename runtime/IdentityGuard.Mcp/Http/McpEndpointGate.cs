using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using IdentityGuard.AspNetCore;
using IdentityGuard.Authorization;
using IdentityGuard.Mcp.Diagnostics;
using IdentityGuard.Mcp.Metadata;
using IdentityGuard.Mcp.Passthrough;
using IdentityGuard.Mcp.Requirements;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace IdentityGuard.Mcp.Http;

/// <summary>
/// Runs in front of the MCP endpoint, after authentication and authorization. It takes the caller's bearer token off
/// the request, so nothing in the MCP pipeline (a tool reading the request's headers) can forward it, and answers a
/// <c>tools/call</c> for which the token lacks scopes with <c>403</c> and an <c>insufficient_scope</c> challenge naming
/// the scopes to ask for, which an MCP client turns into a step-up authorization.
/// </summary>
internal static class McpEndpointGate
{
    private const int MaxInspectedBody = 1024 * 1024;

    public static async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var caller = context.GetVerifiedCaller();
        if (caller is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // The token was verified; from here on it is only reachable as the redacted VerifiedCaller.Token.
        context.Request.Headers.Remove(HeaderNames.Authorization);

        if (HttpMethods.IsPost(context.Request.Method))
        {
            var tools = await CalledToolsAsync(context.Request).ConfigureAwait(false);
            if (tools.Count > 0)
            {
                var catalog = context.RequestServices.GetRequiredService<ToolRequirementCatalog>();
                var missing = tools.SelectMany(tool => catalog.For(tool).MissingScopes(caller)).Distinct(StringComparer.Ordinal).ToArray();
                if (missing.Length > 0)
                {
                    var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(McpEndpointGate));
                    var toolNames = string.Join(", ", tools);
                    var scopes = string.Join(' ', missing);
                    McpLog.InsufficientScope(logger, toolNames, scopes);

                    Forbid(context, caller, missing);
                    return;
                }
            }
        }

        using (InboundTokenContext.Use(caller.Token))
        {
            await next(context).ConfigureAwait(false);
        }
    }

    private static void Forbid(HttpContext context, VerifiedCaller caller, IReadOnlyList<string> missing)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<IdentityGuardMcpOptions>>().Value;

        // The scopes the token has plus the missing ones: a client that re-authorizes with exactly this list keeps
        // what it could already do (SEP-2350 asks clients to add them to earlier scopes anyway).
        var scope = string.Join(' ', caller.Scopes.Concat(missing).Distinct(StringComparer.Ordinal));
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Append(
            HeaderNames.WWWAuthenticate,
            BearerChallenge.Build(
                AuthorizationErrors.InsufficientScope,
                $"The tool requires scope(s) {string.Join(' ', missing)}.",
                scope,
                options.Resource is null ? null : ProtectedResourceAddress.For(options.Resource).AbsoluteUri));
    }

    /// <summary>The tool names of the <c>tools/call</c> requests in a JSON-RPC body (a message or a batch); the body stays readable.</summary>
    private static async Task<IReadOnlyList<string>> CalledToolsAsync(HttpRequest request)
    {
        if (request.ContentLength is > MaxInspectedBody || request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return [];
        }

        request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, default, request.HttpContext.RequestAborted).ConfigureAwait(false);
            var names = new List<string>();
            if (document.RootElement.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in document.RootElement.EnumerateArray())
                {
                    AddToolName(message, names);
                }
            }
            else
            {
                AddToolName(document.RootElement, names);
            }

            return names;
        }
        catch (JsonException)
        {
            // Not JSON-RPC: the MCP endpoint answers the parse error itself.
            return [];
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static void AddToolName(JsonElement message, List<string> names)
    {
        if (message.ValueKind == JsonValueKind.Object
            && message.TryGetProperty("method", out var method) && method.ValueEquals("tools/call")
            && message.TryGetProperty("params", out var parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            names.Add(name.GetString()!);
        }
    }
}
