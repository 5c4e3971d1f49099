using System;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Mcp.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;

namespace IdentityGuard.Mcp.Passthrough;

/// <summary>
/// The innermost handler of every <see cref="IHttpClientFactory"/> client: refuses, before anything is sent, a request
/// that carries an access token issued to this MCP server, whether it is the current caller's token anywhere in the
/// request (any header, the URL) or any bearer token whose audience is this server (another caller's, say).
/// </summary>
internal sealed class InboundTokenEgressHandler(string resource, ILogger logger) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CarriesInboundToken(request, resource))
        {
            McpLog.PassthroughRefused(logger, request.Method.Method, request.RequestUri?.Host ?? "?");
            throw new TokenPassthroughException(
                $"A {request.Method.Method} request to {request.RequestUri?.Host ?? "?"} carried an access token issued to this MCP server; it was not sent. " +
                "Call downstream APIs with a manifest provider's token (With<Provider>Token) instead of the caller's.");
        }

        return base.SendAsync(request, cancellationToken);
    }

    internal static bool CarriesInboundToken(HttpRequestMessage request, string resource)
    {
        var current = InboundTokenContext.Current?.RevealValue();
        if (current is not null && request.RequestUri is { } uri && uri.OriginalString.Contains(current, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var header in request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<System.Collections.Generic.KeyValuePair<string, System.Collections.Generic.IEnumerable<string>>>()))
        {
            foreach (var value in header.Value)
            {
                if (current is not null && value.Contains(current, StringComparison.Ordinal))
                {
                    return true;
                }

                if ((header.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
                    && IsTokenForResource(value, resource))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether a credential header's value is a JWT whose audience includes <paramref name="resource"/>.</summary>
    private static bool IsTokenForResource(string headerValue, string resource)
    {
        var space = headerValue.IndexOf(' ', StringComparison.Ordinal);
        var credential = (space < 0 ? headerValue : headerValue[(space + 1)..]).Trim();
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(credential))
        {
            return false;
        }

        try
        {
            return new JsonWebToken(credential).Audiences.Contains(resource, StringComparer.Ordinal);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
