using System;
using System.Collections.Generic;
using IdentityGuard.Analyzers.Secrets;

namespace IdentityGuard.Scrubbing;

/// <summary>
/// The IG0001 pre-filter (which formats' signatures occur in a text) computed for run-time text: the same answer as
/// <see cref="KnownFormatScanner.FindCandidates"/>, faster on long text. A 16 Kbit table of the signatures' first two
/// characters (both cases where a signature ignores case) is tested at every position, and only where it hits are
/// the signatures compared; the analyzer's scanner compares at every position whose first character opens a
/// signature, and most letters open one.
/// </summary>
internal static class SignaturePrefilter
{
    // As in the analyzers' scanner: shorter than the shortest signature-bearing format.
    private const int MinimumCandidateLength = 12;

    private static readonly IReadOnlyList<SecretFormat> Formats = KnownSecretFormats.All;
    private static readonly Entry[]?[] Buckets = new Entry[]?[128];
    private static readonly ulong[] Pairs = new ulong[128 * 128 / 64];

    static SignaturePrefilter()
    {
        var lists = new List<Entry>?[128];
        for (var index = 0; index < Formats.Count; index++)
        {
            var format = Formats[index];
            foreach (var raw in format.Signatures)
            {
                var signature = format.SignaturesIgnoreCase ? raw.ToLowerInvariant() : raw;
                var entry = new Entry(signature, index, format.SignaturesIgnoreCase);
                foreach (var first in Variants(signature[0], format.SignaturesIgnoreCase))
                {
                    (lists[first] ??= []).Add(entry);
                    if (signature.Length < 2)
                    {
                        for (var second = 0; second < 128; second++)
                        {
                            SetPair(first, (char)second);
                        }

                        continue;
                    }

                    // The scanner lowers an upper-case letter after the first character before comparing.
                    SetPair(first, signature[1]);
                    if (format.SignaturesIgnoreCase && signature[1] is >= 'a' and <= 'z')
                    {
                        SetPair(first, char.ToUpperInvariant(signature[1]));
                    }
                }
            }
        }

        for (var c = 0; c < 128; c++)
        {
            Buckets[c] = lists[c]?.ToArray();
        }
    }

    /// <summary>Bit i set when format i's signature occurs in <paramref name="text"/> and so does its required character.</summary>
    public static ulong FindCandidates(string text)
    {
        if (text.Length < MinimumCandidateLength)
        {
            return 0;
        }

        ulong candidates = 0;
        var last = text.Length - 1;
        for (var i = 0; i < last; i++)
        {
            var first = text[i];
            var second = text[i + 1];
            if ((first | second) >= 128)
            {
                continue;
            }

            var pair = (first << 7) | second;
            if ((Pairs[pair >> 6] & (1UL << pair)) == 0)
            {
                continue;
            }

            foreach (var entry in Buckets[first]!)
            {
                if (Matches(text, i, entry))
                {
                    candidates |= 1UL << entry.FormatIndex;
                }
            }
        }

        return candidates == 0 ? 0 : DropFormatsMissingTheirRequiredCharacter(text, candidates);
    }

    private static bool Matches(string text, int start, Entry entry)
    {
        var signature = entry.Signature;
        if (text.Length - start < signature.Length)
        {
            return false;
        }

        for (var k = 1; k < signature.Length; k++)
        {
            var c = text[start + k];
            if (entry.IgnoreCase && c is >= 'A' and <= 'Z')
            {
                c = (char)(c + 32);
            }

            if (c != signature[k])
            {
                return false;
            }
        }

        return true;
    }

    private static ulong DropFormatsMissingTheirRequiredCharacter(string text, ulong candidates)
    {
        for (var index = 0; index < Formats.Count; index++)
        {
            var required = Formats[index].RequiredCharacter;
            if (required != '\0' && (candidates & (1UL << index)) != 0 && !text.Contains(required, StringComparison.Ordinal))
            {
                candidates &= ~(1UL << index);
            }
        }

        return candidates;
    }

    private static char[] Variants(char first, bool ignoreCase) =>
        ignoreCase && char.IsLetter(first) ? [first, char.ToUpperInvariant(first)] : [first];

    private static void SetPair(char first, char second)
    {
        var pair = (first << 7) | second;
        Pairs[pair >> 6] |= 1UL << pair;
    }

    private sealed record Entry(string Signature, int FormatIndex, bool IgnoreCase);
}
