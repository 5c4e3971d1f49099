using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Diagnostics;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Http;

/// <summary>
/// Follows redirects for a client that carries IdentityGuard credentials, in place of the primary handler's own
/// redirect handling (which <see cref="CredentialHandlerFilter"/> turns off). It sits outside the credential
/// handlers, so every hop passes through them again: the credential is attached anew and its destination checked
/// anew. A redirect to another origin is not followed; the 3xx response is returned to the caller, because a
/// credential must never reach an origin other than the one it was attached for, and a request the API sent
/// elsewhere would still carry whatever else the caller put on it.
/// </summary>
internal sealed class SameOriginRedirectHandler : DelegatingHandler
{
    private readonly int _maxRedirects;
    private readonly ILogger _logger;

    public SameOriginRedirectHandler(int maxRedirects, ILogger logger)
    {
        _maxRedirects = maxRedirects;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        for (var redirects = 0; redirects < _maxRedirects; redirects++)
        {
            if (request.RequestUri is not { } current || Target(response, current) is not { } target)
            {
                return response;
            }

            if (!Origins.AreSame(current, target))
            {
                // Origins only: the target's path and query are the server's and may carry anything.
                var from = Origins.Of(current);
                var to = Origins.IsHttp(target) ? Origins.Of(target) : target.Scheme;
                RuntimeLog.CrossOriginRedirectNotFollowed(_logger, (int)response.StatusCode, from, to);

                return response;
            }

            var switchToGet = SwitchesToGet(response.StatusCode, request.Method);
            if (!switchToGet && !RequestBody.CanReplay(request.Content))
            {
                return response;
            }

            response.Dispose();
            request.RequestUri = target;
            if (switchToGet)
            {
                request.Method = HttpMethod.Get;
                request.Content = null;
                request.Headers.TransferEncodingChunked = false;
            }

            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        // Like HttpClient's own redirect handling: past the limit, the last redirect response is the answer.
        return response;
    }

    /// <summary>Where a redirect response points, as HttpClient's own handling reads it; null when it is not a redirect.</summary>
    private static Uri? Target(HttpResponseMessage response, Uri current)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.MultipleChoices:
            case HttpStatusCode.MovedPermanently:
            case HttpStatusCode.Found:
            case HttpStatusCode.SeeOther:
            case HttpStatusCode.TemporaryRedirect:
            case HttpStatusCode.PermanentRedirect:
                break;
            default:
                return null;
        }

        if (response.Headers.Location is not { } location)
        {
            return null;
        }

        return location.IsAbsoluteUri ? location : Uri.TryCreate(current, location, out var resolved) ? resolved : null;
    }

    // RFC 9110 section 15.4: 301 and 302 may turn a POST into a GET (every client does), 303 turns anything but
    // GET and HEAD into a GET, 307 and 308 keep the method and body.
    private static bool SwitchesToGet(HttpStatusCode status, HttpMethod method) => status switch
    {
        HttpStatusCode.MultipleChoices or HttpStatusCode.MovedPermanently or HttpStatusCode.Found => method == HttpMethod.Post,
        HttpStatusCode.SeeOther => method != HttpMethod.Get && method != HttpMethod.Head,
        _ => false,
    };
}
