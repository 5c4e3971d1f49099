using System.Collections.Immutable;

namespace IdentityGuard.Generators.Manifest;

/// <summary>
/// The words of manifest v1: property names and the allowed values of <c>kind</c> and <c>flow</c>. The JSON
/// Schema repeats these lists; a test keeps the two equal.
/// </summary>
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

    public static ImmutableArray<string> RootProperties { get; } = ImmutableArray.Create("$schema", "workload", "providers");

    public static ImmutableArray<string> OAuth2Properties { get; } = ImmutableArray.Create(
        "kind", "flow", "vendor", "discoveryUrl", "tokenEndpoint", "authorizationEndpoint",
        "clientId", "clientSecret", "audience", "tenant", "domain", "scopes", "allowedOrigins");

    public static ImmutableArray<string> ApiKeyProperties { get; } = ImmutableArray.Create("kind", "header", "query", "apiKey", "allowedOrigins");

    public static ImmutableArray<string> ReferenceProperties { get; } = ImmutableArray.Create("configuration", "environment");

    public static bool TryParseFlow(string value, out ProviderFlow flow)
    {
        switch (value)
        {
            case FlowM2M:
                flow = ProviderFlow.ClientCredentials;
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
