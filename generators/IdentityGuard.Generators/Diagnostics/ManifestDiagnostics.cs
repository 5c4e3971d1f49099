using System;
using System.Collections.Immutable;
using IdentityGuard.ManifestContract;
using Microsoft.CodeAnalysis;

namespace IdentityGuard.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the generator reports about <c>identityguard.json</c>, with its id, in one place.
/// Ids IG1001–IG1099 belong to the manifest; each has a page <c>docs/rules/&lt;id&gt;.md</c>. The shared reader finds
/// the mistakes (<see cref="ManifestProblems"/>, same ids); a test keeps the two lists equal.
/// </summary>
internal static class ManifestDiagnostics
{
    public const string Category = "IdentityGuard.Manifest";

    public const string InvalidJsonId = "IG1001";
    public const string MissingPropertyId = "IG1002";
    public const string InvalidValueId = "IG1003";
    public const string UnknownValueId = "IG1004";
    public const string DuplicateNameId = "IG1005";
    public const string InvalidIdentifierId = "IG1006";
    public const string LiteralSecretId = "IG1007";
    public const string InsecureEndpointId = "IG1008";
    public const string TooManyScopesId = "IG1009";
    public const string UnknownPropertyId = "IG1010";
    public const string MultipleManifestsId = "IG1011";
    public const string ConflictingPropertiesId = "IG1012";

    public static readonly DiagnosticDescriptor InvalidJson = Create(
        InvalidJsonId,
        "Manifest is not valid JSON",
        "The manifest is not valid JSON: {0}",
        DiagnosticSeverity.Error,
        "identityguard.json must be strict JSON (RFC 8259): no comments, no trailing commas, strings in double quotes. Nothing is generated until it parses.");

    public static readonly DiagnosticDescriptor MissingProperty = Create(
        MissingPropertyId,
        "Required manifest property is missing",
        "{0} is missing the required property {1}",
        DiagnosticSeverity.Error,
        "A provider lacking a required property cannot be compiled into a credential provider, so it is skipped.");

    public static readonly DiagnosticDescriptor InvalidValue = Create(
        InvalidValueId,
        "Manifest value has the wrong type or format",
        "{0} must be {1}",
        DiagnosticSeverity.Error,
        "The value has the wrong JSON type or an invalid format (for example an endpoint that is not an absolute URL).");

    public static readonly DiagnosticDescriptor UnknownValue = Create(
        UnknownValueId,
        "Unknown kind, flow or vendor",
        "'{0}' is not a known {1}; use one of: {2}",
        DiagnosticSeverity.Error,
        "Provider kinds, OAuth flows and vendor names are fixed lists; the values are case-sensitive.");

    public static readonly DiagnosticDescriptor DuplicateName = Create(
        DuplicateNameId,
        "Name declared more than once",
        "{0} '{1}' is declared more than once{2}",
        DiagnosticSeverity.Error,
        "JSON parsers disagree about duplicate keys (first wins or last wins), so a duplicate is ambiguous. Provider names must also differ in more than letter case, because configuration keys ignore case.");

    public static readonly DiagnosticDescriptor InvalidIdentifier = Create(
        InvalidIdentifierId,
        "Name is not a valid C# identifier",
        "{0} '{1}' cannot be used as a C# name: {2}",
        DiagnosticSeverity.Error,
        "Provider names become type and method names and scope names become enum members, so they must be valid C# identifiers that are not keywords.");

    public static readonly DiagnosticDescriptor LiteralSecret = Create(
        LiteralSecretId,
        "Literal secret in the manifest",
        "'{0}' of {1} is a literal value; a secret must be a reference such as {{ \"configuration\": \"Key\" }} or {{ \"environment\": \"NAME\" }}",
        DiagnosticSeverity.Error,
        "The manifest is checked in and compiled into the assembly; a secret written in it leaks to everyone who can read either. Move the value to configuration or an environment variable and reference it. Rotate the secret if it was ever committed.");

    public static readonly DiagnosticDescriptor InsecureEndpoint = Create(
        InsecureEndpointId,
        "Endpoint uses http:// off loopback",
        "'{0}' of {1} uses http:// on a host that is not loopback; client secrets and tokens would travel unencrypted",
        DiagnosticSeverity.Warning,
        "OAuth 2.0 requires TLS for authorization and token endpoints. Plain http is acceptable only for a local test server on loopback.");

    public static readonly DiagnosticDescriptor TooManyScopes = Create(
        TooManyScopesId,
        "More than 64 scopes",
        "{0} declares {1} scopes; a provider can declare at most 64",
        DiagnosticSeverity.Error,
        "Each scope is one bit of the generated ulong flags enum, which holds 64 bits.");

    public static readonly DiagnosticDescriptor UnknownProperty = Create(
        UnknownPropertyId,
        "Unknown manifest property",
        "Unknown property '{0}' in {1}{2}",
        DiagnosticSeverity.Warning,
        "The property is ignored. It is most often a misspelling of a known property.");

    public static readonly DiagnosticDescriptor MultipleManifests = Create(
        MultipleManifestsId,
        "More than one identityguard.json",
        "More than one identityguard.json is passed to the compiler; this one is ignored and '{0}' is used",
        DiagnosticSeverity.Error,
        "A project has exactly one workload identity, so it has exactly one manifest.");

    public static readonly DiagnosticDescriptor ConflictingProperties = Create(
        ConflictingPropertiesId,
        "Conflicting manifest properties",
        "{0} sets both {1} and {2}; set exactly one",
        DiagnosticSeverity.Error,
        "Some properties are alternatives (an API key travels in a header or in the query; a reference names configuration or the environment).");

    public static ImmutableArray<DiagnosticDescriptor> All { get; } = ImmutableArray.Create(
        InvalidJson,
        MissingProperty,
        InvalidValue,
        UnknownValue,
        DuplicateName,
        InvalidIdentifier,
        LiteralSecret,
        InsecureEndpoint,
        TooManyScopes,
        UnknownProperty,
        MultipleManifests,
        ConflictingProperties);

    public static string HelpLink(string id) => "https://github.com/identityguard/identityguard/blob/main/docs/rules/" + id + ".md";

    /// <summary>The diagnostic a manifest mistake found by the shared reader is reported as.</summary>
    public static Diagnostic ToDiagnostic(this ManifestDiagnostic diagnostic)
    {
        var descriptor = Find(diagnostic.Id)
            ?? throw new InvalidOperationException("Unknown diagnostic id " + diagnostic.Id);
        var location = Location.Create(diagnostic.FilePath, diagnostic.Span, diagnostic.LineSpan);
        var arguments = new object[diagnostic.Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = diagnostic.Arguments[i];
        }

        return Diagnostic.Create(descriptor, location, arguments);
    }

    public static DiagnosticDescriptor? Find(string id)
    {
        foreach (var descriptor in All)
        {
            if (descriptor.Id == id)
            {
                return descriptor;
            }
        }

        return null;
    }

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity, string description) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, description: description, helpLinkUri: HelpLink(id));
}
