using System;
using System.Collections.Generic;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>
/// Value-side evidence: how random a value is, and the many ways a value that sits where a secret
/// would sit is in fact not one (a placeholder, a reference to a secret store, a GUID, a digest,
/// an identifier, words).
/// </summary>
internal static class SecretHeuristics
{
    /// <summary>Sonar S6418's range: shorter values are rarely generated keys, longer ones are documents.</summary>
    public const int MinLength = 16;
    public const int MaxLength = 1024;

    /// <summary>Sonar S6418 reports above 3 bits per character.</summary>
    public const double DefaultMinEntropy = 3.0;

    /// <summary>
    /// Share of letter pairs that are frequent English bigrams at or above which a value reads as words.
    /// The table holds about a third of all 676 pairs, so random letters land near 0.35, while English
    /// text and identifiers land at 0.8 and above.
    /// </summary>
    private const double EnglishBigramShare = 0.65;

    // Frequent English letter bigrams (public letter-frequency tables), as (first << 8 | second).
    private static readonly HashSet<int> CommonBigrams = BuildBigrams(
        "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co " +
        "me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us " +
        "ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa " +
        "im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab gh ty op wo sa ay ex ke " +
        "fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr cl du " +
        "ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu " +
        "ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn " +
        "eo vo rv nf xp gn sm fl iz ok nl my gl aw ju oa eq sy sl ps jo rf ze ks yp py db js");

    // Values are ASCII by the time entropy is computed; one counting buffer per thread avoids an
    // allocation per literal.
    [ThreadStatic]
    private static int[]? t_counts;

    // Words that mark a value as standing in for a real one.
    private static readonly string[] PlaceholderWords =
    {
        "example", "sample", "placeholder", "changeme", "change_me", "change-me", "changeit", "replace",
        "redacted", "dummy", "fake", "notasecret", "not-a-secret", "not_a_secret", "insert", "todo", "fixme",
        "your-", "your_", "yourkey", "yoursecret", "yourtoken", "yourpassword", "xxxx", "****", "....",
    };

    // Well-known default or stand-in passwords seen in documentation.
    private static readonly HashSet<string> PlaceholderPasswords = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "pass", "passwd", "pwd", "secret", "changeme", "changeit", "change_me", "replace_me", "todo",
        "redacted", "null", "none", "empty", "example", "sample", "x-oauth-basic", "mypassword", "yourpassword",
        "your_password", "your-password", "dummy", "fake", "placeholder",
    };

    // References to where a secret lives, not the secret.
    private static readonly string[] ReferenceMarkers =
    {
        "arn:aws:secretsmanager:", "arn:aws:ssm:", "op://", "vault:", "@microsoft.keyvault(", "${{", "secrets.",
        "keyvault:", "secretref:", "projects/", "/secrets/", ".vault.azure.net", "env:", "azurekeyvault",
    };

    /// <summary>Shannon entropy in bits per character over the value's character distribution.</summary>
    public static double ShannonEntropy(string value)
    {
        if (value.Length == 0)
        {
            return 0;
        }

        var counts = t_counts ??= new int[128];
        Array.Clear(counts, 0, counts.Length);
        var others = 0;
        foreach (var c in value)
        {
            if (c < 128)
            {
                counts[c]++;
            }
            else
            {
                others++;
            }
        }

        double entropy = 0;
        double length = value.Length;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = count / length;
                entropy -= p * Math.Log(p, 2);
            }
        }

        if (others > 0)
        {
            var p = others / length;
            entropy -= p * Math.Log(p, 2);
        }

        return entropy;
    }

    /// <summary>Sonar S6418's alphabet for generated secrets.</summary>
    public static bool IsSecretAlphabet(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9')
            or '_' or '.' or '+' or '/' or '~' or '$' or '=' or '-';

    /// <summary>Length and alphabet test: allocation-free, run first on every literal.</summary>
    public static bool HasSecretShape(string value)
    {
        if (value.Length < MinLength || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsSecretAlphabet(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Marks of a documentation value inside a known-format match: the word "example", a run of six
    /// or more of one character, or a counting sequence. Random key material has none of these with
    /// any real probability.
    /// </summary>
    public static bool LooksLikeDocumentationExample(string value)
    {
        if (value.IndexOf("example", StringComparison.OrdinalIgnoreCase) >= 0
            || value.IndexOf("0123456789", StringComparison.Ordinal) >= 0
            || value.IndexOf("abcdefgh", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            return true;
        }

        var run = 1;
        for (var i = 1; i < value.Length; i++)
        {
            run = value[i] == value[i - 1] ? run + 1 : 1;
            if (run >= 6)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A password slot holding a placeholder, a format item, a variable or a documented default.</summary>
    public static bool IsPlaceholderCredential(string password)
    {
        var value = password.Trim();
        if (value.Length == 0 || PlaceholderPasswords.Contains(value))
        {
            return true;
        }

        var first = value[0];
        var last = value[value.Length - 1];
        if ((first == '{' && last == '}') || (first == '<' && last == '>') || (first == '[' && last == ']')
            || (first == '%' && last == '%' && value.Length > 2)
            || first == '$' || first == '@' || first == ':')
        {
            return true;
        }

        if (value.IndexOf("{", StringComparison.Ordinal) >= 0 || value.StartsWith("your", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IsAllSameCharacter(value) || value.IndexOf("xxx", StringComparison.OrdinalIgnoreCase) >= 0
            || value.IndexOf("***", StringComparison.Ordinal) >= 0 || value.IndexOf("...", StringComparison.Ordinal) >= 0;
    }

    /// <summary>Template syntax or stand-in words: <c>${x}</c>, <c>{{x}}</c>, <c>%X%</c>, <c>&lt;password&gt;</c>, <c>changeme</c>, <c>xxxx</c>, <c>your-key-here</c>.</summary>
    public static bool IsPlaceholder(string value)
    {
        if (IsAllSameCharacter(value))
        {
            return true;
        }

        if (value.IndexOf("${", StringComparison.Ordinal) >= 0 || value.IndexOf("{{", StringComparison.Ordinal) >= 0
            || value.IndexOf("$(", StringComparison.Ordinal) >= 0
            || (value.Length > 2 && value[0] == '%' && value[value.Length - 1] == '%'))
        {
            return true;
        }

        foreach (var word in PlaceholderWords)
        {
            if (value.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return IsCountingSequence(value);
    }

    /// <summary>A pointer into a secret store (AWS, 1Password, HashiCorp Vault, Azure Key Vault, GitHub Actions, GCP).</summary>
    public static bool IsReference(string value)
    {
        foreach (var marker in ReferenceMarkers)
        {
            if (value.IndexOf(marker, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A GUID/UUID, with or without dashes or braces: identifiers, not key material.</summary>
    public static bool IsGuid(string value)
    {
        var text = value.Trim('{', '}');
        if (text.Length == 36)
        {
            for (var i = 0; i < 36; i++)
            {
                var c = text[i];
                var dash = i is 8 or 13 or 18 or 23;
                if (dash ? c != '-' : !IsHex(c))
                {
                    return false;
                }
            }

            return true;
        }

        return false;
    }

    /// <summary>Hex of a digest length: MD5 (32), SHA-1 (40), SHA-224 (56), SHA-256 (64), SHA-384 (96), SHA-512 (128).</summary>
    public static bool IsHexDigest(string value)
    {
        if (value.Length is not (32 or 40 or 56 or 64 or 96 or 128))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsHex(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// An identifier rather than key material: words in one case joined by separators
    /// (<c>WEATHER_SERVICE_API_KEY</c>, <c>crm.notes.read</c>, <c>/api/v1/tokens</c>, <c>client-brief-agent</c>).
    /// Generated keys mix cases and digits within their segments.
    /// </summary>
    public static bool IsIdentifierShaped(string value)
    {
        var segments = 0;
        var segmentStart = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i == value.Length || value[i] is '_' or '.' or '-' or '/' or ':' or '~' or '+' or '$' or '=')
            {
                if (i > segmentStart)
                {
                    if (!IsWordSegment(value, segmentStart, i))
                    {
                        return false;
                    }

                    segments++;
                }

                segmentStart = i + 1;
            }
        }

        return segments >= 2;
    }

    /// <summary>
    /// Share of adjacent letter pairs (within runs of letters, camelCase split) that are common
    /// English bigrams: a cheap stand-in for Sonar S6418's "English-likeness" score.
    /// </summary>
    public static double EnglishLikeness(string value)
    {
        var pairs = 0;
        var common = 0;
        for (var i = 1; i < value.Length; i++)
        {
            var a = value[i - 1];
            var b = value[i];
            if (!char.IsLetter(a) || !char.IsLetter(b) || a >= 128 || b >= 128)
            {
                continue;
            }

            // A lower-to-upper step is a word boundary in camelCase, not a pair of the same word.
            if (char.IsLower(a) && char.IsUpper(b))
            {
                continue;
            }

            pairs++;
            if (CommonBigrams.Contains((char.ToLowerInvariant(a) << 8) | char.ToLowerInvariant(b)))
            {
                common++;
            }
        }

        return pairs == 0 ? 0 : (double)common / pairs;
    }

    /// <summary>Enough letter pairs, most of them common in English.</summary>
    public static bool LooksLikeWords(string value)
    {
        var letters = 0;
        var upper = 0;
        foreach (var c in value)
        {
            if (char.IsLetter(c))
            {
                letters++;
                if (char.IsUpper(c))
                {
                    upper++;
                }
            }
        }

        // Words are lower case, Title or camelCase (few capitals) or ALL CAPS. Generated key material mixes the two
        // cases about evenly, and enough common bigrams turn up in it by chance to pass the share below (one random
        // 34-character base62 value in fifty would); an even mix settles it first.
        var lower = letters - upper;
        if (upper * 10 > letters * 3 && lower * 10 > letters * 3)
        {
            return false;
        }

        // A value that is mostly digits and symbols carries no word evidence either way.
        return letters >= value.Length / 2 && EnglishLikeness(value) >= EnglishBigramShare;
    }

    /// <summary>
    /// Base64 that decodes to readable text (<c>aGVsbG8gd29ybGQ=</c>) is encoded prose, not a key: keys
    /// decode to arbitrary bytes.
    /// </summary>
    public static bool IsBase64OfText(string value)
    {
        var bytes = FormatChecks.TryDecodeBase64(value.Replace('-', '+').Replace('_', '/'));
        if (bytes is null || bytes.Length < 8)
        {
            return false;
        }

        var printable = 0;
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and < 0x7F or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                printable++;
            }
        }

        if (printable < bytes.Length)
        {
            return false;
        }

        var text = FormatChecks.DecodeUtf8OrNull(bytes);
        return text is not null && EnglishLikeness(text) >= EnglishBigramShare;
    }

    private static bool IsWordSegment(string value, int start, int end)
    {
        var hasLower = false;
        var hasUpper = false;
        var hasDigit = false;
        var digitsOnlyAtEnd = true;
        for (var i = start; i < end; i++)
        {
            var c = value[i];
            if (c is >= 'a' and <= 'z')
            {
                hasLower = true;
                digitsOnlyAtEnd &= !hasDigit;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                hasUpper = true;
                digitsOnlyAtEnd &= !hasDigit;
            }
            else if (c is >= '0' and <= '9')
            {
                hasDigit = true;
            }
            else
            {
                return false;
            }
        }

        // "API", "notes", "v1", "2024": one case, digits only trailing. "Notes" (capitalised) is a word too.
        var capitalised = end - start > 1 && value[start] is >= 'A' and <= 'Z' && !HasUpper(value, start + 1, end);
        return digitsOnlyAtEnd && (!(hasLower && hasUpper) || capitalised);
    }

    private static bool HasUpper(string value, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (value[i] is >= 'A' and <= 'Z')
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAllSameCharacter(string value)
    {
        for (var i = 1; i < value.Length; i++)
        {
            if (value[i] != value[0])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsCountingSequence(string value)
    {
        var steps = 0;
        for (var i = 1; i < value.Length; i++)
        {
            if (value[i] == value[i - 1] + 1)
            {
                steps++;
            }
        }

        return steps * 2 >= value.Length;
    }

    private static HashSet<int> BuildBigrams(string table)
    {
        var set = new HashSet<int>();
        foreach (var bigram in table.Split(' '))
        {
            set.Add((bigram[0] << 8) | bigram[1]);
        }

        return set;
    }

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');
}
