namespace IdentityGuard.Demo;

/// <summary>
/// The OAuth 2.0 grant type identifiers a <see cref="DemoClient"/> may be allowed to use.
/// </summary>
public static class DemoGrantTypes
{
    /// <summary>The client credentials grant (RFC 6749 section 4.4): a machine identity with its own secret.</summary>
    public const string ClientCredentials = "client_credentials";

    /// <summary>The authorization code grant (RFC 6749 section 4.1); the demo server always requires PKCE with it.</summary>
    public const string AuthorizationCode = "authorization_code";

    /// <summary>The refresh token grant (RFC 6749 section 6); refresh tokens are issued when <c>offline_access</c> is granted.</summary>
    public const string RefreshToken = "refresh_token";

    /// <summary>The token exchange grant (RFC 8693), used for on-behalf-of and delegation flows.</summary>
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
}
