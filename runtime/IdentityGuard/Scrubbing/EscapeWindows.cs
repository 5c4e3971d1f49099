using System;
using System.Buffers;
using System.Collections.Generic;

namespace IdentityGuard.Scrubbing;

/// <summary>
/// The neighbourhoods of a text's escapes (<c>\</c> and <c>%</c>), each decoded on its own into pooled buffers, so
/// that text with a few escapes is not decoded and searched a second time whole.
/// </summary>
/// <remarks>
/// A window is every escape of a cluster widened on both sides by <c>margin</c> characters plus the longest stretch
/// an escape can reach when decoded three times, then widened further over any adjacent run of base64 characters
/// (a hit of a base64 core is widened to its whole run, which may continue through an escape). Windows that touch
/// are merged. So every window begins and ends on a plain character that no escape reaches: decoding the window
/// alone gives exactly the characters decoding the whole text gives there, and any match that involves a decoded
/// character lies inside one window. Outside the windows the decoded text is the original text, already searched.
/// </remarks>
internal static class EscapeWindows
{
    /// <summary>
    /// How far to the right of its backslash or percent sign one escape can reach, decoded up to three times
    /// (<c>\u005Cu005Cu002B</c> is 16 characters): 24 leaves room.
    /// </summary>
    private const int Reach = 24;

    /// <summary>Whether <paramref name="text"/> may hold an escape worth decoding.</summary>
    public static bool MayHaveEscapes(ReadOnlySpan<char> text) => text.IndexOfAny('\\', '%') >= 0;

    /// <summary>Adds the windows of <paramref name="text"/> (start, end) in order; false when there is no escape.</summary>
    public static bool Find(ReadOnlySpan<char> text, int margin, List<(int Start, int End)> windows)
    {
        var start = -1;
        var end = -1;
        for (var from = 0; from < text.Length;)
        {
            var found = text[from..].IndexOfAny('\\', '%');
            if (found < 0)
            {
                break;
            }

            var site = from + found;
            var low = Math.Max(0, site - margin);
            if (start < 0 || low > end)
            {
                low = WidenLeft(text, low);
            }

            var high = WidenRight(text, Math.Min(text.Length, site + Reach + margin));
            if (start >= 0 && low <= end)
            {
                end = Math.Max(end, high);
            }
            else
            {
                if (start >= 0)
                {
                    windows.Add((start, end));
                }

                (start, end) = (low, high);
            }

            // An escape whose reach ends inside the window cannot widen it: search on from where one could.
            from = Math.Max(site + 1, end - Reach - margin + 1);
        }

        if (start < 0)
        {
            return false;
        }

        windows.Add((start, end));
        return true;
    }

    private static int WidenLeft(ReadOnlySpan<char> text, int index)
    {
        while (index > 0 && IsRunCharacter(text[index - 1]))
        {
            index--;
        }

        return index;
    }

    private static int WidenRight(ReadOnlySpan<char> text, int index)
    {
        while (index < text.Length && IsRunCharacter(text[index]))
        {
            index++;
        }

        return index;
    }

    private static bool IsRunCharacter(char c) => c == '=' || EncodedForms.IsBase64Character(c);
}

/// <summary>
/// One window (or the whole text) decoded level by level: JSON string escapes (<c>\u002e</c>, <c>\/</c>) and ASCII
/// URL percent-escapes (<c>%2E</c>; a lone byte of a multi-byte character is not text), up to three levels for text
/// escaped more than once (JSON inside a JSON string), in buffers rented from the shared pools. For every decoded
/// character it keeps its position in the original text and whether an escape produced it.
/// </summary>
internal sealed class WindowDecoder : IDisposable
{
    private const int MaxLevels = 3;

    private char[] _text = [];
    private int[] _origin = [];
    private bool[] _derived = [];
    private char[] _nextText = [];
    private int[] _nextOrigin = [];
    private bool[] _nextDerived = [];
    private int _length;
    private int _level;

    /// <summary>The current level's decoded characters.</summary>
    public ReadOnlySpan<char> Text => _text.AsSpan(0, _length);

    /// <summary>For each decoded character, whether an escape produced it at some level.</summary>
    public ReadOnlySpan<bool> Derived => _derived.AsSpan(0, _length);

    /// <summary>The original position where decoded character <paramref name="index"/> begins; index = length gives the window's end.</summary>
    public int OriginOf(int index) => _origin[index];

    /// <summary>Starts on the window [<paramref name="start"/>, <paramref name="end"/>) of <paramref name="original"/>.</summary>
    public void Reset(ReadOnlySpan<char> original, int start, int end)
    {
        var length = end - start;
        Ensure(ref _text, length);
        Ensure(ref _origin, length + 1);
        Ensure(ref _derived, length);
        Ensure(ref _nextText, length);
        Ensure(ref _nextOrigin, length + 1);
        Ensure(ref _nextDerived, length);
        original[start..end].CopyTo(_text);
        for (var i = 0; i <= length; i++)
        {
            _origin[i] = start + i;
        }

        Array.Clear(_derived, 0, length);
        _length = length;
        _level = 0;
    }

    /// <summary>Decodes one more level; false when the levels are used up or nothing changed.</summary>
    public bool DecodeNextLevel()
    {
        if (_level == MaxLevels || Text.IndexOfAny('\\', '%') < 0)
        {
            return false;
        }

        var text = Text;
        var length = 0;
        var changed = false;
        var i = 0;
        while (i < text.Length)
        {
            // Plain characters up to the next possible escape are copied as they are, in bulk.
            var plain = text[i..].IndexOfAny('\\', '%');
            var run = plain < 0 ? text.Length - i : plain;
            if (run > 0)
            {
                text.Slice(i, run).CopyTo(_nextText.AsSpan(length));
                _origin.AsSpan(i, run).CopyTo(_nextOrigin.AsSpan(length));
                _derived.AsSpan(i, run).CopyTo(_nextDerived.AsSpan(length));
                length += run;
                i += run;
                if (i == text.Length)
                {
                    break;
                }
            }

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
                c = (char)octet;
                i += 3;
            }
            else
            {
                i++;
            }

            var escape = i - source > 1;
            changed |= escape;
            _nextOrigin[length] = _origin[source];
            _nextDerived[length] = escape || _derived[source];
            _nextText[length++] = c;
        }

        if (!changed)
        {
            return false;
        }

        _nextOrigin[length] = _origin[text.Length];
        (_text, _nextText) = (_nextText, _text);
        (_origin, _nextOrigin) = (_nextOrigin, _origin);
        (_derived, _nextDerived) = (_nextDerived, _derived);
        _length = length;
        _level++;
        return true;
    }

    public void Dispose()
    {
        Return(ref _text);
        Return(ref _nextText);
        Return(ref _origin);
        Return(ref _nextOrigin);
        Return(ref _derived);
        Return(ref _nextDerived);
    }

    private static void Ensure<T>(ref T[] buffer, int length)
    {
        if (buffer.Length < length)
        {
            Return(ref buffer);
            buffer = ArrayPool<T>.Shared.Rent(length);
        }
    }

    private static void Return<T>(ref T[] buffer)
    {
        if (buffer.Length > 0)
        {
            // Decoded text may hold a credential: it does not stay behind in the shared pool.
            ArrayPool<T>.Shared.Return(buffer, clearArray: typeof(T) == typeof(char));
            buffer = [];
        }
    }

    /// <summary>The character a JSON simple escape (<c>\n</c>, <c>\/</c>, …) stands for; null for anything else.</summary>
    private static char? Unescape(char e) => e switch
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

    private static bool TryHex(ReadOnlySpan<char> text, int start, int digits, out int value)
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
