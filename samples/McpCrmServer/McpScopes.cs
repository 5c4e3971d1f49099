namespace McpCrmServer;

/// <summary>The scopes of this MCP server's own tokens (inbound): constants, so a misspelled scope does not compile.</summary>
public static class McpScopes
{
    /// <summary>Use the server at all: every token must carry it.</summary>
    public const string Use = "crm.mcp";

    /// <summary>Tools that change data: asked for only when such a tool is called (step-up).</summary>
    public const string Write = "crm.mcp.write";
}
