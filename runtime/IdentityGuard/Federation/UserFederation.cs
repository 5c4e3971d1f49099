using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Providers;
using IdentityGuard.Consent;
using IdentityGuard.Tokens;
using IdentityGuard.Vault;
using IdentityGuard.Workload;

namespace IdentityGuard.Federation;

/// <summary>
/// Acting for a user with their consent (authorization code + PKCE, three-legged). Serves the user's token from
/// the vault when a grant covers the scopes; otherwise builds the authorization URL, hands it to the app's
/// <see cref="IConsentHandler"/> (or throws <see cref="ConsentRequiredException"/>), and completes the grant when
/// the authorization callback arrives. Consent persists as a refresh token in the vault, so users are asked once.
/// Register it with <c>AddUserFederation</c> on the <c>IdentityGuardBuilder</c>.
/// </summary>
public sealed class UserFederation
{
    private readonly TokenVault _vault;
    private readonly WorkloadIdentity _identity;
    private readonly UserFederationProviders _providers;
    private readonly ConsentRequests _requests;
    private readonly ConsentCompletion _completion;
    private readonly PendingAuthorizations _pending;
    private readonly IConsentHandler? _consentHandler;
    private readonly Background.StandingPermissions _standingPermissions;

    internal UserFederation(
        TokenVault vault,
        WorkloadIdentity identity,
        UserFederationProviders providers,
        ConsentRequests requests,
        ConsentCompletion completion,
        PendingAuthorizations pending,
        IConsentHandler? consentHandler,
        Background.StandingPermissions standingPermissions)
    {
        _vault = vault;
        _identity = identity;
        _providers = providers;
        _requests = requests;
        _completion = completion;
        _pending = pending;
        _consentHandler = consentHandler;
        _standingPermissions = standingPermissions;
    }

    /// <summary>
    /// Gets the user's access token for <paramref name="scopes"/> of a user-federation provider: from the vault,
    /// refreshed if due, or after the user's consent. A warm token is returned from memory without allocating.
    /// </summary>
    /// <exception cref="ConsentRequiredException">Consent is needed and no <see cref="IConsentHandler"/> is registered (or it threw this).</exception>
    /// <exception cref="ConsentDeniedException">The user refused.</exception>
    /// <exception cref="WorkloadAccessTokenException">The workload access token was refused.</exception>
    /// <exception cref="GrantUnavailableException">The grant exists but its expired token could not be renewed; a retry may succeed.</exception>
    /// <exception cref="GrantStoreUnavailableException">The grant store could not be reached.</exception>
    /// <exception cref="CredentialNotDeclaredException">The <see cref="CredentialUsePolicy"/> in force does not permit these scopes (e.g. an MCP tool that did not declare them).</exception>
    public Task<AccessToken> GetAccessTokenAsync(
        WorkloadAccessToken workloadAccessToken,
        string provider,
        IReadOnlyCollection<string> scopes,
        UserTokenRequestOptions? requestOptions = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        CredentialUsePolicy.Demand(CredentialRequest.Token(provider, scopes));
        return GetAccessTokenCheckedAsync(workloadAccessToken, provider, scopes, requestOptions, cancellationToken);
    }

    /// <summary>
    /// <see cref="GetAccessTokenAsync"/> for a caller that has already put the request to the
    /// <see cref="CredentialUsePolicy"/> in force (the provider's token source, by scope bits).
    /// </summary>
    internal Task<AccessToken> GetAccessTokenCheckedAsync(
        WorkloadAccessToken workloadAccessToken,
        string provider,
        IReadOnlyCollection<string> scopes,
        UserTokenRequestOptions? requestOptions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workloadAccessToken);
        ArgumentNullException.ThrowIfNull(scopes);
        var client = _providers.Get(provider);
        var force = requestOptions?.ForceAuthentication == true;

        // A background job's token is checked against its user's standing permission (in the store) on every use,
        // before anything is served; a signed-in user's remembered token keeps the allocation-free warm path.
        if (!_identity.TryGetRemembered(workloadAccessToken, out var remembered) || remembered.StandingPermissionProvider is not null)
        {
            return GetCheckingStandingPermissionAsync(workloadAccessToken, client, provider, scopes, requestOptions, force, cancellationToken);
        }

        // One lookup of the remembered principal serves both the check above and the warm path.
        return (force ? null : _vault.TryServeFromMemory(remembered, provider, scopes))
            ?? GetAccessTokenFromStoreOrConsentAsync(workloadAccessToken, remembered, client, scopes, requestOptions, force, cancellationToken);
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
        var client = _providers.Get(provider);
        var principal = _identity.Validate(workloadAccessToken);
        await _standingPermissions.EnsureAllowsAsync(principal, provider, scopes, cancellationToken).ConfigureAwait(false);
        var existing = requestOptions?.ForceAuthentication == true ? null : await _vault.ReadGrantForConsentAsync(principal, provider, cancellationToken).ConfigureAwait(false);
        var (request, _) = await _requests.BeginAsync(principal, workloadAccessToken, client, scopes, existing, requestOptions, awaited: false, cancellationToken).ConfigureAwait(false);
        return request;
    }

    /// <summary>
    /// Completes an authorization callback on whichever instance of the agent it reaches: takes the single-use
    /// <c>state</c> from the store, checks that the person who approved is the user who asked (the browser session's
    /// user when the callback endpoint knows it, the provider's ID token at the user's own identity provider),
    /// exchanges the code with the PKCE verifier, stores the grant in the vault and resumes the waiting request, here
    /// or on the instance that started it.
    /// </summary>
    /// <param name="callback">The authorization response parameters.</param>
    /// <param name="sessionUserKey">The user key of the browser session that delivered the callback, when known.</param>
    /// <param name="cancellationToken">Cancels the code exchange.</param>
    public Task<ConsentCallbackResult> CompleteAsync(AuthorizationCallback callback, string? sessionUserKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return _completion.CompleteAsync(callback, sessionUserKey, cancellationToken);
    }

    /// <summary>Removes the user's grant for <paramref name="provider"/>; the next request asks for consent again.</summary>
    public Task<bool> RevokeAsync(WorkloadAccessToken workloadAccessToken, string provider, CancellationToken cancellationToken = default) =>
        _vault.RevokeAsync(workloadAccessToken, provider, cancellationToken);

    private async Task<AccessToken> GetCheckingStandingPermissionAsync(
        WorkloadAccessToken workloadAccessToken,
        AuthorizationCodeClient client,
        string provider,
        IReadOnlyCollection<string> scopes,
        UserTokenRequestOptions? requestOptions,
        bool force,
        CancellationToken cancellationToken)
    {
        // Validated here, inside the task, so a refused token faults the task as before; a signed-in user's passes.
        var principal = _identity.Validate(workloadAccessToken);
        await _standingPermissions.EnsureAllowsAsync(principal, provider, scopes, cancellationToken).ConfigureAwait(false);
        return await ((force ? null : _vault.TryServeFromMemory(principal, provider, scopes))
            ?? GetAccessTokenFromStoreOrConsentAsync(workloadAccessToken, principal, client, scopes, requestOptions, force, cancellationToken)).ConfigureAwait(false);
    }

    private async Task<AccessToken> GetAccessTokenFromStoreOrConsentAsync(
        WorkloadAccessToken workloadAccessToken,
        WorkloadPrincipal principal,
        AuthorizationCodeClient client,
        IReadOnlyCollection<string> scopes,
        UserTokenRequestOptions? requestOptions,
        bool force,
        CancellationToken cancellationToken)
    {
        // Validated once for the whole request (by the caller): the lookup, the consent and the lookup after it use it.
        var required = scopes as IReadOnlyList<string> ?? scopes.ToArray();
        Grant? existing = null;
        if (!force)
        {
            var lookup = await _vault.LookupAsync(principal, client.Provider, required, client, cancellationToken).ConfigureAwait(false);
            if (lookup.Token is { } token)
            {
                return token;
            }

            if (!lookup.ConsentRequired)
            {
                throw lookup.ToException(); // a refresh that may succeed later; consent would not help
            }

            existing = lookup.Grant; // no grant, missing scopes, a dead refresh token or an unreadable row
        }

        var (request, pending) = await _requests.BeginAsync(principal, workloadAccessToken, client, scopes, existing, requestOptions, awaited: _consentHandler is not null, cancellationToken).ConfigureAwait(false);
        if (_consentHandler is null)
        {
            throw new ConsentRequiredException(request);
        }

        try
        {
            await _consentHandler.PresentAsync(request, cancellationToken).ConfigureAwait(false);

            // Completes when the callback reaches this instance, or when another instance that it reached records
            // the outcome in the store.
            await _pending.WaitAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new ConsentRequiredException(request);
        }
        finally
        {
            // Nobody waits here any more (answered, timed out, cancelled, or the handler threw); a later callback
            // still completes the grant, from the store.
            _pending.StopWaiting(pending);
        }

        var granted = await _vault.LookupAsync(principal, client.Provider, required, client, cancellationToken).ConfigureAwait(false);
        return granted.Token ?? throw granted.ToException();
    }
}
