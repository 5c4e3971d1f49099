using System;

namespace IdentityGuard.Tests.Scrubbing;

/// <summary>
/// The scrubber's former decoder, kept for <see cref="WholeTextReferenceScrubber"/>: the whole text with JSON string escapes (<c>\u002e</c>, <c>\/</c>) and URL percent-escapes (<c>%2E</c>) decoded, and
/// for every decoded character the position of its source in the original, so a credential found in the decoded
/// text is redacted where it really sits, escapes and all. Decoding is repeated (up to three levels) for text that
/// was escaped more than once, such as JSON inside a JSON string.
/// </summary>
internal sealed class DecodedView
{
    private const int MaxLevels = 3;

    private DecodedView(string text, int[] starts)
    {
        Text = text;
        Starts = starts;
    }

    /// <summary>The decoded text.</summary>
    public string Text { get; }

    /// <summary>Original position of each decoded character; the extra last entry is the original length.</summary>
    public int[] Starts { get; }

    /// <summary>Whether <paramref name="text"/> may hold an escape worth decoding.</summary>
    public static bool MayHaveEscapes(string text) => text.AsSpan().IndexOfAny('\\', '%') >= 0;

    /// <summary>
    /// The successively decoded forms of <paramref name="text"/> (one per level that changed anything), each mapped
    /// to the original.
    /// </summary>
    public static DecodedView[] DecodeLevels(string text)
    {
        var levels = new DecodedView[MaxLevels];
        var count = 0;
        var current = text;
        int[]? toOriginal = null;
        while (count < MaxLevels && MayHaveEscapes(current))
        {
            var (decoded, starts) = DecodeOnce(current);
            if (decoded is null)
            {
                break;
            }

            if (toOriginal is not null)
            {
                // Compose: decoded char i came from current[starts[i]], which came from original[toOriginal[...]].
                for (var i = 0; i < starts.Length; i++)
                {
                    starts[i] = toOriginal[starts[i]];
                }
            }

            levels[count++] = new DecodedView(decoded, starts);
            toOriginal = starts;
            current = decoded;
        }

        return count == levels.Length ? levels : levels.AsSpan(0, count).ToArray();
    }

    /// <summary>Maps a span of the decoded text back to the original.</summary>
    public (int Start, int End) ToOriginal(int start, int end) => (Starts[start], Starts[end]);

    private static (string? Decoded, int[] Starts) DecodeOnce(string text)
    {
        var decoded = new char[text.Length];
        var length = 0;
        var starts = new int[text.Length + 1];
        var changed = false;
        var i = 0;
        while (i < text.Length)
        {
            var source = i;
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                var e = text[i + 1];
                if (e == 'u' && TryHex(text, i + 2, 4, out var code))
                {
                    c = (char)code;
                    i += 6;
                }
                else if (Unescape(e) is char simple)
                {
                    c = simple;
                    i += 2;
                }
                else
                {
                    i++;
                }
            }
            else if (c == '%' && TryHex(text, i + 1, 2, out var octet) && octet < 0x80)
            {
                // Only ASCII: every token alphabet is ASCII, and a lone byte of a multi-byte character is not text.
                c = (char)octet;
                i += 3;
            }
            else
            {
                i++;
            }

            changed |= i - source > 1;
            starts[length] = source;
            decoded[length++] = c;
        }

        if (!changed)
        {
            return (null, starts);
        }

        starts[length] = text.Length;
        Array.Resize(ref starts, length + 1);
        return (new string(decoded, 0, length), starts);
    }

    /// <summary>The character a JSON simple escape (<c>\\n</c>, <c>\\/</c>, …) stands for; null for anything else.</summary>
    internal static char? Unescape(char e) => e switch
    {
        '"' => '"',
        '\\' => '\\',
        '/' => '/',
        '\'' => '\'',
        'b' => '\b',
        'f' => '\f',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        _ => null,
    };

    private static bool TryHex(string text, int start, int digits, out int value)
    {
        value = 0;
        if (start + digits > text.Length)
        {
            return false;
        }

        for (var k = start; k < start + digits; k++)
        {
            var d = text[k] switch
            {
                >= '0' and <= '9' => text[k] - '0',
                >= 'a' and <= 'f' => text[k] - 'a' + 10,
                >= 'A' and <= 'F' => text[k] - 'A' + 10,
                _ => -1,
            };
            if (d < 0)
            {
                return false;
            }

            value = (value * 16) + d;
        }

        return true;
    }
}
