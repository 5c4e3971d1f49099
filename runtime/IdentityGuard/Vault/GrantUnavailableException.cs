using System;
using System.Collections.Generic;
using IdentityGuard.Providers;

namespace IdentityGuard.Vault;

/// <summary>Why the token vault could not hand out an access token.</summary>
public enum GrantUnavailableReason
{
    /// <summary>The user has not granted this workload anything at this provider (or revoked it).</summary>
    NoGrant,

    /// <summary>A grant exists but lacks some required scopes; see <see cref="GrantUnavailableException.MissingScopes"/>.</summary>
    MissingScopes,

    /// <summary>The access token expired and there is no usable refresh token (none issued, or <c>invalid_grant</c>).</summary>
    ConsentExpired,

    /// <summary>The access token expired and refreshing it failed for a reason that may pass; retry later.</summary>
    RefreshFailed,

    /// <summary>
    /// The stored grant could not be decrypted (altered, copied from another key, or its protection key was lost),
    /// or it is older than the vault knows it to be: a rolled-back or re-inserted row.
    /// </summary>
    Unreadable,
}

/// <summary>
/// The token vault has no usable access token for the request, so nothing was sent. When
/// <see cref="ConsentRequired"/> is true, only the user's (new or incremental) consent can fix it.
/// The message names provider and scopes, never a token.
/// </summary>
public sealed class GrantUnavailableException : CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public GrantUnavailableException()
        : this(GrantUnavailableReason.NoGrant, string.Empty, [], "No grant is available.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public GrantUnavailableException(string message)
        : this(GrantUnavailableReason.NoGrant, string.Empty, [], message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public GrantUnavailableException(string message, Exception? innerException)
        : this(GrantUnavailableReason.NoGrant, string.Empty, [], message, innerException)
    {
    }

    /// <summary>Creates the exception with a reason.</summary>
    public GrantUnavailableException(GrantUnavailableReason reason, string provider, IReadOnlyList<string> missingScopes, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        Provider = provider ?? string.Empty;
        MissingScopes = missingScopes ?? [];
    }

    /// <summary>Why no token is available.</summary>
    public GrantUnavailableReason Reason { get; }

    /// <summary>For <see cref="GrantUnavailableReason.MissingScopes"/>: the scopes to ask the user for.</summary>
    public IReadOnlyList<string> MissingScopes { get; }

    /// <summary>Whether the user must consent (again) before a token can be had; false means a retry may succeed.</summary>
    public bool ConsentRequired => Reason != GrantUnavailableReason.RefreshFailed;

    /// <summary>The audit reason code when it is finer than <see cref="Reason"/> (a rolled-back row is unreadable too).</summary>
    internal string? AuditReason { get; init; }

    /// <summary>The vault's wording: which provider, then what is wrong; never a token.</summary>
    internal static GrantUnavailableException ForVault(GrantUnavailableReason reason, string provider, IReadOnlyList<string> missingScopes, string message, Exception? innerException = null) =>
        new(reason, provider, missingScopes, $"IdentityGuard vault, provider '{provider}': {message}.", innerException);
}
