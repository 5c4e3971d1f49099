using System.Collections.Generic;
using IdentityGuard.Tokens;

namespace IdentityGuard.Vault;

/// <summary>
/// What the vault found for one token request: a token to use, or why there is none together with the grant as read
/// (so a consent that follows asks only for the missing scopes without reading the store again). Having no grant yet
/// is an ordinary answer here, not an exception; <see cref="ToException"/> makes one for callers that throw.
/// </summary>
internal sealed class GrantLookup
{
    private readonly GrantUnavailableException? _failure;
    private readonly string? _provider;

    private GrantLookup(AccessToken? token, Grant? grant, GrantUnavailableReason? reason, IReadOnlyList<string> missingScopes, string? provider, GrantUnavailableException? failure)
    {
        Token = token;
        Grant = grant;
        Reason = reason;
        MissingScopes = missingScopes;
        _provider = provider;
        _failure = failure;
    }

    /// <summary>The access token to use; null when there is none (see <see cref="Reason"/>).</summary>
    public AccessToken? Token { get; }

    /// <summary>The user's readable grant, whether or not it could serve the request; null when there is none or it is unreadable.</summary>
    public Grant? Grant { get; }

    /// <summary>Why no token was served; null when one was.</summary>
    public GrantUnavailableReason? Reason { get; }

    /// <summary>For <see cref="GrantUnavailableReason.MissingScopes"/>: the scopes the grant lacks.</summary>
    public IReadOnlyList<string> MissingScopes { get; }

    /// <summary>Whether only the user's (new or incremental) consent can produce a token.</summary>
    public bool ConsentRequired => Reason is { } reason && reason != GrantUnavailableReason.RefreshFailed;

    public static GrantLookup Served(Grant grant) => new(grant.AccessToken, grant, null, [], null, null);

    public static GrantLookup NoGrant(string provider) => new(null, null, GrantUnavailableReason.NoGrant, [], provider, null);

    public static GrantLookup Lacking(Grant grant, IReadOnlyList<string> missingScopes) =>
        new(null, grant, GrantUnavailableReason.MissingScopes, missingScopes, grant.Provider, null);

    /// <summary>A failure the vault already described (unreadable row, refresh that could not renew an expired token).</summary>
    public static GrantLookup Failed(GrantUnavailableException failure) =>
        new(null, null, failure.Reason, failure.MissingScopes, failure.Provider, failure);

    /// <summary>The exception that describes this lookup's failure, for callers that throw.</summary>
    public GrantUnavailableException ToException() => _failure ?? Reason switch
    {
        GrantUnavailableReason.MissingScopes => GrantUnavailableException.ForVault(
            GrantUnavailableReason.MissingScopes, _provider!, MissingScopes, $"the grant lacks scopes [{string.Join(' ', MissingScopes)}]; consent for them is required"),
        _ => GrantUnavailableException.ForVault(GrantUnavailableReason.NoGrant, _provider!, [], "the user has not granted access; consent is required"),
    };
}
