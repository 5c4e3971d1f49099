using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Analyzers.Tests.Corpus;

/// <summary>One expected finding: a rule id on an exact span of the case's final source text.</summary>
internal readonly record struct ExpectedFinding(string Id, TextSpan Span);

/// <summary>
/// A labelled snippet of the corpus: its source (placeholders filled in, markup removed) and what the rules must
/// report on it. A case with no expected findings is a near miss that must stay quiet.
/// </summary>
/// <param name="Manifest">The text of an <c>identityguard.json</c> AdditionalFile the case compiles with, or <see langword="null"/>.</param>
internal sealed record CorpusCase(string File, int Line, string Name, string Source, ImmutableArray<ExpectedFinding> Expected, string? Manifest = null)
{
    public override string ToString() => $"{File}:{Line} {Name}";
}

/// <summary>
/// Reads the <c>*.cases</c> files. The format is plain text rather than C# so that no credential-shaped or
/// deliberately insecure code sits in a <c>.cs</c> file our own secret checks scan; it is meant to be written by
/// hand and read in a review:
/// <list type="bullet">
/// <item><c>@@ template NAME</c> starts a template; <c>$BODY$</c> marks where a case's text goes.</item>
/// <item><c>@@ case TEMPLATE | description</c> starts a case (<c>-</c> for no template: the case is a whole file).</item>
/// <item><c>@@ manifest NAME</c> starts the text of an <c>identityguard.json</c>; <c>@@ case TEMPLATE with NAME | description</c>
/// compiles the case with it as an AdditionalFile. Only findings in the case's C# source are scored.</item>
/// <item><c>{|IG0300:…|}</c> marks a span where exactly that diagnostic is expected.</item>
/// <item><c>{{fake:FORMAT}}</c>, <c>{{paired:FORMAT}}</c>, <c>{{published:NAME}}</c> (an emulator's published key) and
/// <c>{{random:ALPHABET:LENGTH:SEED}}</c> are replaced at
/// run time by values from <see cref="FakeCredentials"/> and <see cref="Fake"/>, escaped for a C# string literal,
/// so the repository never holds the credential-shaped text.</item>
/// </list>
/// </summary>
internal static class CorpusReader
{
    private static readonly Regex Placeholder = new(@"\{\{(fake|paired|published|random):([^}]*)\}\}", RegexOptions.CultureInvariant);
    private static readonly Regex MarkupStart = new(@"\G\{\|(IG\d{4}):", RegexOptions.CultureInvariant);

    public static IReadOnlyList<CorpusCase> ReadFolder(string folder) =>
        Directory.EnumerateFiles(folder, "*.cases")
            .OrderBy(path => path, StringComparer.Ordinal)
            .SelectMany(path => Read(Path.GetFileName(path), File.ReadAllText(path)))
            .ToList();

    public static IEnumerable<CorpusCase> Read(string fileName, string text)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        var manifests = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? header = null;
        var headerLine = 0;
        var body = new StringBuilder();

        foreach (var (line, index) in lines.Select((line, index) => (line, index)).Append((line: "@@ end", index: lines.Length)))
        {
            if (!line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                if (header is not null)
                {
                    body.Append(line).Append('\n');
                }

                continue;
            }

            if (header is not null)
            {
                var finished = Finish(fileName, headerLine, header, body.ToString(), templates, manifests);
                if (finished is not null)
                {
                    yield return finished;
                }
            }

            header = line[3..].Trim();
            headerLine = index + 1;
            body.Clear();
        }
    }

    private static CorpusCase? Finish(string fileName, int line, string header, string body, Dictionary<string, string> templates, Dictionary<string, string> manifests)
    {
        if (header.StartsWith("template ", StringComparison.Ordinal))
        {
            templates[header["template ".Length..].Trim()] = body;
            return null;
        }

        if (header.StartsWith("manifest ", StringComparison.Ordinal))
        {
            manifests[header["manifest ".Length..].Trim()] = body;
            return null;
        }

        if (header == "end")
        {
            return null;
        }

        if (!header.StartsWith("case ", StringComparison.Ordinal))
        {
            throw new FormatException($"{fileName}:{line}: unknown directive '@@ {header}'.");
        }

        var parts = header["case ".Length..].Split('|', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || parts[1].Length == 0)
        {
            throw new FormatException($"{fileName}:{line}: a case reads '@@ case TEMPLATE | description'.");
        }

        var template = parts[0];
        string? manifest = null;
        var with = template.IndexOf(" with ", StringComparison.Ordinal);
        if (with >= 0)
        {
            var manifestName = template[(with + " with ".Length)..].Trim();
            template = template[..with].Trim();
            manifest = manifests.TryGetValue(manifestName, out var manifestText)
                ? manifestText
                : throw new FormatException($"{fileName}:{line}: no manifest named '{manifestName}' above this case.");
        }

        var text = template == "-"
            ? body
            : templates.TryGetValue(template, out var templateText)
                ? templateText.Replace("$BODY$", body.TrimEnd('\n'), StringComparison.Ordinal)
                : throw new FormatException($"{fileName}:{line}: no template named '{template}' above this case.");

        var (source, expected) = ParseMarkup(FillPlaceholders(text), fileName, line);
        return new CorpusCase(fileName, line, parts[1], source, expected, manifest);
    }

    private static string FillPlaceholders(string text) => Placeholder.Replace(text, match =>
    {
        var argument = match.Groups[2].Value;
        var value = match.Groups[1].Value switch
        {
            "fake" => FakeCredentials.InValue[argument],
            "paired" => FakeCredentials.Paired[argument].Value,
            "published" => FakeCredentials.Published[argument],
            _ => RandomValue(argument),
        };

        // The fake goes inside quotes written in the case; escape it for a regular string literal.
        var literal = Fake.CSharp(value);
        return literal[1..^1];
    });

    private static string RandomValue(string argument)
    {
        var fields = argument.Split(':');
        var alphabet = fields[0] == "HexUpper"
            ? "0123456789ABCDEF"
            : typeof(Fake).GetField(fields[0])?.GetValue(null) as string
            ?? throw new FormatException($"Unknown alphabet '{fields[0]}' (use a constant of Fake, or HexUpper).");
        return Fake.Random(alphabet, int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    private static (string Source, ImmutableArray<ExpectedFinding> Expected) ParseMarkup(string text, string fileName, int line)
    {
        var output = new StringBuilder(text.Length);
        var open = new Stack<(string Id, int Start)>();
        var expected = ImmutableArray.CreateBuilder<ExpectedFinding>();
        for (var i = 0; i < text.Length; i++)
        {
            var start = MarkupStart.Match(text, i);
            if (start.Success)
            {
                open.Push((start.Groups[1].Value, output.Length));
                i += start.Length - 1;
                continue;
            }

            if (text[i] == '|' && i + 1 < text.Length && text[i + 1] == '}' && open.Count > 0)
            {
                var (id, begin) = open.Pop();
                expected.Add(new ExpectedFinding(id, TextSpan.FromBounds(begin, output.Length)));
                i++;
                continue;
            }

            output.Append(text[i]);
        }

        if (open.Count > 0)
        {
            throw new FormatException($"{fileName}:{line}: unclosed '{{|{open.Peek().Id}:' markup.");
        }

        return (output.ToString(), expected.ToImmutable());
    }
}
