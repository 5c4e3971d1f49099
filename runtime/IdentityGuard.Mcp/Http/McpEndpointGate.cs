using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
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
/// <remarks>
/// The SDK offers no hook between its parse of the body and the dispatch where the HTTP status can still be chosen, so
/// the gate finds the tool's name itself, as cheaply as it can: from the <c>Mcp-Method</c>/<c>Mcp-Name</c> headers
/// when the protocol version makes the SDK require them and check them against the body (2026-07-28 and later), else
/// by scanning at most <see cref="MaxInspectedBody"/> bytes of the body for <c>method</c> and <c>params.name</c> only.
/// Whatever it does not inspect, the same check inside the MCP pipeline still refuses (a JSON-RPC error instead of 403).
/// </remarks>
internal static class McpEndpointGate
{
    /// <summary>The largest body the gate reads; a <c>tools/call</c> is far smaller, and larger bodies are left to the in-pipeline check.</summary>
    internal const int MaxInspectedBody = 64 * 1024;

    /// <summary>The first protocol version whose requests must carry <c>Mcp-Method</c> and <c>Mcp-Name</c>, checked by the SDK against the body.</summary>
    private const string StandardHeadersProtocolVersion = "2026-07-28";

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

        if (HttpMethods.IsPost(context.Request.Method) && await CalledToolAsync(context.Request).ConfigureAwait(false) is { } tool)
        {
            var catalog = context.RequestServices.GetRequiredService<ToolRequirementCatalog>();
            var missing = catalog.For(tool).MissingScopes(caller);
            if (missing.Count > 0)
            {
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(McpEndpointGate));
                var scopes = string.Join(' ', missing);
                McpLog.InsufficientScope(logger, tool, scopes);
                Forbid(context, caller, missing);
                return;
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

    /// <summary>The tool a <c>tools/call</c> request calls, or null for any other request (or one the gate does not inspect); the body stays readable.</summary>
    internal static async Task<string?> CalledToolAsync(HttpRequest request)
    {
        var version = request.Headers["MCP-Protocol-Version"].ToString();
        if (string.CompareOrdinal(version, StandardHeadersProtocolVersion) >= 0)
        {
            // The SDK answers 400 unless these headers match the body, before anything is dispatched.
            return request.Headers["Mcp-Method"].ToString().Trim() == "tools/call" ? DecodeHeaderValue(request.Headers["Mcp-Name"].ToString().Trim()) : null;
        }

        if (request.ContentLength is > MaxInspectedBody || request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return null;
        }

        request.EnableBuffering();
        var buffer = ArrayPool<byte>.Shared.Rent(MaxInspectedBody + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= MaxInspectedBody && (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxInspectedBody + 1 - length), request.HttpContext.RequestAborted).ConfigureAwait(false)) > 0)
            {
                length += read;
            }

            return length > MaxInspectedBody ? null : ToolName(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            request.Body.Position = 0;
        }
    }

    /// <summary>
    /// <c>params.name</c> of a JSON-RPC <c>tools/call</c> message, reading only <c>method</c> and <c>params</c> and
    /// skipping every other value; a repeated property counts as the JSON serializer counts it (the last one).
    /// </summary>
    internal static string? ToolName(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var isToolCall = false;
            string? name = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("method"u8))
                {
                    reader.Read();
                    isToolCall = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("tools/call"u8);
                }
                else if (reader.ValueTextEquals("params"u8))
                {
                    reader.Read();
                    name = reader.TokenType == JsonTokenType.StartObject ? NameIn(ref reader) : null;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return isToolCall ? name : null;
        }
        catch (JsonException)
        {
            // Not JSON-RPC: the MCP endpoint answers the parse error itself.
            return null;
        }
    }

    /// <summary>Reads a <c>params</c> object to its end and returns its last <c>name</c> string.</summary>
    private static string? NameIn(ref Utf8JsonReader reader)
    {
        string? name = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isName = reader.ValueTextEquals("name"u8);
            reader.Read();
            if (isName)
            {
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return name;
    }

    /// <summary>An <c>Mcp-Name</c> value: plain ASCII, or UTF-8 in the <c>=?base64?…?=</c> wrapper (SEP-2243).</summary>
    private static string? DecodeHeaderValue(string value)
    {
        if (!value.StartsWith("=?base64?", StringComparison.OrdinalIgnoreCase) || !value.EndsWith("?=", StringComparison.Ordinal))
        {
            return value.Length == 0 ? null : value;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(value["=?base64?".Length..^2]));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
