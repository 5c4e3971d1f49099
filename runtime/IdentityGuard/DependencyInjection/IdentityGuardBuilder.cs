using System;
using IdentityGuard;
using IdentityGuard.Authorization;
using IdentityGuard.Consent;
using IdentityGuard.DependencyInjection;
using IdentityGuard.Vault;
using Microsoft.Extensions.Configuration;

#pragma warning disable IDE0130 // Next to IServiceCollection, where the generated AddIdentityGuard returns it.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>
/// Composes the IdentityGuard runtime. The generated <c>AddIdentityGuard(configuration)</c> returns one; the parts an
/// agent needs are added on it (<see cref="AddVault"/>, <see cref="AddUserFederation"/>, <see cref="AddAuthorizer"/>,
/// and the satellites' <c>AddPostgreSqlStore</c>, <c>AddConsentExceptionHandler</c>, <c>AddMcp</c>). Every part reads
/// its settings from its own section of <see cref="Configuration"/> (<c>IdentityGuard:Vault</c>,
/// <c>IdentityGuard:Consent</c>, <c>IdentityGuard:Authorizer</c>, …), then from the callback passed to it, and every
/// part's settings are validated when the host starts, with errors that name the configuration key.
/// </summary>
public sealed class IdentityGuardBuilder
{
    /// <summary>
    /// Creates a builder over <paramref name="services"/> and registers what every part shares: the root options
    /// (<see cref="IdentityGuardOptions"/>, bound from <c>IdentityGuard</c>), logging, the clock and the audit log.
    /// Normally created by <c>AddIdentityGuard</c> (generated) or <c>AddIdentityGuardRuntime</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration every part binds its section from.</param>
    public IdentityGuardBuilder(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        Services = services;
        Configuration = configuration;
        RuntimeRegistration.AddShared(services, configuration);
    }

    /// <summary>The service collection the parts are registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The configuration the parts bind their sections from.</summary>
    public IConfiguration Configuration { get; }

    /// <summary>
    /// Adds the workload identity and the token vault: users' grants encrypted in the embedded SQLite store (by
    /// default in a folder named for the workload, see <see cref="IdentityGuardVaultOptions.DatabasePath"/>) with a
    /// private Data Protection key ring next to it. Settings: <c>IdentityGuard:Vault</c>, then
    /// <paramref name="configure"/>. A store added by a satellite (for example <c>AddPostgreSqlStore</c>) replaces the
    /// SQLite one, before or after this call.
    /// </summary>
    /// <param name="configure">Adjusts the settings after binding.</param>
    /// <returns>This builder.</returns>
    public IdentityGuardBuilder AddVault(Action<IdentityGuardVaultOptions>? configure = null)
    {
        VaultRegistration.Add(Services, Configuration, configure);
        return this;
    }

    /// <summary>
    /// Adds user federation: authorization code + PKCE with consent, its grants kept in the vault (added here too if
    /// it is not yet). Settings: <c>IdentityGuard:Consent</c> (<c>RedirectUri</c>, <c>AllowedReturnUrls</c>,
    /// <c>PendingLifetime</c>, <c>Timeout</c>, <c>RequestOfflineAccess</c>, <c>RequireSessionBinding</c>,
    /// <c>SignInScheme</c>, <c>ResponseMode</c>, …), then <paramref name="configure"/>. Register an
    /// <see cref="IConsentHandler"/> to wait for consent in-line; without one, <see cref="ConsentRequiredException"/>
    /// is thrown.
    /// </summary>
    /// <param name="configure">Adjusts the settings after binding.</param>
    /// <returns>This builder.</returns>
    public IdentityGuardBuilder AddUserFederation(Action<ConsentOptions>? configure = null)
    {
        VaultRegistration.Add(Services, Configuration, configure: null);
        UserFederationRegistration.Add(Services, Configuration, configure);
        return this;
    }

    /// <summary>
    /// Adds the inbound <see cref="JwtAuthorizer"/>. Settings: <c>IdentityGuard:Authorizer</c>, then
    /// <paramref name="configure"/>; it audits under the runtime's workload name unless
    /// <see cref="JwtAuthorizerOptions.Workload"/> is set. ASP.NET Core's <c>AddIdentityGuardJwt</c> scheme uses it.
    /// </summary>
    /// <param name="configure">Adjusts the settings after binding.</param>
    /// <returns>This builder.</returns>
    public IdentityGuardBuilder AddAuthorizer(Action<JwtAuthorizerOptions>? configure = null)
    {
        AuthorizerRegistration.Add(Services, Configuration.GetSection(JwtAuthorizerOptions.SectionName), configure);
        return this;
    }
}
