namespace IdentityGuard.Analyzers.Descriptors;

/// <summary>
/// Every IdentityGuard rule id, in one place, so that a rule id found in a build log leads to one
/// constant, one descriptor in <see cref="Rules"/> and one page under <c>docs/rules</c>.
/// </summary>
/// <remarks>
/// Id ranges are reserved per family so families can grow without renumbering:
/// IG0001–IG0099 hardcoded secrets, IG0100+ scopes, IG0200+ consent, IG0300+ token flow,
/// IG0400+ validation.
/// </remarks>
public static class RuleIdentifiers
{
    /// <summary>A credential in a vendor's documented format (high confidence).</summary>
    public const string KnownFormatCredential = "IG0001";

    /// <summary>A secret-named symbol bound to a random-looking literal (heuristic).</summary>
    public const string SecretNamedLiteral = "IG0002";

    private const string HelpLinkBase = "https://github.com/identityguard/identityguard/blob/main/docs/rules/";

    /// <summary>The documentation page a descriptor's help link points to.</summary>
    public static string GetHelpUri(string id) => HelpLinkBase + id + ".md";
}
