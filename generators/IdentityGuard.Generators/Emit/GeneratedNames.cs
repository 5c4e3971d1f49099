using System.Globalization;
using System.Text;
using IdentityGuard.ManifestContract;

namespace IdentityGuard.Generators.Emit;

/// <summary>
/// The names generated for a provider <c>P</c>. Suffixes are chosen so that no two providers can produce the same
/// type name: <c>PScopes</c>, <c>IPTokens</c>, <c>PTokenAccessor</c>, <c>IPApiKey</c>, <c>PApiKeyAccessor</c>.
/// </summary>
internal static class GeneratedNames
{
    public const string RegistrationClass = "IdentityGuardRegistration";

    public static string ScopesEnum(string provider) => provider + "Scopes";

    public static string TokensInterface(string provider) => "I" + provider + "Tokens";

    public static string TokenAccessor(string provider) => provider + "TokenAccessor";

    public static string ApiKeyInterface(string provider) => "I" + provider + "ApiKey";

    public static string ApiKeyAccessor(string provider) => provider + "ApiKeyAccessor";

    public static string WithToken(string provider) => "With" + provider + "Token";

    public static string WithApiKey(string provider) => "With" + provider + "ApiKey";

    public static string RegistrationHintName => "IdentityGuard.Registration.g.cs";

    /// <summary>
    /// The hint name of a provider's file. Hint names must be plain file names, so characters outside ASCII
    /// letters, digits and '_' become '-XXXX' (a dash never occurs in an identifier, so results stay distinct).
    /// </summary>
    public static string ProviderHintName(string provider)
    {
        var builder = new StringBuilder("IdentityGuard.Providers.");
        foreach (var c in provider)
        {
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('-').Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }

        return builder.Append(".g.cs").ToString();
    }

    /// <summary>
    /// The attribute that tells the analyzers which provider, kind and flow a generated type or method belongs to, in
    /// the manifest's own words: they read it instead of taking generated names apart.
    /// </summary>
    public static string ProviderAttribute(ProviderModel provider)
    {
        var attribute = "[global::IdentityGuard.Manifest.IdentityGuardProvider(" + CodeWriter.Literal(provider.Name) + ", " + CodeWriter.Literal(ManifestVocabulary.KindWord(provider.Kind));
        if (provider.Kind == ProviderKind.OAuth2)
        {
            attribute += ", Flow = " + CodeWriter.Literal(ManifestVocabulary.FlowWord(provider.Flow));
        }

        return attribute + ")]";
    }

    public static string FlowDescription(ProviderFlow flow) => flow switch
    {
        ProviderFlow.M2M => "m2m (the client-credentials grant): the agent acts as itself",
        ProviderFlow.UserFederation => "user federation (authorization code + PKCE): the agent acts for a user after consent",
        _ => "on-behalf-of (RFC 8693 token exchange): the agent acts for the calling user",
    };
}
