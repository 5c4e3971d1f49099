using System;
using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;

namespace IdentityGuard.Demo.Api;

/// <summary>Authorization policies of the demo API: a valid token from the trusted issuer plus, per endpoint, a scope.</summary>
internal static class ScopePolicies
{
    public const string AnyValidToken = "any-valid-token";
    public const string SalesRead = DemoApi.SalesReadScope;
    public const string SalesWrite = DemoApi.SalesWriteScope;

    public static void AddScopePolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(AnyValidToken, policy => RequireValidToken(policy));
        options.AddPolicy(SalesRead, policy => RequireValidToken(policy).RequireAssertion(context => context.User.HasScope(SalesRead)));
        options.AddPolicy(SalesWrite, policy => RequireValidToken(policy).RequireAssertion(context => context.User.HasScope(SalesWrite)));
    }

    /// <summary>Adds a policy met by a valid token carrying at least one of <paramref name="scopes"/>.</summary>
    public static void AddAnyScopePolicy(this AuthorizationOptions options, string name, params string[] scopes) =>
        options.AddPolicy(name, policy => RequireValidToken(policy)
            .RequireAssertion(context => Array.Exists(scopes, scope => context.User.HasScope(scope))));

    private static AuthorizationPolicyBuilder RequireValidToken(AuthorizationPolicyBuilder policy) =>
        policy.AddAuthenticationSchemes(OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme)
              .RequireAuthenticatedUser();
}
