using System;
using System.IO;
using System.Threading;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace IdentityGuard.Vault;

/// <summary>
/// The Data Protection provider of the vault, of pending authorizations and of workload access tokens: the host's
/// (<see cref="IdentityGuardVaultOptions.UseHostDataProtection"/>), or by default the vault's own key ring in the
/// vault's folder. Made on first use, so registering services touches no disk.
/// </summary>
/// <remarks>
/// The own key ring is a second, separate Data Protection system: its keys must neither change with nor change the
/// application's own Data Protection setup (cookie keys, their location and rotation). Data Protection registers its
/// parts as plain singletons, so one container holds one key ring; a second one needs a container of its own, built
/// here the way the framework's <c>DataProtectionProvider.Create</c> builds one, and disposed with the host (it may
/// hold database connections, for example the PostgreSQL key repository).
/// </remarks>
internal sealed class VaultDataProtection : IDisposable
{
    private readonly Lazy<(IDataProtectionProvider Provider, ServiceProvider? Owned)> _system;

    public VaultDataProtection(IOptions<IdentityGuardVaultOptions> options, IOptions<IdentityGuardOptions> runtime, ILoggerFactory loggerFactory, IServiceProvider services)
    {
        _system = new(() => Create(options.Value, runtime.Value.Workload, loggerFactory, services), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public IDataProtectionProvider Provider => _system.Value.Provider;

    /// <summary>Creates <typeparamref name="T"/> by type, handing it the vault's Data Protection provider.</summary>
    public static T Construct<T>(IServiceProvider services) =>
        ActivatorUtilities.CreateInstance<T>(services, services.GetRequiredService<VaultDataProtection>().Provider);

    public void Dispose()
    {
        if (_system.IsValueCreated)
        {
            _system.Value.Owned?.Dispose();
        }
    }

    private static (IDataProtectionProvider, ServiceProvider?) Create(IdentityGuardVaultOptions options, string? workload, ILoggerFactory loggerFactory, IServiceProvider services)
    {
        if (options.UseHostDataProtection)
        {
            return (services.GetService<IDataProtectionProvider>()
                ?? throw new InvalidOperationException($"{IdentityGuardVaultOptions.SectionName}:{nameof(IdentityGuardVaultOptions.UseHostDataProtection)} is true, but the application registered no Data Protection (call services.AddDataProtection())."), null);
        }

        var keysDirectory = VaultLocation.KeysDirectoryOf(options, workload);
        PrivateFolder.Ensure(keysDirectory, "vault key ring", secretContents: true);
        var keyRing = new ServiceCollection();
        keyRing.AddSingleton(loggerFactory); // key-ring events (creation, rotation, failures) reach the application's logs
        keyRing.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        var builder = keyRing.AddDataProtection()
            .SetApplicationName("IdentityGuard.Vault")
            .PersistKeysToFileSystem(new DirectoryInfo(keysDirectory));
        options.ConfigureDataProtection?.Invoke(builder);
        var owned = keyRing.BuildServiceProvider();
        return (owned.GetRequiredService<IDataProtectionProvider>(), owned);
    }
}
