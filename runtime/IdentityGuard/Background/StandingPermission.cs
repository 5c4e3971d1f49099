using System;
using System.Collections.Generic;

namespace IdentityGuard.Background;

/// <summary>
/// Pre-approved consent: a user allowed this workload to use her grant of one user-federation provider, for these
/// declared scopes, without her being present, until <see cref="ExpiresAt"/>. Background jobs act only within it.
/// </summary>
/// <param name="UserKey">The user who granted it (see <see cref="Workload.WorkloadPrincipal.UserKey"/>).</param>
/// <param name="Provider">The user-federation provider it covers.</param>
/// <param name="Scopes">The scope values a background job may ask for; a subset of the provider's declared scopes.</param>
/// <param name="GrantedAt">When the user granted it.</param>
/// <param name="ExpiresAt">When it lapses; no background token outlives it.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "The domain's name for pre-approved consent, not a code-access-security permission.")]
public sealed record StandingPermission(string UserKey, string Provider, IReadOnlyList<string> Scopes, DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() => $"standing permission of {UserKey} for {Provider} [{string.Join(' ', Scopes)}] until {ExpiresAt:O}";
}
