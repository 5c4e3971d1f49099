using System;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Audit;

/// <summary>
/// Writes audit events as structured log records in the <c>IdentityGuard.Audit</c> category, so they flow to
/// whatever log pipeline the app already has. Registered by default.
/// </summary>
public sealed partial class LoggerAuditSink : IAuditSink
{
    /// <summary>The log category of audit records.</summary>
    public const string Category = "IdentityGuard.Audit";

    private readonly ILogger _logger;

    /// <summary>Creates the sink.</summary>
    public LoggerAuditSink(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _logger = loggerFactory.CreateLogger(Category);
    }

    /// <inheritdoc />
    public bool IsEnabled(AuditEventKind kind) => _logger.IsEnabled(LogLevel.Information);

    /// <inheritdoc />
    public void Write(AuditEvent auditEvent)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var scopes = string.Join(' ', auditEvent.Scopes);
        if (auditEvent.Actors.Count == 0)
        {
            Log(_logger, auditEvent.Kind, auditEvent.Workload, auditEvent.User ?? "-", auditEvent.Provider ?? "-", scopes, auditEvent.Reason ?? "-");
        }
        else
        {
            var actors = string.Join(" < ", auditEvent.Actors);
            LogDelegated(_logger, auditEvent.Kind, auditEvent.Workload, auditEvent.User ?? "-", actors, auditEvent.Provider ?? "-", scopes, auditEvent.Reason ?? "-");
        }
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Audit {Kind}: workload {Workload}, user {User}, provider {Provider}, scopes [{Scopes}], reason {Reason}")]
    private static partial void Log(ILogger logger, AuditEventKind kind, string workload, string user, string provider, string scopes, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Audit {Kind}: workload {Workload}, user {User} through actors [{Actors}], provider {Provider}, scopes [{Scopes}], reason {Reason}")]
    private static partial void LogDelegated(ILogger logger, AuditEventKind kind, string workload, string user, string actors, string provider, string scopes, string reason);
}
