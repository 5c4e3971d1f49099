using System;
using System.ComponentModel;
using IdentityGuard;
using IdentityGuard.Audit;
using IdentityGuard.DependencyInjection;
using IdentityGuard.Manifest;
using IdentityGuard.Providers;
using IdentityGuard.Scrubbing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so they show up where services are registered.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the IdentityGuard runtime. Generated <c>AddIdentityGuard</c> methods call this.</summary>
public static class IdentityGuardServiceCollectionExtensions
{
    /// <summary>
    /// Registers the runtime for <paramref name="manifest"/>: the credential-provider registry, the token HTTP
    /// client, <see cref="IdentityGuardOptions"/> bound from the <c>IdentityGuard</c> section, and the credential
    /// scrubber (<see cref="HeldCredentials"/>, filled as credentials are handed out, and <see cref="CredentialScrubber"/>).
    /// </summary>
    /// <remarks>Infrastructure for the code generated from <c>identityguard.json</c>, hidden from IntelliSense: application code calls the generated <c>AddIdentityGuard</c>.</remarks>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public static IServiceCollection AddIdentityGuardRuntime(this IServiceCollection services, IConfiguration configuration, CredentialManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(manifest);

        services.AddHttpClient(CredentialProviderRegistry.TokenHttpClientName);
        services.AddLogging();
        services.AddOptions<IdentityGuardOptions>().Configure(options => BindOptions(configuration.GetSection(IdentityGuardOptions.SectionName), options));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditSink, LoggerAuditSink>());
        services.TryAddSingleton<AuditLog>();
        services.TryAddSingleton(sp => new CredentialProviderRegistry(
            manifest,
            configuration,
            sp.GetRequiredService<System.Net.Http.IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<IdentityGuardOptions>>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp));
        services.TryAddSingleton(manifest);
        services.TryAddSingleton(sp => new HeldCredentials(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new CredentialScrubber(
            sp.GetRequiredService<HeldCredentials>(),
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<CredentialProviderRegistry>().Workload));
        return services;
    }

    private static void BindOptions(IConfigurationSection section, IdentityGuardOptions options)
    {
        options.RefreshBeforeExpiry = SettingsReader.ReadTimeSpan<IdentityGuardOptions>(section, nameof(IdentityGuardOptions.RefreshBeforeExpiry), options.RefreshBeforeExpiry, allowZero: true);
        options.DefaultTokenLifetime = SettingsReader.ReadTimeSpan<IdentityGuardOptions>(section, nameof(IdentityGuardOptions.DefaultTokenLifetime), options.DefaultTokenLifetime);
    }
}
