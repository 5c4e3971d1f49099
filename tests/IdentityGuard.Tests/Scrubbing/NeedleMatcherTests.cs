using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using IdentityGuard.Scrubbing;
using Xunit;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>
/// Held values are searched with SearchValues (.NET 9+, small sets) or the sampling matcher (large sets, and every
/// set on .NET 8); tests run on .NET 10, so both matchers are checked here against a plain IndexOf oracle.
/// </summary>
public sealed class NeedleMatcherTests
{
    public static TheoryData<string> Matchers => new() { "stride", "search-values" };

    [Theory]
    [MemberData(nameof(Matchers))]
    public void Finds_exactly_the_occurrences_a_naive_search_finds(string kind)
    {
        for (var round = 0; round < 36; round++)
        {
            // The shortest needle sets the sampling stride: 1, then 8 (the most).
            var shortest = (round % 3) switch { 0 => 8, 1 => 15, _ => 24 };
            var count = round % 4 == 0 ? 500 : 1 + RandomNumberGenerator.GetInt32(60);
            var needles = Enumerable.Range(0, count).Select(_ => (ScrubberFixture.OpaqueToken() + ScrubberFixture.OpaqueToken())[..(shortest + RandomNumberGenerator.GetInt32(32))]).Distinct().ToArray();
            var text = string.Concat(Enumerable.Range(0, 200).Select(i => i % 7 == 0 ? needles[RandomNumberGenerator.GetInt32(needles.Length)] : ScrubberFixture.OpaqueToken()[..5] + " "));
            var matcher = Create(kind, needles);

            List<NeedleHit>? found = null;
            matcher.FindAll(text, ref found);
            var hits = found ?? [];

            var expected = new HashSet<(int, int)>();
            for (var n = 0; n < needles.Length; n++)
            {
                for (var at = text.IndexOf(needles[n], StringComparison.Ordinal); at >= 0; at = text.IndexOf(needles[n], at + 1, StringComparison.Ordinal))
                {
                    expected.Add((at, at + needles[n].Length));
                }
            }

            // Every occurrence is covered by some hit (the SearchValues matcher reports the longest needle at a position).
            foreach (var (start, end) in expected)
            {
                Assert.Contains(hits, h => h.Start <= start && h.Start + h.Length >= end);
            }

            Assert.All(hits, h => Assert.Equal(needles[h.Needle], text.Substring(h.Start, h.Length)));
        }
    }

    [Theory]
    [MemberData(nameof(Matchers))]
    public void Finds_a_needle_at_the_very_start_and_end(string kind)
    {
        var matcher = Create(kind, ["abcdefgh12", "zyxwvuts"]);
        List<NeedleHit>? hits = null;

        matcher.FindAll("abcdefgh12 middle zyxwvuts", ref hits);

        Assert.Equal(new[] { 0, 18 }, hits!.Select(h => h.Start).Order());
    }

    private static NeedleMatcher Create(string kind, string[] needles) =>
        kind == "stride" ? new StrideMatcher(needles) : new SearchValuesMatcher(needles);
}
