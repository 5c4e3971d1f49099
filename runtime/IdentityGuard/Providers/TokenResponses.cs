using System;
using Duende.IdentityModel.Client;
using IdentityGuard.Tokens;

namespace IdentityGuard.Providers;

/// <summary>Turns a token endpoint answer into an <see cref="AccessToken"/> or a <see cref="TokenRequestException"/>.</summary>
internal static class TokenResponses
{
    public static AccessToken ToAccessToken(string provider, TokenResponse response, string? requestedScope, DateTimeOffset requestedAt, TimeSpan defaultLifetime)
    {
        if (response.IsError)
        {
            // An OAuth error answer with a non-400 status (e.g. 401 invalid_client) is an "HTTP" error to the
            // protocol library, which then reports the reason phrase; the JSON body's error code is what callers need.
            var protocolError = response.ErrorType == ResponseErrorType.Exception ? null : ReadJsonString(response, "error");
            var error = response.ErrorType switch
            {
                ResponseErrorType.Exception => "transport_error",
                _ when !string.IsNullOrEmpty(protocolError) => protocolError,
                ResponseErrorType.Http => "http_error",
                _ => response.Error ?? "unknown_error",
            };
            var description = response.ErrorType == ResponseErrorType.Exception
                ? response.Exception?.Message
                : ReadJsonString(response, "error_description") ?? (response.ErrorType == ResponseErrorType.Http ? response.Error : null);
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
        // The scope field may be omitted when it equals the requested scope (RFC 6749 §5.1).
        return new AccessToken(response.AccessToken, tokenType, requestedAt + lifetime, response.Scope ?? requestedScope);
    }

    private static string? ReadJsonString(TokenResponse response, string name)
    {
        if (response.Json is { ValueKind: System.Text.Json.JsonValueKind.Object } json &&
            json.TryGetProperty(name, out var value) &&
            value.ValueKind == System.Text.Json.JsonValueKind.String)
        {
            return value.GetString();
        }

        return null;
    }

    private static AccessToken Throw(string provider, string error, string? description, TokenResponse response) =>
        throw new TokenRequestException(
            provider,
            error,
            description,
            response.ErrorType == ResponseErrorType.Exception ? null : response.HttpStatusCode,
            response.Exception);
}
