using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Audit;

/// <summary>Fans an audit event out to every registered <see cref="IAuditSink"/>; a failing sink never breaks the caller.</summary>
public sealed partial class AuditLog
{
    private readonly IAuditSink[] _sinks;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditLog> _logger;

    /// <summary>Creates the audit log.</summary>
    public AuditLog(IEnumerable<IAuditSink> sinks, TimeProvider time, ILogger<AuditLog> logger)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _sinks = sinks.ToArray();
        _time = time ?? TimeProvider.System;
        _logger = logger;
    }

    /// <summary>Records an event stamped with the current time.</summary>
    public void Record(AuditEventKind kind, string workload, string? user, string? provider, IReadOnlyList<string>? scopes = null, string? reason = null) =>
        Record(kind, workload, user, provider, scopes, reason, actors: null);

    /// <summary>Records an event stamped with the current time, naming the chain of agents acting for the user.</summary>
    /// <param name="kind">What happened.</param>
    /// <param name="workload">The workload name.</param>
    /// <param name="user">The user, if any.</param>
    /// <param name="provider">The credential provider, if any.</param>
    /// <param name="scopes">The scopes involved.</param>
    /// <param name="reason">A short, non-secret reason.</param>
    /// <param name="actors">The acting agents, most recent first (see <see cref="AuditEvent.Actors"/>).</param>
    public void Record(AuditEventKind kind, string workload, string? user, string? provider, IReadOnlyList<string>? scopes, string? reason, IReadOnlyList<string>? actors)
    {
        if (!IsRecording(kind))
        {
            return;
        }

        var auditEvent = new AuditEvent(_time.GetUtcNow(), kind, workload, user, provider, scopes ?? Array.Empty<string>(), reason)
        {
            Actors = actors ?? Array.Empty<string>(),
        };
        foreach (var sink in _sinks)
        {
            try
            {
                sink.Write(auditEvent);
            }
            catch (Exception ex)
            {
                // Auditing must not turn a successful token operation into a failure; the sink's fault is logged.
                SinkFailed(_logger, sink.GetType().Name, ex);
            }
        }
    }

    /// <summary>Whether any sink records events of <paramref name="kind"/>; callers may skip building costly arguments when none does.</summary>
    internal bool IsRecording(AuditEventKind kind)
    {
        foreach (var sink in _sinks)
        {
            try
            {
                if (sink.IsEnabled(kind))
                {
                    return true;
                }
            }
            catch (Exception ex)
            {
                // A sink that cannot say is treated as listening, so its fault never silences an event.
                SinkFailed(_logger, sink.GetType().Name, ex);
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "The audit sink {Sink} failed.")]
    private static partial void SinkFailed(ILogger logger, string sink, Exception exception);
}
