using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using IdentityGuard.Diagnostics;
using IdentityGuard.Manifest;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Http;

/// <summary>
/// Where one provider's credential may be sent: an absolute http(s) URL that is https (or plain http on
/// loopback) and, when the provider is bound to its API's origins, one of those origins. Checked before the
/// credential is obtained, so a refused request costs no token request and sends nothing.
/// </summary>
internal sealed class CredentialDestinationPolicy
{
    private readonly string _provider;
    private readonly HashSet<string>? _allowed;
    private readonly string _allowedList;

    private CredentialDestinationPolicy(string provider, IReadOnlyList<string> allowed)
    {
        _provider = provider;
        _allowed = allowed.Count == 0 ? null : new HashSet<string>(allowed, StringComparer.OrdinalIgnoreCase);
        _allowedList = string.Join(", ", allowed);
    }

    /// <summary>The provider's allowed origins, normalized; empty when any secure origin may receive the credential.</summary>
    public IReadOnlyCollection<string> AllowedOrigins => _allowed ?? (IReadOnlyCollection<string>)Array.Empty<string>();

    /// <summary>The policy of a provider: <paramref name="configured"/> origins (already normalized) when given, else the manifest's.</summary>
    /// <exception cref="ArgumentException">An origin compiled into the descriptor is malformed.</exception>
    public static CredentialDestinationPolicy For(ProviderDescriptor descriptor, IReadOnlyList<string>? configured = null)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (configured is not null)
        {
            return new CredentialDestinationPolicy(descriptor.Name, configured);
        }

        var origins = new List<string>(descriptor.AllowedOrigins.Count);
        foreach (var text in descriptor.AllowedOrigins)
        {
            if (Origins.Parse(text, out var origin) is { } problem)
            {
                throw new ArgumentException($"Provider '{descriptor.Name}': the allowed origin '{text}' {problem}.", nameof(descriptor));
            }

            origins.Add(origin);
        }

        return new CredentialDestinationPolicy(descriptor.Name, origins);
    }

    /// <summary>
    /// The URL of <paramref name="request"/> when the credential may go there; otherwise logs the refusal and
    /// throws. Only the origin is ever named: the path and query may carry data the caller did not mean to log.
    /// </summary>
    /// <exception cref="CredentialDestinationException">The destination may not receive the credential.</exception>
    public Uri Require(HttpRequestMessage request, ILogger logger)
    {
        var uri = request.RequestUri;
        if (uri is null || !Origins.IsHttp(uri))
        {
            throw Refuse(request, logger, null, "the request has no absolute http(s) URL, so the credential was not attached and nothing was sent.");
        }

        // The origin string is built only when it is needed, so the common case (any https origin) allocates nothing.
        if (!Origins.IsSecure(uri))
        {
            var origin = Origins.Of(uri);
            throw Refuse(request, logger, origin, $"{origin} uses plain http on a host that is not loopback; credentials are sent over https only, so nothing was sent.");
        }

        if (_allowed is not null && Origins.Of(uri) is var requested && !_allowed.Contains(requested))
        {
            throw Refuse(request, logger, requested, $"{requested} is not one of the provider's AllowedOrigins ({_allowedList}), so nothing was sent.");
        }

        return uri;
    }

    private CredentialDestinationException Refuse(HttpRequestMessage request, ILogger logger, string? origin, string reason)
    {
        RuntimeLog.DestinationRefused(logger, _provider, request.Method.Method, origin ?? "?");
        return new CredentialDestinationException(_provider, origin, reason);
    }

    /// <inheritdoc />
    public override string ToString() => _allowed is null ? "any https origin" : _allowedList;
}
