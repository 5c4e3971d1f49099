namespace IdentityGuard.Audit;

/// <summary>Receives audit events. Register several; each gets every event. Implementations must not throw.</summary>
public interface IAuditSink
{
    /// <summary>Records <paramref name="auditEvent"/>.</summary>
    void Write(AuditEvent auditEvent);

    /// <summary>
    /// Whether this sink records events of <paramref name="kind"/> at all (default: always). When no sink does, the
    /// event is not even created, so frequent events such as a token served from memory cost no allocation.
    /// </summary>
    bool IsEnabled(AuditEventKind kind) => true;
}
