using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.ManifestContract;

/// <summary>The result of <see cref="JsonReader.Parse"/>: a root value, or the first syntax error and where it is.</summary>
internal readonly struct JsonParseResult
{
    private JsonParseResult(JsonNode? root, string? error, TextSpan errorSpan)
    {
        Root = root;
        Error = error;
        ErrorSpan = errorSpan;
    }

    public JsonNode? Root { get; }

    public string? Error { get; }

    public TextSpan ErrorSpan { get; }

    public static JsonParseResult Success(JsonNode root) => new(root, null, default);

    public static JsonParseResult Failure(string error, TextSpan span) => new(null, error, span);
}

/// <summary>
/// A strict RFC 8259 JSON reader that keeps the span of every key and value. It is total: any input, however
/// broken, yields a tree or one error with a position, never an exception. We do not use System.Text.Json
/// because the analyzer host (Visual Studio on .NET Framework) may not provide it, and it would not give us
/// spans of keys anyway.
/// </summary>
internal sealed class JsonReader
{
    // Deep nesting is never meaningful in a manifest; the limit keeps recursion far from a stack overflow,
    // which would crash the compiler rather than surface as a diagnostic.
    private const int MaxDepth = 64;

    private readonly string _text;
    private int _position;
    private string? _error;
    private TextSpan _errorSpan;

    private JsonReader(string text) => _text = text;

    public static JsonParseResult Parse(string text)
    {
        var reader = new JsonReader(text);

        // Editors on Windows like to save JSON with a byte-order mark; it is not a token.
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            reader._position = 1;
        }

        reader.SkipWhitespace();
        var root = reader.ReadValue(0);
        if (root is not null)
        {
            reader.SkipWhitespace();
            if (reader._position < text.Length)
            {
                reader.Fail("unexpected " + reader.DescribeCurrent() + " after the end of the document", reader._position);
                root = null;
            }
        }

        return root is null
            ? JsonParseResult.Failure(reader._error ?? "unreadable document", reader._errorSpan)
            : JsonParseResult.Success(root);
    }

    private bool AtEnd => _position >= _text.Length;

    private char Current => _text[_position];

    private JsonNode? ReadValue(int depth)
    {
        if (AtEnd)
        {
            return Fail("unexpected end of file, expected a value", _position);
        }

        switch (Current)
        {
            case '{':
                return depth >= MaxDepth ? Fail("nesting is deeper than " + MaxDepth + " levels", _position) : ReadObject(depth);
            case '[':
                return depth >= MaxDepth ? Fail("nesting is deeper than " + MaxDepth + " levels", _position) : ReadArray(depth);
            case '"':
                return ReadString();
            case 't':
                return ReadLiteral("true", span => new JsonBoolean(span));
            case 'f':
                return ReadLiteral("false", span => new JsonBoolean(span));
            case 'n':
                return ReadLiteral("null", span => new JsonNull(span));
            case '-':
            case >= '0' and <= '9':
                return ReadNumber();
            default:
                return Fail("unexpected " + DescribeCurrent() + ", expected a value", _position);
        }
    }

    private JsonObject? ReadObject(int depth)
    {
        var start = _position;
        _position++;
        var members = new List<JsonMember>();
        SkipWhitespace();
        if (!AtEnd && Current == '}')
        {
            _position++;
            return new JsonObject(TextSpan.FromBounds(start, _position), members);
        }

        while (true)
        {
            SkipWhitespace();
            if (AtEnd)
            {
                return Fail<JsonObject>("unexpected end of file, expected a property name", _position);
            }

            if (Current != '"')
            {
                var message = Current == '}' && members.Count > 0
                    ? "a trailing comma before '}' is not allowed"
                    : "unexpected " + DescribeCurrent() + ", expected a property name in double quotes";
                return Fail<JsonObject>(message, _position);
            }

            var nameStart = _position;
            var name = ReadString();
            if (name is null)
            {
                return null;
            }

            SkipWhitespace();
            if (AtEnd || Current != ':')
            {
                return Fail<JsonObject>((AtEnd ? "unexpected end of file" : "unexpected " + DescribeCurrent()) + ", expected ':' after the property name", _position);
            }

            _position++;
            SkipWhitespace();
            var value = ReadValue(depth + 1);
            if (value is null)
            {
                return null;
            }

            members.Add(new JsonMember(name.Value, TextSpan.FromBounds(nameStart, name.Span.End), value));
            SkipWhitespace();
            if (AtEnd)
            {
                return Fail<JsonObject>("unexpected end of file, expected ',' or '}'", _position);
            }

            if (Current == ',')
            {
                _position++;
                continue;
            }

            if (Current == '}')
            {
                _position++;
                return new JsonObject(TextSpan.FromBounds(start, _position), members);
            }

            return Fail<JsonObject>("unexpected " + DescribeCurrent() + ", expected ',' or '}'", _position);
        }
    }

    private JsonArray? ReadArray(int depth)
    {
        var start = _position;
        _position++;
        var items = new List<JsonNode>();
        SkipWhitespace();
        if (!AtEnd && Current == ']')
        {
            _position++;
            return new JsonArray(TextSpan.FromBounds(start, _position), items);
        }

        while (true)
        {
            SkipWhitespace();
            if (!AtEnd && Current == ']' && items.Count > 0)
            {
                return Fail<JsonArray>("a trailing comma before ']' is not allowed", _position);
            }

            var item = ReadValue(depth + 1);
            if (item is null)
            {
                return null;
            }

            items.Add(item);
            SkipWhitespace();
            if (AtEnd)
            {
                return Fail<JsonArray>("unexpected end of file, expected ',' or ']'", _position);
            }

            if (Current == ',')
            {
                _position++;
                continue;
            }

            if (Current == ']')
            {
                _position++;
                return new JsonArray(TextSpan.FromBounds(start, _position), items);
            }

            return Fail<JsonArray>("unexpected " + DescribeCurrent() + ", expected ',' or ']'", _position);
        }
    }

    private JsonString? ReadString()
    {
        var start = _position;
        _position++;
        var builder = new StringBuilder();
        while (true)
        {
            if (AtEnd)
            {
                return Fail<JsonString>("unterminated string", start);
            }

            var c = Current;
            if (c == '"')
            {
                _position++;
                return new JsonString(TextSpan.FromBounds(start, _position), builder.ToString());
            }

            if (c < ' ')
            {
                return Fail<JsonString>("a control character (U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + ") in a string must be escaped", _position);
            }

            if (c != '\\')
            {
                builder.Append(c);
                _position++;
                continue;
            }

            var escapeStart = _position;
            _position++;
            if (AtEnd)
            {
                return Fail<JsonString>("unterminated string", start);
            }

            switch (Current)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (!TryReadHex4(_position + 1, out var code))
                    {
                        return Fail<JsonString>("'\\u' must be followed by four hexadecimal digits", escapeStart);
                    }

                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    return Fail<JsonString>("invalid escape sequence '\\" + Printable(Current) + "'", escapeStart);
            }

            _position++;
        }
    }

    private bool TryReadHex4(int index, out int value)
    {
        value = 0;
        if (index + 4 > _text.Length)
        {
            return false;
        }

        for (var i = index; i < index + 4; i++)
        {
            var c = _text[i];
            int digit;
            if (c >= '0' && c <= '9')
            {
                digit = c - '0';
            }
            else if (c >= 'a' && c <= 'f')
            {
                digit = c - 'a' + 10;
            }
            else if (c >= 'A' && c <= 'F')
            {
                digit = c - 'A' + 10;
            }
            else
            {
                return false;
            }

            value = (value * 16) + digit;
        }

        return true;
    }

    private JsonNumber? ReadNumber()
    {
        var start = _position;
        if (Current == '-')
        {
            _position++;
        }

        if (AtEnd || !IsDigit(Current))
        {
            return Fail<JsonNumber>("invalid number, expected a digit", _position);
        }

        // A leading zero stands alone: 01 is not JSON.
        if (Current == '0')
        {
            _position++;
        }
        else
        {
            SkipDigits();
        }

        if (!AtEnd && Current == '.')
        {
            _position++;
            if (AtEnd || !IsDigit(Current))
            {
                return Fail<JsonNumber>("invalid number, expected a digit after '.'", _position);
            }

            SkipDigits();
        }

        if (!AtEnd && (Current == 'e' || Current == 'E'))
        {
            _position++;
            if (!AtEnd && (Current == '+' || Current == '-'))
            {
                _position++;
            }

            if (AtEnd || !IsDigit(Current))
            {
                return Fail<JsonNumber>("invalid number, expected a digit in the exponent", _position);
            }

            SkipDigits();
        }

        return new JsonNumber(TextSpan.FromBounds(start, _position));
    }

    private JsonNode? ReadLiteral(string literal, System.Func<TextSpan, JsonNode> create)
    {
        var start = _position;
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0 ||
            (_position + literal.Length < _text.Length && char.IsLetterOrDigit(_text[_position + literal.Length])))
        {
            return Fail("unexpected " + DescribeCurrent() + ", expected a value (strings need double quotes)", start);
        }

        _position += literal.Length;
        return create(TextSpan.FromBounds(start, _position));
    }

    private void SkipDigits()
    {
        while (!AtEnd && IsDigit(Current))
        {
            _position++;
        }
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && (Current == ' ' || Current == '\t' || Current == '\n' || Current == '\r'))
        {
            _position++;
        }
    }

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private string DescribeCurrent() => AtEnd ? "end of file" : "character '" + Printable(Current) + "'";

    private static string Printable(char c) =>
        c < ' ' || c == '\u007F' || char.IsSurrogate(c) || char.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Format
            ? "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
            : c.ToString();

    private JsonNode? Fail(string message, int position) => Fail<JsonNode>(message, position);

    private T? Fail<T>(string message, int position)
        where T : class
    {
        // Only the first error is kept: later ones are consequences of it.
        if (_error is null)
        {
            _error = message;
            var length = position < _text.Length ? 1 : 0;
            _errorSpan = new TextSpan(position, length);
        }

        return null;
    }
}
