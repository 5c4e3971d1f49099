using System;
using System.Linq;
using IdentityGuard.Background;
using IdentityGuard.Consent;
using IdentityGuard.Federation;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdentityGuard.DependencyInjection;

/// <summary>Registers user federation; see <see cref="IdentityGuardBuilder.AddUserFederation"/>.</summary>
internal static class UserFederationRegistration
{
    public static void Add(IServiceCollection services, IConfiguration configuration, Action<ConsentOptions>? configure)
    {
        var consentOptions = services.AddOptions<ConsentOptions>();
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(UserFederationProviders)))
        {
            consentOptions.Configure(options => Bind(configuration.GetSection(ConsentOptions.SectionName), options)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsentOptions>, ConsentOptionsValidator>());
            services.TryAddSingleton<UserFederationProviders>();
            services.TryAddSingleton(PendingAuthorizationStoreOf);
            services.TryAddSingleton(VaultDataProtection.Construct<PendingAuthorizationProtector>);
            services.TryAddSingleton<PendingAuthorizations>();
            services.TryAddSingleton<ConsentRequests>();
            services.TryAddSingleton<ConsentCompletion>();
            services.TryAddSingleton(CreateUserFederation);
        }

        if (configure is not null)
        {
            consentOptions.Configure(configure);
        }
    }

    /// <summary>Its constructor is internal, so the parts (each registered by type) are handed over here.</summary>
    private static UserFederation CreateUserFederation(IServiceProvider services) => new(
        services.GetRequiredService<TokenVault>(),
        services.GetRequiredService<WorkloadIdentity>(),
        services.GetRequiredService<UserFederationProviders>(),
        services.GetRequiredService<ConsentRequests>(),
        services.GetRequiredService<ConsentCompletion>(),
        services.GetRequiredService<PendingAuthorizations>(),
        services.GetServices<IConsentHandler>().LastOrDefault(),
        services.GetRequiredService<StandingPermissions>());

    /// <summary>
    /// Pending authorizations live where the grants live, so a callback can land on any instance: the shipped stores
    /// keep both. A store without them is refused rather than silently pinning callbacks to one process.
    /// </summary>
    private static IPendingAuthorizationStore PendingAuthorizationStoreOf(IServiceProvider services) =>
        services.GetRequiredService<IGrantStore>() as IPendingAuthorizationStore
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
