using System;

namespace IdentityGuard.Workload;

/// <summary>Settings of <see cref="WorkloadIdentity"/>.</summary>
public sealed class WorkloadIdentityOptions
{
    /// <summary>The workload (agent) name, as in the manifest's <c>workload</c>. Required.</summary>
    public string WorkloadName { get; set; } = string.Empty;

    /// <summary>
    /// How long an issued token is accepted when the caller does not say (default 15 minutes): long enough for one
    /// agent turn, short enough that a leaked token is soon worthless.
    /// </summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The longest lifetime a caller may ask for (default 12 hours, for long background jobs).</summary>
    public TimeSpan MaxLifetime { get; set; } = TimeSpan.FromHours(12);
}
