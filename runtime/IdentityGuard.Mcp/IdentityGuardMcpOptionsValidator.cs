using System;
using System.Collections.Generic;
using System.Linq;
using IdentityGuard.Authorization;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Mcp;

/// <summary>
/// Refuses to start an MCP server whose tokens would not be bound to it: the resource must be an absolute http(s) URL
/// without a fragment, and the authorizer must validate the audience and accept this resource as one (RFC 8707; the
/// MCP authorization specification forbids accepting tokens issued for another resource).
/// </summary>
internal sealed class IdentityGuardMcpOptionsValidator(IOptions<JwtAuthorizerOptions> authorizer) : IValidateOptions<IdentityGuardMcpOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityGuardMcpOptions options)
    {
        var failures = new List<string>();
        var resource = options.Resource;
        if (resource is null)
        {
            failures.Add($"{IdentityGuardMcpOptions.SectionName}:Resource is required: the MCP endpoint's absolute URL, e.g. https://mcp.example.com/mcp.");
        }
        else if (!resource.IsAbsoluteUri || (resource.Scheme != Uri.UriSchemeHttps && resource.Scheme != Uri.UriSchemeHttp) || !string.IsNullOrEmpty(resource.Fragment))
        {
            failures.Add($"{IdentityGuardMcpOptions.SectionName}:Resource must be an absolute http(s) URL without a fragment.");
        }
        else if (resource.Scheme == Uri.UriSchemeHttp && !resource.IsLoopback)
        {
            failures.Add($"{IdentityGuardMcpOptions.SectionName}:Resource must use https off loopback: tokens would otherwise travel in clear.");
        }
        else
        {
            var jwt = authorizer.Value;
            if (jwt.DisableAudienceValidation)
            {
                failures.Add("The authorizer's DisableAudienceValidation is true: an MCP server must only accept tokens issued for itself (RFC 8707).");
            }
            else if (!jwt.Audiences.Contains(resource.AbsoluteUri, StringComparer.Ordinal))
            {
                failures.Add($"The authorizer's Audiences do not include the MCP resource '{resource.AbsoluteUri}': add it (IdentityGuard:Authorizer:Audiences), so that only tokens issued for this server are accepted.");
            }
        }

        if (!Enum.IsDefined(options.ToolsWithoutActsWith))
        {
            failures.Add($"{IdentityGuardMcpOptions.SectionName}:ToolsWithoutActsWith must be {nameof(ToolCredentialDefault.NoCredentials)} (the default) or {nameof(ToolCredentialDefault.AnyCredential)}.");
        }

        foreach (var server in options.AuthorizationServers)
        {
            if (!server.IsAbsoluteUri)
            {
                failures.Add($"{IdentityGuardMcpOptions.SectionName}:AuthorizationServers must hold absolute URLs.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
