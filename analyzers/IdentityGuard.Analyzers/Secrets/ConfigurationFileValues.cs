using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>A string value in a JSON configuration file with the configuration key it sits under.</summary>
internal readonly struct ConfigurationValue
{
    public ConfigurationValue(string key, string value, TextSpan span)
    {
        Key = key;
        Value = value;
        Span = span;
    }

    /// <summary>The .NET configuration path (<c>Crm:ClientSecret</c>); array items use the array's path.</summary>
    public string Key { get; }

    /// <summary>The value with JSON escapes decoded.</summary>
    public string Value { get; }

    /// <summary>The string token, quotes included.</summary>
    public TextSpan Span { get; }
}

/// <summary>
/// A forgiving reader of string values in JSON configuration files (appsettings*.json accept
/// comments and trailing commas; a half-typed file in the IDE must not throw). It only tracks where
/// each string value is and which key it sits under; it is not a validator.
/// </summary>
internal static class ConfigurationFileValues
{
    public static List<ConfigurationValue> Read(SourceText text)
    {
        var source = text.ToString();
        var values = new List<ConfigurationValue>();
        var containers = new Stack<(bool IsObject, string Path)>();
        string? pendingKey = null;
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            if (char.IsWhiteSpace(c) || c == ',')
            {
                i++;
            }
            else if (c == '/' && i + 1 < source.Length && (source[i + 1] == '/' || source[i + 1] == '*'))
            {
                i = SkipComment(source, i);
            }
            else if (c is '{' or '[')
            {
                containers.Push((c == '{', Child(containers, pendingKey)));
                pendingKey = null;
                i++;
            }
            else if (c is '}' or ']')
            {
                if (containers.Count > 0)
                {
                    containers.Pop();
                }

                pendingKey = null;
                i++;
            }
            else if (c == '"')
            {
                var start = i;
                var decoded = ReadString(source, ref i);
                var next = SkipTrivia(source, i);
                if (next < source.Length && source[next] == ':' && containers.Count > 0 && containers.Peek().IsObject)
                {
                    pendingKey = decoded;
                    i = next + 1;
                }
                else
                {
                    values.Add(new ConfigurationValue(Child(containers, pendingKey), decoded, TextSpan.FromBounds(start, i)));
                    pendingKey = null;
                }
            }
            else
            {
                // Numbers, true, false, null, or garbage: skip to the next structural character.
                while (i < source.Length && source[i] is not (',' or '}' or ']' or '"') && !char.IsWhiteSpace(source[i]))
                {
                    i++;
                }

                pendingKey = null;
            }
        }

        return values;
    }

    private static string Child(Stack<(bool IsObject, string Path)> containers, string? key)
    {
        var parent = containers.Count > 0 ? containers.Peek().Path : string.Empty;
        if (key is null)
        {
            return parent;
        }

        return parent.Length == 0 ? key : parent + ":" + key;
    }

    private static string ReadString(string source, ref int i)
    {
        var builder = new StringBuilder();
        i++; // opening quote
        while (i < source.Length)
        {
            var c = source[i];
            if (c == '"')
            {
                i++;
                return builder.ToString();
            }

            if (c is '\r' or '\n')
            {
                // Unterminated string: stop at the line end so one typo does not swallow the file.
                return builder.ToString();
            }

            if (c == '\\' && i + 1 < source.Length)
            {
                var escaped = source[i + 1];
                i += 2;
                switch (escaped)
                {
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'u' when i + 4 <= source.Length && TryParseHex(source, i, out var code):
                        builder.Append((char)code);
                        i += 4;
                        break;
                    default: builder.Append(escaped); break;
                }

                continue;
            }

            builder.Append(c);
            i++;
        }

        return builder.ToString();
    }

    private static bool TryParseHex(string source, int start, out int code)
    {
        code = 0;
        for (var k = start; k < start + 4; k++)
        {
            var c = source[k];
            var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0)
            {
                return false;
            }

            code = (code * 16) + digit;
        }

        return true;
    }

    private static int SkipTrivia(string source, int i)
    {
        while (i < source.Length)
        {
            if (char.IsWhiteSpace(source[i]))
            {
                i++;
            }
            else if (source[i] == '/' && i + 1 < source.Length && (source[i + 1] == '/' || source[i + 1] == '*'))
            {
                i = SkipComment(source, i);
            }
            else
            {
                break;
            }
        }

        return i;
    }

    private static int SkipComment(string source, int i)
    {
        if (source[i + 1] == '/')
        {
            var end = source.IndexOf('\n', i);
            return end < 0 ? source.Length : end + 1;
        }

        var close = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
        return close < 0 ? source.Length : close + 2;
    }
}
