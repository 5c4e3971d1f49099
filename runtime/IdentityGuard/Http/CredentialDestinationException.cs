using System;
using IdentityGuard.Providers;

namespace IdentityGuard.Http;

/// <summary>
/// A request was not sent because its destination may not receive the provider's credential: it is plain http
/// off loopback, not an absolute http(s) URL, or an origin outside the provider's <c>AllowedOrigins</c>. The
/// message names the provider and the destination's origin, never the credential or the request's path and query.
/// </summary>
public sealed class CredentialDestinationException : CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public CredentialDestinationException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public CredentialDestinationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CredentialDestinationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a named provider and the refused origin.</summary>
    public CredentialDestinationException(string provider, string? destination, string message)
        : base(provider, message)
    {
        Destination = destination;
    }

    /// <summary>The refused origin (scheme, host and port), when the request had an absolute URL.</summary>
    public string? Destination { get; }
}
