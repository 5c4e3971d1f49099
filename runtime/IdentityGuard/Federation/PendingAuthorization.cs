using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using IdentityGuard.Vault;

namespace IdentityGuard.Federation;

/// <summary>
/// An authorization request waiting for its callback, found by its single-use <c>state</c>. It remembers whose
/// request it is (the user key from the workload access token), so a callback can only complete the request of
/// the user it was issued for, and holds the PKCE verifier. It is kept encrypted in the grant store, so the callback
/// may reach any instance of the agent; the verifier never leaves the agent's processes and store in clear.
/// </summary>
internal sealed class PendingAuthorization
{
    private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PendingAuthorization(
        string state,
        string workload,
        string userKey,
        string provider,
        IReadOnlyList<string> requestedScopes,
        IReadOnlyList<string> missingScopes,
        string codeVerifier,
        Uri redirectUri,
        Uri? returnUrl,
        DateTimeOffset createdAt,
        DateTimeOffset expiresAt,
        Workload.WorkloadAccessToken workloadToken,
        string? userIssuer,
        string? nonce,
        bool awaited)
    {
        UserIssuer = userIssuer;
        Nonce = nonce;
        State = state;
        Workload = workload;
        UserKey = userKey;
        Provider = provider;
        RequestedScopes = requestedScopes;
        MissingScopes = missingScopes;
        CodeVerifier = codeVerifier;
        RedirectUri = redirectUri;
        ReturnUrl = returnUrl;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
        WorkloadToken = workloadToken;
        Awaited = awaited;
    }

    public string State { get; }

    public string Workload { get; }

    public string UserKey { get; }

    /// <summary>The identity provider that verified the user, if one did; see <see cref="Workload.WorkloadPrincipal.Issuer"/>.</summary>
    public string? UserIssuer { get; }

    /// <summary>
    /// The OpenID Connect <c>nonce</c> sent with the request when the provider is the user's own identity provider:
    /// the ID token that comes back must carry it, which ties that ID token to this request.
    /// </summary>
    public string? Nonce { get; }

    public string Provider { get; }

    public IReadOnlyList<string> RequestedScopes { get; }

    public IReadOnlyList<string> MissingScopes { get; }

    public string CodeVerifier { get; }

    public Uri RedirectUri { get; }

    public Uri? ReturnUrl { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The user's workload access token: the vault's only key for storing this user's grant.</summary>
    public Workload.WorkloadAccessToken WorkloadToken { get; }

    /// <summary>
    /// Whether a caller waits for this consent (the <see cref="Consent.IConsentHandler"/> path): then a callback that
    /// lands on another instance records the outcome in the store for the waiting instance to find.
    /// </summary>
    public bool Awaited { get; }

    /// <summary>Whether the caller waiting for it is in this process (set when it was added here).</summary>
    public bool WaitedOnHere { get; set; }

    /// <summary>Completes when the callback stored the grant (true) or the user refused (exception).</summary>
    public Task<bool> Completion => _completion.Task;

    public void Succeed() => _completion.TrySetResult(true);

    public void Fail(Exception exception) => _completion.TrySetException(exception);

    public override string ToString() => $"PendingAuthorization(provider {Provider}, user {UserKey}, expires {ExpiresAt:O})";

    /// <summary>How stores address a request: the workload and a hash of the state, never the state itself.</summary>
    public static PendingAuthorizationKey KeyOf(string workload, string state)
    {
        // base64url without padding; the state is 256 random bits, so a plain hash cannot be reversed.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(state));
        return new PendingAuthorizationKey(workload, Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
    }
}
