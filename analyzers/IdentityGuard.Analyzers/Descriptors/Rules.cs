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

    /// <summary>IG0100: the manifest declares an over-broad scope.</summary>
    public static readonly DiagnosticDescriptor BroadScopeDeclared = new(
        RuleIdentifiers.BroadScopeDeclared,
        title: "Manifest declares an over-broad scope",
        messageFormat: "Provider '{0}' declares '{1}', which {2}; {3}",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The scope is in IdentityGuard's catalog of vendor scopes that grant administrative, organization-wide or all-data access (Google drive, Graph *.ReadWrite.All and Directory.*, GitHub repo and admin:*, Slack admin.*, Salesforce full, wildcards, …). An agent holding it can do far more than its task, with the user's authority, if it is misled or its token leaks.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.BroadScopeDeclared));

    /// <summary>IG0101: code requests an over-broad scope.</summary>
    public static readonly DiagnosticDescriptor BroadScopeRequested = new(
        RuleIdentifiers.BroadScopeRequested,
        title: "Over-broad scope requested in code",
        messageFormat: "'{0}' {1}; {2}",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "A scope literal passed to a token API (MSAL, Microsoft.Identity.Web, Duende.IdentityModel, IdentityGuard) is in the catalog of scopes that grant administrative, organization-wide or all-data access. Request the narrower scope the task needs.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.BroadScopeRequested));

    /// <summary>IG0102: code requests a scope the manifest does not declare.</summary>
    public static readonly DiagnosticDescriptor UndeclaredScope = new(
        RuleIdentifiers.UndeclaredScope,
        title: "Scope is not declared in the manifest",
        messageFormat: "Scope '{0}' is not declared for provider '{1}' in identityguard.json; declare it there or request a declared scope through the generated scope enum",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The manifest is where an agent's permissions are declared and reviewed. A string scope passed to IdentityGuard's string-based APIs (UserFederation, TokenVault) that the named provider does not declare bypasses that review; the generated scope enums make such requests impossible.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UndeclaredScope));

    /// <summary>IG0103: a read-write scope where a read-only one exists.</summary>
    public static readonly DiagnosticDescriptor ReadWriteScope = new(
        RuleIdentifiers.ReadWriteScope,
        title: "Read-write scope where a read-only scope exists",
        messageFormat: "'{0}' {1}; if the agent only reads, {2}",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        description: "The scope lets the agent change or delete the user's data (Mail.ReadWrite, write:jira-work, …) and the vendor offers a read-only scope. A suggestion: agents that only read should not be able to write.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.ReadWriteScope));
    /// <summary>IG0200: a user-federation token request where consent can never be shown to the user.</summary>
    public static readonly DiagnosticDescriptor ConsentNotHandled = new(
        RuleIdentifiers.ConsentNotHandled,
        title: "User-federation token request does not handle consent",
        messageFormat: "'{0}' requests a user token of provider '{1}' (user federation), but ConsentRequiredException reaches {2} uncaught and no IConsentHandler is registered; catch it on this path and show the user the authorization URL, or register a consent handler",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Until the user approves, a user-federation (three-legged) token request throws ConsentRequiredException carrying the authorization URL, unless an IConsentHandler is registered. When no catch on the way to an entry point (endpoint, tool, Main, delegate) handles it, the user is never shown the URL and the agent can never act for them.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.ConsentNotHandled),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>IG0201: user federation without an authorization callback.</summary>
    public static readonly DiagnosticDescriptor ConsentCallbackMissing = new(
        RuleIdentifiers.ConsentCallbackMissing,
        title: "User federation has no authorization callback",
        messageFormat: "User federation is registered, but nothing maps MapIdentityGuardConsentCallback, starts a LoopbackConsentListener or calls UserFederation.CompleteAsync; consent can never complete",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "The authorization server sends the user back to the redirect URI with a code; only the callback exchanges it and stores the grant, and pending authorizations live in this process. Without a callback, every approval is lost and the user is asked again forever.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.ConsentCallbackMissing),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>IG0202: an HTTP client with a user-federation token in a compilation that never handles consent.</summary>
    public static readonly DiagnosticDescriptor UserTokenClientWithoutConsentHandling = new(
        RuleIdentifiers.UserTokenClientWithoutConsentHandling,
        title: "HTTP client carries a user-federation token but consent is never handled",
        messageFormat: "This client attaches user tokens of provider '{0}' (user federation), but nothing in this compilation catches ConsentRequiredException or registers an IConsentHandler; its requests fail with no way for the user to approve",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "With With<Provider>Token the token is requested inside the HTTP handler on each call through the client; without consent the call throws ConsentRequiredException. When the app handles it nowhere, the authorization URL never reaches the user.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.UserTokenClientWithoutConsentHandling),
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    /// <summary>IG0203: <c>catch (ConsentRequiredException)</c> around calls that reach consent only through Refit.</summary>
    public static readonly DiagnosticDescriptor ConsentCatchAroundRefit = new(
        RuleIdentifiers.ConsentCatchAroundRefit,
        title: "Consent catch around a Refit call never runs",
        messageFormat: "This catch never runs for '{0}': Refit wraps ConsentRequiredException in ApiRequestException; catch ApiRequestException when ConsentRequiredException.TryFind(ex, out var consent), or map the endpoint with WithIdentityGuardConsent()",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Refit surfaces every exception thrown while sending (including IdentityGuard's ConsentRequiredException from the token handler) as ApiRequestException with the original as its inner exception. A catch of ConsentRequiredException around such a call is dead code, and the user never sees the authorization URL.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.ConsentCatchAroundRefit));

    /// <summary>IG0300: a token value reaches a log or diagnostic sink.</summary>
    public static readonly DiagnosticDescriptor TokenLogged = new(
        RuleIdentifiers.TokenLogged,
        title: "Token value is written to a log or diagnostic sink",
        messageFormat: "A token value reaches {0}; log the token object (it prints redacted), its expiry or scopes, never the value",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A credential value (RevealValue(), an MSAL or Duende token response, an Authorization header, an ASP.NET Core saved token, …) flows through locals, formatting or containers into a logger, the console, Debug/Trace, an Activity tag or event, or an exception message. Logs and traces are read by far more people and systems than the credential was meant for.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.TokenLogged));

    /// <summary>IG0301: a token value is returned from an agent tool or sent back to an HTTP caller.</summary>
    public static readonly DiagnosticDescriptor TokenReturnedFromTool = new(
        RuleIdentifiers.TokenReturnedFromTool,
        title: "Token value is returned from an agent tool or an HTTP endpoint",
        messageFormat: "{0} returns a token value to {1}; return what the token was used to fetch, never the credential",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The result of an MCP tool, prompt or resource, a Semantic Kernel function or an AIFunctionFactory delegate is serialized into the model's context, where prompt injection, transcripts and other tools can read it; the result of an HTTP endpoint (a minimal-API handler, a controller action, Results/TypedResults, Ok(…), the response body) is sent to whoever called it. A credential value in that result, directly or in a member of the returned object, is disclosed.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.TokenReturnedFromTool));

    /// <summary>IG0302: an agent tool parameter that carries a credential.</summary>
    public static readonly DiagnosticDescriptor CredentialToolParameter = new(
        RuleIdentifiers.CredentialToolParameter,
        title: "Agent tool takes a credential as a parameter",
        messageFormat: "Parameter '{0}' of agent tool '{1}' carries a credential that the model would have to supply; obtain the token inside the tool instead",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "Tool parameters are filled by the model from its context. A tool that takes a token, API key or password forces the credential into that context (prompt, transcript, other tools) and lets injected instructions substitute their own.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CredentialToolParameter));

    /// <summary>IG0303: the inbound bearer token forwarded downstream (token passthrough).</summary>
    public static readonly DiagnosticDescriptor TokenPassthrough = new(
        RuleIdentifiers.TokenPassthrough,
        title: "Caller's bearer token is forwarded downstream",
        messageFormat: "The caller's token from the inbound Authorization header is forwarded on an outgoing request (token passthrough); get a token for the downstream API from IdentityGuard instead: user federation, onBehalfOf token exchange or client credentials",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A token issued for this service is not meant for another one. Forwarding it lets the downstream API be reached with a token it should refuse, hides this service from its audit trail, and makes this service a confused deputy. The MCP authorization specification forbids it.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.TokenPassthrough));

    /// <summary>IG0400: token validation weakened.</summary>
    public static readonly DiagnosticDescriptor WeakTokenValidation = new(
        RuleIdentifiers.WeakTokenValidation,
        title: "Token validation check is turned off",
        messageFormat: "{0} {1}",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A TokenValidationParameters check (issuer, audience, lifetime, signature, expiry) is set to false, a validator delegate accepts every input without inspecting it, or IdentityGuard's JwtAuthorizerOptions has a check switched off (DisableAudienceValidation, AllowIdTokenClaims). Tokens issued to someone else, expired, forged, or ID tokens replayed as access tokens are then accepted.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.WeakTokenValidation));

    /// <summary>IG0401: certificate validation disabled.</summary>
    public static readonly DiagnosticDescriptor CertificateValidationDisabled = new(
        RuleIdentifiers.CertificateValidationDisabled,
        title: "Server certificate validation is disabled",
        messageFormat: "{0} accepts any server certificate; anyone on the network path can read the tokens sent over this connection",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "A certificate validation callback that always returns true, or HttpClientHandler.DangerousAcceptAnyServerCertificateValidator, turns TLS into encryption to whoever answers: bearer tokens, client secrets and refresh tokens sent to that server are exposed.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.CertificateValidationDisabled));

    /// <summary>IG0402: an identity endpoint over plain http off loopback.</summary>
    public static readonly DiagnosticDescriptor InsecureIdentityEndpoint = new(
        RuleIdentifiers.InsecureIdentityEndpoint,
        title: "Identity endpoint uses plain http",
        messageFormat: "{0} {1}",
        category: SecurityCategory,
        defaultSeverity: DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        description: "An authority, metadata address or token endpoint given as http:// (other than loopback), or an option that allows such endpoints, sends credentials and signing-key metadata in clear text where they can be read or replaced.",
        helpLinkUri: RuleIdentifiers.GetHelpUri(RuleIdentifiers.InsecureIdentityEndpoint));
}
