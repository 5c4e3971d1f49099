using System.ComponentModel;

namespace IdentityGuard.Manifest;

/// <summary>How an OAuth 2.0 provider obtains tokens (manifest field <c>flow</c>).</summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum OAuthFlow
{
    /// <summary><c>m2m</c>: the client-credentials grant; the agent acts as itself (two-legged).</summary>
    ClientCredentials,

    /// <summary><c>userFederation</c>: authorization code with PKCE; the agent acts for a user after consent (three-legged).</summary>
    UserFederation,

    /// <summary><c>onBehalfOf</c>: RFC 8693 token exchange; the agent appears as the actor on the user's behalf.</summary>
    OnBehalfOf,
}
