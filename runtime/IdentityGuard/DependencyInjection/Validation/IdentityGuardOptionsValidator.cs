using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace IdentityGuard.DependencyInjection;

/// <summary>Checks the root settings (<c>IdentityGuard:*</c>) when the host starts.</summary>
internal sealed class IdentityGuardOptionsValidator : IValidateOptions<IdentityGuardOptions>
{
    public ValidateOptionsResult Validate(string? name, IdentityGuardOptions options)
    {
        var failures = new List<string>();
        if (options.Workload is { } workload && string.IsNullOrWhiteSpace(workload))
        {
            failures.Add($"{Key(nameof(IdentityGuardOptions.Workload))} must not be blank: it names the workload in audit events, workload tokens and the vault.");
        }

        if (options.RefreshBeforeExpiry < TimeSpan.Zero)
        {
            failures.Add($"{Key(nameof(IdentityGuardOptions.RefreshBeforeExpiry))} must not be negative, not {options.RefreshBeforeExpiry}.");
        }

        if (options.DefaultTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{Key(nameof(IdentityGuardOptions.DefaultTokenLifetime))} must be positive, not {options.DefaultTokenLifetime}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Key(string property) => IdentityGuardOptions.SectionName + ":" + property;
}
