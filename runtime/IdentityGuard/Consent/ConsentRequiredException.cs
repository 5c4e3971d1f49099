using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
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

    /// <summary>
    /// Finds a consent requirement anywhere in <paramref name="exception"/>'s chain. HTTP client libraries wrap what a
    /// message handler throws (Refit 16 in <c>ApiRequestException</c>, others in <see cref="System.Net.Http.HttpRequestException"/>
    /// or <see cref="AggregateException"/>), so a <c>catch (ConsentRequiredException)</c> around such a call never
    /// runs: catch the outer exception and look inside with this, or let the ASP.NET Core endpoint filter do it.
    /// </summary>
    /// <param name="exception">The exception caught.</param>
    /// <param name="consentRequired">The consent requirement found, with its request.</param>
    public static bool TryFind(Exception? exception, [NotNullWhen(true)] out ConsentRequiredException? consentRequired)
    {
        // Bounded: a cyclic or absurdly deep chain is not worth walking.
        var pending = new Stack<(Exception Exception, int Depth)>();
        if (exception is not null)
        {
            pending.Push((exception, 0));
        }

        while (pending.Count > 0)
        {
            var (current, depth) = pending.Pop();
            if (current is ConsentRequiredException { Request: not null } found)
            {
                consentRequired = found;
                return true;
            }

            if (depth >= 16)
            {
                continue;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push((inner, depth + 1));
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push((inner, depth + 1));
            }
        }

        consentRequired = null;
        return false;
    }

    private static ConsentRequest Require(ConsentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request;
    }
}
