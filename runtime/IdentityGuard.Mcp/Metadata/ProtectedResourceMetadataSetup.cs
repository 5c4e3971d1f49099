using System;
using System.Collections.Generic;
using System.Linq;
using IdentityGuard.Authorization;
using IdentityGuard.Mcp.Requirements;
using Microsoft.Extensions.Options;
using ModelContextProtocol.AspNetCore.Authentication;
using ModelContextProtocol.Authentication;

namespace IdentityGuard.Mcp.Metadata;

/// <summary>
/// Fills the MCP SDK's metadata handler from IdentityGuard's settings: the document is served at the resource's
/// well-known address, names the authorizer's trusted issuer as the authorization server, the MCP endpoint as the
/// resource, and every scope the server knows (the authorizer's required scopes, those tools require, and any extra
/// configured ones).
/// </summary>
internal sealed class ProtectedResourceMetadataSetup(
    IOptions<IdentityGuardMcpOptions> mcp,
    IOptions<JwtAuthorizerOptions> authorizer,
    ToolRequirementCatalog catalog) : IConfigureNamedOptions<McpAuthenticationOptions>
{
    public void Configure(McpAuthenticationOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, McpAuthenticationOptions options)
    {
        if (name != IdentityGuardMcpDefaults.MetadataScheme || mcp.Value.Resource is not { } resource)
        {
            return;
        }

        var settings = mcp.Value;
        var jwt = authorizer.Value;
        options.ResourceMetadataUri = ProtectedResourceAddress.For(resource);
        options.ResourceMetadata = new ProtectedResourceMetadata
        {
            Resource = resource.AbsoluteUri,
            AuthorizationServers = AuthorizationServers(settings, jwt).Select(server => server.AbsoluteUri).ToList(),
            ScopesSupported = jwt.RequiredScopes.Concat(catalog.InboundScopes).Concat(settings.ScopesSupported).Distinct(StringComparer.Ordinal).ToList(),
            BearerMethodsSupported = ["header"],
            ResourceName = settings.ResourceName,
            ResourceDocumentation = settings.ResourceDocumentation?.AbsoluteUri,
        };

        // This scheme only serves the document; authentication and challenges are the IdentityGuard scheme's.
        options.ForwardAuthenticate = IdentityGuardMcpDefaults.AuthenticationScheme;
        options.ForwardChallenge = IdentityGuardMcpDefaults.AuthenticationScheme;
        options.ForwardForbid = IdentityGuardMcpDefaults.AuthenticationScheme;
    }

    /// <summary>The configured servers, or the issuer the authorizer trusts.</summary>
    internal static IReadOnlyList<Uri> AuthorizationServers(IdentityGuardMcpOptions settings, JwtAuthorizerOptions jwt)
    {
        if (settings.AuthorizationServers.Count > 0)
        {
            return settings.AuthorizationServers.ToArray();
        }

        if (jwt.Authority is { } authority)
        {
            return [authority];
        }

        if (jwt.ValidIssuers.Count > 0 && Uri.TryCreate(jwt.ValidIssuers[0], UriKind.Absolute, out var issuer))
        {
            return [issuer];
        }

        if (jwt.DiscoveryUrl is { } discovery)
        {
            var text = discovery.AbsoluteUri;
            var at = text.IndexOf(JwtAuthorizerOptions.DiscoveryPath, StringComparison.Ordinal);
            return [new Uri(at > 0 ? text[..at] : text)];
        }

        return [];
    }
}
