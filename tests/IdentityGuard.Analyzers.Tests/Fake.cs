using System;
using System.Text;
using IdentityGuard.Analyzers.Secrets;

namespace IdentityGuard.Analyzers.Tests;

/// <summary>
/// Builds format-valid but fake credentials at run time. No credential-shaped literal appears in this
/// repository's source: our own code must pass our own analyzers (and every other secret scanner),
/// so values are assembled from a seeded generator and short fragments.
/// </summary>
internal static class Fake
{
    public const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public const string Lower = "abcdefghijklmnopqrstuvwxyz";
    public const string Digits = "0123456789";
    public const string Base62 = Upper + Lower + Digits;
    public const string Base64 = Base62 + "+/";
    public const string Base64Url = Base62 + "-_";
    public const string HexLower = "0123456789abcdef";
    public const string Base32Upper = Upper + "234567";
    public const string Letters = Upper + Lower;

    /// <summary>Deterministic per call site (seeded), random-looking characters from an alphabet.</summary>
    public static string Random(string alphabet, int length, int seed)
    {
        var random = new Random(seed);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(alphabet[random.Next(alphabet.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>Joins fragments at run time; a constant concatenation would itself be scanned.</summary>
    public static string Join(params string[] parts) => string.Concat(parts);

    public static string Base64UrlOf(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A GitHub-format token whose checksum is right (CRC32 of the 30 random characters, base62).</summary>
    public static string GitHubToken(string prefix, int seed)
    {
        var body = Random(Base62, 30, seed);
        return Join(prefix, body, FormatChecks.EncodeBase62(Crc32.Compute(body, 0, body.Length), 6));
    }

    /// <summary>Escapes a value for a regular C# string literal.</summary>
    public static string CSharp(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";

    /// <summary>Escapes a value for a JSON string.</summary>
    public static string Json(string value) =>
        "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\r", "\\r") + "\"";
}
