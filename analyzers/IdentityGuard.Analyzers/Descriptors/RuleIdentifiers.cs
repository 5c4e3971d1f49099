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

    /// <summary>The manifest declares a scope wider than most tasks need (scope catalog).</summary>
    public const string BroadScopeDeclared = "IG0100";

    /// <summary>Code requests a scope wider than most tasks need (scope catalog).</summary>
    public const string BroadScopeRequested = "IG0101";

    /// <summary>Code requests a scope the manifest does not declare for that provider.</summary>
    public const string UndeclaredScope = "IG0102";

    /// <summary>A read-write scope where a read-only one exists (suggestion).</summary>
    public const string ReadWriteScope = "IG0103";

    /// <summary>A user-federation token request from which <c>ConsentRequiredException</c> reaches an entry point uncaught, with no consent handler registered.</summary>
    public const string ConsentNotHandled = "IG0200";

    /// <summary>User federation is registered but no authorization callback completes consent.</summary>
    public const string ConsentCallbackMissing = "IG0201";

    /// <summary>An HTTP client carries a user-federation token in a compilation that never handles consent.</summary>
    public const string UserTokenClientWithoutConsentHandling = "IG0202";

    /// <summary>A <c>catch (ConsentRequiredException)</c> that can meet consent only through Refit, which wraps it: the clause never runs.</summary>
    public const string ConsentCatchAroundRefit = "IG0203";

    /// <summary>A token value flows into a log, console, trace, telemetry or exception-message sink.</summary>
    public const string TokenLogged = "IG0300";

    /// <summary>A token value is returned from an agent tool (serialized to the model) or sent back to an HTTP caller.</summary>
    public const string TokenReturnedFromTool = "IG0301";

    /// <summary>An agent tool parameter carries a credential the model would have to supply.</summary>
    public const string CredentialToolParameter = "IG0302";

    /// <summary>The caller's bearer token, read from the inbound <c>Authorization</c> header, forwarded on an outgoing request.</summary>
    public const string TokenPassthrough = "IG0303";

    /// <summary><c>TokenValidationParameters</c> with a check turned off or a validator that accepts everything.</summary>
    public const string WeakTokenValidation = "IG0400";

    /// <summary>Server certificate validation disabled on an outgoing connection.</summary>
    public const string CertificateValidationDisabled = "IG0401";

    /// <summary>An identity endpoint (authority, metadata, token endpoint) over plain http off loopback.</summary>
    public const string InsecureIdentityEndpoint = "IG0402";

    private const string HelpLinkBase = "https://github.com/identityguard/identityguard/blob/main/docs/rules/";

    /// <summary>The documentation page a descriptor's help link points to.</summary>
    public static string GetHelpUri(string id) => HelpLinkBase + id + ".md";
}
