using System;
using System.Collections.Generic;
using IdentityGuard.Vault;
using IdentityGuard.Workload;
using Microsoft.Extensions.Options;

namespace IdentityGuard.DependencyInjection;

/// <summary>
/// Checks the vault's settings (<c>IdentityGuard:Vault:*</c>) and that the runtime names a workload, when the host
/// starts rather than at the first token request.
/// </summary>
internal sealed class IdentityGuardVaultOptionsValidator(IOptions<IdentityGuardOptions> runtime) : IValidateOptions<IdentityGuardVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityGuardVaultOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(runtime.Value.Workload))
        {
            failures.Add($"{IdentityGuardOptions.SectionName}:{nameof(IdentityGuardOptions.Workload)} is required for the token vault: set it, or declare \"workload\" in identityguard.json.");
        }

        var maxLifetime = new WorkloadIdentityOptions().MaxLifetime;
        if (options.WorkloadTokenLifetime <= TimeSpan.Zero || options.WorkloadTokenLifetime > maxLifetime)
        {
            failures.Add($"{Key(nameof(IdentityGuardVaultOptions.WorkloadTokenLifetime))} must be positive and at most {maxLifetime}, not {options.WorkloadTokenLifetime}.");
        }

        if (options.LeaseDuration <= TimeSpan.Zero)
        {
            failures.Add($"{Key(nameof(IdentityGuardVaultOptions.LeaseDuration))} must be positive, not {options.LeaseDuration}.");
        }

        if (options.StoreCheckInterval < TimeSpan.Zero)
        {
            failures.Add($"{Key(nameof(IdentityGuardVaultOptions.StoreCheckInterval))} must not be negative, not {options.StoreCheckInterval}.");
        }

        if (options.UseHostDataProtection && !string.IsNullOrWhiteSpace(options.KeysDirectory))
        {
            failures.Add($"{Key(nameof(IdentityGuardVaultOptions.KeysDirectory))} is set, but {Key(nameof(IdentityGuardVaultOptions.UseHostDataProtection))} is true: the application's key ring is used and the folder would be ignored. Set one of them.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => IdentityGuardVaultOptions.SectionName + ":" + property;
}
