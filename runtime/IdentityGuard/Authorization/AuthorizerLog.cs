using System;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Authorization;

/// <summary>The authorizer's log events. They name subjects, clients, error codes and endpoints; none takes a token.</summary>
internal static partial class AuthorizerLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Accepted caller {Subject} (client {ClientId}, actors {Actors}).")]
    public static partial void CallerAccepted(ILogger logger, string subject, string clientId, ActorChain actors);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Refused a caller: {Error} ({Reason}), subject {Subject}.")]
    public static partial void CallerRefused(ILogger logger, string error, string reason, string subject);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "A token was signed by a key not in the cached metadata; refreshing {DiscoveryUrl} once.")]
    public static partial void RefreshingForUnknownKey(ILogger logger, Uri discoveryUrl);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "A token was signed by an unknown key, but the metadata of {DiscoveryUrl} was refreshed less than {MinimumInterval} ago; not refreshing.")]
    public static partial void RefreshSuppressed(ILogger logger, Uri discoveryUrl, TimeSpan minimumInterval);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "The identity provider metadata at {DiscoveryUrl} could not be read; callers are refused until it can.")]
    public static partial void MetadataUnavailable(ILogger logger, Uri discoveryUrl, Exception exception);
}
