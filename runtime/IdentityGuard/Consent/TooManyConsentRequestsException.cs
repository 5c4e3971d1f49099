using System;
using IdentityGuard.Providers;

namespace IdentityGuard.Consent;

/// <summary>
/// The agent already has <see cref="ConsentOptions.MaxPendingPerWorkload"/> consent requests waiting for an answer,
/// so no new one was started. Requests end when their callback arrives or their <c>state</c> expires.
/// </summary>
public sealed class TooManyConsentRequestsException : CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public TooManyConsentRequestsException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public TooManyConsentRequestsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public TooManyConsentRequestsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="provider"/>.</summary>
    public TooManyConsentRequestsException(string provider, string message)
        : base(provider, message)
    {
    }
}
