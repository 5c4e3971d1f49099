using System;
using IdentityGuard.Providers;

namespace IdentityGuard.Consent;

/// <summary>The user (or the authorization server) refused the authorization request; nothing was stored.</summary>
public sealed class ConsentDeniedException : CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public ConsentDeniedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConsentDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConsentDeniedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from the authorization response's error.</summary>
    public ConsentDeniedException(string provider, string error, string? description)
        : base(provider, $"the authorization request was refused with '{error}'{(string.IsNullOrEmpty(description) ? "." : ": " + description)}")
    {
        Error = error;
    }

    /// <summary>The OAuth error code, e.g. <c>access_denied</c>.</summary>
    public string? Error { get; }
}
