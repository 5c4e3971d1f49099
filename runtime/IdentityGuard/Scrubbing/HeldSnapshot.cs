using System;
using System.Collections.Generic;
using System.Text;

namespace IdentityGuard.Scrubbing;

/// <summary>
/// An immutable view of the held values at one moment: every value as it was issued plus the stable middle of its
/// base64 and base64url encodings (at the three byte alignments a surrounding text can give it), so that a token
/// wrapped in a <c>Basic</c> header or a base64 blob is found too. Built once per change, searched by many threads.
/// </summary>
internal sealed class HeldSnapshot
{
    private readonly string[] _needles;
    private readonly NeedleInfo[] _info;
    private readonly NeedleMatcher _matcher;

    private HeldSnapshot(string[] needles, NeedleInfo[] info, int version, DateTimeOffset nextExpiry)
    {
        _needles = needles;
        _info = info;
        Version = version;
        NextExpiry = nextExpiry;
        _matcher = NeedleMatcher.Create(needles);
    }

    /// <summary>The store version this snapshot reflects.</summary>
    public int Version { get; }

    /// <summary>When the first held value expires (the snapshot must be rebuilt then).</summary>
    public DateTimeOffset NextExpiry { get; }

    /// <summary>Whether nothing is held.</summary>
    public bool IsEmpty => _needles.Length == 0;

    public static HeldSnapshot Create(IReadOnlyList<KeyValuePair<string, HeldValue>> live, int version)
    {
        var needles = new List<string>(live.Count * 4);
        var info = new List<NeedleInfo>(live.Count * 4);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var nextExpiry = DateTimeOffset.MaxValue;
        foreach (var (value, held) in live)
        {
            if (held.ExpiresAt < nextExpiry)
            {
                nextExpiry = held.ExpiresAt;
            }

            Add(value, new NeedleInfo(held.Provider, Encoded: false));
            foreach (var core in EncodedForms.Base64Cores(value))
            {
                Add(core, new NeedleInfo(held.Provider, Encoded: true));
            }
        }

        return new HeldSnapshot(needles.ToArray(), info.ToArray(), version, nextExpiry);

        void Add(string needle, NeedleInfo about)
        {
            if (needle.Length >= HeldCredentials.MinimumLength && seen.Add(needle))
            {
                needles.Add(needle);
                info.Add(about);
            }
        }
    }

    /// <summary>Adds a finding for every occurrence of a held value (or its encoding) in <paramref name="text"/>.</summary>
    public void FindAll(string text, ref List<Finding>? findings)
    {
        if (_needles.Length == 0)
        {
            return;
        }

        List<NeedleHit>? hits = null;
        _matcher.FindAll(text, ref hits);
        if (hits is null)
        {
            return;
        }

        findings ??= [];
        foreach (var hit in hits)
        {
            var about = _info[hit.Needle];
            if (about.Encoded)
            {
                // The needle is the stable middle of an encoding; take the whole encoded run so no edge of it is left.
                var (start, end) = EncodedForms.ExpandToBase64Run(text, hit.Start, hit.Start + hit.Length);
                findings.Add(new Finding(start, end - start, FindingKind.HeldValueEncoded, about.Provider, null));
            }
            else
            {
                findings.Add(new Finding(hit.Start, hit.Length, FindingKind.HeldValue, about.Provider, null));
            }
        }
    }

    private readonly record struct NeedleInfo(string? Provider, bool Encoded);
}

/// <summary>Encodings of a held value that a tool may emit without meaning to.</summary>
internal static class EncodedForms
{
    /// <summary>
    /// The characters of the base64 and base64url encodings of <paramref name="value"/> that depend only on the
    /// value, for each of the three offsets (mod 3) at which it can start inside a longer encoded text (as in
    /// <c>base64("client:" + secret)</c>).
    /// </summary>
    public static IEnumerable<string> Base64Cores(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        for (var offset = 0; offset < 3; offset++)
        {
            var padded = new byte[offset + bytes.Length];
            bytes.CopyTo(padded, offset);
            var encoded = Convert.ToBase64String(padded);

            // Character k carries bits [6k, 6k + 6); keep those that lie wholly within the value's bytes.
            var first = ((offset * 8) + 5) / 6;
            var end = (padded.Length * 8) / 6;
            if (end - first <= 0)
            {
                continue;
            }

            var core = encoded.Substring(first, end - first);
            yield return core;
            var url = core.Replace('+', '-').Replace('/', '_');
            if (!string.Equals(url, core, StringComparison.Ordinal))
            {
                yield return url;
            }
        }
    }

    /// <summary>Widens [start, end) to the run of base64/base64url characters (and padding) around it.</summary>
    public static (int Start, int End) ExpandToBase64Run(string text, int start, int end)
    {
        while (start > 0 && IsBase64Character(text[start - 1]))
        {
            start--;
        }

        while (end < text.Length && IsBase64Character(text[end]))
        {
            end++;
        }

        while (end < text.Length && text[end] == '=')
        {
            end++;
        }

        return (start, end);
    }

    private static bool IsBase64Character(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '-' or '_';
}
