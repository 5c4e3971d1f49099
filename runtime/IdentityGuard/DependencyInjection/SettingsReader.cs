using System;
using System.Collections.Generic;
using System.Globalization;
using IdentityGuard.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IdentityGuard.DependencyInjection;

/// <summary>
/// Reads typed settings for the options classes. A present but malformed value is an error naming the full key,
/// never silently replaced by a default: a typo in a lifetime or a redirect URI must not change security behaviour.
/// </summary>
internal static class SettingsReader
{
    public static TimeSpan ReadTimeSpan<TOptions>(IConfigurationSection section, string key, TimeSpan fallback, bool allowZero = false)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && (value > TimeSpan.Zero || (allowZero && value == TimeSpan.Zero))
            ? value
            : throw Invalid<TOptions>(section, key, $"must be a {(allowZero ? "non-negative" : "positive")} time span such as 00:01:00, not '{text}'");
    }

    public static bool? ReadBoolean<TOptions>(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return bool.TryParse(text, out var value) ? value : throw Invalid<TOptions>(section, key, $"must be true or false, not '{text}'");
    }

    public static int? ReadPositiveInt32<TOptions>(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw Invalid<TOptions>(section, key, $"must be a positive whole number, not '{text}'");
    }

    public static Uri? ReadAbsoluteUri<TOptions>(IConfigurationSection section, string key)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var value) ? value : throw Invalid<TOptions>(section, key, $"must be an absolute URI, not '{text}'");
    }

    /// <summary>An array of origins (<c>Key:0</c>, <c>Key:1</c>, …), normalized; null when absent.</summary>
    public static IReadOnlyList<string>? ReadOrigins<TOptions>(IConfigurationSection section, string key)
    {
        var list = section.GetSection(key);
        if (!string.IsNullOrWhiteSpace(list.Value))
        {
            // A single value could be a comma-separated list or one origin; guessing would widen or break the binding.
            throw Invalid<TOptions>(section, key, $"must be an array of origins ({key}:0, {key}:1, …), not the single value '{list.Value}'");
        }

        List<string>? origins = null;
        foreach (var item in list.GetChildren())
        {
            if (Origins.Parse(item.Value, out var origin) is { } problem)
            {
                throw Invalid<TOptions>(list, item.Key, $"{problem}, not '{item.Value}'");
            }

            (origins ??= []).Add(origin);
        }

        return origins;
    }

    public static OptionsValidationException Invalid<TOptions>(IConfigurationSection section, string key, string problem) =>
        new(key, typeof(TOptions), [$"{section.Path}:{key} {problem}."]);
}
