using System;
using System.IO;
using System.Linq;
using IdentityGuard.Background;
using IdentityGuard.Manifest;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdentityGuard.DependencyInjection;

/// <summary>
/// Registers the workload identity, the standing permissions and the token vault with the embedded SQLite store;
/// see <see cref="IdentityGuardBuilder.AddVault"/>.
/// </summary>
internal static class VaultRegistration
{
    public static void Add(IServiceCollection services, IConfiguration configuration, Action<IdentityGuardVaultOptions>? configure)
    {
        var vaultOptions = services.AddOptions<IdentityGuardVaultOptions>();
        if (!services.Any(descriptor => descriptor.ServiceType == typeof(VaultDataProtection)))
        {
            vaultOptions.Configure(options => Bind(configuration.GetSection(IdentityGuardVaultOptions.SectionName), options)).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityGuardVaultOptions>, IdentityGuardVaultOptionsValidator>());

            // The vault's parts take their settings from the one vault section and the runtime's workload and margin.
            services.AddOptions<WorkloadIdentityOptions>().Configure<IOptions<IdentityGuardOptions>, IOptions<IdentityGuardVaultOptions>>((options, runtime, vault) =>
            {
                options.WorkloadName = runtime.Value.Workload ?? string.Empty;
                options.DefaultLifetime = vault.Value.WorkloadTokenLifetime;
            });
            services.AddOptions<TokenVaultOptions>().Configure<IOptions<IdentityGuardVaultOptions>>((options, vault) =>
            {
                options.LeaseDuration = vault.Value.LeaseDuration;
                options.StoreCheckInterval = vault.Value.StoreCheckInterval;
            }).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TokenVaultOptions>, TokenVaultOptionsValidator>());
            services.AddOptions<SqliteGrantStoreOptions>().Configure<IOptions<IdentityGuardVaultOptions>, IOptions<IdentityGuardOptions>>((options, vault, runtime) =>
                options.DatabasePath = VaultLocation.DatabasePathOf(vault.Value, runtime.Value.Workload));

            services.TryAddSingleton<VaultDataProtection>();
            services.TryAddSingleton<IGrantStore, SqliteGrantStore>();
            services.TryAddSingleton(VaultDataProtection.Construct<WorkloadIdentity>);
            services.TryAddSingleton(VaultDataProtection.Construct<TokenVault>);
            services.TryAddSingleton(CreateStandingPermissions);
        }

        if (configure is not null)
        {
            vaultOptions.Configure(configure);
        }
    }

    /// <summary>A store without standing permissions (a custom <see cref="IGrantStore"/>) leaves them refused, not broken.</summary>
    private static StandingPermissions CreateStandingPermissions(IServiceProvider services) => new(
        services.GetRequiredService<WorkloadIdentity>(),
        services.GetService<IStandingPermissionStore>() ?? services.GetRequiredService<IGrantStore>() as IStandingPermissionStore,
        services.GetRequiredService<VaultDataProtection>().Provider,
        services.GetRequiredService<Audit.AuditLog>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetService<CredentialManifest>());

    private static void Bind(IConfigurationSection section, IdentityGuardVaultOptions options)
    {
        // Keys that moved to the root: refusing them beats silently ignoring a setting someone relies on.
        foreach (var moved in new[] { nameof(IdentityGuardOptions.Workload), nameof(IdentityGuardOptions.RefreshBeforeExpiry) })
        {
            if (section[moved] is not null)
            {
                throw SettingsReader.Invalid<IdentityGuardVaultOptions>(section, moved, $"is no longer read: set {IdentityGuardOptions.SectionName}:{moved}, which every part of the runtime uses");
            }
        }

        options.DatabasePath = section[nameof(IdentityGuardVaultOptions.DatabasePath)] ?? options.DatabasePath;
        options.KeysDirectory = section[nameof(IdentityGuardVaultOptions.KeysDirectory)] ?? options.KeysDirectory;
        options.UseHostDataProtection = SettingsReader.ReadBoolean<IdentityGuardVaultOptions>(section, nameof(IdentityGuardVaultOptions.UseHostDataProtection)) ?? options.UseHostDataProtection;
        options.WorkloadTokenLifetime = SettingsReader.ReadTimeSpan<IdentityGuardVaultOptions>(section, nameof(IdentityGuardVaultOptions.WorkloadTokenLifetime), options.WorkloadTokenLifetime);
        options.LeaseDuration = SettingsReader.ReadTimeSpan<IdentityGuardVaultOptions>(section, nameof(IdentityGuardVaultOptions.LeaseDuration), options.LeaseDuration);
        options.StoreCheckInterval = SettingsReader.ReadTimeSpan<IdentityGuardVaultOptions>(section, nameof(IdentityGuardVaultOptions.StoreCheckInterval), options.StoreCheckInterval, allowZero: true);
    }
}
