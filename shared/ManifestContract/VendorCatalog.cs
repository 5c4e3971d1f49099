using System.Collections.Immutable;
using System.Linq;

namespace IdentityGuard.ManifestContract;

/// <summary>
/// The built-in vendors. Endpoints are the vendors' documented public ones; a provider can still override any of
/// them in the manifest or at run time (<c>IdentityGuard:Providers:&lt;Name&gt;:TokenEndpoint</c>, …).
/// </summary>
internal static class VendorCatalog
{
    public static ImmutableArray<VendorProfile> Profiles { get; } = ImmutableArray.Create(
        new VendorProfile(
            "google",
            AuthorizationEndpoint: "https://accounts.google.com/o/oauth2/v2/auth",
            TokenEndpoint: "https://oauth2.googleapis.com/token",
            DiscoveryUrl: "https://accounts.google.com/.well-known/openid-configuration"),
        new VendorProfile(
            "github",
            AuthorizationEndpoint: "https://github.com/login/oauth/authorize",
            TokenEndpoint: "https://github.com/login/oauth/access_token",
            DiscoveryUrl: null),
        new VendorProfile(
            "microsoft",
            AuthorizationEndpoint: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
            TokenEndpoint: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
            DiscoveryUrl: "https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration",
            Parameter: VendorParameter.Tenant),
        new VendorProfile(
            "slack",
            AuthorizationEndpoint: "https://slack.com/oauth/v2/authorize",
            TokenEndpoint: "https://slack.com/api/oauth.v2.access",
            DiscoveryUrl: null),
        new VendorProfile(
            "salesforce",
            AuthorizationEndpoint: "https://login.salesforce.com/services/oauth2/authorize",
            TokenEndpoint: "https://login.salesforce.com/services/oauth2/token",
            DiscoveryUrl: "https://login.salesforce.com/.well-known/openid-configuration"),
        new VendorProfile(
            "atlassian",
            AuthorizationEndpoint: "https://auth.atlassian.com/authorize",
            TokenEndpoint: "https://auth.atlassian.com/oauth/token",
            DiscoveryUrl: null,
            DefaultAudience: "api.atlassian.com"),

        // Okta's "default" custom authorization server: the one that issues tokens for your own APIs and scopes.
        new VendorProfile(
            "okta",
            AuthorizationEndpoint: "https://{domain}/oauth2/default/v1/authorize",
            TokenEndpoint: "https://{domain}/oauth2/default/v1/token",
            DiscoveryUrl: "https://{domain}/oauth2/default/.well-known/openid-configuration",
            Parameter: VendorParameter.Domain),
        new VendorProfile(
            "auth0",
            AuthorizationEndpoint: "https://{domain}/authorize",
            TokenEndpoint: "https://{domain}/oauth/token",
            DiscoveryUrl: "https://{domain}/.well-known/openid-configuration",
            Parameter: VendorParameter.Domain));

    /// <summary>Every value <c>vendor</c> accepts: the built-in vendors and <c>custom</c>.</summary>
    public static ImmutableArray<string> Names { get; } =
        Profiles.Select(static p => p.Name).Concat(new[] { ManifestVocabulary.CustomVendor }).ToImmutableArray();

    public static VendorProfile? Find(string name)
    {
        foreach (var profile in Profiles)
        {
            if (profile.Name == name)
            {
                return profile;
            }
        }

        return null;
    }
}
