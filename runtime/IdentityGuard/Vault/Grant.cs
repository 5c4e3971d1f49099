using System;
using System.Collections.Generic;
using System.Linq;
using IdentityGuard.Tokens;

namespace IdentityGuard.Vault;

/// <summary>
/// What a user granted one workload at one provider: the scopes, the current access token and, when the server
/// issued one, the refresh token that renews it. Stored in the <see cref="TokenVault"/> per workload, user and
/// provider. Immutable; the vault returns a new instance after each change.
/// </summary>
public sealed class Grant
{
    private readonly string[] _scopes;
    private readonly HashSet<string> _scopeSet;

    /// <summary>Creates a grant (for example after the user consented and the authorization code was redeemed).</summary>
    /// <param name="provider">The credential provider name.</param>
    /// <param name="scopes">The scopes the user granted (as the server reported them).</param>
    /// <param name="accessToken">The current access token.</param>
    /// <param name="refreshToken">The refresh token, when the server issued one.</param>
    public Grant(string provider, IEnumerable<string> scopes, AccessToken accessToken, RefreshToken? refreshToken)
        : this(provider, scopes, accessToken, refreshToken, 0, null)
    {
    }

    private Grant(string provider, IEnumerable<string> scopes, AccessToken accessToken, RefreshToken? refreshToken, long version, DateTimeOffset? obtainedAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentNullException.ThrowIfNull(accessToken);
        Provider = provider;
        _scopes = scopes.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        _scopeSet = new HashSet<string>(_scopes, StringComparer.Ordinal);
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        Version = version;
        ObtainedAt = obtainedAt;
    }

    /// <summary>The credential provider name.</summary>
    public string Provider { get; }

    /// <summary>The granted scopes, sorted and without duplicates.</summary>
    public IReadOnlyList<string> Scopes => _scopes;

    /// <summary>The current access token.</summary>
    public AccessToken AccessToken { get; }

    /// <summary>
    /// The refresh token, or <see langword="null"/> when the server issued none or rejected it
    /// (<c>invalid_grant</c>); without it the grant ends when <see cref="AccessToken"/> expires.
    /// </summary>
    public RefreshToken? RefreshToken { get; }

    /// <summary>When the access token expires.</summary>
    public DateTimeOffset ExpiresAt => AccessToken.ExpiresAt;

    /// <summary>
    /// The stored version: 0 for a grant not yet stored, then increased by every write. The store uses it for
    /// optimistic concurrency.
    /// </summary>
    public long Version { get; }

    /// <summary>
    /// When the current access token was obtained, which with <see cref="ExpiresAt"/> gives its lifetime: the refresh
    /// margin is capped at a quarter of it, so short-lived tokens are not refreshed on every call. Unknown (null) for a
    /// grant not yet stored; the vault sets it when it stores or refreshes the grant.
    /// </summary>
    internal DateTimeOffset? ObtainedAt { get; }

    /// <summary>Whether every scope in <paramref name="requiredScopes"/> was granted.</summary>
    public bool Covers(IEnumerable<string> requiredScopes) => !MissingScopes(requiredScopes).Any();

    /// <summary>
    /// The scopes in <paramref name="requiredScopes"/> that were not granted: what an incremental consent request
    /// needs to ask for, and nothing more.
    /// </summary>
    public IReadOnlyList<string> MissingScopes(IEnumerable<string> requiredScopes)
    {
        ArgumentNullException.ThrowIfNull(requiredScopes);
        return requiredScopes.Where(s => !string.IsNullOrWhiteSpace(s) && !_scopeSet.Contains(s)).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Whether <paramref name="scope"/> was granted (a blank scope asks for nothing).</summary>
    internal bool Grants(string? scope) => string.IsNullOrWhiteSpace(scope) || _scopeSet.Contains(scope);

    /// <summary>A redacted description: provider, scopes, expiry, version; never a token.</summary>
    public override string ToString() =>
        $"grant for '{Provider}' scopes [{string.Join(' ', _scopes)}], access token expires {ExpiresAt:O}, refresh token {(RefreshToken is null ? "none" : "[redacted]")}, version {Version}";

    internal Grant WithVersion(long version) => new(Provider, _scopes, AccessToken, RefreshToken, version, ObtainedAt);

    internal Grant WithObtainedAt(DateTimeOffset obtainedAt) => new(Provider, _scopes, AccessToken, RefreshToken, Version, obtainedAt);

    internal Grant WithTokens(AccessToken accessToken, RefreshToken? refreshToken, IEnumerable<string>? scopes, DateTimeOffset obtainedAt) =>
        new(Provider, scopes ?? _scopes, accessToken, refreshToken, Version, obtainedAt);

    /// <summary>Keeps the tokens but drops the refresh token (the server rejected it).</summary>
    internal Grant WithoutRefreshToken() => new(Provider, _scopes, AccessToken, null, Version, ObtainedAt);
}
