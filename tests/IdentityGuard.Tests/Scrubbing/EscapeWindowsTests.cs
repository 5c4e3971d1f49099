using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IdentityGuard.Scrubbing;
using Xunit;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>
/// The windowed search rests on one property: a window decoded alone gives, level by level, exactly the characters
/// (and original positions) that decoding the whole text gives there. Checked against the former whole-text decoder.
/// </summary>
public sealed class EscapeWindowsTests
{
    private static readonly string[] Pieces =
        ["a", "Zz9", "+", "/", "=", " ", "\"", ".", "\\", "%", "\\\\", "\\u", "\\u00", "\\u002B", "\\u005Cu002B", "\\u005Cu005Cu002B", "%2", "%2B", "%252B", "%25252B", "\\n", "\\/", "u002B", "2B", "%C3%A9", "\\\\u0041"];

    [Fact]
    public void A_window_decoded_alone_matches_the_whole_text_decoded()
    {
        for (var seed = 1; seed <= 3000; seed++)
        {
            var random = new Random(seed);
            var text = new StringBuilder();
            for (var p = random.Next(1, 60); p > 0; p--)
            {
                text.Append(random.Next(4) == 0 ? new string('x', random.Next(40)) : Pieces[random.Next(Pieces.Length)]);
            }

            var original = text.ToString();
            var margin = 8 + random.Next(30);
            var windows = new List<(int Start, int End)>();
            EscapeWindows.Find(original, margin, windows);
            var levels = DecodedView.DecodeLevels(original);

            using var decoder = new WindowDecoder();
            foreach (var (start, end) in windows)
            {
                decoder.Reset(original, start, end);
                var level = 0;
                while (decoder.DecodeNextLevel())
                {
                    var whole = levels[level++];
                    var first = Array.IndexOf(whole.Starts, start);
                    Assert.True(first >= 0, $"seed {seed}: window start {start} falls inside an escape");
                    var windowText = decoder.Text.ToString();
                    Assert.Equal(whole.Text.Substring(first, windowText.Length), windowText);
                    for (var i = 0; i <= windowText.Length; i++)
                    {
                        Assert.Equal(whole.Starts[first + i], decoder.OriginOf(i));
                    }
                }

                // A window that stops changing stops there in the whole text too, or the rest of its levels change nothing here.
                for (; level < levels.Length; level++)
                {
                    var first = Array.IndexOf(levels[level].Starts, start);
                    Assert.Equal(decoder.Text.ToString(), levels[level].Text.Substring(first, decoder.Text.Length));
                }
            }

            // Outside the windows nothing is escaped: the whole text's last level equals the original there.
            var covered = new bool[original.Length];
            foreach (var (start, end) in windows)
            {
                Array.Fill(covered, true, start, end - start);
            }

            Assert.DoesNotContain(Enumerable.Range(0, original.Length), i => !covered[i] && original[i] is '\\' or '%');
        }
    }
}
