using IdentityGuard.AspNetCore;

namespace IdentityGuard.Mcp;

/// <summary>Names used by the MCP integration.</summary>
public static class IdentityGuardMcpDefaults
{
    /// <summary>The authentication scheme that verifies MCP callers: the IdentityGuard JWT scheme.</summary>
    public const string AuthenticationScheme = IdentityGuardJwtDefaults.AuthenticationScheme;

    /// <summary>The scheme that serves the protected-resource metadata document (the MCP SDK's metadata handler).</summary>
    public const string MetadataScheme = "IdentityGuard.McpMetadata";
}
