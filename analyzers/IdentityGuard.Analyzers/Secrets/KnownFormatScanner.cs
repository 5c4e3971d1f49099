using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>A known-format credential found in a value: which format, and where in the value.</summary>
internal readonly struct KnownFormatMatch
{
    public KnownFormatMatch(SecretFormat format, int start, int length)
    {
        Format = format;
        Start = start;
        Length = length;
    }

    public SecretFormat Format { get; }

    public int Start { get; }

    public int Length { get; }

    public int End => Start + Length;
}

/// <summary>
/// Finds known-format credentials in a value. One pass over the value collects which formats' short
/// signatures occur (no allocation, no regex); only those formats' patterns run afterwards. This is
/// the shape of Microsoft.Security.Utilities' scanner: most literals in a code base carry no signature
/// at all and cost one linear scan.
/// </summary>
internal static class KnownFormatScanner
{
    private static readonly IReadOnlyList<SecretFormat> Formats = KnownSecretFormats.All;

    // Signatures bucketed by their first character (ASCII only; every signature starts with one).
    private static readonly SignatureEntry[]?[] Buckets = BuildBuckets();

    // Formats that have no signature of their own and are recognised through the bound name.
    private static readonly SecretFormat[] PairedFormats = BuildPairedFormats();

    /// <summary>Shorter than the shortest signature-bearing format (a URL with user information).</summary>
    private const int MinimumCandidateLength = 12;

    /// <summary>
    /// Bit i set when format i's signature occurs in the value. A ulong keeps the pre-filter
    /// allocation-free; the catalog is limited to 64 formats (asserted at type initialisation).
    /// </summary>
    public static ulong FindCandidates(string value)
    {
        if (value.Length < MinimumCandidateLength)
        {
            return 0;
        }

        ulong candidates = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 128)
            {
                continue;
            }

            var bucket = Buckets[c];
            if (bucket is null)
            {
                continue;
            }

            foreach (var entry in bucket)
            {
                if (Matches(value, i, entry))
                {
                    candidates |= 1UL << entry.FormatIndex;
                }
            }
        }

        if (candidates != 0)
        {
            candidates = DropFormatsMissingTheirRequiredCharacter(value, candidates);
        }

        return candidates;
    }

    /// <summary>The first validated known-format credential in the value, if any.</summary>
    public static KnownFormatMatch? Scan(string value, ulong candidates)
    {
        KnownFormatMatch? best = null;
        for (var index = 0; index < Formats.Count; index++)
        {
            if ((candidates & (1UL << index)) == 0)
            {
                continue;
            }

            var found = Run(Formats[index], value);
            if (found is { } match && (best is null || match.Start < best.Value.Start))
            {
                best = match;
            }
        }

        return best;
    }

    /// <summary>Every validated known-format credential in the value (used where parts must be told apart).</summary>
    public static List<KnownFormatMatch> ScanAll(string value)
    {
        var matches = new List<KnownFormatMatch>();
        var candidates = FindCandidates(value);
        for (var index = 0; index < Formats.Count && candidates != 0; index++)
        {
            if ((candidates & (1UL << index)) != 0)
            {
                Run(Formats[index], value, matches);
            }
        }

        return matches;
    }

    /// <summary>
    /// Formats whose values have no signature (an AWS secret key is 40 base64 characters): the
    /// symbol's name supplies the missing evidence. <paramref name="normalizedName"/> is lower-case
    /// letters and digits only.
    /// </summary>
    public static SecretFormat? MatchByName(string value, string normalizedName)
    {
        foreach (var format in PairedFormats)
        {
            if (!NameMatches(format.PairedNames!, normalizedName))
            {
                continue;
            }

            try
            {
                if (format.PairedValue!.IsMatch(value)
                    && SecretHeuristics.ShannonEntropy(value) > format.PairedMinEntropy
                    && !SecretHeuristics.LooksLikeDocumentationExample(value)
                    && !PublicEmulatorKeys.Is(value))
                {
                    return format;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // A value that defeats the pattern in time is not evidence of anything.
            }
        }

        return null;
    }

    /// <summary>Cheap shape test so names are only resolved for values a paired format could accept.</summary>
    public static bool CouldMatchByName(string value)
    {
        var length = value.Length;
        if (length != 32 && length != 40 && length != 88)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '='))
            {
                return false;
            }
        }

        return true;
    }

    private static KnownFormatMatch? Run(SecretFormat format, string value, List<KnownFormatMatch>? all = null)
    {
        try
        {
            for (var match = format.Pattern!.Match(value); match.Success; match = match.NextMatch())
            {
                if (format.Validate is not null && !format.Validate(value, match))
                {
                    continue;
                }

                if (format.RejectDocumentationExamples && SecretHeuristics.LooksLikeDocumentationExample(match.Value))
                {
                    continue;
                }

                if (PublicEmulatorKeys.EndsMatch(value, match.Index, match.Length))
                {
                    continue;
                }

                var found = new KnownFormatMatch(format, match.Index, match.Length);
                if (all is null)
                {
                    return found;
                }

                all.Add(found);
            }
        }
        catch (RegexMatchTimeoutException)
        {
            // Treat as no match: a diagnostic we cannot justify is worse than a missed one here,
            // and IG0002 still looks at the value.
        }

        return null;
    }

    private static ulong DropFormatsMissingTheirRequiredCharacter(string value, ulong candidates)
    {
        for (var index = 0; index < Formats.Count; index++)
        {
            var required = Formats[index].RequiredCharacter;
            if (required != '\0' && (candidates & (1UL << index)) != 0 && value.IndexOf(required) < 0)
            {
                candidates &= ~(1UL << index);
            }
        }

        return candidates;
    }

    private static bool NameMatches(string[][] groups, string normalizedName)
    {
        foreach (var group in groups)
        {
            var all = true;
            foreach (var word in group)
            {
                if (normalizedName.IndexOf(word, StringComparison.Ordinal) < 0)
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(string value, int start, SignatureEntry entry)
    {
        var signature = entry.Signature;
        if (value.Length - start < signature.Length)
        {
            return false;
        }

        for (var k = 1; k < signature.Length; k++)
        {
            var c = value[start + k];
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

    private static SignatureEntry[]?[] BuildBuckets()
    {
        if (Formats.Count > 64)
        {
            throw new InvalidOperationException("The pre-filter keeps candidate formats in a 64-bit mask; split the catalog before adding more formats.");
        }

        var lists = new List<SignatureEntry>?[128];
        for (var index = 0; index < Formats.Count; index++)
        {
            var format = Formats[index];
            foreach (var raw in format.Signatures)
            {
                var signature = format.SignaturesIgnoreCase ? raw.ToLowerInvariant() : raw;
                var entry = new SignatureEntry(signature, index, format.SignaturesIgnoreCase);
                Add(lists, signature[0], entry);
                if (format.SignaturesIgnoreCase && char.IsLetter(signature[0]))
                {
                    Add(lists, char.ToUpperInvariant(signature[0]), entry);
                }
            }
        }

        var buckets = new SignatureEntry[]?[128];
        for (var c = 0; c < 128; c++)
        {
            buckets[c] = lists[c]?.ToArray();
        }

        return buckets;
    }

    private static void Add(List<SignatureEntry>?[] lists, char first, SignatureEntry entry) =>
        (lists[first] ??= new List<SignatureEntry>()).Add(entry);

    private static SecretFormat[] BuildPairedFormats()
    {
        var paired = new List<SecretFormat>();
        foreach (var format in Formats)
        {
            if (format.PairedNames is not null)
            {
                paired.Add(format);
            }
        }

        return paired.ToArray();
    }

    private sealed class SignatureEntry
    {
        public SignatureEntry(string signature, int formatIndex, bool ignoreCase)
        {
            Signature = signature;
            FormatIndex = formatIndex;
            IgnoreCase = ignoreCase;
        }

        public string Signature { get; }

        public int FormatIndex { get; }

        public bool IgnoreCase { get; }
    }
}
