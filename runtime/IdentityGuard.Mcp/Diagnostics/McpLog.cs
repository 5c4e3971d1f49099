using Microsoft.Extensions.Logging;

namespace IdentityGuard.Mcp.Diagnostics;

/// <summary>The MCP integration's log events (ids 5101–5199).</summary>
internal static partial class McpLog
{
    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Tool '{Tool}' refused before it ran: the caller's token lacks scope(s) {Scopes}.")]
    public static partial void InsufficientScope(ILogger logger, string tool, string scopes);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Tool '{Tool}' needs the user's consent for provider {Provider}; the call ends with a URL elicitation.")]
    public static partial void ConsentElicited(ILogger logger, string tool, string provider);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Tool '{Tool}' raised a consent requirement for another user than the caller; the consent link was withheld.")]
    public static partial void ConsentForAnotherUser(ILogger logger, string tool);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Warning, Message = "Tool '{Tool}' needs consent for provider {Provider}, but the client does not support URL elicitation; the consent link was withheld.")]
    public static partial void ElicitationUnsupported(ILogger logger, string tool, string provider);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Warning, Message = "Refused an outgoing {Method} request to {Host}: it carried an access token issued to this MCP server (token passthrough).")]
    public static partial void PassthroughRefused(ILogger logger, string method, string host);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Tool '{Tool}' refused: it has requirements, but the call has no caller verified by IdentityGuard.")]
    public static partial void NoVerifiedCaller(ILogger logger, string tool);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Warning, Message = "Tool '{Tool}' asked for a credential of provider {Provider} it did not declare; none was handed out. It needs {Declaration}.")]
    public static partial void CredentialNotDeclared(ILogger logger, string tool, string provider, string declaration);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Warning, Message = "Work left running by tool '{Tool}' asked for a credential of provider {Provider} after the call returned; none was handed out.")]
    public static partial void CredentialAfterCallEnded(ILogger logger, string tool, string provider);
}
