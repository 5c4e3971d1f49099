using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Audit;
using IdentityGuard.Manifest;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.DataProtection;

namespace IdentityGuard.Background;

/// <summary>
/// Pre-approved consent for background agents. While signed in, a user grants this workload a
/// <see cref="StandingPermission"/>: one user-federation provider, some of its declared scopes, an expiry. A scheduled
/// job later gets a workload access token for her with <see cref="IssueForBackgroundJobAsync"/> (there is no other way
/// to get one without an inbound user token), and that token works only with that provider and those scopes, checked
/// against the store on every use, so revoking the permission or its expiry stops the job's next call. Every grant,
/// use, revocation and refusal is audited.
/// </summary>
public sealed class StandingPermissions
{
    /// <summary>The longest a standing permission may be granted for (90 days); the user grants again after that.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(90);

    /// <summary>How long a background job's workload access token lives when the job does not say (15 minutes).</summary>
    public static readonly TimeSpan DefaultJobTokenLifetime = TimeSpan.FromMinutes(15);

    private const string Purpose = "IdentityGuard.StandingPermission.v1";

    private readonly WorkloadIdentity _identity;
    private readonly IStandingPermissionStore? _store;
    private readonly IDataProtectionProvider _dataProtection;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly CredentialManifest? _manifest;

    /// <summary>Creates the service; normally registered by <c>AddVault</c> on the <c>IdentityGuardBuilder</c>.</summary>
    /// <param name="identity">Validates signed-in users' tokens and issues background tokens.</param>
    /// <param name="store">
    /// Where permissions are kept: the grant store, when it implements <see cref="IStandingPermissionStore"/> (both
    /// built-in stores do). <see langword="null"/> refuses every background request.
    /// </param>
    /// <param name="dataProtection">Encrypts permissions; every instance sharing the store must share its keys.</param>
    /// <param name="audit">Receives grants, uses, revocations and refusals.</param>
    /// <param name="time">The clock.</param>
    /// <param name="manifest">When given, a permission may name only a declared user-federation provider and its declared scopes.</param>
    public StandingPermissions(WorkloadIdentity identity, IStandingPermissionStore? store, IDataProtectionProvider dataProtection, AuditLog audit, TimeProvider time, CredentialManifest? manifest = null)
    {
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _store = store;
        _dataProtection = dataProtection ?? throw new ArgumentNullException(nameof(dataProtection));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? TimeProvider.System;
        _manifest = manifest;
    }

    private string Workload => _identity.WorkloadName;

    /// <summary>
    /// Records that the signed-in user allows background jobs of this workload to use <paramref name="provider"/> with
    /// <paramref name="scopes"/> for <paramref name="validFor"/>. Replaces an earlier permission of hers for that provider.
    /// </summary>
    /// <param name="signedInUser">The user's workload access token from an interactive request (a verified inbound token); a background token cannot grant.</param>
    /// <param name="provider">A user-federation provider of the manifest.</param>
    /// <param name="scopes">Declared scope values of that provider; at least one.</param>
    /// <param name="validFor">How long the permission lasts; at most <see cref="MaxLifetime"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="StandingPermissionException">The token is not a signed-in user's, or the provider or scopes are not declared.</exception>
    public async Task<StandingPermission> GrantAsync(WorkloadAccessToken signedInUser, string provider, IReadOnlyCollection<string> scopes, TimeSpan validFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signedInUser);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentNullException.ThrowIfNull(scopes);
        if (validFor <= TimeSpan.Zero || validFor > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(validFor), validFor, $"A standing permission lasts more than zero and at most {MaxLifetime}.");
        }

        var principal = _identity.Validate(signedInUser);
        if (principal.Issuer is null || principal.StandingPermissionProvider is not null)
        {
            // Only a user proven by her identity provider, present now, can pre-approve anything.
            throw Deny(principal.UserKey, provider, scopes, "grant_requires_signed_in_user", "only a user signed in with a verified token can grant a standing permission.");
        }

        if (scopes.Count == 0 || scopes.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("Name at least one scope, and no empty ones.", nameof(scopes));
        }

        CheckDeclared(principal.UserKey, provider, scopes);
        var store = RequireStore(principal.UserKey, provider, scopes);
        var now = _time.GetUtcNow();
        var permission = new StandingPermission(principal.UserKey, provider, scopes.Distinct(StringComparer.Ordinal).ToArray(), now, now + validFor);
        var key = new GrantKey(Workload, principal.UserKey, provider);
        await store.SavePermissionAsync(key, Protector(key).Protect(Serialize(permission, principal.Issuer)), permission.ExpiresAt, cancellationToken).ConfigureAwait(false);
        _audit.Record(AuditEventKind.StandingPermissionGranted, Workload, principal.UserKey, provider, permission.Scopes, "until " + permission.ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return permission;
    }

    /// <summary>The user's current permission for <paramref name="provider"/>, or <see langword="null"/> when none is in force.</summary>
    /// <param name="userKey">The user key.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<StandingPermission?> FindAsync(string userKey, string provider, CancellationToken cancellationToken = default) =>
        (await ReadAsync(userKey, provider, cancellationToken).ConfigureAwait(false))?.Permission;

    /// <summary>Revokes the user's permission for <paramref name="provider"/>; a job's next call under it is refused.</summary>
    /// <param name="userKey">The user key.</param>
    /// <param name="provider">The provider.</param>
    /// <param name="cancellationToken">Cancels the delete.</param>
    /// <returns>Whether there was a permission to revoke.</returns>
    public async Task<bool> RevokeAsync(string userKey, string provider, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userKey);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        if (_store is null)
        {
            return false;
        }

        var removed = await _store.DeletePermissionAsync(new GrantKey(Workload, userKey, provider), cancellationToken).ConfigureAwait(false);
        if (removed)
        {
            _audit.Record(AuditEventKind.StandingPermissionRevoked, Workload, userKey, provider);
        }

        return removed;
    }

    /// <summary>
    /// Issues a workload access token for a background job acting for <paramref name="userKey"/> with
    /// <paramref name="provider"/>. It exists only while her standing permission does: it expires with it at the
    /// latest, works with no other provider, and every use re-checks the permission and its scopes.
    /// </summary>
    /// <param name="userKey">The user key, as saved from her interactive session (<see cref="WorkloadPrincipal.UserKey"/>).</param>
    /// <param name="provider">The provider the job needs.</param>
    /// <param name="lifetime">How long the job's token lives; <see cref="DefaultJobTokenLifetime"/> when omitted, and never past the permission.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="StandingPermissionException">No permission is in force (never granted, revoked or expired).</exception>
    public async Task<WorkloadAccessToken> IssueForBackgroundJobAsync(string userKey, string provider, TimeSpan? lifetime = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userKey);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        var found = await ReadAsync(userKey, provider, cancellationToken).ConfigureAwait(false)
            ?? throw Deny(userKey, provider, null, "no_standing_permission", "no standing permission is in force for this user and provider (never granted, revoked or expired).");

        var remaining = found.Permission.ExpiresAt - _time.GetUtcNow();
        var validFor = lifetime ?? DefaultJobTokenLifetime;
        if (validFor > remaining)
        {
            validFor = remaining;
        }

        return _identity.IssueForStandingPermission(userKey, found.Issuer, provider, validFor);
    }

    /// <summary>
    /// The per-use check of a background token: the provider is the one it was issued for, the permission is still in
    /// force, and the scopes are within it. Audits the use, or the refusal.
    /// </summary>
    internal async Task EnsureAllowsAsync(WorkloadPrincipal principal, string provider, IReadOnlyCollection<string> scopes, CancellationToken cancellationToken)
    {
        if (principal.StandingPermissionProvider is not { } permittedProvider)
        {
            return;
        }

        if (!string.Equals(permittedProvider, provider, StringComparison.Ordinal))
        {
            throw Deny(principal.UserKey, provider, scopes, "provider_outside_standing_permission", "this background token was issued for another provider.");
        }

        var found = await ReadAsync(principal.UserKey, provider, cancellationToken).ConfigureAwait(false)
            ?? throw Deny(principal.UserKey, provider, scopes, "no_standing_permission", "the user's standing permission is no longer in force (revoked or expired).");
        if (scopes.Any(scope => !found.Permission.Scopes.Contains(scope, StringComparer.Ordinal)))
        {
            throw Deny(principal.UserKey, provider, scopes, "scope_outside_standing_permission", $"the standing permission covers only [{string.Join(' ', found.Permission.Scopes)}].");
        }

        _audit.Record(AuditEventKind.StandingPermissionUsed, Workload, principal.UserKey, provider, scopes.ToArray());
    }

    private async Task<(StandingPermission Permission, string? Issuer)?> ReadAsync(string userKey, string provider, CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            return null;
        }

        var key = new GrantKey(Workload, userKey, provider);
        var data = await _store.GetPermissionAsync(key, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (data is null)
        {
            return null;
        }

        try
        {
            // The purpose names workload, user and provider: a row copied under another key does not decrypt.
            var (permission, issuer) = Deserialize(Protector(key).Unprotect(data), userKey, provider);
            return _time.GetUtcNow() < permission.ExpiresAt ? (permission, issuer) : null;
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            _audit.Record(AuditEventKind.Denied, Workload, userKey, provider, null, "standing_permission_unreadable");
            return null;
        }
    }

    private void CheckDeclared(string userKey, string provider, IReadOnlyCollection<string> scopes)
    {
        if (_manifest is null)
        {
            return;
        }

        var descriptor = _manifest.Providers.FirstOrDefault(p => string.Equals(p.Name, provider, StringComparison.Ordinal));
        if (descriptor is null || descriptor.Kind != CredentialKind.OAuth2 || descriptor.Flow != OAuthFlow.UserFederation)
        {
            throw Deny(userKey, provider, scopes, "not_a_user_federation_provider", "a standing permission covers only a declared user-federation provider.");
        }

        var undeclared = scopes.Where(scope => !descriptor.Scopes.Any(declared => string.Equals(declared.Value, scope, StringComparison.Ordinal))).ToArray();
        if (undeclared.Length > 0)
        {
            throw Deny(userKey, provider, scopes, "undeclared_scope", $"the scopes [{string.Join(' ', undeclared)}] are not declared for this provider.");
        }
    }

    private IStandingPermissionStore RequireStore(string userKey, string provider, IReadOnlyCollection<string> scopes) =>
        _store ?? throw Deny(userKey, provider, scopes, "no_standing_permission_store", "the grant store does not keep standing permissions (it does not implement IStandingPermissionStore).");

    private StandingPermissionException Deny(string userKey, string provider, IReadOnlyCollection<string>? scopes, string reason, string message)
    {
        _audit.Record(AuditEventKind.Denied, Workload, userKey, provider, scopes?.ToArray(), reason);
        return new StandingPermissionException(reason, $"IdentityGuard provider '{provider}': {message}");
    }

    private IDataProtector Protector(GrantKey key) => _dataProtection.CreateProtector(Purpose, key.Workload, key.UserKey, key.Provider);

    private static byte[] Serialize(StandingPermission permission, string? issuer) => JsonSerializer.SerializeToUtf8Bytes(new StoredPermission(
        [.. permission.Scopes], permission.GrantedAt.ToUnixTimeMilliseconds(), permission.ExpiresAt.ToUnixTimeMilliseconds(), issuer));

    private static (StandingPermission Permission, string? Issuer) Deserialize(byte[] payload, string userKey, string provider)
    {
        var stored = JsonSerializer.Deserialize<StoredPermission>(payload) ?? throw new JsonException("Empty standing permission.");
        var permission = new StandingPermission(
            userKey,
            provider,
            stored.Scopes ?? throw new JsonException("No scopes."),
            DateTimeOffset.FromUnixTimeMilliseconds(stored.GrantedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(stored.ExpiresAt));
        return (permission, stored.Issuer);
    }

    private sealed record StoredPermission(string[]? Scopes, long GrantedAt, long ExpiresAt, string? Issuer);
}
