using System;
using System.ComponentModel;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Diagnostics;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Http;

/// <summary>
/// Puts an OAuth 2.0 access token on outgoing requests. It fails closed (no token, no request: the
/// <see cref="CredentialUnavailableException"/> propagates and nothing is sent), sends tokens only over https (or
/// plain http on loopback) and only to the provider's allowed origins (a <see cref="CredentialDestinationException"/>
/// otherwise), renews the token once when an idempotent request with a replayable body gets a 401, and writes the
/// token nowhere but the <c>Authorization</c> header of the request while it is being sent.
/// </summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class AccessTokenHandler : DelegatingHandler
{
    private readonly OAuth2TokenSource _source;
    private readonly ulong _scopeMask;
    private readonly ILogger _logger;

    /// <summary>Creates the handler for the scopes in <paramref name="scopeMask"/>.</summary>
    public AccessTokenHandler(OAuth2TokenSource source, ulong scopeMask, ILogger<AccessTokenHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(logger);
        _source = source;
        _scopeMask = scopeMask;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var destination = _source.Destinations.Require(request, _logger);
        var token = await GetTokenAsync(request, cancellationToken).ConfigureAwait(false);
        var callersAuthorization = request.Headers.Authorization;
        try
        {
            Apply(request, token);
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.Unauthorized)
            {
                return response;
            }

            // The server may have revoked the token or rotated keys before it expired, so the token is dropped
            // either way. Only idempotent methods are replayed, because a rejected POST might still have had
            // effects behind a gateway; a body that cannot be read twice is not replayed either. The replay goes
            // only where the first token went: a handler further in that followed a redirect may have moved the
            // request elsewhere. The caller's next request gets a fresh token.
            _source.Invalidate(_scopeMask, token);
            if (!IsIdempotent(request.Method) || !RequestBody.CanReplay(request.Content) ||
                request.RequestUri is not { } now || !Origins.AreSame(now, destination))
            {
                return response;
            }

            RuntimeLog.RenewingAfterUnauthorized(_logger, request.Method.Method, destination.Host, _source.Provider);
            var renewed = await GetTokenAsync(request, cancellationToken).ConfigureAwait(false);
            if (renewed.HasSameValue(token))
            {
                return response;
            }

            response.Dispose();
            Apply(request, renewed);
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The request object outlives the send (response.RequestMessage, exception logging), so the token
            // does not stay on it.
            request.Headers.Authorization = callersAuthorization;
        }
    }

    private static void Apply(HttpRequestMessage request, AccessToken token) =>
        request.Headers.Authorization = new AuthenticationHeaderValue(token.TokenType, token.RevealValue());

    // TRACE is idempotent too, but it echoes the request, and the README promises exactly these five.
    private static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options ||
        method == HttpMethod.Put || method == HttpMethod.Delete;

    private async ValueTask<AccessToken> GetTokenAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _source.GetAsync(_scopeMask, cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialUnavailableException)
        {
            RuntimeLog.FailedClosed(_logger, _source.Provider, request.Method.Method, request.RequestUri?.Host ?? "?");
            throw;
        }
    }
}
