using System;
using System.Diagnostics.CodeAnalysis;

namespace IdentityGuard.Authorization;

/// <summary>Why a caller was refused. Safe to log and to show the caller: it never contains the token.</summary>
/// <param name="Error">The machine-readable error, one of <see cref="AuthorizationErrors"/>.</param>
/// <param name="Reason">Which check failed, one of <see cref="AuthorizationFailureReasons"/> (or the error itself).</param>
/// <param name="Message">A human-readable explanation made only of fixed text and configured values.</param>
/// <param name="Subject">The verified subject, when the token was authentic but not authorized; otherwise <see langword="null"/>.</param>
public sealed record AuthorizationFailure(string Error, string Reason, string Message, string? Subject = null)
{
    /// <summary>Whether the token itself was refused (HTTP 401) rather than the authentic caller lacking a permission (HTTP 403).</summary>
    public bool IsAuthenticationFailure => Error is AuthorizationErrors.InvalidToken;

    /// <summary>
    /// The verified chain of agents acting for <see cref="Subject"/> (see <see cref="VerifiedCaller.Actors"/>), when the
    /// token was authentic; otherwise empty.
    /// </summary>
    public ActorChain Actors { get; init; } = ActorChain.Empty;
}

/// <summary>The outcome of <see cref="JwtAuthorizer.ValidateAsync"/>: a <see cref="VerifiedCaller"/> or an <see cref="AuthorizationFailure"/>.</summary>
public sealed class AuthorizationResult
{
    private AuthorizationResult(VerifiedCaller? caller, AuthorizationFailure? failure)
    {
        Caller = caller;
        Failure = failure;
    }

    /// <summary>Whether the caller was accepted.</summary>
    [MemberNotNullWhen(true, nameof(Caller))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Caller is not null;

    /// <summary>The verified caller, on success.</summary>
    public VerifiedCaller? Caller { get; }

    /// <summary>Why the caller was refused, on failure.</summary>
    public AuthorizationFailure? Failure { get; }

    /// <summary>Creates a success.</summary>
    public static AuthorizationResult Success(VerifiedCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new AuthorizationResult(caller, null);
    }

    /// <summary>Creates a failure.</summary>
    public static AuthorizationResult Fail(AuthorizationFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new AuthorizationResult(null, failure);
    }

    /// <inheritdoc />
    public override string ToString() => Succeeded ? $"accepted {Caller}" : $"refused {Failure!.Error} ({Failure.Reason})";
}
