using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>
/// One credential format published by its vendor: the short signatures that must occur in a value
/// before the (comparatively expensive) pattern is tried, the pattern itself, and an optional check
/// that the match is genuine (a checksum, a decodable header, a non-placeholder password).
/// </summary>
internal sealed class SecretFormat
{
    /// <summary>How long one pattern may run on one value before it counts as no match.</summary>
    /// <remarks>Analyzers run on every keystroke in the IDE: a pathological literal must never stall it.</remarks>
    internal static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    private readonly Lazy<Regex>? _pattern;
    private readonly Lazy<Regex>? _pairedValue;

    public SecretFormat(
        string id,
        string title,
        string[] signatures,
        string? pattern,
        Func<string, Match, bool>? validate = null,
        bool signaturesIgnoreCase = false,
        bool rejectDocumentationExamples = true,
        string[][]? pairedNames = null,
        string? pairedValue = null,
        double pairedMinEntropy = 0,
        char requiredCharacter = '\0')
    {
        RequiredCharacter = requiredCharacter;
        Id = id;
        Title = title;
        Signatures = signatures;
        SignaturesIgnoreCase = signaturesIgnoreCase;
        Validate = validate;
        RejectDocumentationExamples = rejectDocumentationExamples;
        PairedNames = pairedNames;
        PairedMinEntropy = pairedMinEntropy;

        // Compiled lazily: most formats never see a value that carries their signature, and
        // compiling ~50 patterns up front would slow the first build of every project.
        if (pattern is not null)
        {
            _pattern = new Lazy<Regex>(() => Create(pattern));
        }

        if (pairedValue is not null)
        {
            _pairedValue = new Lazy<Regex>(() => Create(pairedValue));
        }
    }

    /// <summary>Stable id, used in the docs' format table and in tests.</summary>
    public string Id { get; }

    /// <summary>Human name shown in the diagnostic message.</summary>
    public string Title { get; }

    /// <summary>Substrings of which at least one occurs in every value of this format.</summary>
    public IReadOnlyList<string> Signatures { get; }

    public bool SignaturesIgnoreCase { get; }

    public Func<string, Match, bool>? Validate { get; }

    /// <summary>
    /// Whether a match that carries the marks of documentation (the word "example", a long run of one
    /// character, a counting sequence) is dropped. Off for formats whose bodies legitimately contain
    /// runs (PEM key bodies).
    /// </summary>
    public bool RejectDocumentationExamples { get; }

    /// <summary>
    /// For formats without a signature of their own (an AWS secret key is 40 base64 characters and
    /// nothing else): groups of words that, all present in the bound symbol's normalized name, make
    /// the value's shape conclusive.
    /// </summary>
    public string[][]? PairedNames { get; }

    public double PairedMinEntropy { get; }

    /// <summary>
    /// A character every value of the format contains besides its signature (the <c>@</c> of URL
    /// user information, the dots of a JWT); checked in the pre-filter so that, for example, ordinary
    /// URLs never reach a regex.
    /// </summary>
    public char RequiredCharacter { get; }

    public Regex? Pattern => _pattern?.Value;

    public Regex? PairedValue => _pairedValue?.Value;

    private static Regex Create(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled | RegexOptions.ExplicitCapture, MatchTimeout);
}
