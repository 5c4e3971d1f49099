using System;
using System.Linq;
using IdentityGuard.Consent;
using IdentityGuard.DependencyInjection;
using IdentityGuard.Federation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so they show up where services are registered.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers user federation: authorization code + PKCE with consent, on top of the token vault.</summary>
public static class IdentityGuardUserFederationExtensions
{
    /// <summary>
    /// Registers <see cref="UserFederation"/> and binds <see cref="ConsentOptions"/> from <c>IdentityGuard:Consent</c>
    /// (<c>RedirectUri</c>, <c>AllowedReturnUrls</c>, <c>PendingLifetime</c>, <c>Timeout</c>, <c>RequestOfflineAccess</c>,
    /// <c>RequireSessionBinding</c>, <c>SignInScheme</c>, <c>ResponseMode</c>).
    /// Needs the runtime (<c>AddIdentityGuard</c>) and the vault (<c>AddIdentityGuardVault</c>). Register an
    /// <see cref="IConsentHandler"/> to wait for consent in-line; without one, <see cref="ConsentRequiredException"/> is thrown.
    /// </summary>
    public static IServiceCollection AddIdentityGuardUserFederation(this IServiceCollection services, IConfiguration configuration, Action<ConsentOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ConsentOptions>()
            .Configure(options => Bind(configuration.GetSection(ConsentOptions.SectionName), options))
            .Configure(options => configure?.Invoke(options))
            .Validate(options => options.RedirectUri is null || options.RedirectUri.IsAbsoluteUri, "IdentityGuard:Consent:RedirectUri must be an absolute URI.")
            .Validate(options => options.PendingLifetime > TimeSpan.Zero && options.Timeout > TimeSpan.Zero && options.CompletionPollInterval > TimeSpan.Zero, "IdentityGuard:Consent lifetimes must be positive.")
            .Validate(options => options.MaxPendingPerUser > 0 && options.MaxPendingPerWorkload > 0, "IdentityGuard:Consent:MaxPendingPerUser and MaxPendingPerWorkload must be positive.");
        services.TryAddSingleton(sp => new UserFederationProviders(
            sp.GetRequiredService<IdentityGuard.Manifest.CredentialManifest>(),
            configuration,
            sp.GetRequiredService<System.Net.Http.IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<IdentityGuard.IdentityGuardOptions>>().Value.DefaultTokenLifetime));
        services.TryAddSingleton(CreateUserFederation);
        return services;
    }

    private static UserFederation CreateUserFederation(IServiceProvider services)
    {
        var providers = services.GetRequiredService<UserFederationProviders>();
        var options = services.GetRequiredService<IOptions<ConsentOptions>>().Value;
        var vault = services.GetRequiredService<IdentityGuard.Vault.TokenVault>();
        var audit = services.GetRequiredService<IdentityGuard.Audit.AuditLog>();
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<UserFederation>>();
        var pending = new PendingAuthorizations(
            providers.Workload,
            PendingAuthorizationStoreOf(services),
            new PendingAuthorizationProtector(services.GetRequiredService<VaultDataProtection>().Provider),
            options,
            time,
            logger);
        return new UserFederation(
            vault,
            services.GetRequiredService<IdentityGuard.Workload.WorkloadIdentity>(),
            providers,
            new ConsentRequests(options, pending, audit, time),
            new ConsentCompletion(providers, pending, vault, options, audit, logger),
            pending,
            services.GetServices<IConsentHandler>().LastOrDefault(),
            services.GetRequiredService<IdentityGuard.Background.StandingPermissions>());
    }

    /// <summary>
    /// Pending authorizations live where the grants live, so a callback can land on any instance: the shipped stores
    /// keep both. A store without them is refused rather than silently pinning callbacks to one process.
    /// </summary>
    private static IdentityGuard.Vault.IPendingAuthorizationStore PendingAuthorizationStoreOf(IServiceProvider services) =>
        services.GetService<IdentityGuard.Vault.IPendingAuthorizationStore>()
        ?? services.GetRequiredService<IdentityGuard.Vault.IGrantStore>() as IdentityGuard.Vault.IPendingAuthorizationStore
        ?? throw new InvalidOperationException("User federation keeps pending authorizations in the grant store, but the registered IGrantStore does not implement IPendingAuthorizationStore. Register one that does (the SQLite and PostgreSQL stores do), or register an IPendingAuthorizationStore.");

    private static void Bind(IConfigurationSection section, ConsentOptions options)
    {
        options.RedirectUri = SettingsReader.ReadAbsoluteUri<ConsentOptions>(section, nameof(ConsentOptions.RedirectUri)) ?? options.RedirectUri;
        var returnUrls = section.GetSection(nameof(ConsentOptions.AllowedReturnUrls));
        foreach (var child in returnUrls.GetChildren())
        {
            options.AllowedReturnUrls.Add(SettingsReader.ReadAbsoluteUri<ConsentOptions>(returnUrls, child.Key)!);
        }

        options.PendingLifetime = SettingsReader.ReadTimeSpan<ConsentOptions>(section, nameof(ConsentOptions.PendingLifetime), options.PendingLifetime);
        options.Timeout = SettingsReader.ReadTimeSpan<ConsentOptions>(section, nameof(ConsentOptions.Timeout), options.Timeout);
        options.CompletionPollInterval = SettingsReader.ReadTimeSpan<ConsentOptions>(section, nameof(ConsentOptions.CompletionPollInterval), options.CompletionPollInterval);
        options.MaxPendingPerUser = SettingsReader.ReadPositiveInt32<ConsentOptions>(section, nameof(ConsentOptions.MaxPendingPerUser)) ?? options.MaxPendingPerUser;
        options.MaxPendingPerWorkload = SettingsReader.ReadPositiveInt32<ConsentOptions>(section, nameof(ConsentOptions.MaxPendingPerWorkload)) ?? options.MaxPendingPerWorkload;
        options.RequestOfflineAccess = SettingsReader.ReadBoolean<ConsentOptions>(section, nameof(ConsentOptions.RequestOfflineAccess)) ?? options.RequestOfflineAccess;
        options.RequireSessionBinding = SettingsReader.ReadBoolean<ConsentOptions>(section, nameof(ConsentOptions.RequireSessionBinding)) ?? options.RequireSessionBinding;
        var responseMode = section[nameof(ConsentOptions.ResponseMode)];
        if (!string.IsNullOrWhiteSpace(responseMode))
        {
            options.ResponseMode = Enum.TryParse<ConsentResponseMode>(responseMode, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw SettingsReader.Invalid<ConsentOptions>(section, nameof(ConsentOptions.ResponseMode), $"must be Query or FormPost, not '{responseMode}'");
        }

        options.SignInScheme = string.IsNullOrWhiteSpace(section[nameof(ConsentOptions.SignInScheme)]) ? options.SignInScheme : section[nameof(ConsentOptions.SignInScheme)];
    }
}
