using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using IdentityGuard.Analyzers.Secrets;
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
/// Patterns run only where a cheap search found their prefix: clean text costs one pass of the analyzers' signature
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

    private static readonly string[] TokenFields =
        ["access_token", "refresh_token", "id_token", "client_secret", "api_key", "apikey", "x-api-key", "subject_token", "actor_token"];

    private static readonly string[] ContextKeywords =
        ["authorization", "access_token", "refresh_token", "id_token", "client_secret", "api_key", "apikey", "x-api-key", "subject_token", "actor_token"];

#if NET9_0_OR_GREATER
    private static readonly SearchValues<string> ContextKeywordSearch = SearchValues.Create(ContextKeywords, StringComparison.OrdinalIgnoreCase);
#endif

    /// <summary>Adds every known-format credential and credential context in <paramref name="text"/>.</summary>
    /// <returns>False when a pattern ran out of time: the caller must then withhold the whole text.</returns>
    public static bool FindAll(string text, ref List<Finding>? findings)
    {
        try
        {
            FindKnownFormats(text, ref findings);
            FindContexts(text, ref findings);
            return true;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static void FindKnownFormats(string text, ref List<Finding>? findings)
    {
        var candidates = KnownFormatScanner.FindCandidates(text);
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
    }

    private static void FindContexts(string text, ref List<Finding>? findings)
    {
        var span = text.AsSpan();
        var position = 0;
        while (position < span.Length)
        {
            var found = IndexOfKeyword(span[position..]);
            if (found < 0)
            {
                return;
            }

            var at = position + found;
            TryContext(AuthorizationHeader, text, at, ref findings);
            TryContext(TokenField, text, at, ref findings);

            position = at + 1;
        }
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

    private static void TryContext(Regex pattern, string text, int at, ref List<Finding>? findings)
    {
        var match = pattern.Match(text, at);
        if (match.Success)
        {
            var secret = match.Groups["secret"];
            (findings ??= []).Add(new Finding(secret.Index, secret.Length, FindingKind.CredentialContext, null, null));
        }
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
}
