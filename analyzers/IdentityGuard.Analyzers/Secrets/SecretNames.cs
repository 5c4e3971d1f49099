using System;
using System.Collections.Generic;
using System.Text;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>
/// Name-side evidence for IG0002: whether a symbol, argument or configuration key is named like a
/// secret. Names are split into words (camelCase, PascalCase, snake_case, kebab-case, dotted and
/// colon-separated keys) and compared word by word, so <c>ApiKey</c>, <c>api_key</c>,
/// <c>API-KEY</c> and <c>Crm:ApiKey</c> are one name.
/// </summary>
internal sealed class SecretNameClassifier
{
    /// <summary>Keywords found anywhere in the joined, lower-cased name (long enough to be unambiguous).</summary>
    private static readonly string[] DefaultKeywords =
    {
        "password", "passwd", "passphrase", "secret", "token", "apikey", "accesskey", "privatekey", "credential",
        "clientsecret", "connectionstring", "bearer", "signingkey", "encryptionkey", "sharedkey", "accountkey",
        "masterkey", "authkey", "hmackey", "webhooksecret", "sastoken",
    };

    /// <summary>Short keywords that must be a whole word: "auth" must not match "author", "pwd" is a word on its own.</summary>
    private static readonly HashSet<string> WordKeywords = new(StringComparer.Ordinal)
    {
        "pwd", "pw", "pass", "auth", "authorization", "pat", "psk", "apikey",
    };

    /// <summary>
    /// The last word names what the symbol holds; these hold something about a secret, not the secret
    /// (<c>tokenEndpoint</c>, <c>secretName</c>, <c>passwordHash</c>, <c>apiKeyHeader</c>, <c>clientSecretId</c>).
    /// </summary>
    private static readonly HashSet<string> NonSecretHeads = new(StringComparer.Ordinal)
    {
        "url", "urls", "uri", "uris", "path", "paths", "name", "names", "id", "ids", "hash", "hashes", "format", "endpoint",
        "header", "headers", "type", "kind", "length", "size", "count", "file", "filename", "dir", "directory",
        "prefix", "suffix", "policy", "scheme", "label", "description", "field", "property", "parameter", "param",
        "claim", "claims", "scope", "scopes", "mode", "version", "expiry", "expires", "expiration", "lifetime",
        "provider", "hint", "pattern", "regex", "template", "validator", "issuer", "audience", "algorithm", "alg",
        "location", "variable", "var", "env", "attribute", "option", "options", "section", "store", "reference",
        "ref", "link", "host", "domain", "port", "timeout", "duration", "ttl", "event", "message", "error",
        "exception", "handler", "cache", "client", "manager", "factory", "builder", "helper", "generator",
        "configuration", "environment", "rule", "enabled", "required", "status", "state", "index", "offset", "date", "time", "timestamp", "at",
        "kid", "thumbprint", "fingerprint", "digest", "checksum", "salt", "keyvault", "source", "sink",
        "text", "title", "prompt", "regexp", "column", "table", "query", "route",
    };

    /// <summary>Whole names that are secret-sounding yet public by design.</summary>
    private static readonly HashSet<string> NonSecretNames = new(StringComparer.Ordinal)
    {
        "publickey", "clientid", "tokenendpoint", "tokenurl", "tokentype", "tokenkind", "passwordchar",
        "authority", "authenticationscheme", "authscheme", "secretversion",
    };

    /// <summary>Words that make the whole name non-secret wherever they appear.</summary>
    private static readonly HashSet<string> NonSecretWords = new(StringComparer.Ordinal)
    {
        "public", "publishable", "csrf", "xsrf", "antiforgery", "nonce", "pkce", "challenge", "state",
    };

    /// <summary>
    /// The test-fixture principle: a name that says its value is fake is taken at its word. IG0002's
    /// evidence is a name plus randomness; the name is the author's statement of intent, so
    /// <c>fakeApiKey</c> or <c>TestClientSecret</c> is not reported. IG0001 ignores names: a
    /// format-valid vendor credential is live whatever it is called.
    /// </summary>
    private static readonly HashSet<string> FixtureWords = new(StringComparer.Ordinal)
    {
        "fake", "dummy", "sample", "samples", "example", "examples", "mock", "stub", "bogus", "placeholder",
        "test", "tests", "testing", "fixture", "invalid", "expired", "revoked", "wrong", "bad",
    };

    /// <summary>Words that say the value is a digest, for which a hex digest of hash length is expected.</summary>
    private static readonly HashSet<string> DigestWords = new(StringComparer.Ordinal)
    {
        "hash", "hashed", "digest", "checksum", "sha", "sha1", "sha256", "sha384", "sha512", "md5", "fingerprint", "thumbprint",
    };

    private readonly string[] _keywords;
    private readonly string[] _excludedNames;

    public SecretNameClassifier(IEnumerable<string> additionalKeywords, IEnumerable<string> excludedNames)
    {
        var keywords = new List<string>(DefaultKeywords);
        foreach (var keyword in additionalKeywords)
        {
            var normalized = Normalize(keyword);
            if (normalized.Length > 0)
            {
                keywords.Add(normalized);
            }
        }

        var excluded = new List<string>();
        foreach (var name in excludedNames)
        {
            // Wildcards survive normalization so "*fixture*" and "legacy*" work.
            var normalized = Normalize(name, keepWildcards: true);
            if (normalized.Trim('*').Length > 0)
            {
                excluded.Add(normalized);
            }
        }

        _keywords = keywords.ToArray();
        _excludedNames = excluded.ToArray();
    }

    public static SecretNameClassifier Default { get; } = new(Array.Empty<string>(), Array.Empty<string>());

    /// <summary>Whether a name says its value is a secret.</summary>
    public bool IsSecretName(string name) => Classify(name) is { } words && words.Count > 0;

    /// <summary>The name's words when it is secret-named, otherwise null.</summary>
    public List<string>? Classify(string name)
    {
        var words = SplitWords(name);
        if (words.Count == 0)
        {
            return null;
        }

        var normalized = string.Concat(words);
        if (IsExcludedByOption(normalized) || NonSecretNames.Contains(normalized) || NonSecretHeads.Contains(words[words.Count - 1]))
        {
            return null;
        }

        foreach (var word in words)
        {
            if (NonSecretWords.Contains(word) || FixtureWords.Contains(word))
            {
                return null;
            }
        }

        foreach (var word in words)
        {
            if (WordKeywords.Contains(word))
            {
                return words;
            }
        }

        foreach (var keyword in _keywords)
        {
            if (normalized.IndexOf(keyword, StringComparison.Ordinal) >= 0)
            {
                return words;
            }
        }

        return null;
    }

    /// <summary>Whether the name says the value is a digest (so a hex digest is expected there).</summary>
    public static bool IsDigestName(List<string> words)
    {
        foreach (var word in words)
        {
            if (DigestWords.Contains(word))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Lower-case letters and digits only: the comparison form of names and keywords.</summary>
    public static string Normalize(string name, bool keepWildcards = false)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c) || (keepWildcards && c == '*'))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Words of an identifier or key, lower-cased: separators split, and so do lower→upper and
    /// digit→upper steps and the last capital of an acronym run ("APIKey" → api, key;
    /// "CLIENT_SECRET" → client, secret; digits stay with the word before them).
    /// </summary>
    public static List<string> SplitWords(string name)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= name.Length; i++)
        {
            var c = i < name.Length ? name[i] : '\0';
            if (!char.IsLetterOrDigit(c))
            {
                Flush(name, ref start, i, words);
                continue;
            }

            if (start >= 0)
            {
                var previous = name[i - 1];
                var lowerToUpper = (char.IsLower(previous) || char.IsDigit(previous)) && char.IsUpper(c);
                var acronymEnd = char.IsUpper(previous) && char.IsUpper(c) && i + 1 < name.Length && char.IsLower(name[i + 1]);
                if (lowerToUpper || acronymEnd)
                {
                    Flush(name, ref start, i, words);
                }
            }

            if (start < 0)
            {
                start = i;
            }
        }

        return words;
    }

    private static void Flush(string name, ref int start, int end, List<string> words)
    {
        if (start >= 0 && end > start)
        {
            words.Add(name.Substring(start, end - start).ToLowerInvariant());
        }

        start = -1;
    }

    private bool IsExcludedByOption(string normalized)
    {
        foreach (var pattern in _excludedNames)
        {
            if (WildcardMatch(normalized, pattern))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Leading and trailing <c>*</c> only: "foo", "foo*", "*foo", "*foo*".</summary>
    private static bool WildcardMatch(string text, string pattern)
    {
        var starts = pattern.StartsWith("*", StringComparison.Ordinal);
        var ends = pattern.EndsWith("*", StringComparison.Ordinal) && pattern.Length > 1;
        var core = pattern.Trim('*');
        return (starts, ends) switch
        {
            (true, true) => text.IndexOf(core, StringComparison.Ordinal) >= 0,
            (true, false) => text.EndsWith(core, StringComparison.Ordinal),
            (false, true) => text.StartsWith(core, StringComparison.Ordinal),
            _ => string.Equals(text, core, StringComparison.Ordinal),
        };
    }
}
