using System;

namespace IdentityGuard.Mcp.Metadata;

/// <summary>Where the protected-resource metadata of a resource lives (RFC 9728, section 3.1).</summary>
internal static class ProtectedResourceAddress
{
    /// <summary>The well-known path segment of protected-resource metadata.</summary>
    public const string WellKnownPath = "/.well-known/oauth-protected-resource";

    /// <summary>
    /// The metadata URL of <paramref name="resource"/>: the well-known segment goes between the host and the resource's
    /// path, so <c>https://host/mcp</c> has its metadata at <c>https://host/.well-known/oauth-protected-resource/mcp</c>.
    /// </summary>
    public static Uri For(Uri resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var path = resource.AbsolutePath.TrimEnd('/');
        return new UriBuilder(resource.Scheme, resource.Host, resource.Port, WellKnownPath + path).Uri;
    }
}
