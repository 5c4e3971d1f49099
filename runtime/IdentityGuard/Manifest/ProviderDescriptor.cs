using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;

namespace IdentityGuard.Manifest;

/// <summary>
/// One credential provider of the manifest, as compiled by the source generator. Non-secret values can be
/// overridden at run time from configuration (<c>IdentityGuard:Providers:&lt;Name&gt;:&lt;Field&gt;</c>).
/// </summary>
/// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code uses the generated accessors and <c>With&lt;Provider&gt;Token</c>/<c>With&lt;Provider&gt;ApiKey</c> methods instead.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ProviderDescriptor
{
    private readonly IReadOnlyList<ScopeDescriptor> _scopes = Array.Empty<ScopeDescriptor>();
    private readonly IReadOnlyList<string> _allowedOrigins = Array.Empty<string>();

    /// <summary>Creates a descriptor.</summary>
    /// <param name="name">The provider name as written in the manifest (a C# identifier).</param>
    /// <param name="kind">The credential kind.</param>
    public ProviderDescriptor(string name, CredentialKind kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Kind = kind;
    }

    /// <summary>The provider name.</summary>
    public string Name { get; }

    /// <summary>The credential kind.</summary>
    public CredentialKind Kind { get; }

    /// <summary>The OAuth flow (OAuth 2.0 providers only).</summary>
    public OAuthFlow Flow { get; init; }

    /// <summary>The vendor name when the provider uses a built-in vendor profile (e.g. <c>google</c>); <c>custom</c> otherwise.</summary>
    public string Vendor { get; init; } = "custom";

    /// <summary>The OpenID Connect discovery document address, when endpoints are discovered.</summary>
    public string? DiscoveryUrl { get; init; }

    /// <summary>The token endpoint, when given explicitly (takes precedence over discovery).</summary>
    public string? TokenEndpoint { get; init; }

    /// <summary>The authorization endpoint used by user federation, when given explicitly.</summary>
    public string? AuthorizationEndpoint { get; init; }

    /// <summary>The client id: a literal or a reference.</summary>
    public ValueReference? ClientId { get; init; }

    /// <summary>Where the client secret lives; never the secret itself.</summary>
    public ValueReference? ClientSecret { get; init; }

    /// <summary>The resource or audience requested with tokens (RFC 8707), when the server needs one.</summary>
    public string? Audience { get; init; }

    /// <summary>The declared scopes; a scope's index is its bit in the generated flags enum.</summary>
    /// <remarks>Copied on assignment, so a compiled manifest cannot be changed through the list it was given.</remarks>
    public IReadOnlyList<ScopeDescriptor> Scopes
    {
        get => _scopes;
        init => _scopes = Array.AsReadOnly((value ?? throw new ArgumentNullException(nameof(value))).ToArray());
    }

    /// <summary>Where the API key lives (API-key providers only).</summary>
    public ValueReference? ApiKey { get; init; }

    /// <summary>Where the API key travels (API-key providers only).</summary>
    public ApiKeyPlacement ApiKeyPlacement { get; init; }

    /// <summary>The header or query parameter name that carries the API key.</summary>
    public string? ApiKeyParameter { get; init; }

    /// <summary>
    /// The origins (scheme, host and port, such as <c>https://api.example.com</c>) the provider's credential may be
    /// sent to; empty allows any https origin (or plain http on loopback). A request to another origin fails closed
    /// before anything is sent. Overridable with <c>IdentityGuard:Providers:&lt;Name&gt;:AllowedOrigins</c>.
    /// </summary>
    /// <remarks>Copied on assignment, so a compiled manifest cannot be changed through the list it was given.</remarks>
    public IReadOnlyList<string> AllowedOrigins
    {
        get => _allowedOrigins;
        init => _allowedOrigins = Array.AsReadOnly((value ?? throw new ArgumentNullException(nameof(value))).ToArray());
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind}{(Kind == CredentialKind.OAuth2 ? ", " + Flow : string.Empty)})";
}
