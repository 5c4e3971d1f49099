using System;
using System.Text;
using System.Text.RegularExpressions;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>
/// Validators that turn a pattern match into a confident finding: checksums published by vendors,
/// structure that random text cannot have by chance, and refusal of placeholders.
/// </summary>
internal static class FormatChecks
{
    private const string Base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // Hosts reserved for documentation (RFC 2606 / RFC 6761): credentials pointing there are examples.
    private static readonly string[] DocumentationHosts = { "example.com", "example.net", "example.org" };
    private static readonly string[] DocumentationHostSuffixes = { ".example", ".test", ".invalid", ".example.com", ".example.net", ".example.org" };

    // Keys that make a string a connection string rather than prose that happens to say "password=".
    private static readonly string[] ConnectionStringKeys =
    {
        "server=", "data source=", "datasource=", "host=", "hostname=", "address=", "addr=", "user id=", "userid=",
        "uid=", "user=", "username=", "database=", "initial catalog=", "endpoint=", "port=", "dbq=", "dsn=",
        // StackExchange.Redis: "host:6380,password=…,ssl=True,abortConnect=False".
        "ssl=", "abortconnect=",
    };

    /// <summary>
    /// GitHub's 2021 token format ends in a CRC32 of the 30 random characters, base62-encoded and
    /// left-padded to 6 characters, so a real token can be told from a lookalike offline.
    /// </summary>
    public static bool HasGitHubChecksum(string value, Match match)
    {
        var token = match.Value;
        const int PrefixLength = 4;
        const int ChecksumLength = 6;
        if (token.Length != 40)
        {
            return false;
        }

        var crc = Crc32.Compute(token, PrefixLength, token.Length - PrefixLength - ChecksumLength);
        return string.CompareOrdinal(EncodeBase62(crc, ChecksumLength), 0, token, token.Length - ChecksumLength, ChecksumLength) == 0;
    }

    /// <summary>Base62 with GitHub's alphabet, most significant digit first, zero-padded.</summary>
    internal static string EncodeBase62(uint number, int width)
    {
        var digits = new char[width];
        for (var i = width - 1; i >= 0; i--)
        {
            digits[i] = Base62Alphabet[(int)(number % 62)];
            number /= 62;
        }

        return new string(digits);
    }

    /// <summary>A JWT's first segment is base64url JSON naming its algorithm.</summary>
    public static bool HasJwtHeader(string value, Match match)
    {
        var token = match.Value;
        var dot = token.IndexOf('.');
        var header = TryDecodeBase64Url(token.Substring(0, dot));
        return header is not null
            && header.TrimStart().StartsWith("{", StringComparison.Ordinal)
            && header.IndexOf("\"alg\"", StringComparison.Ordinal) >= 0;
    }

    /// <summary>
    /// A PEM header alone is what parsing code compares against; a leaked key has a body. Require
    /// enough base64 before the END line (or the end of the value) to be key material.
    /// </summary>
    public static bool HasPemBody(string value, Match match)
    {
        var start = match.Index + match.Length;
        var end = value.IndexOf("-----END", start, StringComparison.Ordinal);
        if (end < 0)
        {
            end = value.Length;
        }

        var count = 0;
        for (var i = start; i < end; i++)
        {
            var c = value[i];
            if (IsBase64Char(c))
            {
                count++;
            }
        }

        return count >= 64;
    }

    /// <summary>An account SAS or service SAS always carries its signed version (sv) next to sig.</summary>
    public static bool IsSharedAccessSignature(string value, Match match) =>
        value.IndexOf("sv=", StringComparison.OrdinalIgnoreCase) >= 0
        || value.IndexOf("se=", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>A Discord bot token's first segment is the base64 of the bot's numeric snowflake id.</summary>
    public static bool HasDiscordSnowflake(string value, Match match)
    {
        var token = match.Value;
        var id = TryDecodeBase64Url(token.Substring(0, token.IndexOf('.')));
        if (id is null || id.Length < 17 || id.Length > 20)
        {
            return false;
        }

        foreach (var c in id)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsConnectionStringPassword(string value, Match match)
    {
        var password = Unquote(match.Groups["secret"].Value.Trim());
        if (SecretHeuristics.IsPlaceholderCredential(password))
        {
            return false;
        }

        foreach (var key in ConnectionStringKeys)
        {
            if (value.IndexOf(key, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A query parameter named like a credential whose value is generated key material: not a placeholder or a
    /// reference, random enough, and not words or an identifier (<c>key=customer_name</c>).
    /// </summary>
    public static bool IsQueryCredential(string value, Match match)
    {
        var secret = Uri.UnescapeDataString(match.Groups["secret"].Value);
        return !SecretHeuristics.IsPlaceholderCredential(secret)
            && !SecretHeuristics.IsPlaceholder(secret)
            && !SecretHeuristics.IsReference(secret)
            && SecretHeuristics.ShannonEntropy(secret) > SecretHeuristics.DefaultMinEntropy
            && !SecretHeuristics.IsIdentifierShaped(secret)
            && !SecretHeuristics.LooksLikeWords(secret);
    }

    public static bool IsUrlUserInfoPassword(string value, Match match)
    {
        var password = match.Groups["secret"].Value;
        if (SecretHeuristics.IsPlaceholderCredential(password)
            || SecretHeuristics.IsPlaceholderCredential(Uri.UnescapeDataString(password)))
        {
            return false;
        }

        return !IsDocumentationHost(match.Groups["host"].Value);
    }

    internal static bool IsDocumentationHost(string host)
    {
        foreach (var documentation in DocumentationHosts)
        {
            if (string.Equals(host, documentation, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var suffix in DocumentationHostSuffixes)
        {
            if (host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    internal static string? TryDecodeBase64Url(string segment)
    {
        var bytes = TryDecodeBase64(segment.Replace('-', '+').Replace('_', '/'));
        return bytes is null ? null : DecodeUtf8OrNull(bytes);
    }

    internal static byte[]? TryDecodeBase64(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var trimmed = text.TrimEnd('=');
        if (trimmed.Length % 4 == 1)
        {
            return null;
        }

        foreach (var c in trimmed)
        {
            if (!IsBase64Char(c))
            {
                return null;
            }
        }

        var padded = trimmed.PadRight(trimmed.Length + ((4 - (trimmed.Length % 4)) % 4), '=');
        try
        {
            return Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    internal static string? DecodeUtf8OrNull(byte[] bytes)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool IsBase64Char(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '/';

    private static string Unquote(string text) =>
        text.Length >= 2 && (text[0] == '"' || text[0] == '\'') && text[text.Length - 1] == text[0]
            ? text.Substring(1, text.Length - 2)
            : text;
}
