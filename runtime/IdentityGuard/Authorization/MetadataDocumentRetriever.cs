using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.IdentityModel.Protocols;

namespace IdentityGuard.Authorization;

/// <summary>
/// Fetches the discovery document and every address it names (the JWKS) through <see cref="HttpDocumentRetriever"/>,
/// after checking each address on its own: HTTPS, or plain HTTP to a loopback host. The loopback exemption is a property
/// of the address fetched, not of the discovery URL, so a local discovery document cannot send the authorizer to fetch
/// keys from another host over plain HTTP.
/// </summary>
internal sealed class MetadataDocumentRetriever(HttpClient httpClient, bool requireHttps) : IDocumentRetriever
{
    public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || !IsAllowed(uri))
        {
            throw new MetadataRejectedException(
                AuthorizationFailureReasons.InsecureMetadataAddress,
                "The identity provider's metadata names an address that is not HTTPS; its keys are not trusted.",
                $"The metadata address '{address}' is refused: metadata must be fetched over HTTPS (plain HTTP only from loopback addresses).");
        }

        // The library's own HTTPS switch, set for this address alone, enforces the same rule a second time.
        var retriever = new HttpDocumentRetriever(httpClient) { RequireHttps = requireHttps && !uri.IsLoopback };
        return retriever.GetDocumentAsync(uri.AbsoluteUri, cancel);
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
