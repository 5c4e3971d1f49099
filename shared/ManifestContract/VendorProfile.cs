namespace IdentityGuard.ManifestContract;

/// <summary>Which extra manifest property a vendor's endpoints are built from.</summary>
internal enum VendorParameter
{
    /// <summary>The endpoints are fixed.</summary>
    None,

    /// <summary>The endpoints contain <c>{tenant}</c> (manifest property <c>tenant</c>).</summary>
    Tenant,

    /// <summary>The endpoints contain <c>{domain}</c> (manifest property <c>domain</c>).</summary>
    Domain,
}

/// <summary>
/// A built-in vendor: its public OAuth 2.0 endpoints, resolved at build time so a manifest names only the vendor.
/// Templates may contain <c>{tenant}</c> or <c>{domain}</c>, replaced by the provider's property of that name.
/// </summary>
internal sealed record VendorProfile(
    string Name,
    string? AuthorizationEndpoint,
    string? TokenEndpoint,
    string? DiscoveryUrl,
    VendorParameter Parameter = VendorParameter.None,
    string? DefaultAudience = null)
{
    /// <summary>The manifest property the endpoints need, or <see langword="null"/>.</summary>
    public string? ParameterProperty => Parameter switch
    {
        VendorParameter.Tenant => "tenant",
        VendorParameter.Domain => "domain",
        _ => null,
    };

    /// <summary>Replaces the <c>{tenant}</c> / <c>{domain}</c> placeholder in <paramref name="template"/>.</summary>
    public string? Resolve(string? template, string? parameterValue)
    {
        if (template is null || ParameterProperty is not { } property || parameterValue is null)
        {
            return template;
        }

        return template.Replace("{" + property + "}", parameterValue);
    }
}
