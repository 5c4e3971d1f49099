using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
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
    /// falls back to a scalar automaton, and the sampling matcher, whose cost per character does not depend on the
    /// number of needles, is several times faster (measured with 350 needles on 64 KB, see docs/performance.md).
    /// </summary>
    public static NeedleMatcher Create(string[] needles) =>
#if NET9_0_OR_GREATER
        needles.Length <= SearchValuesLimit ? new SearchValuesMatcher(needles) : new StrideMatcher(needles);
#else
        new StrideMatcher(needles);
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
/// Any framework, any number of needles: every needle's first characters are indexed as 8-character blocks at each
/// offset below a stride, and the text is sampled only every stride characters (a needle of length L is sure to
/// cover one sampled block when the stride is at most L - 7). A sample costs two 8-byte reads, a multiply-xor hash
/// and one bit test in a filter sized to the number of blocks, so long needles are found at a small fraction of a
/// cost per character.
/// </summary>
internal sealed class StrideMatcher : NeedleMatcher
{
    private const int Block = 8;

    // Eight keeps the index (needles × stride entries) small enough to rebuild quickly for thousands of values.
    private const int MaxStride = 8;

    private readonly string[] _needles;
    private readonly int _stride;
    private readonly ulong[] _filter;
    private readonly int _filterShift;

    // An open-addressing table from block hash to a chain of (needle, offset) entries, in flat arrays: building it
    // allocates a handful of arrays whatever the number of needles.
    private readonly ulong[] _keys;
    private readonly int[] _heads;
    private readonly int _mask;
    private readonly int[] _next;
    private readonly int[] _entryNeedle;
    private readonly int[] _entryOffset;

    public StrideMatcher(string[] needles)
    {
        _needles = needles;
        var shortest = int.MaxValue;
        foreach (var needle in needles)
        {
            if (needle.Length < Block)
            {
                throw new ArgumentException("Every needle must have at least " + Block + " characters.", nameof(needles));
            }

            shortest = Math.Min(shortest, needle.Length);
        }

        _stride = needles.Length == 0 ? 1 : Math.Min(MaxStride, shortest - Block + 1);
        var blocks = needles.Length * _stride;

        // About 8 filter bits per indexed block, between 64 Kbit (fits the L1 cache) and 4 Mbit.
        var bits = 16;
        while (bits < 22 && (1L << bits) < (long)blocks * 8)
        {
            bits++;
        }

        _filter = new ulong[(1 << bits) / 64];
        _filterShift = 64 - bits;

        var slots = 16;
        while (slots < blocks * 2)
        {
            slots *= 2;
        }

        _keys = new ulong[slots];
        _heads = new int[slots];
        _mask = slots - 1;
        _next = new int[blocks];
        _entryNeedle = new int[blocks];
        _entryOffset = new int[blocks];
        var entry = 0;
        for (var i = 0; i < needles.Length; i++)
        {
            for (var offset = 0; offset < _stride; offset++, entry++)
            {
                var hash = Hash(needles[i].AsSpan(offset, Block));
                var bit = (int)(hash >> _filterShift);
                _filter[bit >> 6] |= 1UL << bit;
                var slot = (int)hash & _mask;
                while (_heads[slot] != 0 && _keys[slot] != hash)
                {
                    slot = (slot + 1) & _mask;
                }

                _keys[slot] = hash;
                _next[entry] = _heads[slot];
                _heads[slot] = entry + 1;
                _entryNeedle[entry] = i;
                _entryOffset[entry] = offset;
            }
        }
    }

    public override void FindAll(ReadOnlySpan<char> text, ref List<NeedleHit>? hits)
    {
        if (_needles.Length == 0)
        {
            return;
        }

        for (var sample = 0; sample + Block <= text.Length; sample += _stride)
        {
            var hash = Hash(text.Slice(sample, Block));
            var bit = (int)(hash >> _filterShift);
            if ((_filter[bit >> 6] & (1UL << bit)) == 0)
            {
                continue;
            }

            var slot = (int)hash & _mask;
            while (_heads[slot] != 0 && _keys[slot] != hash)
            {
                slot = (slot + 1) & _mask;
            }

            for (var entry = _heads[slot]; entry != 0; entry = _next[entry - 1])
            {
                // Each occurrence covers exactly one sample at an offset below the stride: it is reported once.
                var index = _entryNeedle[entry - 1];
                var start = sample - _entryOffset[entry - 1];
                if (start >= 0 && text[start..].StartsWith(_needles[index], StringComparison.Ordinal))
                {
                    (hits ??= []).Add(new NeedleHit(start, _needles[index].Length, index));
                }
            }
        }
    }

    private static ulong Hash(ReadOnlySpan<char> block)
    {
        var bytes = MemoryMarshal.AsBytes(block);
        var low = MemoryMarshal.Read<ulong>(bytes);
        var high = MemoryMarshal.Read<ulong>(bytes[8..]);
        var hash = unchecked((low * 0x9E3779B97F4A7C15UL) ^ (high * 0xC2B2AE3D27D4EB4FUL));
        return hash ^ (hash >> 29);
    }
}
