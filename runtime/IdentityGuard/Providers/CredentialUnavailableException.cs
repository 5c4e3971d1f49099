using System;

namespace IdentityGuard.Providers;

/// <summary>
/// No credential could be obtained for a provider, so the operation that needed it did not happen (IdentityGuard
/// fails closed: without a credential, no request is sent). The message names the provider and the reason,
/// never a secret.
/// </summary>
public class CredentialUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CredentialUnavailableException()
    {
        Provider = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public CredentialUnavailableException(string message)
        : base(message)
    {
        Provider = string.Empty;
    }

    /// <summary>Creates the exception.</summary>
    public CredentialUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Provider = string.Empty;
    }

    /// <summary>Creates the exception for a named provider.</summary>
    public CredentialUnavailableException(string provider, string message, Exception? innerException = null)
        : base($"IdentityGuard provider '{provider}': {message}", innerException)
    {
        Provider = provider;
    }

    /// <summary>The provider name.</summary>
    public string Provider { get; }
}
