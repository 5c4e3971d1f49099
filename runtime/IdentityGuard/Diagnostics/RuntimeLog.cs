using System;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Diagnostics;

/// <summary>
/// The runtime's log events, defined once. Parameters are provider names, scopes, endpoints and error codes;
/// no event takes a credential.
/// </summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Requesting a token for provider {Provider} with scope '{Scope}'.")]
    public static partial void RequestingToken(ILogger logger, string provider, string? scope);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Obtained a token for provider {Provider} with scope '{Scope}', valid until {ExpiresAt:O}.")]
    public static partial void TokenObtained(ILogger logger, string provider, string? scope, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "The token request for provider {Provider} with scope '{Scope}' failed: {Error}.")]
    public static partial void TokenRequestFailed(ILogger logger, string provider, string? scope, string error);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Renewing the token for provider {Provider} failed; the current token stays in use until {ExpiresAt:O}.")]
    public static partial void RenewalFailedServingCurrent(ILogger logger, string provider, DateTimeOffset expiresAt, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "{Method} {Host} answered 401 for provider {Provider}; renewing the token and retrying once.")]
    public static partial void RenewingAfterUnauthorized(ILogger logger, string method, string host, string provider);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "No credential for provider {Provider}: the {Method} request to {Host} was not sent.")]
    public static partial void FailedClosed(ILogger logger, string provider, string method, string host);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "The credential of provider {Provider} may not go to {Origin}: the {Method} request was not sent.")]
    public static partial void DestinationRefused(ILogger logger, string provider, string method, string origin);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "A {Status} redirect from {Origin} to {Target} was not followed: credentials go only to the origin they were attached for.")]
    public static partial void CrossOriginRedirectNotFollowed(ILogger logger, int status, string origin, string target);
}
