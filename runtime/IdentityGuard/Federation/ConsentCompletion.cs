using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Consent;
using IdentityGuard.Providers;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Federation;



/// <summary>
/// Completes authorization callbacks on whichever instance they reach: takes the single-use state, checks that the
/// person who approved is the user who asked, redeems the code and stores the grant, then tells the waiting request.
/// </summary>
internal sealed partial class ConsentCompletion
{
    private const string ApproverMismatch = "approver_mismatch";
    private const string ApproverUnverified = "approver_unverified";
    private const string IssuerMismatch = "issuer_mismatch";

    private readonly string _workload;
    private readonly UserFederationProviders _providers;
    private readonly PendingAuthorizations _pending;
    private readonly TokenVault _vault;
    private readonly ConsentOptions _options;
    private readonly AuditLog _audit;
    private readonly ILogger _logger;

    public ConsentCompletion(UserFederationProviders providers, PendingAuthorizations pending, TokenVault vault, IOptions<ConsentOptions> options, AuditLog audit, ILogger<UserFederation> logger)
    {
        _workload = providers.Workload;
        _providers = providers;
        _pending = pending;
        _vault = vault;
        _options = options.Value;
        _audit = audit;
        _logger = logger;
        if (!_options.RequireSessionBinding)
        {
            SessionBindingDisabled(_logger);
        }
    }

    /// <summary>See <see cref="UserFederation.CompleteAsync"/>.</summary>
    public async Task<ConsentCallbackResult> CompleteAsync(AuthorizationCallback callback, string? sessionUserKey, CancellationToken cancellationToken)
    {
        var pending = string.IsNullOrEmpty(callback.State) ? null : await _pending.TakeAsync(callback.State, cancellationToken).ConfigureAwait(false);
        if (pending is null)
        {
            _audit.Record(AuditEventKind.Denied, _workload, sessionUserKey, null, null, "unknown_state");
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
            // Namespaced in the audit trail: the code comes from whoever sent the browser here and could otherwise read
            // as one of the runtime's own findings (approver_mismatch, grant_rolled_back, ...).
            _audit.Record(AuditEventKind.Denied, pending.Workload, pending.UserKey, pending.Provider, pending.MissingScopes, ProviderReason(error));
            return new ConsentCallbackResult(ConsentCallbackStatus.Denied, pending.Provider, "Access was not granted.", pending.ReturnUrl);
        }

        try
        {
            var client = _providers.Get(pending.Provider);
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
            _audit.Record(AuditEventKind.Denied, pending.Workload, pending.UserKey, pending.Provider, pending.MissingScopes, ex is TokenRequestException ? ProviderReason(reason) : reason);
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

    /// <summary>An error code the provider (or the callback's sender) chose, as an audit reason that cannot pass for ours.</summary>
    private static string ProviderReason(string code) => "provider:" + code;

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

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "An authorization callback was rejected: {Reason}.")]
    private static partial void CallbackRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "IdentityGuard:Consent:RequireSessionBinding is false: a consent can be completed by whoever holds its authorization link, and the agent then acts for that person. Turn it on unless the provider can neither return an ID token nor the callback see the app's sign-in.")]
    private static partial void SessionBindingDisabled(ILogger logger);
}
