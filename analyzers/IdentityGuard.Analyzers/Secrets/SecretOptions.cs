using System;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis.Diagnostics;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>
/// IG0002's settings from .editorconfig / .globalconfig:
/// <c>identityguard.IG0002.additional_keywords</c>, <c>identityguard.IG0002.min_entropy</c>,
/// <c>identityguard.IG0002.excluded_names</c>.
/// </summary>
internal sealed class SecretOptions
{
    public const string AdditionalKeywordsKey = "identityguard.IG0002.additional_keywords";
    public const string MinEntropyKey = "identityguard.IG0002.min_entropy";
    public const string ExcludedNamesKey = "identityguard.IG0002.excluded_names";

    // Roslyn hands out one AnalyzerConfigOptions instance per distinct set of applicable settings,
    // so caching on the instance parses each configuration once, not once per literal.
    private static readonly char[] ListSeparators = { ',', ';', ' ' };

    private static readonly ConditionalWeakTable<AnalyzerConfigOptions, SecretOptions> Cache = new();

    private SecretOptions(double minEntropy, SecretNameClassifier names)
    {
        MinEntropy = minEntropy;
        Names = names;
    }

    public static SecretOptions Default { get; } = new(SecretHeuristics.DefaultMinEntropy, SecretNameClassifier.Default);

    public double MinEntropy { get; }

    public SecretNameClassifier Names { get; }

    public static SecretOptions Get(AnalyzerConfigOptions options) => Cache.GetValue(options, Parse);

    private static SecretOptions Parse(AnalyzerConfigOptions options)
    {
        var hasKeywords = options.TryGetValue(AdditionalKeywordsKey, out var keywords);
        var hasExcluded = options.TryGetValue(ExcludedNamesKey, out var excluded);
        var hasEntropy = options.TryGetValue(MinEntropyKey, out var entropyText);
        if (!hasKeywords && !hasExcluded && !hasEntropy)
        {
            return Default;
        }

        var minEntropy = SecretHeuristics.DefaultMinEntropy;
        if (hasEntropy
            && double.TryParse(entropyText!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            && parsed is >= 0 and <= 8)
        {
            minEntropy = parsed;
        }

        var names = hasKeywords || hasExcluded
            ? new SecretNameClassifier(SplitList(keywords), SplitList(excluded))
            : SecretNameClassifier.Default;
        return new SecretOptions(minEntropy, names);
    }

    private static string[] SplitList(string? list) =>
        string.IsNullOrWhiteSpace(list)
            ? Array.Empty<string>()
            : list!.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries);
}
