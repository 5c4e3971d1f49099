using System;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>
/// IG0001, independent of where the value came from (C# literal, concatenation, configuration file):
/// a value is a known-format credential when a catalog format's signature, pattern and validator
/// all agree, or, for formats without a signature, when the bound name supplies the missing evidence.
/// </summary>
internal static class KnownFormatCredentialRule
{
    /// <param name="value">The value as the program sees it (escapes decoded).</param>
    /// <param name="candidates">The pre-filter's result for <paramref name="value"/>, computed once by the caller.</param>
    /// <param name="boundName">Resolves the bound name only when a name-paired format could apply.</param>
    public static SecretFormat? Find(string value, ulong candidates, Func<string?> boundName)
    {
        if (candidates != 0 && KnownFormatScanner.Scan(value, candidates) is { } match)
        {
            return match.Format;
        }

        if (KnownFormatScanner.CouldMatchByName(value) && boundName() is { } name)
        {
            return KnownFormatScanner.MatchByName(value, SecretNameClassifier.Normalize(name));
        }

        return null;
    }
}
