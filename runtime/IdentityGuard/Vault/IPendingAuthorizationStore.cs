using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IdentityGuard.Vault;

/// <summary>
/// Addresses one pending authorization: the workload and a hash of its <c>state</c>. The state itself is a
/// capability (whoever holds it can complete the consent), so stores never see it in clear.
/// </summary>
/// <param name="Workload">The workload name.</param>
/// <param name="StateHash">The base64url SHA-256 of the state.</param>
public readonly record struct PendingAuthorizationKey(string Workload, string StateHash);

/// <summary>A pending authorization as a store keeps it: whose it is, the encrypted record and its lifetime.</summary>
/// <param name="UserKey">The user who asked (counted against <see cref="PendingAuthorizationLimits.PerUser"/>).</param>
/// <param name="ProtectedData">The encrypted record; the store never sees anything else.</param>
/// <param name="CreatedAt">When the consent was started; the oldest of a user's requests is dropped first.</param>
/// <param name="ExpiresAt">After this the request is refused and removed.</param>
public sealed record PendingAuthorizationEntry(string UserKey, byte[] ProtectedData, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>How many pending authorizations a store keeps.</summary>
/// <param name="PerUser">Per user and workload; beyond it the user's oldest requests are dropped.</param>
/// <param name="PerWorkload">Per workload; beyond it new requests are refused.</param>
public sealed record PendingAuthorizationLimits(int PerUser, int PerWorkload);

/// <summary>The result of adding a pending authorization.</summary>
/// <param name="Added">False when the workload already holds <see cref="PendingAuthorizationLimits.PerWorkload"/> live requests.</param>
/// <param name="Dropped">The state hashes of the user's older requests dropped to make room.</param>
public sealed record PendingAuthorizationAdmission(bool Added, IReadOnlyList<string> Dropped);

/// <summary>How a consent ended.</summary>
public enum PendingAuthorizationResult
{
    /// <summary>The grant was stored.</summary>
    Granted,

    /// <summary>The user refused, or the approver could not be shown to be the user who asked.</summary>
    Denied,

    /// <summary>The code exchange failed.</summary>
    Failed,
}

/// <summary>How a consent ended, recorded for a caller that waits for it on another instance. Holds no secret.</summary>
/// <param name="Result">Granted, denied or failed.</param>
/// <param name="Error">The OAuth error or refusal reason (<c>access_denied</c>, <c>approver_mismatch</c>, ...); null when granted.</param>
public sealed record PendingAuthorizationOutcome(PendingAuthorizationResult Result, string? Error);

/// <summary>
/// Keeps user federation's pending authorizations (consent requests waiting for their callback) where every
/// instance of the agent can reach them, so the callback may land on any instance. Each request is taken at most
/// once, atomically, even when instances race on one callback; expired requests are refused and removed.
/// Implemented by the grant stores that ship with IdentityGuard.
/// </summary>
public interface IPendingAuthorizationStore
{
    /// <summary>
    /// Adds a pending authorization. It removes the workload's expired requests and outcomes, then in one atomic
    /// step drops the user's oldest requests beyond <paramref name="limits"/>.PerUser - 1 and adds this one, or
    /// refuses (adding and dropping nothing) when the workload still holds <paramref name="limits"/>.PerWorkload
    /// live requests.
    /// </summary>
    Task<PendingAuthorizationAdmission> AddAsync(PendingAuthorizationKey key, PendingAuthorizationEntry entry, PendingAuthorizationLimits limits, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the pending authorization and returns its encrypted record, or <see langword="null"/> when it is
    /// unknown, already taken, or expired at <paramref name="now"/> (an expired one is removed too). Of several
    /// concurrent calls for one key, at most one gets the record.
    /// </summary>
    Task<byte[]?> TakeAsync(PendingAuthorizationKey key, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Records how the consent ended, for the instance that waits for it; kept until <paramref name="expiresAt"/>.</summary>
    Task WriteOutcomeAsync(PendingAuthorizationKey key, PendingAuthorizationOutcome outcome, DateTimeOffset expiresAt, CancellationToken cancellationToken = default);

    /// <summary>Removes and returns the recorded outcome, or <see langword="null"/> while there is none.</summary>
    Task<PendingAuthorizationOutcome?> TakeOutcomeAsync(PendingAuthorizationKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts the live pending authorizations of <paramref name="userKey"/>, or of the whole workload when it is
    /// <see langword="null"/> (for monitoring and tests).
    /// </summary>
    Task<int> CountAsync(string workload, string? userKey, DateTimeOffset now, CancellationToken cancellationToken = default);
}
