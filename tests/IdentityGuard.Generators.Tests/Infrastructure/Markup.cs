using System;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Generators.Tests.Infrastructure;

/// <summary>
/// Test manifests mark the expected diagnostic span with <c>[|</c> and <c>|]</c>. The line and column are counted
/// here independently of Roslyn's <see cref="SourceText"/>, so a wrong mapping in the generator cannot hide.
/// </summary>
internal static class Markup
{
    public static (string Text, LinePositionSpan Span) Parse(string markup)
    {
        var start = markup.IndexOf("[|", StringComparison.Ordinal);
        var end = markup.IndexOf("|]", StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new ArgumentException("The markup has no [| |] span.", nameof(markup));
        }

        var text = markup.Remove(end, 2).Remove(start, 2);
        return (text, new LinePositionSpan(PositionOf(text, start), PositionOf(text, end - 2)));
    }

    private static LinePosition PositionOf(string text, int offset)
    {
        int line = 0, column = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 0;
            }
            else
            {
                column++;
            }
        }

        return new LinePosition(line, column);
    }
}
