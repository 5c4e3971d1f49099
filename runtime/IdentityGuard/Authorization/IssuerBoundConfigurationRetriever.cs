using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace IdentityGuard.Authorization;

/// <summary>
/// Reads the discovery document with <see cref="OpenIdConnectConfigurationRetriever"/> and refuses it unless its
/// <c>issuer</c> is the address it was read from, without <c>/.well-known/openid-configuration</c> (OpenID Connect
/// Discovery section 4.3). Otherwise whoever can serve a document at the configured address (or redirect it) could
/// make the authorizer trust tokens of any issuer; a trailing slash on either side is tolerated, as section 4.1 allows.
/// </summary>
internal sealed class IssuerBoundConfigurationRetriever(Uri discoveryUrl) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    private readonly string _expectedIssuer = ExpectedIssuer(discoveryUrl);

    /// <summary>The issuer a discovery document at <paramref name="discoveryUrl"/> must name, without a trailing slash.</summary>
    /// <returns><see langword="null"/> when the address does not end with the well-known path (options validation refuses it).</returns>
    public static string? TryGetExpectedIssuer(Uri discoveryUrl)
    {
        const string suffix = "/" + JwtAuthorizerOptions.DiscoveryPath;
        if (!discoveryUrl.IsAbsoluteUri || discoveryUrl.Query.Length > 0 || discoveryUrl.Fragment.Length > 0)
        {
            return null;
        }

        var address = discoveryUrl.AbsoluteUri;
        return address.EndsWith(suffix, StringComparison.Ordinal) ? address[..^suffix.Length] : null;
    }

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var configuration = await OpenIdConnectConfigurationRetriever.GetAsync(address, retriever, cancel).ConfigureAwait(false);
        var issuer = configuration.Issuer ?? string.Empty;
        var withoutSlash = issuer.EndsWith('/') ? issuer[..^1] : issuer;
        if (!string.Equals(withoutSlash, _expectedIssuer, StringComparison.Ordinal))
        {
            throw new MetadataRejectedException(
                AuthorizationFailureReasons.MetadataIssuerMismatch,
                "The identity provider's discovery document names an issuer other than its own address; its keys are not trusted.",
                $"The discovery document at '{address}' names the issuer '{issuer}', but a document at that address may only name '{_expectedIssuer}' (OpenID Connect Discovery 4.3).");
        }

        return configuration;
    }

    private static string ExpectedIssuer(Uri discoveryUrl) =>
        TryGetExpectedIssuer(discoveryUrl)
        ?? throw new ArgumentException($"The discovery URL must end with /{JwtAuthorizerOptions.DiscoveryPath}.", nameof(discoveryUrl));
}
