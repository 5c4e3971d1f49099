using System;
using IdentityGuard.Providers;

namespace IdentityGuard.Background;

/// <summary>
/// A background job asked for something its user's standing permission does not cover (none granted, revoked,
/// expired, another provider or a scope outside it), or a standing permission could not be granted. Nothing was
/// served. The message and <see cref="Reason"/> never contain a credential.
/// </summary>
public sealed class StandingPermissionException : CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public StandingPermissionException()
        : this("no_standing_permission", "No standing permission covers this request.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public StandingPermissionException(string message)
        : this("no_standing_permission", message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public StandingPermissionException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Reason = "no_standing_permission";
    }

    /// <summary>Creates the exception with a reason code.</summary>
    /// <param name="reason">A short code such as <c>no_standing_permission</c> or <c>scope_outside_standing_permission</c>.</param>
    /// <param name="message">What happened.</param>
    public StandingPermissionException(string reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Why the request was refused, as recorded in the audit trail.</summary>
    public string Reason { get; }
}
