using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace IdentityGuard.Generators.Emit;

/// <summary>Writes indented C# with '\n' line ends, so the output is identical on every OS.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public CodeWriter Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
            _builder.Append(text);
        }

        _builder.Append('\n');
        return this;
    }

    /// <summary>Writes <paramref name="header"/> (a declaration or statement head), then an opening brace, and indents.</summary>
    public CodeWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    public CodeWriter Close()
    {
        _indent--;
        Line("}");
        return this;
    }

    public override string ToString() => _builder.ToString();

    /// <summary>A C# string literal for <paramref name="value"/>, escaped by the compiler's own rules.</summary>
    public static string Literal(string value) => SymbolDisplay.FormatLiteral(value, quote: true);

    /// <summary>
    /// Text safe inside an XML doc comment: markup characters are escaped, and characters that would end the
    /// <c>///</c> line (any line break, including U+0085, U+2028 and U+2029) or are invisible become escapes.
    /// </summary>
    public static string XmlText(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            switch (c)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                default:
                    if (char.IsControl(c) || char.IsSurrogate(c) ||
                        char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format)
                    {
                        builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.ToString();
    }
}
