namespace IdentityGuard.Manifest;

/// <summary>The kind of credential a provider hands out.</summary>
public enum CredentialKind
{
    /// <summary>OAuth 2.0 access tokens obtained from an authorization server.</summary>
    OAuth2,

    /// <summary>A static API key read from configuration or the environment.</summary>
    ApiKey,
}
