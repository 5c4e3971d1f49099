using System;
using IdentityGuard.Audit;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdentityGuard.DependencyInjection;

/// <summary>What every part of the runtime shares, and what the manifest adds.</summary>
internal static class RuntimeRegistration
{
    /// <summary>Root options, logging, clock, audit: registered once however many builders are made.</summary>
    public static void AddShared(IServiceCollection services, IConfiguration configuration)
    {
        if (services.Contains(SharedMarker))
        {
            return;
        }

        services.Add(SharedMarker);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditSink, LoggerAuditSink>());
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton(new RuntimeConfiguration(configuration));
        services.AddOptions<IdentityGuardOptions>()
            .Configure(options => Bind(configuration.GetSection(IdentityGuardOptions.SectionName), options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdentityGuardOptions>, IdentityGuardOptionsValidator>());
    }

    /// <summary>The manifest's providers, the token client and the credential scrubber.</summary>
    public static void AddManifest(IServiceCollection services, IConfiguration configuration, CredentialManifest manifest)
    {
        services.AddHttpClient(CredentialProviderRegistry.TokenHttpClientName);
        services.TryAddSingleton(manifest);

        // The manifest names the workload unless IdentityGuard:Workload overrides it: one name for every part.
        services.AddOptions<IdentityGuardOptions>().PostConfigure<CredentialManifest>((options, declared) =>
        {
            if (string.IsNullOrWhiteSpace(options.Workload))
            {
                options.Workload = declared.Workload;
            }
        });
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<CredentialProviderRegistry>(sp, manifest, configuration));
        services.TryAddSingleton<HeldCredentials>();
        services.TryAddSingleton(sp => new CredentialScrubber(
            sp.GetRequiredService<HeldCredentials>(),
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<IOptions<IdentityGuardOptions>>().Value.Workload));
    }

    private static void Bind(IConfigurationSection section, IdentityGuardOptions options)
    {
        options.Workload = string.IsNullOrWhiteSpace(section[nameof(IdentityGuardOptions.Workload)]) ? options.Workload : section[nameof(IdentityGuardOptions.Workload)]!.Trim();
        options.RefreshBeforeExpiry = SettingsReader.ReadTimeSpan<IdentityGuardOptions>(section, nameof(IdentityGuardOptions.RefreshBeforeExpiry), options.RefreshBeforeExpiry, allowZero: true);
        options.DefaultTokenLifetime = SettingsReader.ReadTimeSpan<IdentityGuardOptions>(section, nameof(IdentityGuardOptions.DefaultTokenLifetime), options.DefaultTokenLifetime);
    }

    private static readonly ServiceDescriptor SharedMarker = ServiceDescriptor.Singleton<SharedRegistered, SharedRegistered>();

    /// <summary>Marks a collection whose shared services are registered.</summary>
    private sealed class SharedRegistered;
}

/// <summary>
/// The configuration passed to <c>AddIdentityGuard</c>: referenced secrets and provider overrides are read from it,
/// which need not be the host's <see cref="IConfiguration"/> service (a console agent may register none).
/// </summary>
internal sealed record RuntimeConfiguration(IConfiguration Configuration);
