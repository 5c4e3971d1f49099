using System;
using System.Collections.Generic;
using System.Linq;

namespace IdentityGuard.Demo.BusinessApis;

/// <summary>The fixed records the CRM and finance APIs serve, so samples and tests get the same answers every run.</summary>
internal static class BusinessData
{
    private static readonly Dictionary<string, ClientNotes> Notes = new(StringComparer.Ordinal)
    {
        ["acme"] = new("acme", "Acme Corporation",
        [
            new(new DateOnly(2025, 1, 14), "Account team", "Renewal discussed; the client wants a three-year term with a volume discount."),
            new(new DateOnly(2025, 2, 27), "Account team", "Pilot of the analytics add-on went well; procurement asked for a security review."),
            new(new DateOnly(2025, 3, 19), "Solutions engineering", "Security review passed; two open questions on data residency."),
        ]),
        ["globex"] = new("globex", "Globex Industries",
        [
            new(new DateOnly(2025, 2, 3), "Account team", "New CFO in place; budget freeze until the second quarter."),
            new(new DateOnly(2025, 3, 11), "Account team", "Interested in consolidating two legacy contracts into one."),
        ]),
    };

    private static readonly Dictionary<string, ClientSpend> Spend = new(StringComparer.Ordinal)
    {
        ["acme"] = CreateSpend("acme",
        [
            new("2024-Q3", "Platform licences", 42000m),
            new("2024-Q4", "Platform licences", 42000m),
            new("2024-Q4", "Professional services", 8500m),
            new("2025-Q1", "Analytics add-on (pilot)", 3000m),
        ]),
        ["globex"] = CreateSpend("globex",
        [
            new("2024-Q4", "Platform licences", 18000m),
            new("2025-Q1", "Platform licences", 18000m),
        ]),
    };

    /// <summary>The customer identifiers that have data.</summary>
    public static IReadOnlyList<string> ClientIds { get; } = Notes.Keys.Order(StringComparer.Ordinal).ToArray();

    public static ClientNotes? FindNotes(string clientId) => Notes.GetValueOrDefault(clientId);

    public static ClientSpend? FindSpend(string clientId) => Spend.GetValueOrDefault(clientId);

    private static ClientSpend CreateSpend(string clientId, SpendLine[] lines) =>
        new(clientId, "EUR", lines, lines.Sum(line => line.Amount));
}
