using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Duende.IdentityModel.Client;

namespace IdentityGuard.Providers;

/// <summary>
/// Finds a provider's token endpoint: an explicit endpoint wins; otherwise the OpenID Connect discovery document
/// is read once (Duende.IdentityModel validates issuer and endpoint policy) and its answer is reused. A failed
/// discovery is not cached, so the next request tries again.
/// </summary>
internal sealed class TokenEndpointResolver
{
    private readonly ProviderSettings _settings;
    private readonly Func<HttpClient> _httpClientFactory;
    private readonly object _gate = new();
    private Task<Uri>? _discovered;

    public TokenEndpointResolver(ProviderSettings settings, Func<HttpClient> httpClientFactory)
    {
        _settings = settings;
        _httpClientFactory = httpClientFactory;
    }

    public Task<Uri> GetTokenEndpointAsync(CancellationToken cancellationToken)
    {
        if (_settings.TokenEndpoint is { } explicitEndpoint)
        {
            return Task.FromResult(_settings.RequireSecureEndpoint(explicitEndpoint, "token endpoint"));
        }

        if (_settings.DiscoveryUrl is null)
        {
            throw new CredentialUnavailableException(_settings.Name, "neither a token endpoint nor a discovery URL is configured.");
        }

        Task<Uri> discovery;
        lock (_gate)
        {
            if (_discovered is null || _discovered.IsFaulted || _discovered.IsCanceled)
            {
                // Not tied to the caller's token: other callers may be waiting on the same discovery.
                _discovered = DiscoverAsync(_settings.DiscoveryUrl);
            }

            discovery = _discovered;
        }

        return discovery.WaitAsync(cancellationToken);
    }

    private async Task<Uri> DiscoverAsync(string discoveryUrl)
    {
        var address = _settings.RequireSecureEndpoint(discoveryUrl, "discovery URL");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var client = _httpClientFactory();
        var request = new DiscoveryDocumentRequest { Address = address.ToString() };

        // The authority is the discovery URL's base: Duende compares it with the document's issuer.
        var authority = address.GetLeftPart(UriPartial.Authority) +
            address.AbsolutePath.Replace("/.well-known/openid-configuration", string.Empty, StringComparison.Ordinal);
        request.Policy = new DiscoveryPolicy { Authority = authority.TrimEnd('/') };
        if (address.IsLoopback)
        {
            request.Policy.RequireHttps = false;
        }

        var document = await client.GetDiscoveryDocumentAsync(request, timeout.Token).ConfigureAwait(false);
        if (document.IsError || string.IsNullOrEmpty(document.TokenEndpoint))
        {
            throw new CredentialUnavailableException(
                _settings.Name,
                $"discovery at '{address}' failed: {document.Error ?? "the document has no token_endpoint"}.",
                document.Exception);
        }

        return _settings.RequireSecureEndpoint(document.TokenEndpoint, "discovered token endpoint");
    }
}
