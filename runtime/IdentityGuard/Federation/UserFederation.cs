using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Consent;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Tokens;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Federation;

/// <summary>
/// Acting for a user with their consent (authorization code + PKCE, three-legged). Serves the user's token from
/// the vault when a grant covers the scopes; otherwise builds the authorization URL, hands it to the app's
/// <see cref="IConsentHandler"/> (or throws <see cref="ConsentRequiredException"/>), and completes the grant when
/// the authorization callback arrives. Consent persists as a refresh token in the vault, so users are asked once.
/// </summary>
public sealed partial class UserFederation
{
    private readonly CredentialManifest _manifest;
    private readonly IConfiguration _configuration;
    private readonly TokenVault _vault;
    private readonly WorkloadIdentity _identity;
    private readonly IConsentHandler? _consentHandler;
    private readonly ConsentOptions _options;
    private readonly IdentityGuardOptions _runtimeOptions;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PendingAuthorizations _pending;
    private readonly Background.StandingPermissions _standingPermissions;
    private readonly ConcurrentDictionary<string, AuthorizationCodeClient> _clients = new(StringComparer.Ordinal);

    /// <summary>Creates the service; normally done by <c>AddIdentityGuardUserFederation</c>.</summary>
    /// <param name="manifest">The compiled credential manifest.</param>
    /// <param name="configuration">Provider settings (client secrets and the like).</param>
    /// <param name="vault">Keeps the users' grants.</param>
    /// <param name="identity">Validates workload access tokens.</param>
    /// <param name="consentHandlers">Present consent requests in-line; the last one registered is used.</param>
    /// <param name="options">Consent settings.</param>
    /// <param name="runtimeOptions">Runtime settings.</param>
    /// <param name="httpClientFactory">Makes the token endpoint clients.</param>
    /// <param name="audit">Receives consent events.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Logs failures; never a token.</param>
    /// <param name="pendingAuthorizations">Keeps pending authorizations where every instance of the agent finds them (the grant store).</param>
    /// <param name="dataProtection">Encrypts pending authorizations; every instance sharing the store must share its keys.</param>
    public UserFederation(
        CredentialManifest manifest,
        IConfiguration configuration,
        TokenVault vault,
        WorkloadIdentity identity,
        IEnumerable<IConsentHandler> consentHandlers,
        IOptions<ConsentOptions> options,
        IOptions<IdentityGuardOptions> runtimeOptions,
        IHttpClientFactory httpClientFactory,
        AuditLog audit,
        TimeProvider time,
        ILogger<UserFederation> logger,
        IPendingAuthorizationStore pendingAuthorizations,
        IDataProtectionProvider dataProtection)
    {
        ArgumentNullException.ThrowIfNull(consentHandlers);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(runtimeOptions);
        ArgumentNullException.ThrowIfNull(pendingAuthorizations);
        ArgumentNullException.ThrowIfNull(dataProtection);
        _manifest = manifest ?? throw new ArgumentNullException(nameof(manifest));
        _configuration = configuration ?? throw new ArgumentNullException(nameof(configuration));
        _vault = vault ?? throw new ArgumentNullException(nameof(vault));
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _consentHandler = consentHandlers.LastOrDefault();
        _options = options.Value;
        _runtimeOptions = runtimeOptions.Value;
        _httpClientFactory = httpClientFactory ?? throw new ArgumentNullException(nameof(httpClientFactory));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _pending = new PendingAuthorizations(_manifest.Workload, pendingAuthorizations, new PendingAuthorizationProtector(dataProtection), _options, _time, _logger);

        // Background tokens are checked against their user's standing permission on every use (kept in the grant store).
        _standingPermissions = new Background.StandingPermissions(_identity, pendingAuthorizations as IStandingPermissionStore, dataProtection, _audit, _time, _manifest);
        if (!_options.RequireSessionBinding)
        {
            SessionBindingDisabled(_logger);
        }
    }

    /// <summary>
    /// Gets the user's access token for <paramref name="scopes"/> of a user-federation provider: from the vault,
    /// refreshed if due, or after the user's consent.
    /// </summary>
    /// <exception cref="ConsentRequiredException">Consent is needed and no <see cref="IConsentHandler"/> is registered (or it threw this).</exception>
    /// <exception cref="ConsentDeniedException">The user refused.</exception>
    /// <exception cref="WorkloadAccessTokenException">The workload access token was refused.</exception>
    public async Task<AccessToken> GetAccessTokenAsync(
        WorkloadAccessToken workloadAccessToken,
        string provider,
        IReadOnlyCollection<string> scopes,
        UserTokenRequestOptions? requestOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workloadAccessToken);
        ArgumentNullException.ThrowIfNull(scopes);
        var client = GetClient(provider);
        await _standingPermissions.EnsureAllowsAsync(_identity.Validate(workloadAccessToken), provider, scopes, cancellationToken).ConfigureAwait(false);
        if (requestOptions?.ForceAuthentication != true)
        {
            try
            {
                return await _vault.GetAccessTokenAsync(
                    workloadAccessToken, provider, scopes, (refreshToken, ct) => RefreshAsync(client, refreshToken, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (GrantUnavailableException ex) when (ex.ConsentRequired)
            {
                // Fall through to consent: no grant, missing scopes, or a dead refresh token.
            }
        }

        var request = await BeginConsentAsync(workloadAccessToken, provider, scopes, requestOptions, awaited: _consentHandler is not null, cancellationToken).ConfigureAwait(false);
        if (_consentHandler is null)
        {
            throw new ConsentRequiredException(request.Request);
        }

        try
        {
            await _consentHandler.PresentAsync(request.Request, cancellationToken).ConfigureAwait(false);

            // Completes when the callback reaches this instance, or when another instance that it reached records
            // the outcome in the store.
            await _pending.WaitAsync(request.Pending, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new ConsentRequiredException(request.Request);
        }
        finally
        {
            // Nobody waits here any more (answered, timed out, cancelled, or the handler threw); a later callback
            // still completes the grant, from the store.
            _pending.StopWaiting(request.Pending);
        }

        return await _vault.GetAccessTokenAsync(
            workloadAccessToken, provider, scopes, (refreshToken, ct) => RefreshAsync(client, refreshToken, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts a consent request without waiting for it, e.g. for a "connect your account" button. Only the scopes
    /// the user has not granted yet are shown as new (incremental consent).
    /// </summary>
    public async Task<ConsentRequest> RequestConsentAsync(
        WorkloadAccessToken workloadAccessToken,
        string provider,
        IReadOnlyCollection<string> scopes,
        UserTokenRequestOptions? requestOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workloadAccessToken);
        ArgumentNullException.ThrowIfNull(scopes);
        await _standingPermissions.EnsureAllowsAsync(_identity.Validate(workloadAccessToken), provider, scopes, cancellationToken).ConfigureAwait(false);
        return (await BeginConsentAsync(workloadAccessToken, provider, scopes, requestOptions, awaited: false, cancellationToken).ConfigureAwait(false)).Request;
    }

    /// <summary>
    /// Completes an authorization callback on whichever instance of the agent it reaches: takes the single-use
    /// <c>state</c> from the store (and, when the callback endpoint knows the signed-in user, checks that it is the
    /// same user), exchanges the code with the PKCE verifier, stores the grant in the vault and resumes the waiting
    /// request, here or on the instance that started it.
    /// </summary>
    /// <param name="callback">The authorization response parameters.</param>
    /// <param name="sessionUserKey">The user key of the browser session that delivered the callback, when known.</param>
    /// <param name="cancellationToken">Cancels the code exchange.</param>
    public async Task<ConsentCallbackResult> CompleteAsync(AuthorizationCallback callback, string? sessionUserKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var pending = string.IsNullOrEmpty(callback.State) ? null : await _pending.TakeAsync(callback.State, cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            _audit.Record(AuditEventKind.Denied, _manifest.Workload, sessionUserKey, null, null, "unknown_state");
            CallbackRejected(_logger, "unknown, expired or already used state");
            return new ConsentCallbackResult(ConsentCallbackStatus.Rejected, null, "This authorization link is unknown, expired or was already used.", null);
        }

        if (sessionUserKey is not null && !string.Equals(sessionUserKey, pending.UserKey, StringComparison.Ordinal))
        {
            return await RejectApproverAsync(pending, ApproverMismatch, "the callback arrived in another user's session").ConfigureAwait(false);
        }

        if (!string.IsNullOrEmpty(callback.Error) || string.IsNullOrEmpty(callback.Code))
        {
            var error = CallbackErrorText.Code(callback.Error);
            await _pending.ReportAsync(pending, new PendingAuthorizationOutcome(PendingAuthorizationResult.Denied, error), new ConsentDeniedException(pending.Provider, error, CallbackErrorText.Description(callback.ErrorDescription))).ConfigureAwait(false);
            _audit.Record(AuditEventKind.Denied, pending.Workload, pending.UserKey, pending.Provider, pending.MissingScopes, error);
            return new ConsentCallbackResult(ConsentCallbackStatus.Denied, pending.Provider, "Access was not granted.", pending.ReturnUrl);
        }

        try
        {
            var client = GetClient(pending.Provider);
            if (await CheckResponseIssuerAsync(client, callback.Issuer, cancellationToken).ConfigureAwait(false) is { } mixUp)
            {
                return await RejectApproverAsync(pending, IssuerMismatch, mixUp).ConfigureAwait(false);
            }

            var tokens = await client.ExchangeCodeAsync(callback.Code, pending.CodeVerifier, pending.RedirectUri, string.Join(' ', pending.RequestedScopes), cancellationToken).ConfigureAwait(false);
            if (await CheckApproverAsync(client, pending, sessionUserKey, tokens.IdToken, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                // The tokens just obtained belong to whoever approved; they are dropped, never stored.
                return await RejectApproverAsync(pending, refusal.Reason, refusal.Detail).ConfigureAwait(false);
            }

            var granted = tokens.GrantedScope?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? pending.RequestedScopes.ToArray();
            var grant = new Grant(pending.Provider, granted, tokens.AccessToken, tokens.RefreshToken is null ? null : new RefreshToken(tokens.RefreshToken));
            await _vault.StoreGrantAsync(pending.WorkloadToken, grant, cancellationToken).ConfigureAwait(false);
            // The vault records ConsentGranted when it stores the grant; this records the issuance itself.
            _audit.Record(AuditEventKind.TokenIssued, pending.Workload, pending.UserKey, pending.Provider, granted);
            await _pending.ReportAsync(pending, new PendingAuthorizationOutcome(PendingAuthorizationResult.Granted, null), null).ConfigureAwait(false);
            return new ConsentCallbackResult(ConsentCallbackStatus.Completed, pending.Provider, "Access granted. You can close this window.", pending.ReturnUrl);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever failed (token endpoint, metadata, ID token keys), the request is finished and its waiter told:
            // the state is already spent.
            var reason = ex is TokenRequestException tre ? tre.Error ?? "token_error" : "exchange_failed";
            await _pending.ReportAsync(pending, new PendingAuthorizationOutcome(PendingAuthorizationResult.Failed, reason), ex).ConfigureAwait(false);
            _audit.Record(AuditEventKind.Denied, pending.Workload, pending.UserKey, pending.Provider, pending.MissingScopes, reason);
            CallbackRejected(_logger, reason);
            return new ConsentCallbackResult(ConsentCallbackStatus.Rejected, pending.Provider, "The authorization could not be completed.", null);
        }
    }

    /// <summary>
    /// Decides whether the callback proves that the user who started the consent approved it. Evidence: the browser
    /// session's user (checked before the code exchange) and the provider's ID token, when the provider is the
    /// identity provider that verified the user and the token carries this request's nonce. Evidence naming
    /// another user always refuses; no evidence refuses unless session binding was explicitly turned off.
    /// </summary>
    private async Task<(string Reason, string Detail)?> CheckApproverAsync(
        AuthorizationCodeClient client, PendingAuthorization pending, string? sessionUserKey, string? idToken, CancellationToken cancellationToken)
    {
        var verified = sessionUserKey is not null; // a mismatching session was refused before the exchange
        if (pending.Nonce is not null && idToken is null)
        {
            // We asked the user's own identity provider for an ID token. Without one (someone removed openid from
            // the link before approving) the approver is unknown, whoever's browser delivered the callback.
            return (ApproverUnverified, "the provider returned no ID token although this request asked for one");
        }

        if (pending.Nonce is not null && idToken is not null && client.IdTokens is { } idTokens)
        {
            var approver = await idTokens.VerifyAsync(idToken, pending.Nonce, cancellationToken).ConfigureAwait(false);
            if (approver is not { } who)
            {
                return (ApproverUnverified, "the provider's ID token failed validation (signature, issuer, audience, lifetime or nonce)");
            }

            if (string.Equals(who.Issuer, pending.UserIssuer, StringComparison.Ordinal))
            {
                if (!string.Equals(WorkloadIdentity.DeriveUserKey(who.Issuer, who.Subject), pending.UserKey, StringComparison.Ordinal))
                {
                    return (ApproverMismatch, "the provider's ID token names another user than the one who asked");
                }

                verified = true;
            }
        }

        return verified || !_options.RequireSessionBinding
            ? null
            : (ApproverUnverified, "nothing proves who approved (no signed-in browser session, no ID token from the user's identity provider)");
    }

    /// <summary>
    /// RFC 9207: the authorization response names the server that issued it, so a code from another provider (a
    /// mix-up) is not redeemed here with this request's PKCE verifier. Present: it must be this provider's issuer.
    /// Absent while the provider's metadata promises it: refused.
    /// </summary>
    private static async Task<string?> CheckResponseIssuerAsync(AuthorizationCodeClient client, string? issuer, CancellationToken cancellationToken)
    {
        if (client.IdTokens is not { } metadata)
        {
            return null; // no discovery document: nothing to compare with
        }

        var (expected, promised) = await metadata.GetResponseIssuerAsync(cancellationToken).ConfigureAwait(false);
        if (issuer is null)
        {
            return promised ? "the authorization response carries no iss although the provider promises it (RFC 9207)" : null;
        }

        return string.Equals(issuer, expected, StringComparison.Ordinal) ? null : "the authorization response came from another issuer (RFC 9207 mix-up)";
    }

    private async Task<ConsentCallbackResult> RejectApproverAsync(PendingAuthorization pending, string reason, string detail)
    {
        await _pending.ReportAsync(
            pending,
            new PendingAuthorizationOutcome(PendingAuthorizationResult.Denied, reason),
            new ConsentDeniedException(pending.Provider, reason, "the authorization was approved by someone who cannot be shown to be the user who asked.")).ConfigureAwait(false);
        _audit.Record(AuditEventKind.Denied, pending.Workload, pending.UserKey, pending.Provider, pending.MissingScopes, reason);
        CallbackRejected(_logger, detail);
        return new ConsentCallbackResult(
            ConsentCallbackStatus.Rejected,
            pending.Provider,
            reason == ApproverMismatch ? "This authorization belongs to another user." : "This authorization could not be tied to the user who asked for it.",
            null);
    }

    private static async Task<bool> IsUsersIdentityProviderAsync(AuthorizationCodeClient client, WorkloadPrincipal principal, CancellationToken cancellationToken)
    {
        if (principal.Issuer is null || client.IdTokens is not { } idTokens)
        {
            return false;
        }

        try
        {
            return string.Equals(await idTokens.GetIssuerAsync(cancellationToken).ConfigureAwait(false), principal.Issuer, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            // The metadata reader wraps transport and format errors in InvalidOperationException.
            throw new CredentialUnavailableException(client.Provider, "reading the provider's OpenID Connect metadata failed; consent cannot start.", ex);
        }
    }

    private async Task<Grant?> ReadExistingGrantAsync(WorkloadAccessToken workloadAccessToken, string provider, CancellationToken cancellationToken)
    {
        try
        {
            return await _vault.GetGrantAsync(workloadAccessToken, provider, cancellationToken).ConfigureAwait(false);
        }
        catch (GrantUnavailableException ex) when (ex.Reason == GrantUnavailableReason.Unreadable)
        {
            // Lost keys or a corrupted row: the vault audited it; a new consent writes a fresh grant over it.
            return null;
        }
    }

    /// <summary>Removes the user's grant for <paramref name="provider"/>; the next request asks for consent again.</summary>
    public Task<bool> RevokeAsync(WorkloadAccessToken workloadAccessToken, string provider, CancellationToken cancellationToken = default) =>
        _vault.RevokeAsync(workloadAccessToken, provider, cancellationToken);

    private async Task<(ConsentRequest Request, PendingAuthorization Pending)> BeginConsentAsync(
        WorkloadAccessToken workloadAccessToken, string provider, IReadOnlyCollection<string> scopes, UserTokenRequestOptions? requestOptions, bool awaited, CancellationToken cancellationToken)
    {
        var principal = _identity.Validate(workloadAccessToken);
        var client = GetClient(provider);
        var redirectUri = _options.RedirectUri
            ?? throw new CredentialUnavailableException(provider, "no redirect URI is configured (IdentityGuard:Consent:RedirectUri); consent cannot complete.");
        var returnUrl = requestOptions?.ReturnUrl;
        // Exact match on the whole URL: Uri.Equals ignores user info and fragment, so "https://evil@legit/done" would
        // pass and be echoed in the callback's Location header.
        if (returnUrl is not null && !_options.AllowedReturnUrls.Any(allowed => string.Equals(allowed.AbsoluteUri, returnUrl.AbsoluteUri, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The return URL '{returnUrl}' is not registered in IdentityGuard:Consent:AllowedReturnUrls.", nameof(requestOptions));
        }

        // Incremental consent: the authorization request names everything already granted plus what is new, so
        // the resulting grant covers both, while the user is told only about the new scopes.
        var existing = requestOptions?.ForceAuthentication == true
            ? null
            : await ReadExistingGrantAsync(workloadAccessToken, provider, cancellationToken).ConfigureAwait(false);
        var missing = existing is null ? scopes.Distinct(StringComparer.Ordinal).ToArray() : existing.MissingScopes(scopes).ToArray();

        // When the provider is the identity provider that verified the user, ask it for an ID token bound to this
        // request by a nonce: it names who approved, which the callback compares with the user who asked.
        var nonce = await IsUsersIdentityProviderAsync(client, principal, cancellationToken).ConfigureAwait(false) ? Pkce.CreateState() : null;
        var requested = (existing?.Scopes ?? Array.Empty<string>()).Concat(scopes)
            .Concat(_options.RequestOfflineAccess ? ["offline_access"] : Array.Empty<string>())
            .Concat(nonce is null ? Array.Empty<string>() : ["openid"])
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        var state = Pkce.CreateState();
        var verifier = Pkce.CreateVerifier();
        var now = _time.GetUtcNow();
        var expiresAt = now + _options.PendingLifetime < principal.ExpiresAt ? now + _options.PendingLifetime : principal.ExpiresAt;
        var url = await client.BuildAuthorizationUrlAsync(
            state, Pkce.ChallengeFor(verifier), nonce, requested, redirectUri, requestOptions?.LoginHint, requestOptions?.ForceAuthentication == true,
            _options.ResponseMode == ConsentResponseMode.FormPost, cancellationToken).ConfigureAwait(false);

        var pending = new PendingAuthorization(state, principal.Workload, principal.UserKey, provider, requested, missing, verifier, redirectUri, returnUrl, now, expiresAt, workloadAccessToken, principal.Issuer, nonce, awaited);
        await _pending.AddAsync(pending, cancellationToken).ConfigureAwait(false);
        _audit.Record(AuditEventKind.ConsentRequested, principal.Workload, principal.UserKey, provider, missing);
        return (new ConsentRequest(principal.Workload, principal.UserKey, provider, missing, requested, url, expiresAt), pending);
    }

    private static async Task<TokenRefreshResult> RefreshAsync(AuthorizationCodeClient client, RefreshToken refreshToken, CancellationToken cancellationToken)
    {
        try
        {
            var tokens = await client.RefreshAsync(refreshToken.RevealValue(), scope: null, cancellationToken).ConfigureAwait(false);
            return TokenRefreshResult.Success(
                tokens.AccessToken,
                tokens.RefreshToken is null ? null : new RefreshToken(tokens.RefreshToken),
                tokens.GrantedScope?.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        catch (TokenRequestException ex) when (ex.Error == "invalid_grant")
        {
            return TokenRefreshResult.InvalidGrant(ex.ErrorDescription);
        }
        catch (TokenRequestException ex)
        {
            return TokenRefreshResult.Failure(ex.Error ?? "token_error");
        }
    }

    private AuthorizationCodeClient GetClient(string provider) => _clients.GetOrAdd(provider, name =>
    {
        var descriptor = _manifest.Require(name, CredentialKind.OAuth2, OAuthFlow.UserFederation);
        return new AuthorizationCodeClient(
            ProviderSettings.Create(descriptor, _configuration),
            _configuration,
            () => _httpClientFactory.CreateClient(CredentialProviderRegistry.TokenHttpClientName),
            _time,
            _runtimeOptions.DefaultTokenLifetime);
    });

    private const string ApproverMismatch = "approver_mismatch";
    private const string ApproverUnverified = "approver_unverified";
    private const string IssuerMismatch = "issuer_mismatch";

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "An authorization callback was rejected: {Reason}.")]
    private static partial void CallbackRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "IdentityGuard:Consent:RequireSessionBinding is false: a consent can be completed by whoever holds its authorization link, and the agent then acts for that person. Turn it on unless the provider can neither return an ID token nor the callback see the app's sign-in.")]
    private static partial void SessionBindingDisabled(ILogger logger);
}
