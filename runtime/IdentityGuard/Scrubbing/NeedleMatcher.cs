using System;
using System.Collections.Generic;
#if NET9_0_OR_GREATER
using System.Buffers;
#endif

namespace IdentityGuard.Scrubbing;

/// <summary>Where one needle occurs in a text.</summary>
internal readonly record struct NeedleHit(int Start, int Length, int Needle);

/// <summary>
/// Finds every occurrence of a fixed set of strings (the held values and their encodings) in one pass, whatever
/// their number: scrubbing cost must not grow with the number of tokens the process holds.
/// </summary>
internal abstract class NeedleMatcher
{
    /// <summary>
    /// The faster matcher for this set. <c>SearchValues</c> (vectorized) wins for a few dozen needles; beyond that it
    /// falls back to a scalar automaton, and the rolling hash, whose cost per character does not depend on the
    /// number of needles, is several times faster (measured with 350 needles on 64 KB, see docs/performance.md).
    /// </summary>
    public static NeedleMatcher Create(string[] needles) =>
#if NET9_0_OR_GREATER
        needles.Length <= SearchValuesLimit ? new SearchValuesMatcher(needles) : new RollingHashMatcher(needles);
#else
        new RollingHashMatcher(needles);
#endif

    /// <summary>Up to this many needles, <c>SearchValues</c> is used where available.</summary>
    internal const int SearchValuesLimit = 64;

    /// <summary>Adds every occurrence of any needle in <paramref name="text"/> to <paramref name="hits"/>.</summary>
    public abstract void FindAll(ReadOnlySpan<char> text, ref List<NeedleHit>? hits);

    /// <summary>Needles grouped by first character, longest first, to tell which needle starts at a position.</summary>
    protected static Dictionary<char, int[]> ByFirstCharacter(string[] needles)
    {
        var groups = new Dictionary<char, List<int>>();
        for (var i = 0; i < needles.Length; i++)
        {
            if (!groups.TryGetValue(needles[i][0], out var list))
            {
                groups[needles[i][0]] = list = [];
            }

            list.Add(i);
        }

        var result = new Dictionary<char, int[]>(groups.Count);
        foreach (var (first, list) in groups)
        {
            list.Sort((a, b) => needles[b].Length.CompareTo(needles[a].Length));
            result[first] = list.ToArray();
        }

        return result;
    }
}

#if NET9_0_OR_GREATER
/// <summary>
/// .NET 9+: <see cref="SearchValues{T}"/> of strings, a vectorized multi-string search (Teddy, falling back to
/// Aho-Corasick for large sets), so clean text is skipped at memory speed.
/// </summary>
internal sealed class SearchValuesMatcher : NeedleMatcher
{
    private readonly string[] _needles;
    private readonly SearchValues<string> _values;
    private readonly Dictionary<char, int[]> _byFirst;

    public SearchValuesMatcher(string[] needles)
    {
        _needles = needles;
        _values = SearchValues.Create(needles, StringComparison.Ordinal);
        _byFirst = ByFirstCharacter(needles);
    }

    public override void FindAll(ReadOnlySpan<char> text, ref List<NeedleHit>? hits)
    {
        var position = 0;
        while (position < text.Length)
        {
            var found = text[position..].IndexOfAny(_values);
            if (found < 0)
            {
                return;
            }

            var start = position + found;
            foreach (var index in _byFirst[text[start]])
            {
                if (text[start..].StartsWith(_needles[index], StringComparison.Ordinal))
                {
                    (hits ??= []).Add(new NeedleHit(start, _needles[index].Length, index));
                    break;
                }
            }

            // One step on: another needle may begin inside this one (redactions are merged later).
            position = start + 1;
        }
    }
}
#endif

/// <summary>
/// Any framework: a Rabin-Karp rolling hash over a window as long as the shortest needle, with a 64 Kbit filter in
/// front of the table, so each character costs a multiply, an add and one bit test.
/// </summary>
internal sealed class RollingHashMatcher : NeedleMatcher
{
    private const ulong Base = 1_000_003;

    private readonly string[] _needles;
    private readonly int _window;
    private readonly ulong _dropFactor;
    private readonly ulong[] _filter = new ulong[1024];
    private readonly Dictionary<ulong, int[]> _table;

    public RollingHashMatcher(string[] needles)
    {
        _needles = needles;
        _window = int.MaxValue;
        foreach (var needle in needles)
        {
            _window = Math.Min(_window, needle.Length);
        }

        _window = needles.Length == 0 ? 1 : Math.Min(_window, 16);
        _dropFactor = 1;
        for (var i = 0; i < _window - 1; i++)
        {
            _dropFactor *= Base;
        }

        var table = new Dictionary<ulong, List<int>>();
        for (var i = 0; i < needles.Length; i++)
        {
            var hash = Hash(needles[i].AsSpan(0, _window));
            SetFilter(hash);
            if (!table.TryGetValue(hash, out var list))
            {
                table[hash] = list = [];
            }

            list.Add(i);
        }

        _table = new Dictionary<ulong, int[]>(table.Count);
        foreach (var (hash, list) in table)
        {
            _table[hash] = list.ToArray();
        }
    }

    public override void FindAll(ReadOnlySpan<char> text, ref List<NeedleHit>? hits)
    {
        if (_needles.Length == 0 || text.Length < _window)
        {
            return;
        }

        var hash = Hash(text[.._window]);
        for (var start = 0; ; start++)
        {
            if (InFilter(hash) && _table.TryGetValue(hash, out var candidates))
            {
                foreach (var index in candidates)
                {
                    if (text[start..].StartsWith(_needles[index], StringComparison.Ordinal))
                    {
                        (hits ??= []).Add(new NeedleHit(start, _needles[index].Length, index));
                    }
                }
            }

            var next = start + _window;
            if (next >= text.Length)
            {
                return;
            }

            // unchecked: the hash is arithmetic modulo 2^64 by design.
            hash = unchecked(((hash - (text[start] * _dropFactor)) * Base) + text[next]);
        }
    }

    private static ulong Hash(ReadOnlySpan<char> window)
    {
        ulong hash = 0;
        foreach (var c in window)
        {
            hash = unchecked((hash * Base) + c);
        }

        return hash;
    }

    private static int FilterBit(ulong hash) => (int)((hash * 0x9E3779B97F4A7C15UL) >> 48);

    private void SetFilter(ulong hash)
    {
        var bit = FilterBit(hash);
        _filter[bit >> 6] |= 1UL << (bit & 63);
    }

    private bool InFilter(ulong hash)
    {
        var bit = FilterBit(hash);
        return (_filter[bit >> 6] & (1UL << (bit & 63))) != 0;
    }
}
