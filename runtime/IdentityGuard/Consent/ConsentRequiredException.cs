using System;
using IdentityGuard.Providers;

namespace IdentityGuard.Consent;

/// <summary>
/// The user has not (yet) approved the scopes the agent needs. Carries the <see cref="ConsentRequest"/> so a UI
/// can show the authorization URL; once the user approves, the same call succeeds without asking again.
/// </summary>
public sealed class ConsentRequiredException : CredentialUnavailableException
{
    /// <summary>Creates the exception.</summary>
    public ConsentRequiredException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConsentRequiredException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ConsentRequiredException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a consent request.</summary>
    public ConsentRequiredException(ConsentRequest request)
        : base(Require(request).Provider, $"the user must approve scopes [{string.Join(' ', request.Scopes)}] before the agent can act for them.")
    {
        Request = request;
    }

    /// <summary>What the user must approve, with the authorization URL.</summary>
    public ConsentRequest? Request { get; }

    private static ConsentRequest Require(ConsentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request;
    }
}
