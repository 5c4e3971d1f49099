using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Authorization;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace IdentityGuard.Federation;

/// <summary>
/// Checks the ID token a provider returns with an authorization code, to learn who approved a consent: signature
/// against the provider's published keys, issuer, audience (our client id), lifetime, and the <c>nonce</c> of this
/// authorization request, so an ID token from another request or another client cannot stand in.
/// </summary>
internal sealed class IdTokenVerifier : IDisposable
{
    private static readonly JsonWebTokenHandler s_handler = new() { MapInboundClaims = false };
    private readonly IssuerMetadataSource _metadata;
    private readonly Func<string> _clientId;

    public IdTokenVerifier(Uri discoveryUrl, HttpClient httpClient, Func<string> clientId, TimeProvider time)
    {
        _clientId = clientId;
        _metadata = new IssuerMetadataSource(discoveryUrl, httpClient, requireHttps: true, TimeSpan.FromMinutes(1), TimeSpan.FromHours(12), time);
    }

    /// <summary>The provider's issuer as its discovery document states it.</summary>
    public async Task<string> GetIssuerAsync(CancellationToken cancellationToken) =>
        (await _metadata.GetAsync(cancellationToken).ConfigureAwait(false)).Issuer;

    /// <summary>
    /// The issuer an authorization response must name (RFC 9207 <c>iss</c>), and whether the provider promises to send
    /// it (<c>authorization_response_iss_parameter_supported</c>).
    /// </summary>
    public async Task<(string Issuer, bool Promised)> GetResponseIssuerAsync(CancellationToken cancellationToken)
    {
        var configuration = await _metadata.GetAsync(cancellationToken).ConfigureAwait(false);
        // The library reads this member into its own property; AdditionalData only holds members it does not know.
        var promised = configuration.AuthorizationResponseIssParameterSupported;
        return (configuration.Issuer, promised);
    }

    /// <summary>Verifies <paramref name="idToken"/>; returns its issuer and subject, or null with the reason it was refused.</summary>
    public async Task<(string Issuer, string Subject)?> VerifyAsync(string idToken, string expectedNonce, CancellationToken cancellationToken)
    {
        var configuration = await _metadata.GetAsync(cancellationToken).ConfigureAwait(false);
        var result = await ValidateAsync(idToken, configuration).ConfigureAwait(false);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException
            && await _metadata.RefreshAsync(configuration, cancellationToken).ConfigureAwait(false) is { } refreshed)
        {
            // The provider rolled its keys since we last read them.
            result = await ValidateAsync(idToken, refreshed).ConfigureAwait(false);
        }

        if (!result.IsValid
            || result.SecurityToken is not JsonWebToken token
            || !token.TryGetPayloadValue<string>("nonce", out var nonce)
            || !string.Equals(nonce, expectedNonce, StringComparison.Ordinal)
            || string.IsNullOrEmpty(token.Subject)
            || (token.TryGetPayloadValue<string>("azp", out var authorizedParty) && !string.Equals(authorizedParty, _clientId(), StringComparison.Ordinal)))
        {
            return null;
        }

        return (token.Issuer, token.Subject);
    }

    public void Dispose() => _metadata.Dispose();

    private Task<TokenValidationResult> ValidateAsync(string idToken, OpenIdConnectConfiguration configuration) =>
        s_handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = _clientId(),
            IssuerSigningKeys = configuration.SigningKeys,
            ValidAlgorithms = [.. JwtAuthorizerOptions.DefaultAllowedAlgorithms],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
        });
}
