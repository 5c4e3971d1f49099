using System;
using System.Collections.Generic;

namespace IdentityGuard.Audit;

/// <summary>
/// One audit record. It names the workload, the user, the provider and the scopes involved, and never carries a
/// token, a refresh token, a secret or an authorization code: there is no field that could hold one.
/// </summary>
/// <param name="Timestamp">When it happened.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Workload">The workload (agent) name.</param>
/// <param name="User">The user the workload acted for, if any (a subject identifier, not a credential).</param>
/// <param name="Provider">The credential provider, if any.</param>
/// <param name="Scopes">The scopes involved.</param>
/// <param name="Reason">For denials and failures: a short, non-secret reason such as an OAuth error code.</param>
public sealed record AuditEvent(
    DateTimeOffset Timestamp,
    AuditEventKind Kind,
    string Workload,
    string? User,
    string? Provider,
    IReadOnlyList<string> Scopes,
    string? Reason = null)
{
    /// <summary>
    /// The agents acting for <see cref="User"/>, most recent first (the RFC 8693 <c>act</c> chain, with this workload
    /// first when it acted on a delegated token); empty when the user acted directly or no chain is known.
    /// </summary>
    public IReadOnlyList<string> Actors { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() =>
        $"{Timestamp:O} {Kind} workload={Workload} user={User ?? "-"} provider={Provider ?? "-"} scopes=[{string.Join(' ', Scopes)}]" +
        (Actors.Count == 0 ? string.Empty : $" actors=[{string.Join(" < ", Actors)}]") +
        (Reason is null ? string.Empty : " reason=" + Reason);
}
