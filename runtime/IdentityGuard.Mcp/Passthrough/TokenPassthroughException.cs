using System;
using IdentityGuard.Providers;

namespace IdentityGuard.Mcp.Passthrough;

/// <summary>
/// An outgoing request carried an access token issued to this MCP server (the caller's inbound token). The MCP
/// authorization specification forbids passing it through; the request was not sent. Downstream calls must use the
/// tool's own credentials (a manifest provider: the user's grant, token exchange or client credentials).
/// </summary>
public sealed class TokenPassthroughException : CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public TokenPassthroughException()
        : this("An outgoing request carried an access token issued to this MCP server; it was not sent.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TokenPassthroughException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TokenPassthroughException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
