using System;
using System.Collections.Generic;

namespace IdentityGuard.Mcp;

/// <summary>
/// Settings of an MCP server protected by IdentityGuard (<c>IdentityGuard:Mcp</c>). What an inbound token must prove
/// (issuer, audience, scopes) stays on <see cref="Authorization.JwtAuthorizerOptions"/> (<c>IdentityGuard:Authorizer</c>).
/// </summary>
public sealed class IdentityGuardMcpOptions
{
    /// <summary>The configuration section, <c>IdentityGuard:Mcp</c>.</summary>
    public const string SectionName = "IdentityGuard:Mcp";

    /// <summary>
    /// The MCP endpoint's absolute URL, e.g. <c>https://mcp.example.com/mcp</c>: the <c>resource</c> of the
    /// protected-resource metadata (RFC 9728) and the audience inbound tokens must carry (RFC 8707). Required; it must
    /// be one of the authorizer's <c>Audiences</c>, which is checked when the host starts.
    /// </summary>
    public Uri? Resource { get; set; }

    /// <summary>A human-readable name of the server for the metadata's <c>resource_name</c>.</summary>
    public string? ResourceName { get; set; }

    /// <summary>A page describing the server, for the metadata's <c>resource_documentation</c>.</summary>
    public Uri? ResourceDocumentation { get; set; }

    /// <summary>
    /// The authorization servers named in the metadata. Empty (the default): the issuer the authorizer trusts (its
    /// <c>Authority</c>, its first <c>ValidIssuers</c> entry, or the discovery URL without its well-known path).
    /// </summary>
    public IList<Uri> AuthorizationServers { get; } = new List<Uri>();

    /// <summary>
    /// Scopes listed as <c>scopes_supported</c>, in addition to the authorizer's required scopes and every inbound
    /// scope a tool requires (those are always listed).
    /// </summary>
    public IList<string> ScopesSupported { get; } = new List<string>();

    /// <summary>
    /// What a tool without <c>ActsWith</c>/<c>ActsWithApiKey</c> declarations may use while it runs:
    /// <see cref="ToolCredentialDefault.NoCredentials"/> (the default) refuses every credential to it;
    /// <see cref="ToolCredentialDefault.AnyCredential"/> lets it use any, as an explicit opt-out.
    /// </summary>
    public ToolCredentialDefault ToolsWithoutActsWith { get; set; } = ToolCredentialDefault.NoCredentials;
}
