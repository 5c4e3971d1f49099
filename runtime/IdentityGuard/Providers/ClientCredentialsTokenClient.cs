using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Duende.IdentityModel.Client;
using IdentityGuard.Tokens;
using Microsoft.Extensions.Configuration;

namespace IdentityGuard.Providers;

/// <summary>The OAuth 2.0 client-credentials grant (manifest flow <c>m2m</c>), built on Duende.IdentityModel.</summary>
internal sealed class ClientCredentialsTokenClient : ITokenClient
{
    private readonly ProviderSettings _settings;
    private readonly IConfiguration _configuration;
    private readonly Func<HttpClient> _httpClientFactory;
    private readonly ProviderEndpoints _endpoints;
    private readonly TimeProvider _time;
    private readonly TimeSpan _defaultLifetime;

    public ClientCredentialsTokenClient(
        ProviderSettings settings,
        IConfiguration configuration,
        Func<HttpClient> httpClientFactory,
        TimeProvider time,
        TimeSpan defaultLifetime)
    {
        _settings = settings;
        _configuration = configuration;
        _httpClientFactory = httpClientFactory;
        _endpoints = new ProviderEndpoints(settings, httpClientFactory);
        _time = time;
        _defaultLifetime = defaultLifetime;
    }

    public async Task<AccessToken> RequestTokenAsync(string? scope, CancellationToken cancellationToken)
    {
        var clientId = _settings.ResolveClientId(_configuration);
        var clientSecret = _settings.ResolveClientSecret(_configuration);
        var endpoint = await _endpoints.GetTokenEndpointAsync(cancellationToken).ConfigureAwait(false);

        var request = new ClientCredentialsTokenRequest
        {
            Address = endpoint.ToString(),
            ClientId = clientId,
            ClientSecret = clientSecret,
            Scope = scope,
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
        };
        if (_settings.Audience is { } audience)
        {
            request.Resource.Add(audience);
        }

        var requestedAt = _time.GetUtcNow();
        var response = await _httpClientFactory().RequestClientCredentialsTokenAsync(request, cancellationToken).ConfigureAwait(false);
        return TokenResponses.ToAccessToken(_settings.Name, response, scope, requestedAt, _defaultLifetime);
    }
}
