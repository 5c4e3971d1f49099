using System;
using IdentityGuard.AspNetCore;
using IdentityGuard.Consent;
using Microsoft.AspNetCore.Diagnostics;

#pragma warning disable IDE0130 // Next to IdentityGuardBuilder, so the method shows up where the runtime is composed.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>The ASP.NET Core parts added on the <see cref="IdentityGuardBuilder"/>.</summary>
public static class IdentityGuardBuilderAspNetCoreExtensions
{
    /// <summary>
    /// Registers an <see cref="IExceptionHandler"/> that answers <see cref="ConsentRequiredResponse"/>
    /// (<c>403 {"error":"consent_required","consentUrl":…}</c>) for a consent requirement escaping any endpoint, MVC
    /// controllers included (also inside Refit's <c>ApiRequestException</c>). Use it with <c>app.UseExceptionHandler()</c>.
    /// The consent link goes only to the user it was made for; see <see cref="ConsentRequiredException"/>.
    /// </summary>
    /// <param name="builder">The IdentityGuard builder.</param>
    /// <returns><paramref name="builder"/>.</returns>
    public static IdentityGuardBuilder AddConsentExceptionHandler(this IdentityGuardBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ConsentRequiredResponseExtensions.AddExceptionHandler(builder.Services);
        return builder;
    }
}
