using System.ComponentModel;
using System.Threading;
using IdentityGuard.Mcp.Requirements;
using McpCrmServer;
using ModelContextProtocol.Server;

namespace IdentityGuard.Mcp.Tests;

/// <summary>Counts how often a tool body actually ran, so a test can tell "refused" from "ran, then failed".</summary>
internal sealed class ToolRuns
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add() => Interlocked.Increment(ref _count);
}

/// <summary>A write tool with a visible side effect, needing the write scope the first sign-in does not ask for.</summary>
[McpServerToolType]
[RequireScopes(McpScopes.Use)]
internal sealed class ScopedWriteTools(ToolRuns runs)
{
    public const string Name = "archive_client";

    [McpServerTool(Name = Name), Description("Archives a customer.")]
    [RequireScopes(McpScopes.Write)]
    public string ArchiveClient([Description("The customer id.")] string clientId)
    {
        runs.Add();
        return $"{clientId} archived";
    }
}
