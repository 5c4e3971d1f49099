using System;

namespace IdentityGuard.Providers;

/// <summary>
/// No credential could be obtained for a provider, so the operation that needed it did not happen (IdentityGuard
/// fails closed: without a credential, no request is sent). The message names the provider and the reason,
/// never a secret. Every IdentityGuard failure to produce a credential derives from it (consent required or denied,
/// token request errors, an unusable grant, an unavailable grant store, a refused workload access token, a refused
/// destination), so one <c>catch</c> handles them all.
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

    /// <summary>The provider name; empty when the failure is not about one provider (e.g. a refused workload access token).</summary>
    public string Provider { get; protected init; }
}
