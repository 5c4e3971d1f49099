using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using IdentityGuard.Providers;
using IdentityGuard.Vault;
using Microsoft.Extensions.Configuration;

namespace IdentityGuard.Federation;

/// <summary>
/// The protocol half of user federation for one provider, on Duende.IdentityModel: builds the authorization URL
/// (code flow, PKCE S256), exchanges the code, and refreshes. It holds no state; the pending-authorization store
/// and the vault do. It is also the provider's one <see cref="IGrantRefresher"/>.
/// </summary>
internal sealed class AuthorizationCodeClient : IGrantRefresher, IDisposable
{
    private readonly ProviderSettings _settings;
    private readonly IConfiguration _configuration;
    private readonly Func<HttpClient> _httpClientFactory;
    private readonly ProviderEndpoints _endpoints;
    private readonly TimeProvider _time;
    private readonly TimeSpan _defaultLifetime;
    private readonly IdTokenVerifier? _idTokens;

    public AuthorizationCodeClient(ProviderSettings settings, IConfiguration configuration, Func<HttpClient> httpClientFactory, TimeProvider time, TimeSpan defaultLifetime)
    {
        _settings = settings;
        _configuration = configuration;
        _httpClientFactory = httpClientFactory;
        _endpoints = new ProviderEndpoints(settings, httpClientFactory);
        _time = time;
        _defaultLifetime = defaultLifetime;
        if (settings.DiscoveryUrl is { } discoveryUrl)
        {
            _idTokens = new IdTokenVerifier(settings.RequireSecureEndpoint(discoveryUrl, "discovery URL"), httpClientFactory(), () => settings.ResolveClientId(configuration), time);
        }
    }

    public string Provider => _settings.Name;

    /// <summary>Verifies the ID tokens of an OpenID Connect provider; null when the provider has no discovery document.</summary>
    public IdTokenVerifier? IdTokens => _idTokens;

    public void Dispose() => _idTokens?.Dispose();

    public async Task<Uri> BuildAuthorizationUrlAsync(
        string state, string codeChallenge, string? nonce, IReadOnlyCollection<string> scopes, Uri redirectUri, string? loginHint, bool forcePrompt, bool formPost, CancellationToken cancellationToken)
    {
        var endpoint = await _endpoints.GetAuthorizationEndpointAsync(cancellationToken).ConfigureAwait(false);
        var extra = new Parameters();
        if (_settings.Audience is { } audience)
        {
            extra.Add(OidcConstants.AuthorizeRequest.Resource, audience);
        }

        var url = new RequestUrl(endpoint.ToString()).CreateAuthorizeUrl(
            clientId: _settings.ResolveClientId(_configuration),
            responseType: OidcConstants.ResponseTypes.Code,
            scope: string.Join(' ', scopes),
            redirectUri: redirectUri.ToString(),
            state: state,
            nonce: nonce,
            responseMode: formPost ? OidcConstants.ResponseModes.FormPost : null,
            loginHint: loginHint,
            prompt: forcePrompt ? OidcConstants.PromptModes.Consent : null,
            codeChallenge: codeChallenge,
            codeChallengeMethod: Pkce.Method,
            extra: extra);
        return new Uri(url);
    }

    public async Task<TokenSet> ExchangeCodeAsync(string code, string codeVerifier, Uri redirectUri, string requestedScope, CancellationToken cancellationToken)
    {
        var request = new AuthorizationCodeTokenRequest
        {
            Address = (await _endpoints.GetTokenEndpointAsync(cancellationToken).ConfigureAwait(false)).ToString(),
            ClientId = _settings.ResolveClientId(_configuration),
            ClientSecret = _settings.ResolveClientSecret(_configuration),
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            Code = code,
            CodeVerifier = codeVerifier,
            RedirectUri = redirectUri.ToString(),
        };
        var requestedAt = _time.GetUtcNow();
        var response = await _httpClientFactory().RequestAuthorizationCodeTokenAsync(request, cancellationToken).ConfigureAwait(false);
        return ToTokenSet(response, requestedScope, requestedAt);
    }

    public async Task<TokenSet> RefreshAsync(string refreshToken, string? scope, CancellationToken cancellationToken)
    {
        var request = new RefreshTokenRequest
        {
            Address = (await _endpoints.GetTokenEndpointAsync(cancellationToken).ConfigureAwait(false)).ToString(),
            ClientId = _settings.ResolveClientId(_configuration),
            ClientSecret = _settings.ResolveClientSecret(_configuration),
            ClientCredentialStyle = ClientCredentialStyle.PostBody,
            RefreshToken = refreshToken,
            Scope = scope,
        };
        var requestedAt = _time.GetUtcNow();
        var response = await _httpClientFactory().RequestRefreshTokenAsync(request, cancellationToken).ConfigureAwait(false);
        return ToTokenSet(response, scope, requestedAt);
    }

    /// <summary>Refreshes a grant for the vault: <c>invalid_grant</c> and other token-endpoint errors become results.</summary>
    async Task<TokenRefreshResult> IGrantRefresher.RefreshAsync(RefreshToken refreshToken, CancellationToken cancellationToken)
    {
        try
        {
            var tokens = await RefreshAsync(refreshToken.RevealValue(), scope: null, cancellationToken).ConfigureAwait(false);
            return TokenRefreshResult.Success(
                tokens.AccessToken,
                tokens.RefreshToken is null ? null : new RefreshToken(tokens.RefreshToken),
                tokens.GrantedScope?.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (TokenRequestException ex) when (ex.Error == "invalid_grant")
        {
            return TokenRefreshResult.InvalidGrant(ex.ErrorDescription);
        }
        catch (TokenRequestException ex)
        {
            return TokenRefreshResult.Failure(ex.Error ?? "token_error");
        }
    }

    private TokenSet ToTokenSet(TokenResponse response, string? requestedScope, DateTimeOffset requestedAt)
    {
        var accessToken = TokenResponses.ToAccessToken(_settings.Name, response, requestedScope, requestedAt, _defaultLifetime);
        var refreshToken = string.IsNullOrEmpty(response.RefreshToken) ? null : response.RefreshToken;
        return new TokenSet(accessToken, refreshToken, response.Scope ?? requestedScope, string.IsNullOrEmpty(response.IdentityToken) ? null : response.IdentityToken);
    }
}
