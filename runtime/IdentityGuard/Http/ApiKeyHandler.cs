using System;
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
/// request is not sent.
/// </summary>
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
        Tokens.ApiKey key;
        try
        {
            key = await _source.GetAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialUnavailableException)
        {
            RuntimeLog.FailedClosed(_logger, _source.Provider, request.Method.Method, request.RequestUri?.Host ?? "?");
            throw;
        }

        if (key.Placement == ApiKeyPlacement.Header)
        {
            request.Headers.Remove(key.ParameterName);
            request.Headers.TryAddWithoutValidation(key.ParameterName, key.RevealValue());
        }
        else if (request.RequestUri is { } uri)
        {
            request.RequestUri = AppendQuery(uri, key.ParameterName, key.RevealValue());
        }

        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static Uri AppendQuery(Uri uri, string name, string value)
    {
        var pair = Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(value);
        if (!uri.IsAbsoluteUri)
        {
            var text = uri.OriginalString;
            return new Uri(text + (text.Contains('?', StringComparison.Ordinal) ? "&" : "?") + pair, UriKind.Relative);
        }

        var builder = new UriBuilder(uri);
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? pair : builder.Query.TrimStart('?') + "&" + pair;
        return builder.Uri;
    }
}
