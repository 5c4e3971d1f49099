using System;
using IdentityGuard.Audit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace IdentityGuard.Vault.Tests;

/// <summary>An audit event is built only when some sink records it; a sink that cannot say is treated as listening.</summary>
public sealed class AuditSinkInterestTests
{
    [Fact]
    public void The_log_sink_records_only_when_its_category_logs_information()
    {
        using var quiet = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));

        Assert.False(new AuditLog([new LoggerAuditSink(quiet)], TimeProvider.System, NullLogger<AuditLog>.Instance).IsRecording(AuditEventKind.TokenServedFromVault));
        Assert.False(new AuditLog([], TimeProvider.System, NullLogger<AuditLog>.Instance).IsRecording(AuditEventKind.TokenServedFromVault));
        Assert.True(new AuditLog([new LoggerAuditSink(quiet), new InMemoryAuditTrail()], TimeProvider.System, NullLogger<AuditLog>.Instance).IsRecording(AuditEventKind.TokenServedFromVault));
    }

    [Fact]
    public void A_sink_that_is_not_interested_receives_nothing_and_a_faulty_one_still_receives_the_event()
    {
        var uninterested = new Sink(_ => false);
        var faulty = new Sink(_ => throw new InvalidOperationException("cannot say"));

        new AuditLog([uninterested], TimeProvider.System, NullLogger<AuditLog>.Instance).Record(AuditEventKind.TokenServedFromVault, "agent", "user", "Crm");
        new AuditLog([faulty], TimeProvider.System, NullLogger<AuditLog>.Instance).Record(AuditEventKind.TokenServedFromVault, "agent", "user", "Crm");

        Assert.Equal(0, uninterested.Written);
        Assert.Equal(1, faulty.Written);
    }

    private sealed class Sink(Func<AuditEventKind, bool> interested) : IAuditSink
    {
        public int Written { get; private set; }

        public bool IsEnabled(AuditEventKind kind) => interested(kind);

        public void Write(AuditEvent auditEvent) => Written++;
    }
}
