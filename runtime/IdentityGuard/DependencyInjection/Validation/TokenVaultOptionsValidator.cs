using System.Collections.Generic;
using IdentityGuard.Vault;
using Microsoft.Extensions.Options;

namespace IdentityGuard.DependencyInjection;

/// <summary>
/// Checks the vault's lease timing as the vault will use it (the lease comes from <c>IdentityGuard:Vault:LeaseDuration</c>;
/// the refresh timeout may be adjusted in code), so a lease a slow refresh could outlive stops the host.
/// </summary>
internal sealed class TokenVaultOptionsValidator : IValidateOptions<TokenVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, TokenVaultOptions options)
    {
        var failures = new List<string>();
        if (options.LeaseDuration <= options.RefreshTimeout)
        {
            failures.Add($"{IdentityGuardVaultOptions.SectionName}:{nameof(IdentityGuardVaultOptions.LeaseDuration)} must be longer than the refresh timeout ({options.RefreshTimeout}), not {options.LeaseDuration}: a slow refresh would lose its lease to another instance.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
