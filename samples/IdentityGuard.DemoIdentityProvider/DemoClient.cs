using System;
using System.Collections.Generic;

namespace IdentityGuard.Demo;

/// <summary>
/// A client application registered with the <see cref="DemoIdentityProvider"/>.
/// </summary>
public sealed class DemoClient
{
    /// <summary>Creates a client registration.</summary>
    /// <param name="clientId">The client identifier; it also becomes the <c>sub</c> of client-credentials tokens.</param>
    /// <param name="clientSecret">The client secret, or <see langword="null"/> for a public client (authorization code + PKCE only).</param>
    public DemoClient(string clientId, string? clientSecret)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ClientId = clientId;
        ClientSecret = clientSecret;
    }

    /// <summary>The client identifier.</summary>
    public string ClientId { get; }

    /// <summary>The client secret, or <see langword="null"/> for a public client.</summary>
    public string? ClientSecret { get; }

    /// <summary>The scopes this client may request. Each must also be declared in <see cref="DemoIdentityProviderOptions.Scopes"/>.</summary>
    public IList<string> AllowedScopes { get; } = new List<string>();

    /// <summary>The grant types this client may use (see <see cref="DemoGrantTypes"/>); defaults to client credentials only.</summary>
    public IList<string> AllowedGrantTypes { get; } = new List<string> { DemoGrantTypes.ClientCredentials };

    /// <summary>
    /// The resources (RFC 8707 <c>resource</c> values, absolute URIs) this client may name in its requests; empty (the
    /// default) allows none. Tokens are still issued for the resources of the granted scopes.
    /// </summary>
    public IList<string> AllowedResources { get; } = new List<string>();

    /// <summary>The redirect URIs accepted for the authorization code grant.</summary>
    public IList<Uri> RedirectUris { get; } = new List<Uri>();

    /// <summary>
    /// How long access tokens issued to this client live, or <see langword="null"/> (the default) for the server's
    /// <see cref="DemoIdentityProviderOptions.AccessTokenLifetime"/>. Lets one server hand the same user tokens with
    /// different expiries, as two apps of one identity provider may.
    /// </summary>
    public TimeSpan? AccessTokenLifetime { get; set; }
}
