using System;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Delegation;

/// <summary>The log events of on-behalf-of exchange. They name providers, scopes and actor chains, never a token.</summary>
internal static partial class DelegationLog
{
    [LoggerMessage(EventId = 1701, Level = LogLevel.Debug, Message = "Exchanging the caller's token for provider {Provider} with scope '{Scope}' (actors {Actors}).")]
    public static partial void Exchanging(ILogger logger, string provider, string? scope, IdentityGuard.Authorization.ActorChain actors);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Information, Message = "Exchanged the caller's token for provider {Provider} with scope '{Scope}', valid until {ExpiresAt:O} (actors {Actors}).")]
    public static partial void Exchanged(ILogger logger, string provider, string? scope, DateTimeOffset expiresAt, IdentityGuard.Authorization.ActorChain actors);

    [LoggerMessage(EventId = 1703, Level = LogLevel.Warning, Message = "No on-behalf-of token for provider {Provider}: {Reason}.")]
    public static partial void Refused(ILogger logger, string provider, string reason);
}
