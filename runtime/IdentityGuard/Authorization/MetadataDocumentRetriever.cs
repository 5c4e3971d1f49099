using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Protocols;

namespace IdentityGuard.Authorization;

/// <summary>
/// Fetches the discovery document and every address it names (the JWKS) for the
/// <see cref="ConfigurationManager{T}"/>, checking each address on its own: HTTPS, or plain HTTP to a loopback host.
/// The loopback exemption is a property of the address fetched, not of the discovery URL, so a local discovery
/// document cannot send the authorizer to fetch keys from another host over plain HTTP; and the address finally read
/// after redirects is checked too, so a loopback address cannot redirect there either.
/// </summary>
/// <remarks>
/// <see cref="HttpDocumentRetriever"/> does not expose the address it finally read, so this retriever sends the GET
/// itself; parsing the documents stays with <see cref="Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfigurationRetriever"/>.
/// </remarks>
internal sealed class MetadataDocumentRetriever(HttpClient httpClient, bool requireHttps) : IDocumentRetriever
{
    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        var requested = Checked(address);
        using var response = await httpClient.GetAsync(requested, cancel).ConfigureAwait(false);
        Checked((response.RequestMessage?.RequestUri ?? requested).AbsoluteUri);
        if (!response.IsSuccessStatusCode)
        {
            throw new IOException(string.Create(
                CultureInfo.InvariantCulture,
                $"Reading the identity provider metadata at '{address}' failed with HTTP {(int)response.StatusCode}."));
        }

        return await response.Content.ReadAsStringAsync(cancel).ConfigureAwait(false);
    }

    private Uri Checked(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !IsAllowed(uri))
        {
            throw new MetadataRejectedException(
                AuthorizationFailureReasons.InsecureMetadataAddress,
                "The identity provider's metadata names an address that is not HTTPS; its keys are not trusted.",
                $"The metadata address '{address}' is refused: metadata must be fetched over HTTPS (plain HTTP only from loopback addresses).");
        }

        return uri;
    }

    private bool IsAllowed(Uri uri)
    {
        if (uri.Scheme == Uri.UriSchemeHttps)
        {
            return true;
        }

        return uri.Scheme == Uri.UriSchemeHttp && (!requireHttps || uri.IsLoopback);
    }
}
