using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Duende.IdentityModel.Client;

namespace IdentityGuard.Providers;

/// <summary>
/// Finds a provider's endpoints: an explicit endpoint wins; otherwise the OpenID Connect discovery document is
/// read once (Duende.IdentityModel validates issuer and endpoint policy) and its answer is reused. A failed
/// discovery is not cached, so the next request tries again.
/// </summary>
internal sealed class ProviderEndpoints
{
    private readonly ProviderSettings _settings;
    private readonly Func<HttpClient> _httpClientFactory;
    private readonly object _gate = new();
    private Task<DiscoveredEndpoints>? _discovered;

    public ProviderEndpoints(ProviderSettings settings, Func<HttpClient> httpClientFactory)
    {
        _settings = settings;
        _httpClientFactory = httpClientFactory;
    }

    public async Task<Uri> GetTokenEndpointAsync(CancellationToken cancellationToken)
    {
        if (_settings.TokenEndpoint is { } explicitEndpoint)
        {
            return _settings.RequireSecureEndpoint(explicitEndpoint, "token endpoint");
        }

        var discovered = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        return discovered.TokenEndpoint;
    }

    public async Task<Uri> GetAuthorizationEndpointAsync(CancellationToken cancellationToken)
    {
        if (_settings.AuthorizationEndpoint is { } explicitEndpoint)
        {
            return _settings.RequireSecureEndpoint(explicitEndpoint, "authorization endpoint");
        }

        var discovered = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        return discovered.AuthorizationEndpoint
            ?? throw new CredentialUnavailableException(_settings.Name, "the discovery document has no authorization_endpoint and none is configured.");
    }

    private Task<DiscoveredEndpoints> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (_settings.DiscoveryUrl is null)
        {
            throw new CredentialUnavailableException(_settings.Name, "neither an explicit endpoint nor a discovery URL is configured.");
        }

        Task<DiscoveredEndpoints> discovery;
        lock (_gate)
        {
            if (_discovered is null || _discovered.IsFaulted || _discovered.IsCanceled)
            {
                // Not tied to the caller's token: other callers may be waiting on the same discovery.
                _discovered = ReadDiscoveryDocumentAsync(_settings.DiscoveryUrl);
            }

            discovery = _discovered;
        }

        return discovery.WaitAsync(cancellationToken);
    }

    private async Task<DiscoveredEndpoints> ReadDiscoveryDocumentAsync(string discoveryUrl)
    {
        var address = _settings.RequireSecureEndpoint(discoveryUrl, "discovery URL");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = _httpClientFactory();
        var request = new DiscoveryDocumentRequest { Address = address.ToString() };

        // The authority is the discovery URL's base: Duende compares it with the document's issuer.
        var authority = address.GetLeftPart(UriPartial.Authority) +
            address.AbsolutePath.Replace("/.well-known/openid-configuration", string.Empty, StringComparison.Ordinal);
        // Duende's policy requires https but allows http on loopback (AllowHttpOnLoopback), matching ours.
        request.Policy = new DiscoveryPolicy { Authority = authority.TrimEnd('/') };

        var document = await client.GetDiscoveryDocumentAsync(request, timeout.Token).ConfigureAwait(false);
        if (document.IsError || string.IsNullOrEmpty(document.TokenEndpoint))
        {
            throw new CredentialUnavailableException(
                _settings.Name,
                $"discovery at '{address}' failed: {document.Error ?? "the document has no token_endpoint"}.",
                document.Exception);
        }

        var tokenEndpoint = _settings.RequireSecureEndpoint(document.TokenEndpoint, "discovered token endpoint");
        var authorizationEndpoint = string.IsNullOrEmpty(document.AuthorizeEndpoint)
            ? null
            : _settings.RequireSecureEndpoint(document.AuthorizeEndpoint, "discovered authorization endpoint");
        return new DiscoveredEndpoints(tokenEndpoint, authorizationEndpoint);
    }

    private sealed record DiscoveredEndpoints(Uri TokenEndpoint, Uri? AuthorizationEndpoint);
}
