using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace IdentityGuard.Scanner.Tests;

/// <summary>
/// What a tree of sources says the scan must find: each <c>// expect: IGnnnn</c> comment is an active finding on
/// its line, each <c>// suppressed: IGnnnn</c> a finding silenced in source.
/// </summary>
internal static partial class Expectations
{
    public static HashSet<SarifFinding> FromComments(string root, Func<string, string> uriOf, Func<string, string> levelOf)
    {
        var expected = new HashSet<SarifFinding>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(root, f)))
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var match = Comment().Match(lines[i]);
                if (!match.Success)
                {
                    continue;
                }

                foreach (var id in match.Groups["ids"].Value.Split(',', StringSplitOptions.TrimEntries))
                {
                    var finding = new SarifFinding(id, levelOf(id), uriOf(file), i + 1, match.Groups["kind"].Value == "suppressed");
                    if (!expected.Add(finding))
                    {
                        throw new InvalidOperationException($"{finding} is expected twice");
                    }
                }
            }
        }

        return expected;
    }

    /// <summary>
    /// The credential values written in the tree's marked lines: the string-literal parts of each marked line joined
    /// (the fixtures split every value across a constant concatenation), and the parts themselves.
    /// </summary>
    public static IReadOnlyList<string> CredentialValues(string root)
    {
        var values = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(root, f)))
        {
            foreach (var line in File.ReadLines(file).Where(l => Comment().IsMatch(l) && Regex.IsMatch(l, @"IG000[12]")))
            {
                var parts = Literal().Matches(line.Split("//", 2)[0]).Select(m => m.Groups["text"].Value).ToList();
                values.Add(string.Concat(parts));
                values.AddRange(parts.Where(p => p.Length >= 8));
            }
        }

        return values;
    }

    public static bool IsBuildOutput(string root, string file)
    {
        var segments = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar);
        return segments.Any(s => s is "bin" or "obj");
    }

    [GeneratedRegex(@"//\s*(?<kind>expect|suppressed):\s*(?<ids>IG\d{4}(?:\s*,\s*IG\d{4})*)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex Comment();

    [GeneratedRegex("\"(?<text>[^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex Literal();
}
