using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using Microsoft.Extensions.Configuration;

namespace IdentityGuard.Delegation;

/// <summary>
/// The RFC 8693 token exchange request of an on-behalf-of provider, built on Duende.IdentityModel: the user's verified
/// access token is the <c>subject_token</c>, and the agent authenticates with its own client credentials, which is how
/// the authorization server learns who the actor is.
/// </summary>
internal sealed class TokenExchangeClient
{
    private readonly ProviderSettings _settings;
    private readonly IConfiguration _configuration;
    private readonly Func<HttpClient> _httpClientFactory;
    private readonly ProviderEndpoints _endpoints;
    private readonly TimeProvider _time;
    private readonly TimeSpan _defaultLifetime;

    public TokenExchangeClient(ProviderSettings settings, IConfiguration configuration, Func<HttpClient> httpClientFactory, TimeProvider time, TimeSpan defaultLifetime)
    {
        _settings = settings;
        _configuration = configuration;
        _httpClientFactory = httpClientFactory;
        _endpoints = new ProviderEndpoints(settings, httpClientFactory);
        _time = time;
        _defaultLifetime = defaultLifetime;
    }

    /// <summary>The client id the agent authenticates with: the actor the server records.</summary>
    public string ClientId => _settings.ResolveClientId(_configuration);

    public async Task<AccessToken> ExchangeAsync(string subjectToken, string? scope, CancellationToken cancellationToken)
    {
        var endpoint = await _endpoints.GetTokenEndpointAsync(cancellationToken).ConfigureAwait(false);
        var request = new TokenExchangeTokenRequest
        {
            Address = endpoint.ToString(),
            ClientId = _settings.ResolveClientId(_configuration),
            ClientSecret = _settings.ResolveClientSecret(_configuration),
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            SubjectToken = subjectToken,
            SubjectTokenType = OidcConstants.TokenTypeIdentifiers.AccessToken,
            RequestedTokenType = OidcConstants.TokenTypeIdentifiers.AccessToken,
            Scope = scope,
        };
        if (_settings.Audience is { } audience)
        {
            request.Resource = audience;
        }

        var requestedAt = _time.GetUtcNow();
        var response = await _httpClientFactory().RequestTokenExchangeTokenAsync(request, cancellationToken).ConfigureAwait(false);
        return TokenResponses.ToAccessToken(_settings.Name, response, scope, requestedAt, _defaultLifetime);
    }
}
