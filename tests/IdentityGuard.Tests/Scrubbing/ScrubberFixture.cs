using System;
using System.Security.Cryptography;
using IdentityGuard.Audit;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>A scrubber over a fresh store, with a fake clock and an in-memory audit trail.</summary>
internal sealed class ScrubberFixture
{
    public ScrubberFixture(int capacity = HeldCredentials.DefaultCapacity)
    {
        Held = new HeldCredentials(Time, capacity);
        Scrubber = new CredentialScrubber(Held, new AuditLog([Trail], Time, NullLogger<AuditLog>.Instance), "report-agent");
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    public InMemoryAuditTrail Trail { get; } = new();

    public HeldCredentials Held { get; }

    public CredentialScrubber Scrubber { get; }

    /// <summary>
    /// An opaque token (no known format): only exact matching can find it. Standard base64 with a '+', which
    /// System.Text.Json escapes by default, so serialized JSON never shows it as itself.
    /// </summary>
    public static string OpaqueToken()
    {
        while (true)
        {
            var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
            if (value.Contains('+', StringComparison.Ordinal))
            {
                return value;
            }
        }
    }

    public string Hold(string provider = "Reports", TimeSpan? lifetime = null)
    {
        var value = OpaqueToken();
        Held.Remember(value, provider, Time.GetUtcNow() + (lifetime ?? TimeSpan.FromHours(1)));
        return value;
    }
}
