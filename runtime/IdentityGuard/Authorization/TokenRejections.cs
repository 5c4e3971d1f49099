using System;
using Microsoft.IdentityModel.Tokens;

namespace IdentityGuard.Authorization;

/// <summary>
/// Turns a validation exception into an <see cref="AuthorizationFailure"/> with fixed wording. The exception's own
/// message is never passed on: it can quote parts of the token.
/// </summary>
internal static class TokenRejections
{
    public static readonly AuthorizationFailure Malformed = Invalid(AuthorizationFailureReasons.MalformedToken, "The token is not a well-formed JWT.");

    public static AuthorizationFailure FromException(Exception? exception) => exception switch
    {
        // Most specific first: the key-not-found and algorithm exceptions derive from the signature one.
        SecurityTokenSignatureKeyNotFoundException => Invalid(AuthorizationFailureReasons.UnknownSigningKey, "The token was signed by a key the issuer does not publish."),
        SecurityTokenInvalidAlgorithmException => Invalid(AuthorizationFailureReasons.AlgorithmNotAllowed, "The token's signing algorithm is not accepted."),
        SecurityTokenInvalidSignatureException => Invalid(AuthorizationFailureReasons.InvalidSignature, "The token's signature is invalid."),
        SecurityTokenInvalidIssuerException => Invalid(AuthorizationFailureReasons.InvalidIssuer, "The token was not issued by a trusted issuer."),
        SecurityTokenInvalidAudienceException => Invalid(AuthorizationFailureReasons.InvalidAudience, "The token was not issued for this API (audience)."),
        SecurityTokenExpiredException => Invalid(AuthorizationFailureReasons.Expired, "The token has expired."),
        SecurityTokenNotYetValidException => Invalid(AuthorizationFailureReasons.NotYetValid, "The token is not valid yet."),
        SecurityTokenNoExpirationException => Invalid(AuthorizationFailureReasons.MissingExpiration, "The token has no expiry (exp)."),
        SecurityTokenInvalidTypeException => Invalid(AuthorizationFailureReasons.InvalidTokenType, "The token type (typ) is not an accepted access token type."),
        SecurityTokenMalformedException or ArgumentException => Malformed,
        _ => Invalid(AuthorizationFailureReasons.Other, "The token is invalid."),
    };

    private static AuthorizationFailure Invalid(string reason, string message) => new(AuthorizationErrors.InvalidToken, reason, message);
}
