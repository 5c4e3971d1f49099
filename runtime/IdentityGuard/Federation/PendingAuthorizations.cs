using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Consent;
using IdentityGuard.Providers;
using IdentityGuard.Vault;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Federation;



/// <summary>
/// The agent's pending authorizations: kept encrypted in the shared <see cref="IPendingAuthorizationStore"/>, so a
/// callback completes on whichever instance it reaches, and taken from there exactly once. A caller waiting for a
/// consent on this instance is woken directly when the callback arrives here, and otherwise finds the outcome the
/// other instance recorded in the store by looking at a modest interval until its timeout.
/// </summary>
internal sealed partial class PendingAuthorizations
{
    private readonly IPendingAuthorizationStore _store;
    private readonly PendingAuthorizationProtector _protector;
    private readonly ConsentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _workload;

    // Requests a caller waits for in this process, by state hash.
    private readonly ConcurrentDictionary<string, PendingAuthorization> _waiting = new(StringComparer.Ordinal);

    public PendingAuthorizations(IOptions<IdentityGuardOptions> runtime, IPendingAuthorizationStore store, PendingAuthorizationProtector protector, IOptions<ConsentOptions> options, TimeProvider time, ILogger<UserFederation> logger)
    {
        _workload = runtime.Value.Workload ?? throw new InvalidOperationException("IdentityGuard:Workload is required for user federation.");
        _store = store;
        _protector = protector;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Stores a new request, dropping the user's oldest beyond <see cref="ConsentOptions.MaxPendingPerUser"/>; refuses
    /// it when the agent already has <see cref="ConsentOptions.MaxPendingPerWorkload"/> requests waiting.
    /// </summary>
    public async Task AddAsync(PendingAuthorization pending, CancellationToken cancellationToken)
    {
        var key = KeyOf(pending.State);
        var entry = new PendingAuthorizationEntry(pending.UserKey, _protector.Protect(_workload, pending), pending.CreatedAt, pending.ExpiresAt);
        var limits = new PendingAuthorizationLimits(_options.MaxPendingPerUser, _options.MaxPendingPerWorkload);
        var admission = await StoreCallAsync(pending.Provider, "storing a consent request in", ct => _store.AddAsync(key, entry, limits, _time.GetUtcNow(), ct), cancellationToken).ConfigureAwait(false);
        if (!admission.Added)
        {
            throw new TooManyConsentRequestsException(
                pending.Provider,
                $"{_options.MaxPendingPerWorkload} consent requests of this agent are already waiting for an answer (IdentityGuard:Consent:MaxPendingPerWorkload); no new one starts until some complete or expire.");
        }

        foreach (var dropped in admission.Dropped)
        {
            if (_waiting.TryRemove(dropped, out var superseded))
            {
                superseded.Fail(new TimeoutException("The consent request was superseded by newer requests of the same user."));
            }
        }

        if (pending.Awaited)
        {
            pending.WaitedOnHere = true;
            _waiting[key.StateHash] = pending;
        }
    }

    /// <summary>Takes the request for <paramref name="state"/>: null when unknown, already used, expired or unreadable.</summary>
    public async Task<PendingAuthorization?> TakeAsync(string state, CancellationToken cancellationToken)
    {
        var key = KeyOf(state);
        var data = await StoreCallAsync(null, "taking a consent request from", ct => _store.TakeAsync(key, _time.GetUtcNow(), ct), cancellationToken).ConfigureAwait(false);
        if (data is null)
        {
            return null;
        }

        PendingAuthorization taken;
        try
        {
            taken = _protector.Unprotect(_workload, state, data);
        }
        catch (CryptographicException)
        {
            // Made for another state (a moved row) or under a key this instance lacks: as good as unknown.
            return null;
        }

        // The caller waiting here holds the completion to resolve; the decrypted copy carries the same request.
        return _waiting.TryRemove(key.StateHash, out var local) ? local : taken;
    }

    /// <summary>Resolves a taken request: wakes the caller waiting here, or records the outcome for another instance.</summary>
    public async Task ReportAsync(PendingAuthorization pending, PendingAuthorizationOutcome outcome, Exception? failure)
    {
        if (pending.WaitedOnHere)
        {
            if (failure is null)
            {
                pending.Succeed();
            }
            else
            {
                pending.Fail(failure);
            }

            return;
        }

        if (!pending.Awaited)
        {
            return;
        }

        try
        {
            // Kept no longer than any caller can still be waiting for it.
            await _store.WriteOutcomeAsync(KeyOf(pending.State), outcome, _time.GetUtcNow() + _options.Timeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (GrantStoreUnavailableException.IsStoreFault(ex))
        {
            // The grant (if any) is stored; the waiting caller finds it when its wait ends and it asks again.
            OutcomeNotRecorded(_logger, pending.Provider, ex);
        }
    }

    /// <summary>
    /// Waits until the consent completes here or on another instance, for at most <see cref="ConsentOptions.Timeout"/>
    /// (<see cref="TimeoutException"/>). Throws what the consent ended with when it did not grant access.
    /// </summary>
    public async Task WaitAsync(PendingAuthorization pending, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            await WatchAsync(pending, stop.Token).WaitAsync(_options.Timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            stop.Cancel();
        }
    }

    /// <summary>Forgets the local waiter of <paramref name="pending"/>; its outcome, if it comes, goes to the store.</summary>
    public void StopWaiting(PendingAuthorization pending) =>
        _waiting.TryRemove(new KeyValuePair<string, PendingAuthorization>(KeyOf(pending.State).StateHash, pending));

    private async Task WatchAsync(PendingAuthorization pending, CancellationToken cancellationToken)
    {
        var key = KeyOf(pending.State);
        while (true)
        {
            // Paced on the real clock: it spaces the store reads, the timeout above decides when to give up.
            var tick = Task.Delay(_options.CompletionPollInterval, cancellationToken);
            if (await Task.WhenAny(pending.Completion, tick).ConfigureAwait(false) == pending.Completion)
            {
                await pending.Completion.ConfigureAwait(false);
                return;
            }

            await tick.ConfigureAwait(false);
            PendingAuthorizationOutcome? outcome;
            try
            {
                outcome = await _store.TakeOutcomeAsync(key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (GrantStoreUnavailableException.IsStoreFault(ex))
            {
                // A store that is briefly unreachable only delays noticing the outcome.
                continue;
            }

            switch (outcome?.Result)
            {
                case null:
                    continue;
                case PendingAuthorizationResult.Granted:
                    return;
                case PendingAuthorizationResult.Denied:
                    throw new ConsentDeniedException(pending.Provider, outcome.Error ?? "access_denied", null);
                default:
                    throw new CredentialUnavailableException(pending.Provider, $"completing the consent failed ({outcome.Error ?? "unknown"}).");
            }
        }
    }

    private PendingAuthorizationKey KeyOf(string state) => PendingAuthorization.KeyOf(_workload, state);

    private static async Task<T> StoreCallAsync<T>(string? provider, string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (GrantStoreUnavailableException.IsStoreFault(ex))
        {
            var message = $"{what} the grant store failed ({ex.GetType().Name}). Try again when the store is reachable.";
            throw provider is null ? new GrantStoreUnavailableException(message, ex) : new GrantStoreUnavailableException(provider, message, ex);
        }
    }

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "The outcome of a consent for provider {Provider} could not be recorded for the instance waiting for it; that caller's wait ends at its timeout.")]
    private static partial void OutcomeNotRecorded(ILogger logger, string provider, Exception exception);
}
