using System.Globalization;
using IdentityGuard.ManifestContract;

namespace IdentityGuard.Generators.Emit;

/// <summary>Emits the file of one provider: scope enum, accessor interface and its implementation.</summary>
internal static class ProviderEmitter
{
    public static GeneratedSource Emit(ProviderModel provider, string ns)
    {
        var writer = new CodeWriter();
        SourceEmitter.WriteHeader(writer);
        writer.Open("namespace " + ns);
        if (provider.Kind == ProviderKind.OAuth2)
        {
            WriteScopesEnum(writer, provider);
            writer.Line();
            WriteTokensInterface(writer, provider, ns);
            writer.Line();
            WriteTokenAccessor(writer, provider, ns);
        }
        else
        {
            WriteApiKeyInterface(writer, provider);
            writer.Line();
            WriteApiKeyAccessor(writer, provider, ns);
        }

        writer.Close();
        return new GeneratedSource(GeneratedNames.ProviderHintName(provider.Name), writer.ToString());
    }

    private static void WriteScopesEnum(CodeWriter writer, ProviderModel provider)
    {
        writer.Line("/// <summary>");
        writer.Line("/// The scopes provider <c>" + CodeWriter.XmlText(provider.Name) + "</c> declares in <c>identityguard.json</c>. Combine them with <c>|</c>;");
        writer.Line("/// a token can only be requested for these scopes, so code cannot ask for more than the manifest grants.");
        writer.Line("/// </summary>");
        writer.Line("[global::System.Flags]");
        writer.Line(GeneratedNames.ProviderAttribute(provider));
        writer.Open("public enum " + GeneratedNames.ScopesEnum(provider.Name) + " : ulong");
        writer.Line("/// <summary>No scope: the authorization server grants the client's default scopes.</summary>");
        writer.Line("None = 0UL,");
        for (var i = 0; i < provider.Scopes.Count; i++)
        {
            var scope = provider.Scopes[i];
            writer.Line();
            writer.Line("/// <summary>The scope <c>" + CodeWriter.XmlText(scope.Value) + "</c>.</summary>");
            writer.Line(scope.Name + " = 1UL << " + i.ToString(CultureInfo.InvariantCulture) + ",");
        }

        writer.Close();
    }

    private static void WriteTokensInterface(CodeWriter writer, ProviderModel provider, string ns)
    {
        var scopes = "global::" + ns + "." + GeneratedNames.ScopesEnum(provider.Name);
        writer.Line("/// <summary>");
        writer.Line("/// Access tokens of provider <c>" + CodeWriter.XmlText(provider.Name) + "</c>: OAuth 2.0, " + GeneratedNames.FlowDescription(provider.Flow) + ".");
        writer.Line("/// Registered as a singleton by <c>AddIdentityGuard</c>. Prefer <c>" + GeneratedNames.WithToken(provider.Name) + "</c> on an HTTP client,");
        writer.Line("/// which attaches the token without the calling code ever holding it.");
        writer.Line("/// </summary>");
        writer.Line(GeneratedNames.ProviderAttribute(provider));
        writer.Open("public interface " + GeneratedNames.TokensInterface(provider.Name));
        writer.Line("/// <summary>Gets an access token for <paramref name=\"scopes\"/>, from the token cache while a fresh one is there.</summary>");
        writer.Line("/// <param name=\"scopes\">The declared scopes the token must carry; <c>None</c> asks for the client's default scopes.</param>");
        writer.Line("/// <param name=\"cancellationToken\">Stops waiting for the token.</param>");
        writer.Line("/// <returns>The access token. Its value is reachable only through <c>RevealValue()</c>; never log it or return it to a model.</returns>");
        writer.Line("global::System.Threading.Tasks.ValueTask<global::IdentityGuard.Tokens.AccessToken> GetAsync(" + scopes + " scopes, global::System.Threading.CancellationToken cancellationToken = default);");
        writer.Close();
    }

    private static void WriteTokenAccessor(CodeWriter writer, ProviderModel provider, string ns)
    {
        var scopes = "global::" + ns + "." + GeneratedNames.ScopesEnum(provider.Name);
        writer.Line(GeneratedNames.ProviderAttribute(provider));
        writer.Open("internal sealed class " + GeneratedNames.TokenAccessor(provider.Name) + " : global::" + ns + "." + GeneratedNames.TokensInterface(provider.Name));
        writer.Line("private readonly global::IdentityGuard.Providers.OAuth2TokenSource _source;");
        writer.Line();
        writer.Open("public " + GeneratedNames.TokenAccessor(provider.Name) + "(global::IdentityGuard.Providers.CredentialProviderRegistry registry)");
        WriteNullCheck(writer, "registry");
        writer.Line("_source = registry.GetOAuth2TokenSource(" + CodeWriter.Literal(provider.Name) + ");");
        writer.Close();
        writer.Line();
        writer.Line("public global::System.Threading.Tasks.ValueTask<global::IdentityGuard.Tokens.AccessToken> GetAsync(" + scopes + " scopes, global::System.Threading.CancellationToken cancellationToken = default)");
        writer.Line("    => _source.GetAsync((ulong)scopes, cancellationToken);");
        writer.Close();
    }

    private static void WriteApiKeyInterface(CodeWriter writer, ProviderModel provider)
    {
        writer.Line("/// <summary>");
        writer.Line("/// The API key of provider <c>" + CodeWriter.XmlText(provider.Name) + "</c>, read from where the manifest says it lives.");
        writer.Line("/// Registered as a singleton by <c>AddIdentityGuard</c>. Prefer <c>" + GeneratedNames.WithApiKey(provider.Name) + "</c> on an HTTP client,");
        writer.Line("/// which attaches the key without the calling code ever holding it.");
        writer.Line("/// </summary>");
        writer.Line(GeneratedNames.ProviderAttribute(provider));
        writer.Open("public interface " + GeneratedNames.ApiKeyInterface(provider.Name));
        writer.Line("/// <summary>Gets the API key; the setting is read again on each call, so a rotated key takes effect.</summary>");
        writer.Line("/// <param name=\"cancellationToken\">Stops waiting for the key.</param>");
        writer.Line("/// <returns>The API key. Its value is never printed or serialized; never log it or return it to a model.</returns>");
        writer.Line("global::System.Threading.Tasks.ValueTask<global::IdentityGuard.Tokens.ApiKey> GetAsync(global::System.Threading.CancellationToken cancellationToken = default);");
        writer.Close();
    }

    private static void WriteApiKeyAccessor(CodeWriter writer, ProviderModel provider, string ns)
    {
        writer.Line(GeneratedNames.ProviderAttribute(provider));
        writer.Open("internal sealed class " + GeneratedNames.ApiKeyAccessor(provider.Name) + " : global::" + ns + "." + GeneratedNames.ApiKeyInterface(provider.Name));
        writer.Line("private readonly global::IdentityGuard.Providers.ApiKeySource _source;");
        writer.Line();
        writer.Open("public " + GeneratedNames.ApiKeyAccessor(provider.Name) + "(global::IdentityGuard.Providers.CredentialProviderRegistry registry)");
        WriteNullCheck(writer, "registry");
        writer.Line("_source = registry.GetApiKeySource(" + CodeWriter.Literal(provider.Name) + ");");
        writer.Close();
        writer.Line();
        writer.Line("public global::System.Threading.Tasks.ValueTask<global::IdentityGuard.Tokens.ApiKey> GetAsync(global::System.Threading.CancellationToken cancellationToken = default)");
        writer.Line("    => _source.GetAsync(cancellationToken);");
        writer.Close();
    }

    internal static void WriteNullCheck(CodeWriter writer, string parameter)
    {
        // Spelled out instead of ArgumentNullException.ThrowIfNull so the code compiles for any target framework.
        writer.Open("if (" + parameter + " is null)");
        writer.Line("throw new global::System.ArgumentNullException(nameof(" + parameter + "));");
        writer.Close();
        writer.Line();
    }
}
