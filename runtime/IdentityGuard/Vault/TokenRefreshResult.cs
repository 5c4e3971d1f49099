using System;
using System.Collections.Generic;
using IdentityGuard.Tokens;

namespace IdentityGuard.Vault;

/// <summary>How a refresh-token request ended.</summary>
public enum TokenRefreshOutcome
{
    /// <summary>The server issued a new access token (and maybe a new refresh token).</summary>
    Success,

    /// <summary>
    /// The server answered <c>invalid_grant</c>: the refresh token is dead (revoked, expired or already used).
    /// Only the user's consent can replace it.
    /// </summary>
    InvalidGrant,

    /// <summary>The request failed for another reason (network, server error); a later attempt may succeed.</summary>
    Failed,
}

/// <summary>
/// The result an <see cref="IGrantRefresher"/> (or a refresh delegate) hands to the <see cref="TokenVault"/>. Create one with
/// <see cref="Success"/>, <see cref="InvalidGrant"/> or <see cref="Failure"/>.
/// </summary>
public sealed class TokenRefreshResult
{
    private TokenRefreshResult(TokenRefreshOutcome outcome, AccessToken? accessToken, RefreshToken? refreshToken, IReadOnlyList<string>? scopes, string? error)
    {
        Outcome = outcome;
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        Scopes = scopes;
        Error = error;
    }

    /// <summary>How the request ended.</summary>
    public TokenRefreshOutcome Outcome { get; }

    /// <summary>The new access token, on success.</summary>
    public AccessToken? AccessToken { get; }

    /// <summary>The new refresh token when the server rotated it; <see langword="null"/> keeps the current one.</summary>
    public RefreshToken? RefreshToken { get; }

    /// <summary>The scopes the server reported for the new token; <see langword="null"/> keeps the granted ones.</summary>
    public IReadOnlyList<string>? Scopes { get; }

    /// <summary>A short, non-secret error code or description, for failures.</summary>
    public string? Error { get; }

    /// <summary>The server issued a new access token.</summary>
    /// <param name="accessToken">The new access token.</param>
    /// <param name="refreshToken">The rotated refresh token, or <see langword="null"/> when the server returned none.</param>
    /// <param name="scopes">The scopes the server reported, or <see langword="null"/> when it did not say.</param>
    public static TokenRefreshResult Success(AccessToken accessToken, RefreshToken? refreshToken = null, IReadOnlyList<string>? scopes = null)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        return new(TokenRefreshOutcome.Success, accessToken, refreshToken, scopes, null);
    }

    /// <summary>The server answered <c>invalid_grant</c>.</summary>
    /// <param name="description">The server's non-secret error description, if any.</param>
    public static TokenRefreshResult InvalidGrant(string? description = null) =>
        new(TokenRefreshOutcome.InvalidGrant, null, null, null, description ?? "invalid_grant");

    /// <summary>The request failed in a way a later attempt may fix.</summary>
    /// <param name="error">A short, non-secret reason, such as an OAuth error code or HTTP status.</param>
    public static TokenRefreshResult Failure(string error) =>
        new(TokenRefreshOutcome.Failed, null, null, null, string.IsNullOrEmpty(error) ? "refresh_failed" : error);
}
