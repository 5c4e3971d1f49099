using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Consent;
using IdentityGuard.Providers;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Federation;



/// <summary>
/// Starts consents: builds the authorization URL for the missing scopes (incremental consent), binds it to the user
/// who asked (state, PKCE verifier and, at the user's own identity provider, an ID-token nonce) and records the
/// pending authorization where every instance of the agent finds it.
/// </summary>
internal sealed class ConsentRequests
{
    private readonly ConsentOptions _options;
    private readonly PendingAuthorizations _pending;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;

    public ConsentRequests(IOptions<ConsentOptions> options, PendingAuthorizations pending, AuditLog audit, TimeProvider time)
    {
        _options = options.Value;
        _pending = pending;
        _audit = audit;
        _time = time;
    }

    /// <summary>Starts a consent for <paramref name="principal"/>, whose workload access token the caller validated.</summary>
    /// <param name="principal">The user, as the workload access token proves.</param>
    /// <param name="workloadAccessToken">Kept with the pending authorization, so the callback stores the grant for this user.</param>
    /// <param name="client">The provider.</param>
    /// <param name="scopes">The scopes the caller needs.</param>
    /// <param name="existing">The user's readable grant at the provider, if any: its scopes are asked for again so the new grant keeps them.</param>
    /// <param name="requestOptions">Return URL, login hint, forced re-authentication.</param>
    /// <param name="awaited">Whether a caller waits in-line for the outcome.</param>
    /// <param name="cancellationToken">Cancels metadata reads and the store write.</param>
    public async Task<(ConsentRequest Request, PendingAuthorization Pending)> BeginAsync(
        WorkloadPrincipal principal,
        WorkloadAccessToken workloadAccessToken,
        AuthorizationCodeClient client,
        IReadOnlyCollection<string> scopes,
        Grant? existing,
        UserTokenRequestOptions? requestOptions,
        bool awaited,
        CancellationToken cancellationToken)
    {
        var provider = client.Provider;
        var redirectUri = _options.RedirectUri
            ?? throw new CredentialUnavailableException(provider, "no redirect URI is configured (IdentityGuard:Consent:RedirectUri); consent cannot complete.");
        var returnUrl = requestOptions?.ReturnUrl;
        // Exact match on the whole URL: Uri.Equals ignores user info and fragment, so "https://evil@legit/done" would
        // pass and be echoed in the callback's Location header.
        if (returnUrl is not null && !_options.AllowedReturnUrls.Any(allowed => string.Equals(allowed.AbsoluteUri, returnUrl.AbsoluteUri, StringComparison.Ordinal)))
        {
            throw new ArgumentException($"The return URL '{returnUrl}' is not registered in IdentityGuard:Consent:AllowedReturnUrls.", nameof(requestOptions));
        }

        // Incremental consent: the authorization request names everything already granted plus what is new, so the
        // resulting grant covers both, while the user is told only about the new scopes.
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
}
