using System;
using System.Collections.Generic;
using IdentityGuard.Analyzers.Secrets;
#if NET9_0_OR_GREATER
using System.Buffers;
#endif

namespace IdentityGuard.Scrubbing;

/// <summary>
/// Which IG0001 formats may occur in a text, from their signatures. The analyzers' own pre-filter
/// (<see cref="KnownFormatScanner.FindCandidates"/>) checks a table at every character, which suits short literals;
/// tool results run to tens of kilobytes, so on .NET 9+ the signatures are found with one vectorized
/// <c>SearchValues</c> pass and checked exactly only where one occurs.
/// </summary>
internal static class KnownFormatSignatures
{
#if NET9_0_OR_GREATER
    private static readonly (string Signature, int Format, bool IgnoreCase)[] Signatures = BuildSignatures();
    private static readonly SearchValues<string> Search = SearchValues.Create(Distinct(Signatures), StringComparison.OrdinalIgnoreCase);
#endif

    /// <summary>Bit i set when format i's signature (and its required character) occurs in <paramref name="text"/>.</summary>
    public static ulong FindCandidates(string text)
    {
#if NET9_0_OR_GREATER
        var formats = KnownSecretFormats.All;
        ulong candidates = 0;
        var span = text.AsSpan();
        var position = 0;
        while (position < span.Length)
        {
            var found = span[position..].IndexOfAny(Search);
            if (found < 0)
            {
                break;
            }

            var at = position + found;
            foreach (var (signature, format, ignoreCase) in Signatures)
            {
                if (span[at..].StartsWith(signature, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal))
                {
                    candidates |= 1UL << format;
                }
            }

            position = at + 1;
        }

        for (var index = 0; index < formats.Count && candidates != 0; index++)
        {
            var required = formats[index].RequiredCharacter;
            if (required != '\0' && (candidates & (1UL << index)) != 0 && !text.Contains(required, StringComparison.Ordinal))
            {
                candidates &= ~(1UL << index);
            }
        }

        return candidates;
#else
        return KnownFormatScanner.FindCandidates(text);
#endif
    }

#if NET9_0_OR_GREATER
    private static (string, int, bool)[] BuildSignatures()
    {
        var formats = KnownSecretFormats.All;
        var list = new List<(string, int, bool)>();
        for (var index = 0; index < formats.Count; index++)
        {
            foreach (var signature in formats[index].Signatures)
            {
                list.Add((signature, index, formats[index].SignaturesIgnoreCase));
            }
        }

        return list.ToArray();
    }

    private static string[] Distinct((string Signature, int Format, bool IgnoreCase)[] signatures)
    {
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in signatures)
        {
            set.Add(entry.Signature);
        }

        return [.. set];
    }
#endif
}
