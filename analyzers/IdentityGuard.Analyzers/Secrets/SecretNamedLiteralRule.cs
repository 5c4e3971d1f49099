namespace IdentityGuard.Analyzers.Secrets;

/// <summary>
/// IG0002, independent of where the value came from: a secret-named binding whose value has the
/// character distribution of generated key material. Evidence is weighed cheapest first; a value
/// fails as early as possible.
/// </summary>
internal static class SecretNamedLiteralRule
{
    /// <summary>Length and alphabet only; allocation-free, run on every literal.</summary>
    public static bool IsCandidateValue(string value) => SecretHeuristics.HasSecretShape(value);

    public static bool IsReportable(string value, string name, SecretOptions options)
    {
        var words = options.Names.Classify(name);
        if (words is null)
        {
            return false;
        }

        if (SecretHeuristics.IsPlaceholder(value) || SecretHeuristics.IsReference(value) || SecretHeuristics.IsGuid(value) || PublicEmulatorKeys.Is(value))
        {
            return false;
        }

        // passwordHash = "5f4dcc3b…": a digest where the name promises one.
        if (SecretHeuristics.IsHexDigest(value) && SecretNameClassifier.IsDigestName(words))
        {
            return false;
        }

        if (SecretHeuristics.ShannonEntropy(value) <= options.MinEntropy)
        {
            return false;
        }

        return !SecretHeuristics.IsIdentifierShaped(value)
            && !SecretHeuristics.LooksLikeWords(value)
            && !SecretHeuristics.IsBase64OfText(value);
    }
}
