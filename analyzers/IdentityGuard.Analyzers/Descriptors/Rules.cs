using Microsoft.CodeAnalysis;

namespace IdentityGuard.Analyzers.Descriptors;

/// <summary>
/// All diagnostic descriptors. Kept together so the rule table, the release-tracking files and the
/// docs can be checked against one list.
/// </summary>
/// <remarks>
/// Messages never contain the secret value: diagnostics end up in build logs and SARIF files, which
/// are often more widely readable than the source they came from.
/// </remarks>
public static class Rules
{
    /// <summary>Category shared by the security rule families.</summary>
    public const string SecurityCategory = "Security";

    /// <summary>IG0001: a known-format credential.</summary>
    public static readonly DiagnosticDescriptor KnownFormatCredential = new(
        RuleIdentifiers.KnownFormatCredential,
        title: "Credential in a known format is hardcoded",
        messageFormat: "This value is a {0}; move it to configuration, an environment variable or a secret store and rotate it",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The value matches a credential format published by its vendor (fixed prefix, length, alphabet and, where the vendor defines one, a checksum). Anyone who can read the source, the build output or the package can use it.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.KnownFormatCredential));

    /// <summary>IG0002: a random-looking literal bound to a secret-named symbol.</summary>
    public static readonly DiagnosticDescriptor SecretNamedLiteral = new(
        RuleIdentifiers.SecretNamedLiteral,
        title: "Secret-named symbol holds a hardcoded random-looking value",
        messageFormat: "'{0}' is named like a secret and is given a random-looking literal; read it from configuration, an environment variable or a secret store",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A symbol, argument or configuration key whose name says it holds a secret (password, token, api key, client secret, …) is bound to a literal with the character distribution of generated key material rather than of words, placeholders or references.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.SecretNamedLiteral));
}
