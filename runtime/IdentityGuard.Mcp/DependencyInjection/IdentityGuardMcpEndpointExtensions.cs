using System;
using IdentityGuard.Mcp;
using IdentityGuard.Mcp.Http;
using Microsoft.AspNetCore.Authorization;

#pragma warning disable IDE0130 // Next to MapMcp, where endpoints are mapped.
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Requires IdentityGuard on a mapped MCP endpoint.</summary>
public static class IdentityGuardMcpEndpointExtensions
{
    /// <summary>
    /// Requires a caller verified by the IdentityGuard scheme on the MCP endpoint (<c>app.MapMcp("/mcp").RequireIdentityGuard()</c>):
    /// without a valid token the answer is 401 with <c>resource_metadata</c>; a <c>tools/call</c> the token's scopes do
    /// not allow is answered 403 <c>insufficient_scope</c> with the scopes to ask for; and the caller's token is taken
    /// off the request before any MCP code runs, so no tool can forward it.
    /// </summary>
    public static TBuilder RequireIdentityGuard<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.RequireAuthorization(new AuthorizationPolicyBuilder(IdentityGuardMcpDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build());
        builder.Add(endpoint =>
        {
            if (endpoint.RequestDelegate is { } inner)
            {
                endpoint.RequestDelegate = context => McpEndpointGate.InvokeAsync(context, inner);
            }
        });
        return builder;
    }
}
