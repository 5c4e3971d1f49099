using System;
using Duende.IdentityModel.Client;
using IdentityGuard.Tokens;

namespace IdentityGuard.Providers;

/// <summary>Turns a token endpoint answer into an <see cref="AccessToken"/> or a <see cref="TokenRequestException"/>.</summary>
internal static class TokenResponses
{
    public static AccessToken ToAccessToken(string provider, TokenResponse response, DateTimeOffset requestedAt, TimeSpan defaultLifetime)
    {
        if (response.IsError)
        {
            var error = response.ErrorType switch
            {
                ResponseErrorType.Exception => "transport_error",
                ResponseErrorType.Http when string.IsNullOrEmpty(response.Error) => "http_error",
                _ => response.Error ?? "unknown_error",
            };
            var description = response.ErrorType == ResponseErrorType.Exception
                ? response.Exception?.Message
                : response.ErrorDescription;
            return Throw(provider, error, description, response);
        }

        if (string.IsNullOrEmpty(response.AccessToken))
        {
            return Throw(provider, "invalid_response", "the answer has no access_token.", response);
        }

        // expires_in is only RECOMMENDED (RFC 6749 §5.1); without it, assume a conservative default lifetime.
        // Counting from the moment the request was sent keeps clock drift on the safe side.
        var lifetime = response.ExpiresIn > 0 ? TimeSpan.FromSeconds(response.ExpiresIn) : defaultLifetime;
        var tokenType = string.Equals(response.TokenType, "bearer", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(response.TokenType)
            ? "Bearer"
            : response.TokenType;
        return new AccessToken(response.AccessToken, tokenType, requestedAt + lifetime, response.Scope);
    }

    private static AccessToken Throw(string provider, string error, string? description, TokenResponse response) =>
        throw new TokenRequestException(
            provider,
            error,
            description,
            response.ErrorType == ResponseErrorType.Exception ? null : response.HttpStatusCode,
            response.Exception);
}
