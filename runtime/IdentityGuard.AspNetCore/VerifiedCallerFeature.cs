using System;
using IdentityGuard.Authorization;
using Microsoft.AspNetCore.Http;

namespace IdentityGuard.AspNetCore;

/// <summary>The request feature that carries the caller verified by the IdentityGuard scheme.</summary>
public interface IVerifiedCallerFeature
{
    /// <summary>The verified caller, including its (redacted) inbound token for on-behalf-of exchange.</summary>
    VerifiedCaller Caller { get; }
}

/// <summary>The default <see cref="IVerifiedCallerFeature"/>.</summary>
/// <param name="caller">The verified caller.</param>
public sealed class VerifiedCallerFeature(VerifiedCaller caller) : IVerifiedCallerFeature
{
    /// <inheritdoc />
    public VerifiedCaller Caller { get; } = caller ?? throw new ArgumentNullException(nameof(caller));
}

/// <summary>Reads the verified caller from a request.</summary>
public static class VerifiedCallerHttpContextExtensions
{
    /// <summary>
    /// The caller verified by the IdentityGuard scheme for this request, or <see langword="null"/> when the request
    /// was not (or not successfully) authenticated with it.
    /// </summary>
    public static VerifiedCaller? GetVerifiedCaller(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<IVerifiedCallerFeature>()?.Caller;
    }
}
