using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Authorization;
using IdentityGuard.Diagnostics;
using IdentityGuard.Federation;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using IdentityGuard.Workload;
using Microsoft.Extensions.Logging;

namespace IdentityGuard.Delegation;

/// <summary>
/// Serves the tokens of one on-behalf-of provider (manifest flow <c>onBehalfOf</c>). The user is the one bound to the
/// current <see cref="WorkloadContext"/>, and the <c>subject_token</c> is the inbound token that workload access token
/// was issued for (<see cref="WorkloadIdentity.IssueForVerifiedCaller"/>), so agent code never handles either.
/// Exchanged tokens are cached per user, actor chain and scope set for their lifetime, never past the subject token's
/// expiry, and exchanged again when due. One exchange runs per key however many callers wait; a caller whose own subject
/// token expires before the token that exchange produced exchanges for itself instead of taking it.
/// </summary>
internal sealed class OnBehalfOfExchange
{
    // Beyond this many cached entries, expired ones are swept on the next insert, so departed users do not pile up.
    private const int SweepThreshold = 1024;

    private readonly string _provider;
    private readonly TokenExchangeClient _client;
    private readonly Func<WorkloadIdentity?> _identity;
    private readonly Func<AuditLog?> _audit;
    private readonly TimeProvider _time;
    private readonly TimeSpan _refreshBeforeExpiry;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ExchangeKey, Slot> _slots = new();

    public OnBehalfOfExchange(
        string provider,
        TokenExchangeClient client,
        Func<WorkloadIdentity?> identity,
        Func<AuditLog?> audit,
        TimeProvider time,
        TimeSpan refreshBeforeExpiry,
        ILogger logger)
    {
        _provider = provider;
        _client = client;
        _identity = identity;
        _audit = audit;
        _time = time;
        _refreshBeforeExpiry = refreshBeforeExpiry;
        _logger = logger;
    }

    /// <summary>Where exchanged tokens are remembered for the credential scrubber, when it is registered.</summary>
    public Scrubbing.HeldCredentials? Held { get; init; }

    /// <summary>The per-user delegate of the provider's <see cref="OAuth2TokenSource"/>.</summary>
    public Task<AccessToken> GetAsync(OAuth2TokenSource source, ulong scopeMask, CancellationToken cancellationToken)
    {
        // Fail closed at every step: no user, no verified subject token, or an expired one means no token at all.
        var workloadToken = WorkloadContext.Current
            ?? throw Refuse(null, "no user is bound to this operation; wrap the call in WorkloadContext.Use(workloadAccessToken)", "no_user");
        var identity = _identity()
            ?? throw Refuse(null, "the workload identity is not registered; add it with services.AddIdentityGuard(configuration).AddVault()", "no_workload_identity");
        var principal = identity.Validate(workloadToken);
        var subject = workloadToken.DelegatedSubject
            ?? throw Refuse(principal, "the operation's workload access token carries no verified inbound user token; issue it with WorkloadIdentity.IssueForVerifiedCaller (UseIdentityGuardWorkloadContext does)");

        var now = _time.GetUtcNow();
        if (now >= subject.Token.ExpiresAt)
        {
            throw Refuse(principal, "the user's inbound token has expired, so nothing can be done on her behalf any more", "subject_token_expired", subject.Actors);
        }

        var key = new ExchangeKey(principal.UserKey, subject.ClientId, subject.Actors, scopeMask);
        var slot = _slots.GetOrAdd(key, static _ => new Slot());
        var entry = slot.Current;
        if (entry is not null && IsUsable(entry, subject, now))
        {
            IdentityGuardTelemetry.RecordCacheHit(_provider);
            return Task.FromResult(entry.Token);
        }

        return GetSlowAsync(slot, source, key, principal, subject, cancellationToken);
    }

    private async Task<AccessToken> GetSlowAsync(Slot slot, OAuth2TokenSource source, ExchangeKey key, WorkloadPrincipal principal, DelegatedSubject subject, CancellationToken cancellationToken)
    {
        Task<CacheEntry> flight;
        lock (slot)
        {
            if (slot.Current is { } entry && IsUsable(entry, subject, _time.GetUtcNow()))
            {
                return entry.Token;
            }

            // Not tied to this caller's cancellation: the same user's other requests may be waiting for it.
            flight = slot.InFlight ??= ExchangeAsync(slot, source, key, principal, subject, shared: true);
        }

        var result = await flight.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (!OutlivesSubject(result.Token, subject))
        {
            return result.Token;
        }

        // The exchange this request joined was started for another subject token of the same user (another app's
        // sign-in, say) that expires later, so its token may outlive this request's authority: exchange this
        // request's own subject token instead. Its result replaces the cached one, which every caller checks again.
        var own = await ExchangeAsync(slot, source, key, principal, subject, shared: false).WaitAsync(cancellationToken).ConfigureAwait(false);
        return own.Token;
    }

    // shared: whether this is the slot's one exchange in flight, which other callers may join. A caller's own exchange
    // after a joined one proved unusable is not, and leaves Slot.InFlight to whichever exchange set it.
    private async Task<CacheEntry> ExchangeAsync(Slot slot, OAuth2TokenSource source, ExchangeKey key, WorkloadPrincipal principal, DelegatedSubject subject, bool shared)
    {
        await Task.Yield();
        var scopes = source.GetScopeValues(key.ScopeMask);
        var scope = source.GetScopeString(key.ScopeMask);
        var actors = subject.Actors.Prepend(_client.ClientId);
        using var activity = IdentityGuardTelemetry.ActivitySource.StartActivity("IdentityGuard.TokenExchange", ActivityKind.Client);
        activity?.SetTag("identityguard.provider", _provider);
        activity?.SetTag("identityguard.flow", "OnBehalfOf");
        activity?.SetTag("identityguard.scope", scope);
        activity?.SetTag("identityguard.actor_depth", actors.Count);
        DelegationLog.Exchanging(_logger, _provider, scope, actors);

        var started = _time.GetTimestamp();
        try
        {
            var token = await _client.ExchangeAsync(subject.Token.RevealValue(), scope, CancellationToken.None).ConfigureAwait(false);

            // Whatever the server says, the token is not used past the authority it was derived from.
            var usableUntil = token.ExpiresAt < subject.Token.ExpiresAt ? token.ExpiresAt : subject.Token.ExpiresAt;
            var capped = usableUntil == token.ExpiresAt ? token : new AccessToken(token.RevealValue(), token.TokenType, usableUntil, token.Scope);
            Held?.Remember(capped, _provider);
            var entry = new CacheEntry(capped, RenewAt(capped.ExpiresAt));
            lock (slot)
            {
                slot.Current = entry;
                if (shared)
                {
                    slot.InFlight = null;
                }
            }

            IdentityGuardTelemetry.RecordTokenRequest(_provider, "success", _time.GetElapsedTime(started).TotalSeconds);
            DelegationLog.Exchanged(_logger, _provider, scope, capped.ExpiresAt, actors);
            _audit()?.Record(AuditEventKind.TokenIssued, principal.Workload, principal.UserKey, _provider, scopes, "token_exchange", actors);
            SweepIfLarge();
            return entry;
        }
        catch (Exception ex)
        {
            if (shared)
            {
                lock (slot)
                {
                    slot.InFlight = null;
                }
            }

            var error = ex is TokenRequestException tre ? tre.Error ?? "error" : ex.GetType().Name;
            IdentityGuardTelemetry.RecordTokenRequest(_provider, error, _time.GetElapsedTime(started).TotalSeconds);
            activity?.SetStatus(ActivityStatusCode.Error, error);
            DelegationLog.Refused(_logger, _provider, "the token exchange failed with " + error);
            _audit()?.Record(AuditEventKind.Denied, principal.Workload, principal.UserKey, _provider, scopes, error, actors);
            if (ex is CredentialUnavailableException)
            {
                throw;
            }

            throw new TokenRequestException(_provider, "transport_error", ex.Message, null, ex);
        }
    }

    /// <summary>
    /// Forgets <paramref name="token"/> after a resource refused it (401). Matched by reference: only the very token
    /// handed out is dropped, so one caller's refusal never evicts another user's or another chain's token. A scan,
    /// because refusals are rare and the caller's key would mean validating the workload token again.
    /// </summary>
    public void Invalidate(ulong scopeMask, AccessToken token)
    {
        foreach (var (key, slot) in _slots)
        {
            if (key.ScopeMask != scopeMask)
            {
                continue;
            }

            lock (slot)
            {
                if (ReferenceEquals(slot.Current?.Token, token))
                {
                    slot.Current = null;
                    return;
                }
            }
        }
    }

    /// <summary>A cached token may be served while it is not due for renewal and does not outlive this caller's subject token.</summary>
    private static bool IsUsable(CacheEntry entry, DelegatedSubject subject, DateTimeOffset now) =>
        now.UtcTicks < entry.RenewAtTicks && !OutlivesSubject(entry.Token, subject);

    /// <summary>
    /// Whether <paramref name="token"/> would stay usable after this caller's subject token expires. Each exchange caps
    /// its token at the subject token it used, but the same user may hold several subject tokens (one per app she
    /// signed in to), so a token exchanged for one is checked again against every other caller's.
    /// </summary>
    private static bool OutlivesSubject(AccessToken token, DelegatedSubject subject) => token.ExpiresAt > subject.Token.ExpiresAt;

    /// <summary>Renew ahead of expiry by the configured margin, but by at most a quarter of the remaining lifetime.</summary>
    private long RenewAt(DateTimeOffset expiresAt)
    {
        var lifetime = expiresAt - _time.GetUtcNow();
        if (lifetime <= TimeSpan.Zero)
        {
            return 0;
        }

        var margin = TimeSpan.FromTicks(Math.Min(_refreshBeforeExpiry.Ticks, lifetime.Ticks / 4));
        return (expiresAt - margin).UtcTicks;
    }

    private void SweepIfLarge()
    {
        if (_slots.Count <= SweepThreshold)
        {
            return;
        }

        var now = _time.GetUtcNow();
        foreach (var (key, slot) in _slots)
        {
            lock (slot)
            {
                if (slot.InFlight is null && (slot.Current is null || slot.Current.Token.ExpiresAt <= now))
                {
                    _slots.TryRemove(key, out _);
                }
            }
        }
    }

    private CredentialUnavailableException Refuse(WorkloadPrincipal? principal, string message, string reason = "no_subject_token", ActorChain? actors = null)
    {
        DelegationLog.Refused(_logger, _provider, reason);
        if (principal is not null)
        {
            _audit()?.Record(AuditEventKind.Denied, principal.Workload, principal.UserKey, _provider, null, reason, actors);
        }

        return new CredentialUnavailableException(_provider, message + ".");
    }

    /// <summary>
    /// Whose token, from which application, through which agents, for which scopes: the cache key, so no user, chain or
    /// application ever gets a token exchanged for another's (the authorization server decides per client what to
    /// exchange).
    /// </summary>
    private sealed record ExchangeKey(string UserKey, string? ClientId, ActorChain Actors, ulong ScopeMask);

    private sealed record CacheEntry(AccessToken Token, long RenewAtTicks)
    {
        public override string ToString() => "[redacted]";
    }

    private sealed class Slot
    {
        private volatile CacheEntry? _current;

        public CacheEntry? Current
        {
            get => _current;
            set => _current = value;
        }

        public Task<CacheEntry>? InFlight { get; set; }
    }
}
