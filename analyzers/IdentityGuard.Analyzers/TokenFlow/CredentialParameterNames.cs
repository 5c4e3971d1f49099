using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using IdentityGuard.Analyzers.Secrets;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// Whether a tool parameter's name says it carries a credential. Agent tools talk about model tokens all the time
/// (<c>maxTokens</c>, <c>tokenCount</c>) and paginate with tokens (<c>pageToken</c>, <c>continuationToken</c>), so
/// "token" alone counts only when no such qualifier is present.
/// </summary>
internal static class CredentialParameterNames
{
    /// <summary>Words that make a name a credential on their own.</summary>
    private static readonly ImmutableHashSet<string> CredentialWords = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "password", "passwd", "pwd", "passphrase", "secret", "bearer", "authorization", "apikey", "credential", "credentials", "jwt", "pat");

    /// <summary>Words that, next to "token" (or "secret"), mean something the model may legitimately supply.</summary>
    private static readonly ImmutableHashSet<string> Qualifiers = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "max", "min", "count", "limit", "budget", "usage", "num", "total", "length", "input", "output", "prompt", "completion",
        "page", "continuation", "next", "cursor", "sync", "resume", "cancellation", "type", "kind", "endpoint", "url", "uri",
        "csrf", "xsrf", "antiforgery", "name", "id", "ids", "names", "hint", "policy", "version", "path", "expiry", "expiration", "scope", "scopes");

    public static bool IsCredentialName(string name)
    {
        var words = SecretNameClassifier.SplitWords(name);
        if (AnyQualifier(words))
        {
            return false;
        }

        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (CredentialWords.Contains(word) || word == "token")
            {
                return true;
            }

            // api key, access key, auth header, auth code
            var next = i + 1 < words.Count ? words[i + 1] : null;
            if ((word is "api" or "access" or "private" or "subscription" && next == "key") || (word == "auth" && next is "header" or "code" or "value"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AnyQualifier(List<string> words)
    {
        foreach (var word in words)
        {
            if (Qualifiers.Contains(word) || word == "tokens")
            {
                return true;
            }
        }

        return false;
    }
}
