using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.ManifestContract;

// The model the incremental pipeline caches: plain strings, enums and equatable arrays only, never Roslyn
// symbols or syntax, so an unchanged manifest compares equal run after run and emission is skipped.

/// <summary>The credential kind of a provider (manifest field <c>kind</c>).</summary>
internal enum ProviderKind
{
    OAuth2,
    ApiKey,
}

/// <summary>The OAuth flow of an OAuth 2.0 provider (manifest field <c>flow</c>).</summary>
internal enum ProviderFlow
{
    /// <summary><c>m2m</c>: the client-credentials grant; the agent acts as itself.</summary>
    M2M,
    UserFederation,
    OnBehalfOf,
}

/// <summary>Where a referenced value lives.</summary>
internal enum ValueOrigin
{
    Literal,
    Configuration,
    Environment,
}

/// <summary>A literal (non-secret) value or a reference to configuration or the environment.</summary>
internal sealed record ValueModel(ValueOrigin Origin, string Key);

/// <summary>A declared scope: its enum member name and the OAuth scope string.</summary>
internal sealed record ScopeModel(string Name, string Value);

/// <summary>One valid provider of the manifest, with vendor endpoints already resolved.</summary>
internal sealed record ProviderModel
{
    public ProviderModel(string name, ProviderKind kind)
    {
        Name = name;
        Kind = kind;
    }

    public string Name { get; }

    public ProviderKind Kind { get; }

    public ProviderFlow Flow { get; init; }

    public string Vendor { get; init; } = ManifestVocabulary.CustomVendor;

    public string? DiscoveryUrl { get; init; }

    public string? TokenEndpoint { get; init; }

    public string? AuthorizationEndpoint { get; init; }

    public ValueModel? ClientId { get; init; }

    public ValueModel? ClientSecret { get; init; }

    public string? Audience { get; init; }

    public EquatableArray<ScopeModel> Scopes { get; init; } = EquatableArray<ScopeModel>.Empty;

    public ValueModel? ApiKey { get; init; }

    public bool ApiKeyInQuery { get; init; }

    public string? ApiKeyParameter { get; init; }

    /// <summary>The origins the credential may be sent to, normalized (e.g. <c>https://api.example.com</c>); empty: any https origin.</summary>
    public EquatableArray<string> AllowedOrigins { get; init; } = EquatableArray<string>.Empty;
}

/// <summary>The valid part of a manifest: what the emitter turns into code.</summary>
/// <param name="Workload">The workload name, or <see langword="null"/> when the manifest's is missing or invalid.</param>
/// <param name="Providers">The providers that had no errors, in manifest order.</param>
internal sealed record ManifestModel(string? Workload, EquatableArray<ProviderModel> Providers);

/// <summary>A scope as written in the manifest, with the span of its value: where the analyzers report a broad scope.</summary>
internal sealed record ScopeDeclaration(string Name, string Value, TextSpan ValueSpan);

/// <summary>
/// A provider as written in the manifest, read leniently: unlike <see cref="ProviderModel"/> it is kept when the
/// provider has errors, because a broad scope is worth reporting while the file has other mistakes (which the
/// generator reports). Fields that are absent or of the wrong type are <see langword="null"/> or skipped.
/// </summary>
/// <param name="Name">The provider name (a key of <c>providers</c>).</param>
/// <param name="Vendor">The <c>vendor</c> string as written, known or not.</param>
/// <param name="Flow">The flow its <c>flow</c> field names, or <see langword="null"/> when absent or unknown.</param>
/// <param name="Scopes">The <c>scopes</c> members whose value is a string, in manifest order.</param>
internal sealed record ProviderDeclaration(string Name, string? Vendor, ProviderFlow? Flow, EquatableArray<ScopeDeclaration> Scopes);

/// <summary>
/// The outcome of reading the manifest: the model (absent when the file is not usable at all), the diagnostics, and
/// every provider as declared (<see cref="Declarations"/>, for the analyzers).
/// </summary>
internal sealed record ManifestParseResult(ManifestModel? Model, EquatableArray<ManifestDiagnostic> Diagnostics)
{
    public static ManifestParseResult None { get; } = new(null, EquatableArray<ManifestDiagnostic>.Empty);

    /// <summary>Every provider object of <c>providers</c> (first of each name), read leniently.</summary>
    public EquatableArray<ProviderDeclaration> Declarations { get; init; } = EquatableArray<ProviderDeclaration>.Empty;
}
