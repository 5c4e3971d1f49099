using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Providers;
using IdentityGuard.Audit;
using IdentityGuard.Tokens;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Vault;

/// <summary>
/// The token vault: users' grants (access token, refresh token, expiry, scopes) per workload, user and provider,
/// encrypted at rest. Every method takes a <see cref="WorkloadAccessToken"/> and derives the user from it; no
/// method accepts a user identifier, so code acting for one user cannot address another user's grants.
/// Access tokens are refreshed before they expire, one refresh at a time per grant: in-process by sharing one
/// refresh among all callers, across processes and machines by a lease in the <see cref="IGrantStore"/>.
/// A warm token is served from memory; the store is asked at most every
/// <see cref="TokenVaultOptions.StoreCheckInterval"/> whether the grant changed, and a row older than one this
/// instance has seen (rolled back, or a revoked grant written back) is refused.
/// </summary>
public sealed partial class TokenVault : IDisposable
{
    private readonly WorkloadIdentity _identity;
    private readonly IGrantStore _store;
    private readonly GrantProtector _protector;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly TokenVaultOptions _options;
    private readonly ILogger _logger;
    private readonly Dictionary<GrantKey, Task<Grant>> _refreshes = [];
    private readonly GrantMemory _memory;

    // Refreshed grants the store could not take: the refresh succeeded at the server, so the old refresh token may
    // already be spent (rotation). They are served from here and written as soon as the store accepts writes again.
    private readonly ConcurrentDictionary<GrantKey, UnsavedGrant> _unsaved = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly TimeSpan _refreshBeforeExpiry;
    private int _flushing;

    // Identifies this vault instance as a lease owner; unique per instance so two vaults in one process coordinate
    // through the store exactly as two processes do.
    private readonly string _leaseOwner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>Creates a vault.</summary>
    /// <param name="identity">Validates workload access tokens.</param>
    /// <param name="store">Keeps the encrypted grants and the refresh leases.</param>
    /// <param name="dataProtection">Encrypts the grants; every instance sharing <paramref name="store"/> must share its keys.</param>
    /// <param name="audit">Receives token served, refreshed, revoked and denied events.</param>
    /// <param name="time">The clock that decides expiry.</param>
    /// <param name="options">Refresh and lease timing.</param>
    /// <param name="logger">Logs failures; never a token.</param>
    /// <param name="runtimeOptions">The runtime's settings: the refresh margin (<see cref="IdentityGuardOptions.RefreshBeforeExpiry"/>); defaults when <see langword="null"/>.</param>
    /// <param name="held">Where users' tokens are remembered for the credential scrubber; <see langword="null"/> remembers nothing.</param>
    public TokenVault(
        WorkloadIdentity identity,
        IGrantStore store,
        IDataProtectionProvider dataProtection,
        AuditLog audit,
        TimeProvider time,
        IOptions<TokenVaultOptions> options,
        ILogger<TokenVault> logger,
        IOptions<IdentityGuardOptions>? runtimeOptions = null,
        Scrubbing.HeldCredentials? held = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(dataProtection);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _identity = identity;
        _store = store;
        _protector = new GrantProtector(dataProtection);
        _audit = audit;
        _time = time ?? TimeProvider.System;
        _memory = new GrantMemory(_time);
        _options = options.Value;
        _refreshBeforeExpiry = (runtimeOptions?.Value ?? new IdentityGuardOptions()).RefreshBeforeExpiry;
        _logger = logger;
        Held = held;
        if (_options.StoreCheckInterval < TimeSpan.Zero)
        {
            throw new OptionsValidationException(nameof(TokenVaultOptions.StoreCheckInterval), typeof(TokenVaultOptions), ["The store check interval cannot be negative."]);
        }

        if (_options.LeaseDuration <= _options.RefreshTimeout)
        {
            throw new OptionsValidationException(nameof(TokenVaultOptions.LeaseDuration), typeof(TokenVaultOptions), ["The refresh lease must last longer than the refresh timeout, or a slow refresh could lose its lease to another instance."]);
        }
    }

    /// <summary>
    /// Where users' access tokens are remembered for the credential scrubber: when a grant is first decrypted in this
    /// instance and whenever a token is served from the store path (a refresh, a new consent). The warm path serves only
    /// tokens remembered there, so it does nothing extra.
    /// </summary>
    internal Scrubbing.HeldCredentials? Held { get; }

    /// <summary>
    /// Reads the user's grant at <paramref name="provider"/>, or <see langword="null"/> when there is none. Throws
    /// <see cref="GrantUnavailableException"/> (<see cref="GrantUnavailableReason.Unreadable"/>) when the stored
    /// grant cannot be decrypted.
    /// </summary>
    /// <param name="workloadAccessToken">Whose grant: the workload and user it binds.</param>
    /// <param name="provider">The credential provider.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<Grant?> GetGrantAsync(WorkloadAccessToken workloadAccessToken, string provider, CancellationToken cancellationToken = default)
    {
        // A grant holds every scope the user granted, so only a policy that permits all of them lets it be read.
        CredentialUsePolicy.Demand(CredentialRequest.Grant(provider));
        var (principal, key) = Resolve(workloadAccessToken, provider);
        try
        {
            return await ReadAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (GrantUnavailableException ex)
        {
            Deny(principal, provider, [], ex);
            throw;
        }
    }

    /// <summary>
    /// The user's grant as a new consent should extend it: null when there is none, and also when it is unreadable
    /// (lost keys, a corrupted or rolled-back row), which is audited here and which the new consent's grant replaces.
    /// </summary>
    internal async Task<Grant?> ReadGrantForConsentAsync(WorkloadPrincipal principal, string provider, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(KeyOf(principal, provider), cancellationToken).ConfigureAwait(false);
        }
        catch (GrantUnavailableException ex)
        {
            Deny(principal, provider, [], ex);
            return null;
        }
    }

    /// <summary>
    /// Stores <paramref name="grant"/> for the user, replacing any earlier grant at the same provider (a new
    /// consent supersedes the old one). Returns the stored grant with its new version.
    /// </summary>
    /// <param name="workloadAccessToken">Whose grant: the workload and user it binds.</param>
    /// <param name="grant">The grant, for example from a completed consent.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task<Grant> StoreGrantAsync(WorkloadAccessToken workloadAccessToken, Grant grant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return StoreGrantAsync(Resolve(workloadAccessToken, grant.Provider).Principal, grant, cancellationToken);
    }

    /// <summary>Stores a grant for a user whose workload access token the caller has already validated.</summary>
    internal async Task<Grant> StoreGrantAsync(WorkloadPrincipal principal, Grant grant, CancellationToken cancellationToken)
    {
        var key = KeyOf(principal, grant.Provider);
        var stored = grant.ObtainedAt is null ? grant.WithObtainedAt(_time.GetUtcNow()) : grant;
        var version = await WriteAboveAsync(key, v => _protector.Protect(key, stored, v), cancellationToken).ConfigureAwait(false);
        _unsaved.TryRemove(key, out _); // the new consent supersedes a refresh that could not be saved
        _audit.Record(AuditEventKind.ConsentGranted, principal.Workload, principal.UserKey, grant.Provider, grant.Scopes);
        return stored.WithVersion(version);
    }

    /// <summary>
    /// Removes the user's grant at <paramref name="provider"/> from the vault and returns whether there was one.
    /// The row is replaced by an encrypted record of the revocation, so the grant cannot be written back unnoticed.
    /// (Revoking the tokens at the authorization server, where it supports RFC 7009, is the provider's job.)
    /// </summary>
    /// <param name="workloadAccessToken">Whose grant: the workload and user it binds.</param>
    /// <param name="provider">The credential provider.</param>
    /// <param name="cancellationToken">Cancels the deletion.</param>
    public async Task<bool> RevokeAsync(WorkloadAccessToken workloadAccessToken, string provider, CancellationToken cancellationToken = default)
    {
        var (principal, key) = Resolve(workloadAccessToken, provider);
        var deleted = await RecordRevocationAsync(key, cancellationToken).ConfigureAwait(false);
        deleted |= _unsaved.TryRemove(key, out _);
        if (deleted)
        {
            _audit.Record(AuditEventKind.GrantRevoked, principal.Workload, principal.UserKey, provider);
        }

        return deleted;
    }

    /// <summary>
    /// Returns a valid access token for the user at <paramref name="provider"/> covering
    /// <paramref name="requiredScopes"/>. A token that is not yet due is served from the vault (from memory, without
    /// reading the store, while the store confirmed its grant less than <see cref="TokenVaultOptions.StoreCheckInterval"/>
    /// ago); one that is due is renewed through <paramref name="refresher"/>, once per grant however many callers and instances ask at the same
    /// time. A rotated refresh token replaces the old one atomically. A failed refresh never removes a grant
    /// whose access token is still valid: that token is served until it expires.
    /// </summary>
    /// <param name="workloadAccessToken">Whose token: the workload and user it binds.</param>
    /// <param name="provider">The credential provider.</param>
    /// <param name="requiredScopes">The scopes the caller needs.</param>
    /// <param name="refresher">
    /// Sends the refresh-token request to the provider's token endpoint; one per provider. When several callers wait
    /// for one refresh, the first caller's refresher is used.
    /// </param>
    /// <param name="cancellationToken">Stops this caller waiting; a shared refresh goes on for the others.</param>
    /// <exception cref="WorkloadAccessTokenException">The workload access token was refused.</exception>
    /// <exception cref="GrantUnavailableException">No valid token can be had; see its reason.</exception>
    /// <exception cref="GrantStoreUnavailableException">The grant store could not be reached.</exception>
    public Task<AccessToken> GetAccessTokenAsync(
        WorkloadAccessToken workloadAccessToken,
        string provider,
        IEnumerable<string> requiredScopes,
        IGrantRefresher refresher,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refresher);
        ArgumentNullException.ThrowIfNull(requiredScopes);
        CredentialUsePolicy.Demand(CredentialRequest.Token(provider, requiredScopes));
        return TryServeFromMemory(workloadAccessToken, provider, requiredScopes)
            ?? GetAccessTokenFromStoreAsync(workloadAccessToken, provider, requiredScopes, refresher, cancellationToken);
    }

    /// <summary>
    /// <see cref="GetAccessTokenAsync(WorkloadAccessToken, string, IEnumerable{string}, IGrantRefresher, CancellationToken)"/>
    /// with the refresh request as a delegate.
    /// </summary>
    /// <param name="workloadAccessToken">Whose token: the workload and user it binds.</param>
    /// <param name="provider">The credential provider.</param>
    /// <param name="requiredScopes">The scopes the caller needs.</param>
    /// <param name="refresh">Sends the refresh-token request to the provider's token endpoint.</param>
    /// <param name="cancellationToken">Stops this caller waiting; a shared refresh goes on for the others.</param>
    public Task<AccessToken> GetAccessTokenAsync(
        WorkloadAccessToken workloadAccessToken,
        string provider,
        IEnumerable<string> requiredScopes,
        Func<RefreshToken, CancellationToken, Task<TokenRefreshResult>> refresh,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(refresh);
        ArgumentNullException.ThrowIfNull(requiredScopes);
        CredentialUsePolicy.Demand(CredentialRequest.Token(provider, requiredScopes));
        return TryServeFromMemory(workloadAccessToken, provider, requiredScopes)
            ?? GetAccessTokenFromStoreAsync(workloadAccessToken, provider, requiredScopes, new DelegateRefresher(refresh), cancellationToken);
    }

    /// <summary>Stops refreshes in progress and the writing of held grants.</summary>
    public void Dispose()
    {
        if (!_unsaved.IsEmpty)
        {
            HeldGrantsLost(_logger, _unsaved.Count);
        }

        _shutdown.Cancel();
        _shutdown.Dispose();
    }

    /// <summary>
    /// The warm path: a remembered workload principal, a grant the store confirmed within the check interval, not
    /// yet due, covering the scopes. Anything else (including every failure) goes to the store path, which decides
    /// and audits it. Allocates nothing unless an audit sink records the event.
    /// </summary>
    internal Task<AccessToken>? TryServeFromMemory(WorkloadAccessToken? workloadAccessToken, string? provider, IEnumerable<string>? requiredScopes) =>
        workloadAccessToken is not null && _identity.TryGetRemembered(workloadAccessToken, out var principal)
            ? TryServeFromMemory(principal, provider, requiredScopes)
            : null;

    /// <summary>The warm path for a caller that already holds the validated principal.</summary>
    internal Task<AccessToken>? TryServeFromMemory(WorkloadPrincipal principal, string? provider, IEnumerable<string>? requiredScopes)
    {
        if (string.IsNullOrEmpty(provider)
            || (principal.StandingPermissionProvider is { } permitted && !string.Equals(permitted, provider, StringComparison.Ordinal)))
        {
            return null;
        }

        var key = new GrantKey(principal.Workload, principal.UserKey, provider);
        if (!_memory.TryGetConfirmed(key, _options.StoreCheckInterval, out var entry))
        {
            return null;
        }

        var grant = entry.Grant!;
        if (IsDue(grant, _time.GetUtcNow()) || !Covers(grant, requiredScopes, out var scopes))
        {
            return null;
        }

        if (_audit.IsRecording(AuditEventKind.TokenServedFromVault))
        {
            _audit.Record(AuditEventKind.TokenServedFromVault, principal.Workload, principal.UserKey, provider, [.. scopes]);
        }

        return entry.Served;
    }

    /// <summary>Whether <paramref name="grant"/> covers the scopes, for the scope collections callers pass (arrays and lists) without allocating.</summary>
    private static bool Covers(Grant grant, IEnumerable<string>? requiredScopes, out IReadOnlyList<string> scopes)
    {
        scopes = requiredScopes as IReadOnlyList<string> ?? [];
        if (requiredScopes is string[] array)
        {
            foreach (var scope in array)
            {
                if (!grant.Grants(scope))
                {
                    return false;
                }
            }

            return true;
        }

        if (requiredScopes is IReadOnlyList<string> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (!grant.Grants(list[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    private async Task<AccessToken> GetAccessTokenFromStoreAsync(
        WorkloadAccessToken workloadAccessToken,
        string provider,
        IEnumerable<string> requiredScopes,
        IGrantRefresher refresher,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requiredScopes);
        var (principal, _) = Resolve(workloadAccessToken, provider);
        var lookup = await LookupAsync(principal, provider, requiredScopes.ToArray(), refresher, cancellationToken).ConfigureAwait(false);
        return lookup.Token ?? throw lookup.ToException();
    }

    /// <summary>
    /// Looks the user's token up in the store for a caller that validated the workload access token already: a token
    /// (refreshed first when due), or why there is none. Having no grant, or one that lacks scopes, is an answer, not
    /// an exception; only store faults and cancellation throw. Every refusal is audited here.
    /// </summary>
    internal async Task<GrantLookup> LookupAsync(
        WorkloadPrincipal principal, string provider, IReadOnlyList<string> scopes, IGrantRefresher refresher, CancellationToken cancellationToken)
    {
        var key = KeyOf(principal, provider);
        try
        {
            var grant = await ReadAsync(key, cancellationToken).ConfigureAwait(false);
            if (grant is null)
            {
                return Refuse(principal, provider, scopes, GrantLookup.NoGrant(provider), "no_grant");
            }

            if (grant.MissingScopes(scopes) is { Count: > 0 } missing)
            {
                return Refuse(principal, provider, missing, GrantLookup.Lacking(grant, missing), "missing_scopes");
            }

            if (IsDue(grant))
            {
                grant = await RefreshOnceAsync(key, principal, refresher).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (grant.MissingScopes(scopes) is { Count: > 0 } narrowed)
                {
                    // The server narrowed the grant on refresh.
                    return Refuse(principal, provider, narrowed, GrantLookup.Lacking(grant, narrowed), "missing_scopes");
                }
            }

            _audit.Record(AuditEventKind.TokenServedFromVault, principal.Workload, principal.UserKey, provider, scopes);
            Held?.Remember(grant.AccessToken, provider);
            return GrantLookup.Served(grant);
        }
        catch (GrantUnavailableException ex)
        {
            // An unreadable or rolled-back row, or an expired token that could not be renewed.
            Deny(principal, provider, ex.MissingScopes.Count > 0 ? ex.MissingScopes : scopes, ex);
            return GrantLookup.Failed(ex);
        }
    }

    private GrantLookup Refuse(WorkloadPrincipal principal, string provider, IReadOnlyList<string> scopes, GrantLookup lookup, string reason)
    {
        _audit.Record(AuditEventKind.Denied, principal.Workload, principal.UserKey, provider, scopes, reason);
        return lookup;
    }

    private (WorkloadPrincipal Principal, GrantKey Key) Resolve(WorkloadAccessToken workloadAccessToken, string provider)
    {
        ArgumentNullException.ThrowIfNull(workloadAccessToken);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        var principal = _identity.Validate(workloadAccessToken);
        if (principal.StandingPermissionProvider is { } permitted && !string.Equals(permitted, provider, StringComparison.Ordinal))
        {
            // A background job's token opens only the grant its user's standing permission names.
            _audit.Record(AuditEventKind.Denied, principal.Workload, principal.UserKey, provider, null, "provider_outside_standing_permission");
            throw new WorkloadAccessTokenException(WorkloadAccessTokenFailure.Invalid, $"This background workload access token was issued for provider '{permitted}' only.");
        }

        return (principal, new GrantKey(principal.Workload, principal.UserKey, provider));
    }

    private static GrantKey KeyOf(WorkloadPrincipal principal, string provider)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        return new GrantKey(principal.Workload, principal.UserKey, provider);
    }

    private async Task<Grant?> ReadAsync(GrantKey key, CancellationToken cancellationToken)
    {
        if (_unsaved.TryGetValue(key, out var unsaved) && await TrySaveAsync(key, unsaved, cancellationToken).ConfigureAwait(false) is { } held)
        {
            return held;
        }

        var (stored, started) = await ReadStoredAsync(key, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : Verify(key, stored, started);
    }

    /// <summary>Reads the row, and again when it is older than a version learnt after the read began.</summary>
    private async Task<(StoredGrant? Stored, long Started)> ReadStoredAsync(GrantKey key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var started = _memory.Timestamp();
            var stored = await StoreCallAsync(key, "reading", ct => _store.GetAsync(key, ct), cancellationToken).ConfigureAwait(false);

            // A lower version from a read that began before the newer one was learnt may just have overlapped that
            // write; a read begun later cannot (the store is linearizable), so a lower version then is a rollback.
            if (stored is null || attempt == 3 || !_memory.MayPredate(key, stored.Version, started))
            {
                return (stored, started);
            }
        }
    }

    /// <summary>
    /// Replaces the stored grant with a revocation record (above every version seen); returns whether there was a
    /// grant, usable or not. A revocation record already there is left alone.
    /// </summary>
    private async Task<bool> RecordRevocationAsync(GrantKey key, CancellationToken cancellationToken)
    {
        var (stored, started) = await ReadStoredAsync(key, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return false;
        }

        try
        {
            if (Verify(key, stored, started) is null)
            {
                return false;
            }
        }
        catch (GrantUnavailableException)
        {
            // An unreadable or rolled-back row is revoked too: the user asked for nothing of it to remain usable.
        }

        _memory.ForgetContent(key);
        await WriteAboveAsync(key, version => _protector.ProtectRevocation(key, version), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Decrypts a row (or recalls it, when this instance decrypted exactly that blob at that version before) and
    /// refuses it unless the version sealed inside the blob is the row's version and no lower than any version this
    /// instance has seen. Returns null for a revocation record.
    /// </summary>
    private Grant? Verify(GrantKey key, StoredGrant stored, long readStarted)
    {
        if (stored.Version < _memory.HighestVersion(key))
        {
            throw RolledBack(key, "the stored grant is older than one this vault has already seen");
        }

        if (!_memory.TryRecall(key, stored, out var grant))
        {
            UnprotectedGrant content;
            try
            {
                content = _protector.Unprotect(key, stored);
            }
            catch (CryptographicException ex)
            {
                // Not deleted: the cause may be a missing key-ring folder, which the operator can restore.
                throw Unavailable(GrantUnavailableReason.Unreadable, key.Provider, [], "the stored grant cannot be decrypted (altered, moved from another user, or its protection key is missing); consent is required", ex);
            }

            if (content.Version != stored.Version)
            {
                throw RolledBack(key, "the stored grant was written for another version of its row");
            }

            grant = content.Grant;
            if (grant is not null)
            {
                Held?.Remember(grant.AccessToken, key.Provider);
            }
        }

        _memory.Remember(key, stored, grant, readStarted);
        return grant;
    }

    private static GrantUnavailableException RolledBack(GrantKey key, string what) =>
        new(GrantUnavailableReason.Unreadable, key.Provider, [], $"IdentityGuard vault, provider '{key.Provider}': {what} (a rolled-back or re-inserted row); consent is required.")
        {
            AuditReason = "grant_rolled_back",
        };

    /// <summary>
    /// Writes a blob conditionally on the row's current version, at a version above every one this instance has
    /// seen: a row rolled back below that is first moved forward with revocation records, so the new blob is not
    /// refused here or by other instances that saw the newer versions. Returns the version written.
    /// </summary>
    private async Task<long> WriteAboveAsync(GrantKey key, Func<long, byte[]> protect, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await StoreCallAsync(key, "reading", ct => _store.GetAsync(key, ct), cancellationToken).ConfigureAwait(false);
            var currentVersion = current?.Version ?? 0;
            var next = currentVersion + 1;
            var filler = currentVersion < _memory.HighestVersion(key);
            var blob = filler ? _protector.ProtectRevocation(key, next) : protect(next);
            var written = await StoreCallAsync(key, "writing", ct => _store.TryWriteAsync(key, blob, currentVersion, ct), cancellationToken).ConfigureAwait(false);
            if (written is null)
            {
                continue; // another writer came first: read again
            }

            if (written != next)
            {
                throw new InvalidOperationException($"The grant store wrote version {written} over version {currentVersion}; an IGrantStore must increase a grant's version by exactly one per write.");
            }

            _memory.Wrote(key, next);
            if (!filler)
            {
                return next;
            }
        }
    }

    private bool IsDue(Grant grant) => IsDue(grant, _time.GetUtcNow());

    private bool IsDue(Grant grant, DateTimeOffset now)
    {
        // The margin never exceeds a quarter of the token's lifetime, or a token living less than the margin would be
        // refreshed on every call.
        var margin = _refreshBeforeExpiry;
        if (grant.ObtainedAt is { } obtainedAt && (grant.ExpiresAt - obtainedAt) / 4 is var quarter && quarter < margin)
        {
            margin = quarter < TimeSpan.Zero ? TimeSpan.Zero : quarter;
        }

        return now >= grant.ExpiresAt - margin;
    }

    /// <summary>
    /// Runs one store operation; a store fault (database down or restarting, file missing or unwritable) becomes a
    /// <see cref="GrantStoreUnavailableException"/> that callers can handle like any unavailable credential.
    /// </summary>
    private async Task<T> StoreCallAsync<T>(GrantKey key, string what, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (GrantStoreUnavailableException.IsStoreFault(ex))
        {
            StoreFault(_logger, char.ToUpperInvariant(what[0]) + what[1..], key.Provider, ex);
            throw new GrantStoreUnavailableException(key.Provider, $"{what} the grant store failed ({ex.GetType().Name}); nothing was sent and no grant was changed. Try again when the store is reachable.", ex);
        }
    }

    /// <summary>
    /// Writes a refreshed grant, retrying a failed write a few times: the server has already rotated the refresh
    /// token, so losing this write would leave only a spent one in the store. If the store still refuses, the grant is
    /// held in memory, served from there, and written on the next access.
    /// </summary>
    private async Task<Grant> SaveRefreshedAsync(GrantKey key, Grant updated, long expectedVersion, CancellationToken shutdown)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var version = await _store.TryWriteAsync(key, _protector.Protect(key, updated, expectedVersion + 1), expectedVersion, shutdown).ConfigureAwait(false);
                if (version is null)
                {
                    // Someone wrote while we held the lease (a new consent, or our lease expired). Theirs stays;
                    // the token we obtained is valid all the same.
                    WriteConflict(_logger, key.Provider);
                    return updated;
                }

                _memory.Wrote(key, version.Value);
                return updated.WithVersion(version.Value);
            }
            catch (Exception ex) when (GrantStoreUnavailableException.IsStoreFault(ex) && attempt < 3)
            {
                StoreFault(_logger, "Writing a refreshed grant to", key.Provider, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), shutdown).ConfigureAwait(false);
            }
            catch (Exception ex) when (GrantStoreUnavailableException.IsStoreFault(ex))
            {
                StoreFault(_logger, "Writing a refreshed grant to", key.Provider, ex);
                RefreshedGrantHeld(_logger, key.Provider);
                _unsaved[key] = new UnsavedGrant(updated, expectedVersion);
                _memory.ForgetContent(key); // served from _unsaved until written, never from the older grant
                StartFlushing();
                return updated;
            }
        }
    }

    /// <summary>
    /// Keeps trying to write held grants in the background, backing off to every 30 seconds, so a rotated refresh
    /// token reaches the store as soon as it accepts writes, not only at the grant's next use (which may come after
    /// this process is gone).
    /// </summary>
    private void StartFlushing()
    {
        if (Interlocked.Exchange(ref _flushing, 1) == 0)
        {
            _ = Task.Run(FlushHeldGrantsAsync);
        }
    }

    private async Task FlushHeldGrantsAsync()
    {
        var shutdown = _shutdown.Token;
        try
        {
            var pause = TimeSpan.FromMilliseconds(200);
            while (!_unsaved.IsEmpty)
            {
                // Pacing on the real clock, like the lease poll: it decides when to try, not what is valid.
                await Task.Delay(pause, shutdown).ConfigureAwait(false);
                foreach (var (key, unsaved) in _unsaved)
                {
                    await TrySaveAsync(key, unsaved, shutdown).ConfigureAwait(false);
                    if (!_unsaved.ContainsKey(key))
                    {
                        // Written (or superseded): the refresh lease kept while it was held can go.
                        await ReleaseLeaseQuietlyAsync(key).ConfigureAwait(false);
                    }
                }

                pause = pause * 2 < TimeSpan.FromSeconds(30) ? pause * 2 : TimeSpan.FromSeconds(30);
            }
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            // Disposed: Dispose logged what was still held.
        }
        catch (Exception ex)
        {
            HeldGrantFlushFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _flushing, 0);
        }

        // A grant held after the loop saw the dictionary empty must not wait for its next use.
        if (!_unsaved.IsEmpty && !shutdown.IsCancellationRequested)
        {
            StartFlushing();
        }
    }

    /// <summary>Writes a held grant now, if the store takes it; returns the grant to serve, or null to read the store.</summary>
    private async Task<Grant?> TrySaveAsync(GrantKey key, UnsavedGrant unsaved, CancellationToken cancellationToken)
    {
        try
        {
            var version = await _store.TryWriteAsync(key, _protector.Protect(key, unsaved.Grant, unsaved.ExpectedVersion + 1), unsaved.ExpectedVersion, cancellationToken).ConfigureAwait(false);
            _unsaved.TryRemove(new KeyValuePair<GrantKey, UnsavedGrant>(key, unsaved));
            if (version is null)
            {
                // A conflict means the row changed meanwhile (a new consent or a revocation): the store is right.
                return null;
            }

            _memory.Wrote(key, version.Value);
            return unsaved.Grant.WithVersion(version.Value);
        }
        catch (Exception ex) when (GrantStoreUnavailableException.IsStoreFault(ex))
        {
            return unsaved.Grant;
        }
    }

    private Grant StillValidOr(Grant grant, GrantUnavailableReason reason, string message)
    {
        // Inside the refresh window the token still works; serving it is better than failing while it lasts.
        if (_time.GetUtcNow() < grant.ExpiresAt)
        {
            return grant;
        }

        throw Unavailable(reason, grant.Provider, [], message);
    }

    private static GrantUnavailableException Unavailable(GrantUnavailableReason reason, string provider, IReadOnlyList<string> missingScopes, string message, Exception? inner = null) =>
        GrantUnavailableException.ForVault(reason, provider, missingScopes, message, inner);

    private void Deny(WorkloadPrincipal principal, string provider, IReadOnlyList<string> scopes, GrantUnavailableException ex) =>
        _audit.Record(AuditEventKind.Denied, principal.Workload, principal.UserKey, provider, scopes, ex.AuditReason ?? ReasonCode(ex.Reason));

    private static string ReasonCode(GrantUnavailableReason reason) => reason switch
    {
        GrantUnavailableReason.NoGrant => "no_grant",
        GrantUnavailableReason.MissingScopes => "missing_scopes",
        GrantUnavailableReason.ConsentExpired => "consent_expired",
        GrantUnavailableReason.RefreshFailed => "refresh_failed",
        GrantUnavailableReason.Unreadable => "grant_unreadable",
        _ => "unavailable",
    };

    /// <summary>Joins the refresh in progress for <paramref name="key"/> in this instance, or starts one.</summary>
    private Task<Grant> RefreshOnceAsync(GrantKey key, WorkloadPrincipal principal, IGrantRefresher refresher)
    {
        TaskCompletionSource<Grant> completion;
        lock (_refreshes)
        {
            if (_refreshes.TryGetValue(key, out var running))
            {
                return running;
            }

            completion = new TaskCompletionSource<Grant>(TaskCreationOptions.RunContinuationsAsynchronously);
            _refreshes.Add(key, completion.Task);
        }

        // Not tied to any caller's cancellation: others may be waiting for the same refresh.
        _ = Task.Run(async () =>
        {
            try
            {
                var grant = await RefreshAcrossInstancesAsync(key, principal, refresher, _shutdown.Token).ConfigureAwait(false);
                Forget(key);
                completion.TrySetResult(grant);
            }
            catch (Exception ex)
            {
                Forget(key);
                completion.TrySetException(ex);
            }
        });
        return completion.Task;
    }

    private void Forget(GrantKey key)
    {
        // Removed before the waiters resume, so a caller arriving later re-reads the store rather than joining a
        // finished refresh.
        lock (_refreshes)
        {
            _refreshes.Remove(key);
        }
    }

    private async Task<Grant> RefreshAcrossInstancesAsync(GrantKey key, WorkloadPrincipal principal, IGrantRefresher refresher, CancellationToken shutdown)
    {
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            // Read before each attempt: the instance that held the lease may have stored a fresh token meanwhile,
            // and using it (rather than refreshing again) is what keeps rotating refresh tokens from racing.
            var current = await ReadAsync(key, shutdown).ConfigureAwait(false)
                ?? throw Unavailable(GrantUnavailableReason.NoGrant, key.Provider, [], "the grant was revoked; consent is required");
            if (!IsDue(current))
            {
                return current;
            }

            if (current.RefreshToken is null)
            {
                return StillValidOr(current, GrantUnavailableReason.ConsentExpired, "the access token expired and there is no usable refresh token; consent is required again");
            }

            if (await StoreCallAsync(key, "taking the refresh lease in", ct => _store.TryAcquireLeaseAsync(key, _leaseOwner, _time.GetUtcNow(), _options.LeaseDuration, ct), shutdown).ConfigureAwait(false))
            {
                break;
            }

            if (_time.GetUtcNow() < current.ExpiresAt)
            {
                // Another instance is refreshing (or crashed holding the lease): the current token still works, so
                // serve it rather than make the caller wait for the lease.
                return current;
            }

            if (waiting.Elapsed >= _options.LeaseWaitTimeout)
            {
                LeaseWaitTimedOut(_logger, key.Provider, _options.LeaseWaitTimeout);
                return StillValidOr(current, GrantUnavailableReason.RefreshFailed, "another instance holds the refresh lease and did not finish in time");
            }

            // Polling on the real clock: it paces the wait, it does not decide expiry.
            await Task.Delay(_options.LeasePollInterval, shutdown).ConfigureAwait(false);
        }

        try
        {
            return await RefreshUnderLeaseAsync(key, principal, refresher, shutdown).ConfigureAwait(false);
        }
        finally
        {
            // While a refreshed grant is only held in memory, keep the lease (until it runs out or the grant is written):
            // another instance would otherwise refresh with the spent refresh token the store still has.
            if (!_unsaved.ContainsKey(key))
            {
                await ReleaseLeaseQuietlyAsync(key).ConfigureAwait(false);
            }
        }
    }

    private async Task ReleaseLeaseQuietlyAsync(GrantKey key)
    {
        try
        {
            await _store.ReleaseLeaseAsync(key, _leaseOwner, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The lease expires on its own; a failed release only delays the next refresh elsewhere.
            LeaseReleaseFailed(_logger, key.Provider, ex);
        }
    }

    private async Task<Grant> RefreshUnderLeaseAsync(GrantKey key, WorkloadPrincipal principal, IGrantRefresher refresher, CancellationToken shutdown)
    {
        // Read again under the lease: the previous holder may have finished between our last read and our lease.
        var current = await ReadAsync(key, shutdown).ConfigureAwait(false)
            ?? throw Unavailable(GrantUnavailableReason.NoGrant, key.Provider, [], "the grant was revoked; consent is required");
        if (!IsDue(current))
        {
            return current;
        }

        if (current.RefreshToken is not { } refreshToken)
        {
            return StillValidOr(current, GrantUnavailableReason.ConsentExpired, "the access token expired and there is no usable refresh token; consent is required again");
        }

        TokenRefreshResult result;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
            timeout.CancelAfter(_options.RefreshTimeout);
            result = await refresher.RefreshAsync(refreshToken, timeout.Token).ConfigureAwait(false) ?? TokenRefreshResult.Failure("no_result");
        }
        catch (Exception ex) when (!shutdown.IsCancellationRequested)
        {
            RefreshThrew(_logger, key.Provider, ex);
            result = TokenRefreshResult.Failure(ex is OperationCanceledException ? "timeout" : "exception");
        }

        switch (result.Outcome)
        {
            case TokenRefreshOutcome.Success:
            {
                // One blob holds both tokens, so the rotated refresh token replaces the old one in the same write.
                var updated = current.WithTokens(result.AccessToken!, result.RefreshToken ?? refreshToken, result.Scopes, _time.GetUtcNow());
                _audit.Record(AuditEventKind.TokenRefreshed, principal.Workload, principal.UserKey, key.Provider, updated.Scopes);
                return await SaveRefreshedAsync(key, updated, current.Version, shutdown).ConfigureAwait(false);
            }

            case TokenRefreshOutcome.InvalidGrant:
            {
                // The refresh token is dead; the access token is not. Drop only the refresh token, so that no
                // instance tries it again and the grant lasts until its access token expires.
                RefreshTokenRejected(_logger, key.Provider);
                _audit.Record(AuditEventKind.Denied, principal.Workload, principal.UserKey, key.Provider, current.Scopes, "invalid_grant");
                var withoutRefresh = current.WithoutRefreshToken();
                var version = await StoreCallAsync(key, "writing", ct => _store.TryWriteAsync(key, _protector.Protect(key, withoutRefresh, current.Version + 1), current.Version, ct), shutdown).ConfigureAwait(false);
                if (version is { } written)
                {
                    _memory.Wrote(key, written);
                }

                if (version is null && await ReadAsync(key, shutdown).ConfigureAwait(false) is { } latest && !IsDue(latest))
                {
                    return latest;
                }

                return StillValidOr(withoutRefresh, GrantUnavailableReason.ConsentExpired, "the refresh token was rejected (invalid_grant) and the access token expired; consent is required again");
            }

            default:
                RefreshFailed(_logger, key.Provider, result.Error ?? "refresh_failed");
                _audit.Record(AuditEventKind.Denied, principal.Workload, principal.UserKey, key.Provider, current.Scopes, "refresh_failed: " + (result.Error ?? "unknown"));
                return StillValidOr(current, GrantUnavailableReason.RefreshFailed, $"refreshing the expired access token failed ({result.Error}); try again later");
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Refreshing the token for provider {Provider} failed: {Error}. The grant is kept.")]
    private static partial void RefreshFailed(ILogger logger, string provider, string error);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "The refresh callback for provider {Provider} threw. The grant is kept.")]
    private static partial void RefreshThrew(ILogger logger, string provider, Exception exception);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "The authorization server rejected the refresh token for provider {Provider} (invalid_grant); the access token is kept until it expires, then consent is required again.")]
    private static partial void RefreshTokenRejected(ILogger logger, string provider);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "The grant for provider {Provider} changed during a refresh; the stored grant was kept.")]
    private static partial void WriteConflict(ILogger logger, string provider);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Releasing the refresh lease for provider {Provider} failed; it will expire on its own.")]
    private static partial void LeaseReleaseFailed(ILogger logger, string provider, Exception exception);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning, Message = "{What} the grant store failed for provider {Provider}.")]
    private static partial void StoreFault(ILogger logger, string what, string provider, Exception exception);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Error, Message = "The refreshed grant for provider {Provider} could not be stored; it is kept in memory and written when the store accepts writes again.")]
    private static partial void RefreshedGrantHeld(ILogger logger, string provider);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Error, Message = "The vault is shutting down with {Count} refreshed grant(s) the store never accepted; their rotated refresh tokens are lost and those users will be asked to consent again.")]
    private static partial void HeldGrantsLost(ILogger logger, int count);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Error, Message = "Writing held grants in the background failed unexpectedly; they are written at their next use.")]
    private static partial void HeldGrantFlushFailed(ILogger logger, Exception exception);

    private sealed record UnsavedGrant(Grant Grant, long ExpectedVersion);

    /// <summary>Adapts the delegate overload of <see cref="GetAccessTokenAsync(WorkloadAccessToken, string, IEnumerable{string}, Func{RefreshToken, CancellationToken, Task{TokenRefreshResult}}, CancellationToken)"/>.</summary>
    private sealed class DelegateRefresher(Func<RefreshToken, CancellationToken, Task<TokenRefreshResult>> refresh) : IGrantRefresher
    {
        public Task<TokenRefreshResult> RefreshAsync(RefreshToken refreshToken, CancellationToken cancellationToken) => refresh(refreshToken, cancellationToken);
    }

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "Waited {Timeout} for another instance's refresh lease for provider {Provider}; giving up.")]
    private static partial void LeaseWaitTimedOut(ILogger logger, string provider, TimeSpan timeout);
}
