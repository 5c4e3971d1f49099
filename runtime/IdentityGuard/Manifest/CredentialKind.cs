using System.ComponentModel;

namespace IdentityGuard.Manifest;

/// <summary>The kind of credential a provider hands out.</summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum CredentialKind
{
    /// <summary>OAuth 2.0 access tokens obtained from an authorization server.</summary>
    OAuth2,

    /// <summary>A static API key read from configuration or the environment.</summary>
    ApiKey,
}
