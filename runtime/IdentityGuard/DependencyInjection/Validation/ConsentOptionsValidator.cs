using System;
using System.Collections.Generic;
using IdentityGuard.Consent;
using Microsoft.Extensions.Options;

namespace IdentityGuard.DependencyInjection;

/// <summary>Checks user federation's settings (<c>IdentityGuard:Consent:*</c>) when the host starts.</summary>
internal sealed class ConsentOptionsValidator : IValidateOptions<ConsentOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsentOptions options)
    {
        var failures = new List<string>();
        // On Unix "/callback" parses as an absolute file URI: only an http(s) address can receive the browser.
        if (options.RedirectUri is { } redirectUri && !IsWebAddress(redirectUri))
        {
            failures.Add($"{Key(nameof(ConsentOptions.RedirectUri))} must be an absolute http(s) URI, not '{redirectUri}'.");
        }

        foreach (var returnUrl in options.AllowedReturnUrls)
        {
            if (returnUrl is null || !IsWebAddress(returnUrl))
            {
                failures.Add($"{Key(nameof(ConsentOptions.AllowedReturnUrls))} must hold absolute http(s) URIs, not '{returnUrl}'.");
            }
        }

        Positive(failures, nameof(ConsentOptions.PendingLifetime), options.PendingLifetime);
        Positive(failures, nameof(ConsentOptions.Timeout), options.Timeout);
        Positive(failures, nameof(ConsentOptions.CompletionPollInterval), options.CompletionPollInterval);
        if (options.MaxPendingPerUser <= 0)
        {
            failures.Add($"{Key(nameof(ConsentOptions.MaxPendingPerUser))} must be positive, not {options.MaxPendingPerUser}.");
        }

        if (options.MaxPendingPerWorkload <= 0)
        {
            failures.Add($"{Key(nameof(ConsentOptions.MaxPendingPerWorkload))} must be positive, not {options.MaxPendingPerWorkload}.");
        }

        if (!Enum.IsDefined(options.ResponseMode))
        {
            failures.Add($"{Key(nameof(ConsentOptions.ResponseMode))} must be Query or FormPost, not {(int)options.ResponseMode}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(List<string> failures, string property, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Key(property)} must be positive, not {value}.");
        }
    }

    private static bool IsWebAddress(Uri uri) => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string Key(string property) => ConsentOptions.SectionName + ":" + property;
}
