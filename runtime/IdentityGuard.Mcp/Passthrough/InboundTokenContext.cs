using System;
using System.Threading;
using IdentityGuard.Authorization;

namespace IdentityGuard.Mcp.Passthrough;

/// <summary>The inbound MCP access token of the operation in progress, so outgoing requests can be checked against it.</summary>
internal static class InboundTokenContext
{
    private static readonly AsyncLocal<InboundAccessToken?> s_current = new();

    public static InboundAccessToken? Current => s_current.Value;

    public static Scope Use(InboundAccessToken token)
    {
        var previous = s_current.Value;
        s_current.Value = token;
        return new Scope(previous);
    }

    internal readonly struct Scope(InboundAccessToken? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
