using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace IdentityGuard.Diagnostics;

/// <summary>
/// The runtime's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <see cref="Name"/>. Tags carry
/// provider names, flows, scopes and outcomes, never a credential.
/// </summary>
public static class IdentityGuardTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "IdentityGuard";

    /// <summary>Traces token requests.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, typeof(IdentityGuardTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Meter s_meter = new(Name, typeof(IdentityGuardTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Counter<long> s_tokenRequests = s_meter.CreateCounter<long>(
        "identityguard.token.requests", "{request}", "Token requests sent to authorization servers, by provider and outcome.");

    private static readonly Counter<long> s_cacheHits = s_meter.CreateCounter<long>(
        "identityguard.token.cache_hits", "{hit}", "Token requests answered from the in-memory cache.");

    private static readonly Histogram<double> s_requestDuration = s_meter.CreateHistogram<double>(
        "identityguard.token.request.duration", "s", "Duration of token requests sent to authorization servers.");

    internal static void RecordCacheHit(string provider)
    {
        // Checked first so the cache-hit path costs nothing when no one listens.
        if (s_cacheHits.Enabled)
        {
            s_cacheHits.Add(1, new KeyValuePair<string, object?>("identityguard.provider", provider));
        }
    }

    internal static void RecordTokenRequest(string provider, string outcome, double seconds)
    {
        var providerTag = new KeyValuePair<string, object?>("identityguard.provider", provider);
        var outcomeTag = new KeyValuePair<string, object?>("identityguard.outcome", outcome);
        s_tokenRequests.Add(1, providerTag, outcomeTag);
        s_requestDuration.Record(seconds, providerTag, outcomeTag);
    }
}
