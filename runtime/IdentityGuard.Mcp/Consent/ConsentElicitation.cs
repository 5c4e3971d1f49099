using System;
using System.Security.Cryptography;
using IdentityGuard.Authorization;
using IdentityGuard.Consent;
using IdentityGuard.Mcp.Diagnostics;
using IdentityGuard.Workload;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace IdentityGuard.Mcp.Consent;

/// <summary>
/// Turns a consent requirement into the MCP URL-elicitation error (<c>-32042</c>) carrying the authorization URL.
/// The URL is a capability (whoever approves it decides whose grant the agent stores), so it goes only to the user the
/// consent was started for, and only to a client that can open URLs out of band; anyone else gets an error without it.
/// </summary>
internal static class ConsentElicitation
{
    public static McpProtocolException For(
        RequestContext<CallToolRequestParams> request,
        string tool,
        ConsentRequest consent,
        VerifiedCaller caller,
        ILogger logger)
    {
        var message = $"Tool '{tool}' needs your approval to access {consent.Provider} ({string.Join(' ', consent.Scopes)}). Open the link, approve, then call the tool again.";
        if (!string.Equals(consent.User, WorkloadIdentity.DeriveUserKey(caller.Issuer, caller.Subject), StringComparison.Ordinal))
        {
            McpLog.ConsentForAnotherUser(logger, tool);
            return new McpProtocolException($"Tool '{tool}' needs a consent that only another user can give.", McpErrorCode.InternalError);
        }

        // A client that declared its capabilities without URL-mode elicitation cannot open the link out of band; it
        // would end up in the conversation, in front of the model. Unknown capabilities (stateless requests) are sent.
        if ((request.JsonRpcRequest.Context?.ClientCapabilities ?? request.Server.ClientCapabilities) is { } capabilities && capabilities.Elicitation?.Url is null)
        {
            McpLog.ElicitationUnsupported(logger, tool, consent.Provider);
            return new McpProtocolException($"Tool '{tool}' needs your approval to access {consent.Provider}, but this client cannot open approval links (URL-mode elicitation).", McpErrorCode.InvalidRequest);
        }

        McpLog.ConsentElicited(logger, tool, consent.Provider);
        return new UrlElicitationRequiredException(message,
        [
            new ElicitRequestParams
            {
                Mode = "url",
                // A fresh id: the URL's state must not leak through another field.
                ElicitationId = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
                Url = consent.AuthorizationUrl.AbsoluteUri,
                Message = message,
            },
        ]);
    }
}
