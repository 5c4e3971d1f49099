using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace IdentityGuard.ManifestContract;

/// <summary>Checks names that become C# identifiers, and finds the nearest known name for a misspelling.</summary>
internal static class NameRules
{
    /// <summary>Why <paramref name="name"/> cannot be a C# identifier, or <see langword="null"/> when it can.</summary>
    public static string? IdentifierProblem(string name)
    {
        if (name.Length == 0)
        {
            return "the name is empty";
        }

        if (SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None)
        {
            return "it is a C# keyword";
        }

        if (!SyntaxFacts.IsValidIdentifier(name))
        {
            return "it is not a valid identifier (letters, digits and '_', not starting with a digit)";
        }

        // C# ignores formatting characters inside identifiers, so two names that differ only by one would
        // collide in the generated code while looking distinct in the manifest.
        foreach (var c in name)
        {
            if (char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return "it contains an invisible formatting character";
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="name"/> cannot be a member of the scope enum of <paramref name="provider"/>.</summary>
    public static string? ScopeMemberProblem(string name, string provider)
    {
        if (IdentifierProblem(name) is { } problem)
        {
            return problem;
        }

        if (name == "None")
        {
            return "'None' is the generated member for the empty scope set";
        }

        if (name == "value__")
        {
            return "the compiler reserves 'value__' in enums";
        }

        return name == provider + "Scopes" ? "it is the name of the scope enum itself" : null;
    }

    /// <summary>The known name closest to <paramref name="name"/>, if it is close enough to be a likely misspelling.</summary>
    public static string? Nearest(string name, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= Math.Max(2, best.Length / 3) ? best : null;
    }

    // Optimal string alignment distance: Levenshtein plus adjacent transpositions, the commonest typo.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }

                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }
}
