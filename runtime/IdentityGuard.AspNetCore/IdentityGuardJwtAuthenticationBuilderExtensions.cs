using System;
using IdentityGuard.AspNetCore;
using IdentityGuard.Authorization;
using IdentityGuard.DependencyInjection;
using Microsoft.Extensions.Configuration;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so they show up where services are registered.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Adds the IdentityGuard JWT authentication scheme.</summary>
public static class IdentityGuardJwtAuthenticationBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="IdentityGuardJwtDefaults.AuthenticationScheme"/> scheme, validating bearer tokens with the
    /// <see cref="JwtAuthorizer"/> added by <see cref="IdentityGuardBuilder.AddAuthorizer"/> (settings from
    /// <c>IdentityGuard:Authorizer</c>).
    /// </summary>
    public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddIdentityGuardJwt(this Microsoft.AspNetCore.Authentication.AuthenticationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AuthorizerRegistration.Add(builder.Services, section: null, configure: null);
        return builder.AddScheme<IdentityGuardJwtOptions, IdentityGuardJwtHandler>(IdentityGuardJwtDefaults.AuthenticationScheme, displayName: null, configureOptions: null);
    }

    /// <summary>
    /// Adds the <see cref="IdentityGuardJwtDefaults.AuthenticationScheme"/> scheme, validating bearer tokens with a
    /// <see cref="JwtAuthorizer"/> configured by <paramref name="configure"/>.
    /// </summary>
    public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddIdentityGuardJwt(
        this Microsoft.AspNetCore.Authentication.AuthenticationBuilder builder,
        Action<JwtAuthorizerOptions> configure) =>
        builder.AddIdentityGuardJwt(IdentityGuardJwtDefaults.AuthenticationScheme, configure, configureScheme: null);

    /// <summary>
    /// Adds the <see cref="IdentityGuardJwtDefaults.AuthenticationScheme"/> scheme, validating bearer tokens with a
    /// <see cref="JwtAuthorizer"/> bound from <paramref name="section"/> (normally <c>IdentityGuard:Authorizer</c>).
    /// </summary>
    public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddIdentityGuardJwt(
        this Microsoft.AspNetCore.Authentication.AuthenticationBuilder builder,
        IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(section);
        AuthorizerRegistration.Add(builder.Services, section, configure: null);
        return builder.AddScheme<IdentityGuardJwtOptions, IdentityGuardJwtHandler>(IdentityGuardJwtDefaults.AuthenticationScheme, displayName: null, configureOptions: null);
    }

    /// <summary>Adds the scheme under <paramref name="authenticationScheme"/>, with scheme options such as the challenge realm.</summary>
    /// <remarks>One <see cref="JwtAuthorizer"/> is registered per service provider; every IdentityGuard scheme shares it.</remarks>
    public static Microsoft.AspNetCore.Authentication.AuthenticationBuilder AddIdentityGuardJwt(
        this Microsoft.AspNetCore.Authentication.AuthenticationBuilder builder,
        string authenticationScheme,
        Action<JwtAuthorizerOptions> configure,
        Action<IdentityGuardJwtOptions>? configureScheme)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(authenticationScheme);
        ArgumentNullException.ThrowIfNull(configure);
        AuthorizerRegistration.Add(builder.Services, section: null, configure);
        return builder.AddScheme<IdentityGuardJwtOptions, IdentityGuardJwtHandler>(authenticationScheme, displayName: null, configureScheme);
    }
}
