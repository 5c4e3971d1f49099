using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Mcp.Tests;

/// <summary>One HTTP exchange as the MCP client saw it.</summary>
internal sealed record Exchange(HttpMethod Method, Uri Uri, HttpStatusCode Status, string? WwwAuthenticate, bool HadAuthorization);

/// <summary>Records every exchange of the MCP client (innermost, just above the socket).</summary>
internal sealed class HttpObserver : DelegatingHandler
{
    private readonly List<Exchange> _exchanges = [];

    public IReadOnlyList<Exchange> Exchanges
    {
        get
        {
            lock (_exchanges)
            {
                return _exchanges.ToArray();
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var challenge = response.Headers.WwwAuthenticate.Select(header => header.ToString()).FirstOrDefault();
        lock (_exchanges)
        {
            _exchanges.Add(new Exchange(request.Method, request.RequestUri!, response.StatusCode, challenge, request.Headers.Authorization is not null));
        }

        return response;
    }
}
