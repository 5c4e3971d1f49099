using System.Collections.Generic;
using System.Collections.Immutable;

namespace IdentityGuard.Analyzers.Scopes;

/// <summary>
/// One place code names the scopes of a token request: a method parameter or a property of a type in
/// <see cref="Namespace"/> (<see cref="TypeName"/> <see langword="null"/>: any type of that namespace).
/// </summary>
/// <param name="Namespace">The namespace of the declaring type, dotted.</param>
/// <param name="TypeName">The declaring type's simple name, or <see langword="null"/> for any type in the namespace.</param>
/// <param name="MemberName">The method or property name.</param>
/// <param name="ParameterName">The parameter that carries the scopes; <see langword="null"/> for a property.</param>
/// <param name="Context">Whom the token is for.</param>
/// <param name="ProviderParameter">For IdentityGuard's string-based APIs, the parameter naming the manifest provider (IG0102).</param>
/// <param name="Vendor">The vendor when the API only talks to one (MSAL and Microsoft.Identity.Web: <c>microsoft</c>).</param>
internal sealed record ScopeSink(
    string Namespace,
    string? TypeName,
    string MemberName,
    string? ParameterName,
    RequestContext Context,
    string? ProviderParameter = null,
    string? Vendor = null);

/// <summary>
/// The token APIs whose scope arguments IG0101, IG0102 and IG0103 read: MSAL, Microsoft.Identity.Web,
/// Duende.IdentityModel (and its predecessor IdentityModel), and IdentityGuard's own string-based APIs.
/// A scope argument may be one string of space-separated scopes, an array, a collection expression or a
/// collection initializer of them.
/// </summary>
internal static class ScopeSinks
{
    private const string Msal = "Microsoft.Identity.Client";
    private const string IdentityWeb = "Microsoft.Identity.Web";
    private const string Duende = "Duende.IdentityModel.Client";
    private const string IdentityModel = "IdentityModel.Client";

    public static ImmutableArray<ScopeSink> All { get; } = ImmutableArray.Create(
        // MSAL.NET: IPublicClientApplication, IConfidentialClientApplication, IClientApplicationBase and their builders.
        new ScopeSink(Msal, null, "AcquireTokenInteractive", "scopes", RequestContext.Delegated, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(Msal, null, "AcquireTokenSilent", "scopes", RequestContext.Delegated, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(Msal, null, "AcquireTokenByAuthorizationCode", "scopes", RequestContext.Delegated, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(Msal, null, "AcquireTokenWithDeviceCode", "scopes", RequestContext.Delegated, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(Msal, null, "AcquireTokenByUsernamePassword", "scopes", RequestContext.Delegated, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(Msal, null, "AcquireTokenByIntegratedWindowsAuth", "scopes", RequestContext.Delegated, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(Msal, null, "GetAuthorizationRequestUrl", "scopes", RequestContext.Delegated, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(Msal, null, "WithExtraScopesToConsent", "scopes", RequestContext.Delegated, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(Msal, null, "AcquireTokenOnBehalfOf", "scopes", RequestContext.OnBehalfOf, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(Msal, null, "AcquireTokenForClient", "scopes", RequestContext.M2M, Vendor: ScopeCatalog.Microsoft),

        // Microsoft.Identity.Web: ITokenAcquisition.
        new ScopeSink(IdentityWeb, null, "GetAccessTokenForUserAsync", "scopes", RequestContext.Delegated, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(IdentityWeb, null, "GetAuthenticationResultForUserAsync", "scopes", RequestContext.Delegated, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(IdentityWeb, null, "GetAccessTokenForAppAsync", "scope", RequestContext.M2M, Vendor: ScopeCatalog.Microsoft),
        new ScopeSink(IdentityWeb, null, "GetAuthenticationResultForAppAsync", "scope", RequestContext.M2M, Vendor: ScopeCatalog.Microsoft),

        // Duende.IdentityModel (and IdentityModel before the rename): request objects and the authorize URL.
        new ScopeSink(Duende, "ClientCredentialsTokenRequest", "Scope", null, RequestContext.M2M),
        new ScopeSink(Duende, "TokenExchangeTokenRequest", "Scope", null, RequestContext.OnBehalfOf),
        new ScopeSink(Duende, "PasswordTokenRequest", "Scope", null, RequestContext.Delegated),
        new ScopeSink(Duende, "RefreshTokenRequest", "Scope", null, RequestContext.Delegated),
        new ScopeSink(Duende, "DeviceAuthorizationRequest", "Scope", null, RequestContext.Delegated),
        new ScopeSink(Duende, null, "CreateAuthorizeUrl", "scope", RequestContext.Delegated),
        new ScopeSink(IdentityModel, "ClientCredentialsTokenRequest", "Scope", null, RequestContext.M2M),
        new ScopeSink(IdentityModel, "TokenExchangeTokenRequest", "Scope", null, RequestContext.OnBehalfOf),
        new ScopeSink(IdentityModel, "PasswordTokenRequest", "Scope", null, RequestContext.Delegated),
        new ScopeSink(IdentityModel, "RefreshTokenRequest", "Scope", null, RequestContext.Delegated),
        new ScopeSink(IdentityModel, "DeviceAuthorizationRequest", "Scope", null, RequestContext.Delegated),
        new ScopeSink(IdentityModel, null, "CreateAuthorizeUrl", "scope", RequestContext.Delegated),

        // Azure.Core: every Azure SDK credential (Azure.Identity) takes its scopes in a TokenRequestContext. Whether the
        // request is for a user or the app depends on the credential, so .default is not judged here.
        new ScopeSink("Azure.Core", "TokenRequestContext", ".ctor", "scopes", RequestContext.Unknown, Vendor: ScopeCatalog.Microsoft),

        // ASP.NET Core's remote authentication handlers: options.Scope.Add("…") on OAuthOptions (and the GitHub,
        // Google, Microsoft Account handlers that derive from it) and OpenIdConnectOptions. The vendor is read from the
        // endpoints named in the same configuration code (ScopeVendorHints).
        new ScopeSink("Microsoft.AspNetCore.Authentication.OAuth", "OAuthOptions", "Scope", null, RequestContext.Delegated),
        new ScopeSink("Microsoft.AspNetCore.Authentication.OpenIdConnect", "OpenIdConnectOptions", "Scope", null, RequestContext.Delegated),

        // The MCP C# SDK's client: the scopes it asks the MCP server's authorization server for.
        new ScopeSink("ModelContextProtocol.Authentication", "ClientOAuthOptions", "Scopes", null, RequestContext.Delegated),

        // IdentityGuard's string-based APIs name a manifest provider: the generated enums are the typed way.
        new ScopeSink("IdentityGuard.Federation", "UserFederation", "GetAccessTokenAsync", "scopes", RequestContext.Delegated, ProviderParameter: "provider"),
        new ScopeSink("IdentityGuard.Federation", "UserFederation", "RequestConsentAsync", "scopes", RequestContext.Delegated, ProviderParameter: "provider"),
        new ScopeSink("IdentityGuard.Vault", "TokenVault", "GetAccessTokenAsync", "requiredScopes", RequestContext.Delegated, ProviderParameter: "provider"));

    /// <summary>Metadata names of types whose presence means a sink may be called; without any, the code rules stay off.</summary>
    public static ImmutableArray<string> AnchorTypes { get; } = ImmutableArray.Create(
        "Microsoft.Identity.Client.IClientApplicationBase",
        "Microsoft.Identity.Client.AbstractAcquireTokenParameterBuilder`1",
        "Microsoft.Identity.Web.ITokenAcquisition",
        "Duende.IdentityModel.Client.ProtocolRequest",
        "Duende.IdentityModel.Client.RequestUrl",
        "IdentityModel.Client.ProtocolRequest",
        "IdentityModel.Client.RequestUrl",
        "Azure.Core.TokenRequestContext",
        "Microsoft.AspNetCore.Authentication.OAuth.OAuthOptions",
        "Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions",
        "ModelContextProtocol.Authentication.ClientOAuthOptions",
        "IdentityGuard.Federation.UserFederation",
        "IdentityGuard.Vault.TokenVault");

    /// <summary>Sinks by member name, for the first (string-hash) test in the operation callbacks.</summary>
    public static IReadOnlyDictionary<string, ImmutableArray<ScopeSink>> ByMember { get; } = Index();

    private static Dictionary<string, ImmutableArray<ScopeSink>> Index()
    {
        var groups = new Dictionary<string, ImmutableArray<ScopeSink>.Builder>(System.StringComparer.Ordinal);
        foreach (var sink in All)
        {
            if (!groups.TryGetValue(sink.MemberName, out var group))
            {
                groups[sink.MemberName] = group = ImmutableArray.CreateBuilder<ScopeSink>();
            }

            group.Add(sink);
        }

        var index = new Dictionary<string, ImmutableArray<ScopeSink>>(System.StringComparer.Ordinal);
        foreach (var pair in groups)
        {
            index[pair.Key] = pair.Value.ToImmutable();
        }

        return index;
    }
}
