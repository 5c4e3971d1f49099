using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using IdentityGuard.Analyzers.Secrets;

namespace IdentityGuard.Scrubbing;

/// <summary>
/// Credentials recognised by their shape rather than by a held value: the known formats of IG0001 (JWTs, cloud,
/// source-hosting, payment and AI vendors' keys; the same catalog, compiled into this assembly from the analyzers'
/// source) and two run-time contexts that the build-time rule has no use for: the credential of an
/// <c>Authorization</c> header dump, and the value of a token field such as <c>access_token</c>.
/// </summary>
internal static class CredentialShapes
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase;

    // Token characters of RFC 6750's b64token and of the usual opaque formats; at least eight, like held values.
    private const string TokenValue = "(?<secret>[A-Za-z0-9\\-._~+/]{8,}=*)";

    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(250);

    private static readonly Regex AuthorizationHeader = new(
        "(?<![A-Za-z0-9-])(?:proxy-)?authorization[\"']?\\s*[:=]\\s*[\"']?(?:bearer|basic|dpop|token|mac)\\s+" + TokenValue,
        Options | RegexOptions.Compiled,
        Timeout);

    private static readonly Regex TokenField = new(
        "(?<![A-Za-z0-9_-])(?:access_token|refresh_token|id_token|client_secret|api_key|apikey|x-api-key|subject_token|actor_token)[\"']?\\s*[:=]\\s*[\"']?" + TokenValue,
        Options | RegexOptions.Compiled,
        Timeout);

    /// <summary>Adds every known-format credential and credential context in <paramref name="text"/>.</summary>
    /// <returns>False when a pattern ran out of time: the caller must then withhold the whole text.</returns>
    public static bool FindAll(string text, List<Finding> findings)
    {
        try
        {
            FindKnownFormats(text, findings);
            FindContext(AuthorizationHeader, text, findings);
            FindContext(TokenField, text, findings);
            return true;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static void FindKnownFormats(string text, List<Finding> findings)
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
                var span = secret.Success && secret.Length > 0 ? (secret.Index, secret.Length) : (match.Index, match.Length);
                findings.Add(new Finding(span.Item1, span.Item2, FindingKind.KnownFormat, null, formats[index].Id));
            }
        }
    }

    private static void FindContext(Regex pattern, string text, List<Finding> findings)
    {
        // Cheap pre-check: both contexts need a separator followed by at least eight token characters.
        if (text.Length < 16)
        {
            return;
        }

        for (var match = pattern.Match(text); match.Success; match = match.NextMatch())
        {
            var secret = match.Groups["secret"];
            findings.Add(new Finding(secret.Index, secret.Length, FindingKind.CredentialContext, null, null));
        }
    }
}
