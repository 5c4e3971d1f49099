namespace IdentityGuard.Audit;

/// <summary>Receives audit events. Register several; each gets every event. Implementations must not throw.</summary>
public interface IAuditSink
{
    /// <summary>Records <paramref name="auditEvent"/>.</summary>
    void Write(AuditEvent auditEvent);
}
