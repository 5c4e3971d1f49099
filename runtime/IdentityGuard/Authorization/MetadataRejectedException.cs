using System;

namespace IdentityGuard.Authorization;

/// <summary>
/// The provider's metadata was fetched but is not to be trusted. <see cref="Reason"/> is one of
/// <see cref="AuthorizationFailureReasons"/>; the message names addresses from the metadata, never a token.
/// </summary>
internal sealed class MetadataRejectedException(string reason, string callerMessage, string message) : Exception(message)
{
    public string Reason { get; } = reason;

    /// <summary>Fixed text for the caller's failure; the exception message (with addresses) is for the log only.</summary>
    public string CallerMessage { get; } = callerMessage;

    /// <summary>The rejection behind <paramref name="exception"/>, which the configuration manager may have wrapped.</summary>
    public static MetadataRejectedException? Find(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is MetadataRejectedException rejected)
            {
                return rejected;
            }
        }

        return null;
    }
}
