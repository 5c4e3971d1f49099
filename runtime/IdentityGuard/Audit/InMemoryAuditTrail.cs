using System.Collections.Generic;

namespace IdentityGuard.Audit;

/// <summary>Keeps audit events in memory, in order: for samples that print the trail, and for tests.</summary>
public sealed class InMemoryAuditTrail : IAuditSink
{
    private readonly List<AuditEvent> _events = [];

    /// <summary>A snapshot of the events recorded so far.</summary>
    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToArray();
            }
        }
    }

    /// <inheritdoc />
    public void Write(AuditEvent auditEvent)
    {
        lock (_events)
        {
            _events.Add(auditEvent);
        }
    }
}
