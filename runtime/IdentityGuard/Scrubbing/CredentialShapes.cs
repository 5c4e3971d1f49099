using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using IdentityGuard.Analyzers.Secrets;
using IdentityGuard.Workload;
#if NET9_0_OR_GREATER
using System.Buffers;
#endif

namespace IdentityGuard.Scrubbing;

/// <summary>
/// Credentials recognised by their shape rather than by a held value: the known formats of IG0001 (JWTs, cloud,
/// source-hosting, payment and AI vendors' keys; the same catalog, compiled into this assembly from the analyzers'
/// source) and two run-time contexts that the build-time rule has no use for: the credential of an
/// <c>Authorization</c> header dump, and the value of a token field such as <c>access_token</c>.
/// </summary>
/// <remarks>
/// Patterns run only where a cheap search found their prefix: clean text costs one pass of the signature
/// pre-filter and one vectorized search for the context keywords. (A <c>SearchValues</c> search over the ~90
/// signatures was measured slower than the pre-filter: with that many short needles it falls back to a scalar
/// automaton.)
/// </remarks>
internal static class CredentialShapes
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase | RegexOptions.Compiled;

    // Token characters of RFC 6750's b64token and of the usual opaque formats; at least eight, like held values.
    private const string TokenValue = "(?<secret>[A-Za-z0-9\\-._~+/]{8,}=*)";

    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    // Anchored (\G): each runs only at a position where its keyword was found.
    private static readonly Regex AuthorizationHeader = new(
        "\\G(?<![A-Za-z0-9])authorization[\"']?\\s*[:=]\\s*[\"']?(?:bearer|basic|dpop|token|mac)\\s+" + TokenValue, Options, Timeout);

    private static readonly Regex TokenField = new(
        "\\G(?<![A-Za-z0-9_-])(?:access_token|refresh_token|id_token|client_secret|api_key|apikey|x-api-key|subject_token|actor_token)[\"']?\\s*[:=]\\s*[\"']?" + TokenValue,
        Options,
        Timeout);

    // The credential of an Authorization header value on its own (a JSON property "Authorization": "Bearer …").
    private static readonly Regex AuthorizationValue = new(
        "\\G\\s*(?:bearer|basic|dpop|token|mac)\\s+" + TokenValue, Options, Timeout);

    private const string WorkloadAccessTokenFormat = "workload-access-token";

    // Case-sensitive, unlike the keyword search that finds where to try it.
    private static readonly Regex WorkloadAccessTokenPattern = new(
        "\\G(?<![A-Za-z0-9_.-])" + Regex.Escape(WorkloadIdentity.TokenPrefix) + "[A-Za-z0-9_-]{16,}",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled,
        Timeout);

    // Five dot-separated base64url parts; the encrypted key (the second) is empty under direct encryption.
    private static readonly Regex EncryptedJwt = new(
        "(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]{2,}(?![A-Za-z0-9_-])",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled,
        Timeout);

    private static readonly ulong JwtBit = BitOf("jwt");

    private static readonly string[] TokenFields =
        ["access_token", "refresh_token", "id_token", "client_secret", "api_key", "apikey", "x-api-key", "subject_token", "actor_token"];

    private static readonly string[] ContextKeywords =
        [WorkloadIdentity.TokenPrefix, "authorization", "access_token", "refresh_token", "id_token", "client_secret", "api_key", "apikey", "x-api-key", "subject_token", "actor_token"];

    private static readonly Signal[]?[] SignalsByCharacter = BuildSignalsByCharacter();

#if NET9_0_OR_GREATER
    private static readonly SearchValues<string> ContextKeywordSearch = SearchValues.Create(ContextKeywords, StringComparison.OrdinalIgnoreCase);
#endif

    /// <summary>Adds every known-format credential and credential context in <paramref name="text"/>.</summary>
    /// <returns>False when a pattern ran out of time: the caller must then withhold the whole text.</returns>
    public static bool FindAll(string text, ref List<Finding>? findings) => FindAll(text, ref findings, out _);

    /// <summary>
    /// As <see cref="FindAll(string, ref List{Finding}?)"/>; <paramref name="signalled"/> tells whether any format's
    /// signature (with its required character) or any context keyword occurs in <paramref name="text"/>, that is,
    /// whether any pattern had to run at all.
    /// </summary>
    public static bool FindAll(string text, ref List<Finding>? findings, out bool signalled)
    {
        signalled = false;
        try
        {
            signalled |= FindKnownFormats(text, ref findings);
            signalled |= FindContexts(text, ref findings);
            return true;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static bool FindKnownFormats(string text, ref List<Finding>? findings)
    {
        var candidates = SignaturePrefilter.FindCandidates(text);
        if (candidates == 0)
        {
            return false;
        }

        if ((candidates & JwtBit) != 0)
        {
            FindEncryptedJwts(text, ref findings);
        }

        var formats = KnownSecretFormats.All;
        for (var index = 0; index < formats.Count && candidates != 0; index++)
        {
            if ((candidates & (1UL << index)) == 0 || formats[index].Pattern is not { } pattern)
            {
                continue;
            }

            // Documentation-looking examples are redacted too: a false redaction costs a model a placeholder, a
            // missed one costs a credential.
            for (var match = pattern.Match(text); match.Success; match = match.NextMatch())
            {
                if (formats[index].Validate is { } validate && !validate(text, match))
                {
                    continue;
                }

                var secret = match.Groups["secret"];
                var (start, length) = secret.Success && secret.Length > 0 ? (secret.Index, secret.Length) : (match.Index, match.Length);
                (findings ??= []).Add(new Finding(start, length, FindingKind.KnownFormat, null, formats[index].Id));
            }
        }

        return true;
    }

    /// <summary>
    /// JWE compact serializations (RFC 7516: header, encrypted key, IV, ciphertext, tag). The JWT format finds only
    /// the first three parts, and none at all when the encrypted key is empty (direct encryption): the whole token
    /// is taken here, so no part of it is left next to the marker.
    /// </summary>
    private static void FindEncryptedJwts(string text, ref List<Finding>? findings)
    {
        for (var match = EncryptedJwt.Match(text); match.Success; match = match.NextMatch())
        {
            if (FormatChecks.TryDecodeBase64Url(match.Value[..match.Value.IndexOf('.', StringComparison.Ordinal)]) is { } header
                && header.TrimStart().StartsWith('{')
                && (header.Contains("\"enc\"", StringComparison.Ordinal) || header.Contains("\"alg\"", StringComparison.Ordinal)))
            {
                (findings ??= []).Add(new Finding(match.Index, match.Length, FindingKind.KnownFormat, null, "jwt"));
            }
        }
    }

    private static bool FindContexts(string text, ref List<Finding>? findings)
    {
        var span = text.AsSpan();
        var position = 0;
        var any = false;
        while (position < span.Length)
        {
            var found = IndexOfKeyword(span[position..]);
            if (found < 0)
            {
                return any;
            }

            any = true;

            var at = position + found;
            TryContext(AuthorizationHeader, text, at, ref findings);
            TryContext(TokenField, text, at, ref findings);
            TryWorkloadAccessToken(text, at, ref findings);

            position = at + 1;
        }

        return any;
    }

    /// <summary>
    /// Whether an occurrence of any format's signature or any context keyword in <paramref name="text"/> covers
    /// position <paramref name="at"/> (letters compared without case, a superset of what the pre-filter matches).
    /// Used where <paramref name="at"/> is a character an escape produced: only such occurrences are new in a
    /// decoded text.
    /// </summary>
    public static bool MayOccurAround(ReadOnlySpan<char> text, int at)
    {
        var c = text[at];
        if (c >= 128)
        {
            // Case-insensitive comparison folds a few non-ASCII letters onto ASCII ones (the dotless i): be safe.
            c = char.ToUpperInvariant(c);
            if (c >= 128)
            {
                return false;
            }
        }

        foreach (var signal in SignalsByCharacter[char.ToUpperInvariant(c)] ?? [])
        {
            var start = at - signal.Offset;
            if (start < 0 || start + signal.Text.Length > text.Length)
            {
                continue;
            }

            // The first character rules out almost every signal before the full comparison.
            var first = text[start];
            if ((first < 128 ? AsciiUpper(first) : char.ToUpperInvariant(first)) == signal.UpperFirst
                && text.Slice(start, signal.Text.Length).Equals(signal.Text, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The characters some format requires besides its signature (the dots of a JWT, the @ of URL user information).</summary>
    public static string RequiredCharacters { get; } = BuildRequiredCharacters();

    private static char AsciiUpper(char c) => c is >= 'a' and <= 'z' ? (char)(c - 32) : c;

    private static Signal[]?[] BuildSignalsByCharacter()
    {
        var lists = new List<Signal>?[128];
        var signals = new List<string>(ContextKeywords);
        foreach (var format in KnownSecretFormats.All)
        {
            if (format.Pattern is not null)
            {
                signals.AddRange(format.Signatures);
            }
        }

        foreach (var signal in signals)
        {
            for (var i = 0; i < signal.Length; i++)
            {
                var key = char.ToUpperInvariant(signal[i]);
                (lists[key] ??= []).Add(new Signal(signal, i, char.ToUpperInvariant(signal[0])));
            }
        }

        var result = new Signal[]?[128];
        for (var c = 0; c < 128; c++)
        {
            result[c] = lists[c]?.ToArray();
        }

        return result;
    }

    private static string BuildRequiredCharacters()
    {
        var required = new List<char>();
        foreach (var format in KnownSecretFormats.All)
        {
            if (format.RequiredCharacter != '\0' && !required.Contains(format.RequiredCharacter))
            {
                required.Add(format.RequiredCharacter);
            }
        }

        return new string(required.ToArray());
    }

    /// <summary>
    /// Adds the credential of a JSON property's string value when the property's name says what it holds: the whole
    /// value of a token field (<c>access_token</c>, <c>client_secret</c>, …), the credential of an
    /// <c>Authorization</c> value. Needed because in JSON the name and the value are separate strings.
    /// </summary>
    public static bool FindInField(string name, string value, ref List<Finding>? findings)
    {
        try
        {
            if (value.Length < HeldCredentials.MinimumLength || string.Equals(value, CredentialScrubber.Marker, StringComparison.Ordinal))
            {
                return true;
            }

            foreach (var field in TokenFields)
            {
                if (string.Equals(name, field, StringComparison.OrdinalIgnoreCase))
                {
                    (findings ??= []).Add(new Finding(0, value.Length, FindingKind.CredentialContext, null, null));
                    return true;
                }
            }

            if (string.Equals(name, "authorization", StringComparison.OrdinalIgnoreCase) || string.Equals(name, "proxy-authorization", StringComparison.OrdinalIgnoreCase))
            {
                TryContext(AuthorizationValue, value, 0, ref findings);
            }

            return true;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// A workload access token (this runtime's own format: a fixed prefix, then base64url), issued by this process or
    /// by another instance of the workload. Recognised by its shape rather than held: one is issued per request, and
    /// holding each would crowd providers' tokens out of the bounded <see cref="HeldCredentials"/>.
    /// </summary>
    private static void TryWorkloadAccessToken(string text, int at, ref List<Finding>? findings)
    {
        var match = WorkloadAccessTokenPattern.Match(text, at);
        if (match.Success)
        {
            (findings ??= []).Add(new Finding(match.Index, match.Length, FindingKind.KnownFormat, null, WorkloadAccessTokenFormat));
        }
    }

    private static void TryContext(Regex pattern, string text, int at, ref List<Finding>? findings)
    {
        var match = pattern.Match(text, at);
        if (match.Success)
        {
            var secret = match.Groups["secret"];
            (findings ??= []).Add(new Finding(secret.Index, secret.Length, FindingKind.CredentialContext, null, null));
        }
    }

    private static ulong BitOf(string formatId)
    {
        for (var index = 0; index < KnownSecretFormats.All.Count; index++)
        {
            if (KnownSecretFormats.All[index].Id == formatId)
            {
                return 1UL << index;
            }
        }

        throw new InvalidOperationException("The IG0001 catalog has no format " + formatId + ".");
    }

    private static int IndexOfKeyword(ReadOnlySpan<char> text)
    {
#if NET9_0_OR_GREATER
        return text.IndexOfAny(ContextKeywordSearch);
#else
        var first = -1;
        foreach (var keyword in ContextKeywords)
        {
            var at = text.IndexOf(keyword, StringComparison.OrdinalIgnoreCase);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
                text = text[..Math.Min(text.Length, at + 32)];
            }
        }

        return first;
#endif
    }

    /// <summary>A signature or keyword that contains a given character at <see cref="Offset"/>.</summary>
    private sealed record Signal(string Text, int Offset, char UpperFirst);
}
