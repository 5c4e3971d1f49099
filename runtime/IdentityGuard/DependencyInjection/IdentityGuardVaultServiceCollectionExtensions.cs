using System;
using System.Globalization;
using System.IO;
using System.Linq;
using IdentityGuard.Audit;
using IdentityGuard.DependencyInjection;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130 // Extension methods live in the DI namespace so they show up where services are registered.
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the workload identity and the token vault.</summary>
public static class IdentityGuardVaultServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="WorkloadIdentity"/>, <see cref="IdentityGuard.Background.StandingPermissions"/> and <see cref="TokenVault"/> with the embedded SQLite store
    /// (<see cref="SqliteGrantStore"/>) and Data Protection keys persisted next to the database file, so a second
    /// run can decrypt what the first stored. Settings come from <c>IdentityGuard:Workload</c> and the
    /// <c>IdentityGuard:Vault</c> section, then from <paramref name="configure"/>. Another store (for example
    /// PostgreSQL) replaces the SQLite one when registered as <see cref="IGrantStore"/>, before or after this call.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application configuration.</param>
    /// <param name="configure">Adjusts the settings after binding.</param>
    public static IServiceCollection AddIdentityGuardVault(this IServiceCollection services, IConfiguration configuration, Action<IdentityGuardVaultOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAuditSink, LoggerAuditSink>());
        services.TryAddSingleton<AuditLog>();

        var vaultOptions = services.AddOptions<IdentityGuardVaultOptions>().Configure(options => Bind(configuration, options));
        if (configure is not null)
        {
            vaultOptions.Configure(configure);
        }

        // The compiled manifest names the workload, so an agent that calls AddIdentityGuard needs no extra setting.
        vaultOptions.PostConfigure<IServiceProvider>((options, sp) =>
        {
            if (string.IsNullOrWhiteSpace(options.Workload) && sp.GetService<IdentityGuard.Manifest.CredentialManifest>() is { } manifest)
            {
                options.Workload = manifest.Workload;
            }
        });
        vaultOptions.Validate(options => !string.IsNullOrWhiteSpace(options.Workload), "IdentityGuard:Workload (the workload name) is required for the token vault.");

        services.AddOptions<WorkloadIdentityOptions>().Configure<IOptions<IdentityGuardVaultOptions>>((options, vault) =>
        {
            options.WorkloadName = vault.Value.Workload;
            options.DefaultLifetime = vault.Value.WorkloadTokenLifetime;
        });
        services.AddOptions<TokenVaultOptions>().Configure<IOptions<IdentityGuardVaultOptions>>((options, vault) =>
        {
            options.RefreshBeforeExpiry = vault.Value.RefreshBeforeExpiry;
            options.LeaseDuration = vault.Value.LeaseDuration;
            options.StoreCheckInterval = vault.Value.StoreCheckInterval;
        });
        services.AddOptions<SqliteGrantStoreOptions>().Configure<IOptions<IdentityGuardVaultOptions>>((options, vault) =>
            options.DatabasePath = DatabasePathOf(vault.Value));

        services.TryAddSingleton(sp => new VaultDataProtection(sp.GetRequiredService<IOptions<IdentityGuardVaultOptions>>().Value, sp));
        services.TryAddSingleton<IGrantStore>(sp => new SqliteGrantStore(sp.GetRequiredService<IOptions<SqliteGrantStoreOptions>>()));
        services.TryAddSingleton(sp => new WorkloadIdentity(
            sp.GetRequiredService<IOptions<WorkloadIdentityOptions>>(),
            sp.GetRequiredService<VaultDataProtection>().Provider,
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new IdentityGuard.Background.StandingPermissions(
            sp.GetRequiredService<WorkloadIdentity>(),
            sp.GetRequiredService<IGrantStore>() as IStandingPermissionStore,
            sp.GetRequiredService<VaultDataProtection>().Provider,
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IdentityGuard.Manifest.CredentialManifest>()));
        services.TryAddSingleton(sp => new TokenVault(
            sp.GetRequiredService<WorkloadIdentity>(),
            sp.GetRequiredService<IGrantStore>(),
            sp.GetRequiredService<VaultDataProtection>().Provider,
            sp.GetRequiredService<AuditLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<TokenVaultOptions>>(),
            sp.GetRequiredService<ILogger<TokenVault>>())
        {
            Held = sp.GetService<IdentityGuard.Scrubbing.HeldCredentials>(),
        });
        return services;
    }

    internal static string DatabasePathOf(IdentityGuardVaultOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            return Path.GetFullPath(options.DatabasePath);
        }

        var root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            root = AppContext.BaseDirectory;
        }

        // One folder per workload: two agents run by the same OS user must not share a database or a key ring.
        return Path.Combine(root, "IdentityGuard", FolderNameOf(options.Workload), "vault.db");
    }

    /// <summary>The workload name as a single, portable folder name (letters, digits, '.', '-', '_').</summary>
    private static string FolderNameOf(string workload)
    {
        var name = new string(workload.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).Trim('.');
        return name.Length == 0 ? "default-workload" : name;
    }

    private static void Bind(IConfiguration configuration, IdentityGuardVaultOptions options)
    {
        var section = configuration.GetSection(IdentityGuardVaultOptions.SectionName);
        options.Workload = configuration["IdentityGuard:Workload"] ?? section["Workload"] ?? options.Workload;
        options.DatabasePath = section["DatabasePath"] ?? options.DatabasePath;
        options.KeysDirectory = section["KeysDirectory"] ?? options.KeysDirectory;
        options.UseHostDataProtection = SettingsReader.ReadBoolean<IdentityGuardVaultOptions>(section, nameof(IdentityGuardVaultOptions.UseHostDataProtection)) ?? options.UseHostDataProtection;

        options.WorkloadTokenLifetime = SettingsReader.ReadTimeSpan<IdentityGuardVaultOptions>(section, nameof(IdentityGuardVaultOptions.WorkloadTokenLifetime), options.WorkloadTokenLifetime);
        options.RefreshBeforeExpiry = SettingsReader.ReadTimeSpan<IdentityGuardVaultOptions>(section, nameof(IdentityGuardVaultOptions.RefreshBeforeExpiry), options.RefreshBeforeExpiry);
        options.LeaseDuration = SettingsReader.ReadTimeSpan<IdentityGuardVaultOptions>(section, nameof(IdentityGuardVaultOptions.LeaseDuration), options.LeaseDuration);
        options.StoreCheckInterval = SettingsReader.ReadTimeSpan<IdentityGuardVaultOptions>(section, nameof(IdentityGuardVaultOptions.StoreCheckInterval), options.StoreCheckInterval, allowZero: true);
    }
}

/// <summary>
/// The Data Protection provider of the vault and of workload access tokens: the host's, or a private one whose key
/// ring lives in a folder next to the database, kept apart from the application's own keys.
/// </summary>
internal sealed class VaultDataProtection : IDisposable
{
    private readonly ServiceProvider? _privateServices;

    public VaultDataProtection(IdentityGuardVaultOptions options, IServiceProvider services)
    {
        if (options.UseHostDataProtection)
        {
            Provider = services.GetService<IDataProtectionProvider>()
                ?? throw new InvalidOperationException("IdentityGuard:Vault:UseHostDataProtection is set, but the application registered no Data Protection (call services.AddDataProtection()).");
            return;
        }

        var keysDirectory = string.IsNullOrWhiteSpace(options.KeysDirectory)
            ? Path.Combine(Path.GetDirectoryName(IdentityGuardVaultServiceCollectionExtensions.DatabasePathOf(options)) ?? AppContext.BaseDirectory, "keys")
            : Path.GetFullPath(options.KeysDirectory);
        PrivateFolder.Ensure(keysDirectory, "vault key ring", secretContents: true);

        // A separate container, as DataProtectionProvider.Create builds one: the vault's key ring must not change
        // with (or change) the application's own Data Protection setup.
        var privateServices = new ServiceCollection();
        privateServices.AddSingleton(services.GetRequiredService<ILoggerFactory>());
        privateServices.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        var builder = privateServices.AddDataProtection()
            .SetApplicationName("IdentityGuard.Vault")
            .PersistKeysToFileSystem(new DirectoryInfo(keysDirectory));
        options.ConfigureDataProtection?.Invoke(builder);
        _privateServices = privateServices.BuildServiceProvider();
        Provider = _privateServices.GetRequiredService<IDataProtectionProvider>();
    }

    public IDataProtectionProvider Provider { get; }

    public void Dispose() => _privateServices?.Dispose();
}
