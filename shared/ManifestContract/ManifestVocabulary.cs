using System.Collections.Immutable;

namespace IdentityGuard.ManifestContract;

/// <summary>
/// The words of manifest v1: property names and the allowed values of <c>kind</c> and <c>flow</c>, shared by the
/// generator (which reads the manifest and writes them into the generated attributes) and the analyzers (which read
/// them back). The JSON Schema repeats these lists; a test keeps the two equal.
/// </summary>
/// <remarks>
/// One spelling per concept: the manifest's words are canonical everywhere (<c>m2m</c> is
/// <see cref="ProviderFlow.M2M"/> in C#, <c>OAuthFlow.M2M</c> in the runtime). Older spellings of a flow are accepted
/// only where people type them, in the manifest's <c>flow</c> field (<see cref="FlowAliases"/>).
/// </remarks>
internal static class ManifestVocabulary
{
    public const string CustomVendor = "custom";

    public const string KindOAuth2 = "oauth2";
    public const string KindApiKey = "apiKey";

    public const string FlowM2M = "m2m";
    public const string FlowUserFederation = "userFederation";
    public const string FlowOnBehalfOf = "onBehalfOf";

    /// <summary>The most scopes one provider may declare: one bit each in a <c>ulong</c>.</summary>
    public const int MaxScopes = 64;

    public static ImmutableArray<string> Kinds { get; } = ImmutableArray.Create(KindOAuth2, KindApiKey);

    public static ImmutableArray<string> Flows { get; } = ImmutableArray.Create(FlowM2M, FlowUserFederation, FlowOnBehalfOf);

    /// <summary>
    /// Other spellings of <c>m2m</c> that the <c>flow</c> field accepts: the runtime's and the generated code's former
    /// name of the flow and the OAuth <c>grant_type</c>. Not listed in the schema, so editors suggest <c>m2m</c>.
    /// </summary>
    public static ImmutableArray<string> FlowAliases { get; } = ImmutableArray.Create("clientCredentials", "client_credentials");

    /// <summary>The runtime attribute the generator puts on every generated provider type and method.</summary>
    public const string ProviderAttributeMetadataName = "IdentityGuard.Manifest.IdentityGuardProviderAttribute";

    public static ImmutableArray<string> RootProperties { get; } = ImmutableArray.Create("$schema", "workload", "providers");

    public static ImmutableArray<string> OAuth2Properties { get; } = ImmutableArray.Create(
        "kind", "flow", "vendor", "discoveryUrl", "tokenEndpoint", "authorizationEndpoint",
        "clientId", "clientSecret", "audience", "tenant", "domain", "scopes", "allowedOrigins");

    public static ImmutableArray<string> ApiKeyProperties { get; } = ImmutableArray.Create("kind", "header", "query", "apiKey", "allowedOrigins");

    public static ImmutableArray<string> ReferenceProperties { get; } = ImmutableArray.Create("configuration", "environment");

    /// <summary>The canonical manifest word of <paramref name="kind"/>.</summary>
    public static string KindWord(ProviderKind kind) => kind == ProviderKind.OAuth2 ? KindOAuth2 : KindApiKey;

    /// <summary>The kind a canonical manifest word names.</summary>
    public static bool TryParseKind(string? value, out ProviderKind kind)
    {
        switch (value)
        {
            case KindOAuth2:
                kind = ProviderKind.OAuth2;
                return true;
            case KindApiKey:
                kind = ProviderKind.ApiKey;
                return true;
            default:
                kind = default;
                return false;
        }
    }

    /// <summary>The canonical manifest word of <paramref name="flow"/>.</summary>
    public static string FlowWord(ProviderFlow flow) => flow switch
    {
        ProviderFlow.M2M => FlowM2M,
        ProviderFlow.UserFederation => FlowUserFederation,
        _ => FlowOnBehalfOf,
    };

    /// <summary>The flow a manifest word names: a canonical word or one of <see cref="FlowAliases"/>.</summary>
    public static bool TryParseFlow(string? value, out ProviderFlow flow)
    {
        switch (value)
        {
            case FlowM2M:
            case "clientCredentials":
            case "client_credentials":
                flow = ProviderFlow.M2M;
                return true;
            case FlowUserFederation:
                flow = ProviderFlow.UserFederation;
                return true;
            case FlowOnBehalfOf:
                flow = ProviderFlow.OnBehalfOf;
                return true;
            default:
                flow = default;
                return false;
        }
    }
}
