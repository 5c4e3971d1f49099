using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Diagnostics;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Http;

/// <summary>
/// Adds an API key to outgoing requests, in its header or query parameter. Fails closed: without a key the
/// request is not sent, and a destination that is not https (or plain http on loopback), or not one of the
/// provider's allowed origins, gets a <see cref="CredentialDestinationException"/> and nothing. The key is on the
/// request only while it is being sent: afterwards the request's URI and headers are what the caller set.
/// </summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ApiKeyHandler : DelegatingHandler
{
    private readonly ApiKeySource _source;
    private readonly ILogger _logger;

    /// <summary>Creates the handler.</summary>
    public ApiKeyHandler(ApiKeySource source, ILogger<ApiKeyHandler> logger)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(logger);
        _source = source;
        _logger = logger;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var destination = _source.Destinations.Require(request, _logger);
        Tokens.ApiKey key;
        try
        {
            key = await _source.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialUnavailableException)
        {
            RuntimeLog.FailedClosed(_logger, _source.Provider, request.Method.Method, destination.Host);
            throw;
        }

        if (key.Placement == ApiKeyPlacement.Header)
        {
            var callersValues = request.Headers.TryGetValues(key.ParameterName, out var values) ? new List<string>(values) : null;
            request.Headers.Remove(key.ParameterName);
            request.Headers.TryAddWithoutValidation(key.ParameterName, key.RevealValue());
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                request.Headers.Remove(key.ParameterName);
                if (callersValues is not null)
                {
                    request.Headers.TryAddWithoutValidation(key.ParameterName, callersValues);
                }
            }
        }

        // The request object outlives the send (response.RequestMessage is what logging and error reports
        // print), so the key-bearing URI is on it only while it is being sent.
        request.RequestUri = AppendQuery(destination, key.ParameterName, key.RevealValue());
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            request.RequestUri = destination;
        }
    }

    private static Uri AppendQuery(Uri uri, string name, string value)
    {
        var pair = Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
        var builder = new UriBuilder(uri);
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? pair : builder.Query.TrimStart('?') + "&" + pair;
        return builder.Uri;
    }
}
