using System;
using IdentityGuard.Providers;

namespace IdentityGuard.Vault;

/// <summary>
/// The grant store could not be read or written (a database that is down or restarting, a missing or unwritable file).
/// Nothing was sent with a credential and no grant was changed; the operation can be retried once the store is back.
/// The store's own exception is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class GrantStoreUnavailableException : CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public GrantStoreUnavailableException()
        : base("The IdentityGuard grant store is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public GrantStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the store's exception.</summary>
    public GrantStoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for <paramref name="provider"/>.</summary>
    /// <param name="provider">The credential provider whose grant was being read or written.</param>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The store's exception.</param>
    public GrantStoreUnavailableException(string provider, string message, Exception? innerException)
        : base(provider, message, innerException)
    {
    }

    /// <summary>
    /// Whether <paramref name="exception"/> is a store fault (database down or restarting, file missing or unwritable)
    /// rather than a bug: the faults every store operation turns into this exception.
    /// </summary>
    internal static bool IsStoreFault(Exception exception) =>
        exception is System.Data.Common.DbException or System.IO.IOException or UnauthorizedAccessException or TimeoutException or System.Net.Sockets.SocketException;
}
