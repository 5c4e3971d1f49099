using System;
using System.Collections.Generic;
using System.Text;

namespace IdentityGuard.Scrubbing;

/// <summary>
/// An immutable view of the held values at one moment: every value as it was issued plus the stable middle of its
/// base64 and base64url encodings (at the three byte alignments a surrounding text can give it), so that a token
/// wrapped in a <c>Basic</c> header or a base64 blob is found too. Searched by many threads.
/// </summary>
/// <remarks>
/// Two tiers: a main tier built from every value at the last full build, and a small tier of the values added since.
/// A new value rebuilds only the small tier; it is folded into the main tier when it outgrows
/// <see cref="HeldCredentials.RecentTierLimit"/> search strings. Expiry and forgetting need no rebuild at all: every
/// hit is checked against its entry's current state.
/// </remarks>
internal sealed class HeldSnapshot
{
    private HeldSnapshot(HeldTier main, HeldTier recent, int version)
    {
        Main = main;
        Recent = recent;
        Version = version;
        MaxNeedleLength = Math.Max(main.MaxNeedleLength, recent.MaxNeedleLength);
    }

    /// <summary>The store version this snapshot reflects.</summary>
    public int Version { get; }

    public HeldTier Main { get; }

    public HeldTier Recent { get; }

    /// <summary>Whether nothing is searched for.</summary>
    public bool IsEmpty => Main.IsEmpty && Recent.IsEmpty;

    /// <summary>The longest search string: no match is longer.</summary>
    public int MaxNeedleLength { get; }

    /// <summary>A snapshot built from scratch over <paramref name="entries"/>.</summary>
    public static HeldSnapshot Create(IReadOnlyCollection<HeldEntry> entries, int version) =>
        new(HeldTier.Create(entries, NeedleMatcher.Create), HeldTier.Empty, version);

    /// <summary>This snapshot's main tier with <paramref name="recent"/> as the small tier.</summary>
    /// <remarks>
    /// The small tier is rebuilt for every new value, so it always uses the sampling matcher, whose index is a few
    /// flat arrays; creating a <c>SearchValues</c> costs more than a whole small tier's worth of searching.
    /// </remarks>
    public HeldSnapshot WithRecent(IReadOnlyCollection<HeldEntry> recent, int version) =>
        new(Main, HeldTier.Create(recent, static needles => new StrideMatcher(needles)), version);

    /// <summary>
    /// Adds a finding (in <paramref name="text"/>'s coordinates) for every occurrence of a value live at
    /// <paramref name="now"/>, or of its encoding.
    /// </summary>
    public void FindAll(ReadOnlySpan<char> text, DateTimeOffset now, ref List<Finding>? findings)
    {
        Main.FindAll(text, now, ref findings);
        Recent.FindAll(text, now, ref findings);
    }
}

/// <summary>One matcher over the search strings of a set of held values.</summary>
internal sealed class HeldTier
{
    public static readonly HeldTier Empty = new([], [], NeedleMatcher.Create);

    private readonly string[] _needles;
    private readonly Owner[][] _owners;
    private readonly NeedleMatcher? _matcher;

    private HeldTier(string[] needles, Owner[][] owners, Func<string[], NeedleMatcher> matcher)
    {
        _needles = needles;
        _owners = owners;
        _matcher = needles.Length == 0 ? null : matcher(needles);
        foreach (var needle in needles)
        {
            MaxNeedleLength = Math.Max(MaxNeedleLength, needle.Length);
        }
    }

    public bool IsEmpty => _needles.Length == 0;

    public int NeedleCount => _needles.Length;

    public int MaxNeedleLength { get; }

    public static HeldTier Create(IReadOnlyCollection<HeldEntry> entries, Func<string[], NeedleMatcher> matcher)
    {
        if (entries.Count == 0)
        {
            return Empty;
        }

        var needles = new List<string>(entries.Count * 4);
        var owners = new List<List<Owner>>(entries.Count * 4);
        var index = new Dictionary<string, int>(entries.Count * 4, StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var forms = entry.Needles;
            for (var i = 0; i < forms.Length; i++)
            {
                // Two values can share a search string; each keeps its claim, so forgetting one leaves the other found.
                var owner = new Owner(entry, Encoded: i > 0);
                if (index.TryGetValue(forms[i], out var known))
                {
                    owners[known].Add(owner);
                }
                else
                {
                    index[forms[i]] = needles.Count;
                    needles.Add(forms[i]);
                    owners.Add([owner]);
                }
            }
        }

        var ownerArrays = new Owner[owners.Count][];
        for (var i = 0; i < ownerArrays.Length; i++)
        {
            ownerArrays[i] = owners[i].ToArray();
        }

        return new HeldTier(needles.ToArray(), ownerArrays, matcher);
    }

    public void FindAll(ReadOnlySpan<char> text, DateTimeOffset now, ref List<Finding>? findings)
    {
        if (_matcher is null || text.Length < HeldCredentials.MinimumLength)
        {
            return;
        }

        List<NeedleHit>? hits = null;
        _matcher.FindAll(text, ref hits);
        if (hits is null)
        {
            return;
        }

        foreach (var hit in hits)
        {
            if (LiveOwner(_owners[hit.Needle], now) is not { } owner)
            {
                continue;
            }

            var provider = owner.Entry.State.Provider;
            if (owner.Encoded)
            {
                // The needle is the stable middle of an encoding; take the whole encoded run so no edge of it is left.
                var (start, end) = EncodedForms.ExpandToBase64Run(text, hit.Start, hit.Start + hit.Length);
                (findings ??= []).Add(new Finding(start, end - start, FindingKind.HeldValueEncoded, provider, null));
            }
            else
            {
                (findings ??= []).Add(new Finding(hit.Start, hit.Length, FindingKind.HeldValue, provider, null));
            }
        }
    }

    private static Owner? LiveOwner(Owner[] owners, DateTimeOffset now)
    {
        foreach (var owner in owners)
        {
            if (owner.Entry.IsLiveAt(now))
            {
                return owner;
            }
        }

        return null;
    }

    private readonly record struct Owner(HeldEntry Entry, bool Encoded);
}

/// <summary>Encodings of a held value that a tool may emit without meaning to.</summary>
internal static class EncodedForms
{
    /// <summary>The value itself first, then its distinct base64 cores; strings shorter than the minimum are left out.</summary>
    public static string[] NeedlesOf(string value)
    {
        var needles = new List<string>(7) { value };
        foreach (var core in Base64Cores(value))
        {
            if (core.Length >= HeldCredentials.MinimumLength && !needles.Contains(core))
            {
                needles.Add(core);
            }
        }

        return needles.ToArray();
    }

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
    public static (int Start, int End) ExpandToBase64Run(ReadOnlySpan<char> text, int start, int end)
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

    public static bool IsBase64Character(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/' or '-' or '_';
}
