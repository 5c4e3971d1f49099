using IdentityGuard.ManifestContract;

namespace IdentityGuard.Generators.Emit;

/// <summary>
/// Emits <c>IdentityGuardRegistration</c>: the compiled manifest, <c>AddIdentityGuard</c> and the HTTP client
/// extensions of every provider.
/// </summary>
internal static class RegistrationEmitter
{
    // Used only while the manifest's own workload has an error: the build fails on that error anyway, and
    // keeping the generated API in place spares the user a cascade of errors in their own code meanwhile.
    private const string PlaceholderWorkload = "invalid-workload";

    private const string Services = "global::Microsoft.Extensions.DependencyInjection.IServiceCollection";
    private const string Builder = "global::Microsoft.Extensions.DependencyInjection.IdentityGuardBuilder";
    private const string HttpClientBuilder = "global::Microsoft.Extensions.DependencyInjection.IHttpClientBuilder";
    private const string ManifestNamespace = "global::IdentityGuard.Manifest.";

    public static GeneratedSource Emit(ManifestModel model, string ns)
    {
        var writer = new CodeWriter();
        SourceEmitter.WriteHeader(writer);
        writer.Open("namespace " + ns);
        writer.Line("/// <summary>");
        writer.Line("/// Registers the credential providers declared in <c>identityguard.json</c> (workload <c>" + CodeWriter.XmlText(model.Workload ?? PlaceholderWorkload) + "</c>)");
        writer.Line("/// and attaches their credentials to HTTP clients.");
        writer.Line("/// </summary>");
        writer.Open("public static partial class " + GeneratedNames.RegistrationClass);
        writer.Line("/// <summary>");
        writer.Line("/// The compiled manifest. Vendor endpoints were resolved at build time; non-secret values can still be overridden");
        writer.Line("/// from configuration (<c>IdentityGuard:Providers:&lt;Name&gt;:TokenEndpoint</c>, <c>IdentityGuard:Workload</c>, …).");
        writer.Line("/// </summary>");
        writer.Line("public static " + ManifestNamespace + "CredentialManifest Manifest { get; } = CreateManifest();");
        writer.Line();
        WriteAddIdentityGuard(writer, model, ns);
        foreach (var provider in model.Providers)
        {
            writer.Line();
            WriteHttpClientExtension(writer, provider, ns);
        }

        writer.Line();
        WriteCreateManifest(writer, model);
        writer.Close();
        writer.Close();
        return new GeneratedSource(GeneratedNames.RegistrationHintName, writer.ToString());
    }

    private static void WriteAddIdentityGuard(CodeWriter writer, ManifestModel model, string ns)
    {
        writer.Line("/// <summary>");
        writer.Line("/// Registers the IdentityGuard runtime for <see cref=\"Manifest\"/> and the typed credential accessors of its providers.");
        writer.Line("/// Add the vault, user federation, stores and integrations on the returned builder.");
        writer.Line("/// </summary>");
        writer.Line("/// <param name=\"services\">The service collection.</param>");
        writer.Line("/// <param name=\"configuration\">The configuration that referenced secrets and every <c>IdentityGuard:*</c> setting are read from.</param>");
        writer.Line("/// <returns>The builder on which the runtime's parts are added.</returns>");
        writer.Open("public static " + Builder + " AddIdentityGuard(this " + Services + " services, global::Microsoft.Extensions.Configuration.IConfiguration configuration)");
        ProviderEmitter.WriteNullCheck(writer, "services");
        ProviderEmitter.WriteNullCheck(writer, "configuration");
        writer.Line("var builder = global::Microsoft.Extensions.DependencyInjection.IdentityGuardServiceCollectionExtensions.AddIdentityGuardRuntime(services, configuration, Manifest);");
        foreach (var provider in model.Providers)
        {
            var (service, implementation) = provider.Kind == ProviderKind.OAuth2
                ? (GeneratedNames.TokensInterface(provider.Name), GeneratedNames.TokenAccessor(provider.Name))
                : (GeneratedNames.ApiKeyInterface(provider.Name), GeneratedNames.ApiKeyAccessor(provider.Name));
            writer.Line("global::Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton<global::" + ns + "." + service + ", global::" + ns + "." + implementation + ">(services);");
        }

        writer.Line("return builder;");
        writer.Close();
    }

    private static void WriteHttpClientExtension(CodeWriter writer, ProviderModel provider, string ns)
    {
        var name = CodeWriter.XmlText(provider.Name);
        var literal = CodeWriter.Literal(provider.Name);
        if (provider.Kind == ProviderKind.OAuth2)
        {
            writer.Line("/// <summary>");
            writer.Line("/// Attaches an access token of provider <c>" + name + "</c> carrying <paramref name=\"scopes\"/> to every request of this client.");
            writer.Line("/// Requests fail closed: without a token, no request is sent.");
            writer.Line("/// </summary>");
            writer.Line("/// <param name=\"builder\">The HTTP client builder (also what Refit's <c>AddRefitClient</c> returns).</param>");
            writer.Line("/// <param name=\"scopes\">The declared scopes the token must carry.</param>");
            writer.Line("/// <returns><paramref name=\"builder\"/>, for chaining.</returns>");
            writer.Line(GeneratedNames.ProviderAttribute(provider));
            writer.Open("public static " + HttpClientBuilder + " " + GeneratedNames.WithToken(provider.Name) + "(this " + HttpClientBuilder + " builder, global::" + ns + "." + GeneratedNames.ScopesEnum(provider.Name) + " scopes)");
            writer.Line("return global::Microsoft.Extensions.DependencyInjection.IdentityGuardHttpClientBuilderExtensions.AddIdentityGuardAccessToken(builder, " + literal + ", (ulong)scopes);");
            writer.Close();
        }
        else
        {
            writer.Line("/// <summary>Attaches the API key of provider <c>" + name + "</c> to every request of this client.</summary>");
            writer.Line("/// <param name=\"builder\">The HTTP client builder (also what Refit's <c>AddRefitClient</c> returns).</param>");
            writer.Line("/// <returns><paramref name=\"builder\"/>, for chaining.</returns>");
            writer.Line(GeneratedNames.ProviderAttribute(provider));
            writer.Open("public static " + HttpClientBuilder + " " + GeneratedNames.WithApiKey(provider.Name) + "(this " + HttpClientBuilder + " builder)");
            writer.Line("return global::Microsoft.Extensions.DependencyInjection.IdentityGuardHttpClientBuilderExtensions.AddIdentityGuardApiKey(builder, " + literal + ");");
            writer.Close();
        }
    }

    private static void WriteCreateManifest(CodeWriter writer, ManifestModel model)
    {
        writer.Open("private static " + ManifestNamespace + "CredentialManifest CreateManifest()");
        writer.Line("return new " + ManifestNamespace + "CredentialManifest(");
        writer.Line("    " + CodeWriter.Literal(model.Workload ?? PlaceholderWorkload) + ",");
        if (model.Providers.Count == 0)
        {
            writer.Line("    global::System.Array.Empty<" + ManifestNamespace + "ProviderDescriptor>());");
            writer.Close();
            return;
        }

        writer.Line("    new " + ManifestNamespace + "ProviderDescriptor[]");
        writer.Line("    {");
        foreach (var provider in model.Providers)
        {
            WriteDescriptor(writer, provider);
        }

        writer.Line("    });");
        writer.Close();
    }

    private static void WriteDescriptor(CodeWriter writer, ProviderModel provider)
    {
        const string Indent = "        ";
        var kind = provider.Kind == ProviderKind.OAuth2 ? "OAuth2" : "ApiKey";
        writer.Line(Indent + "new " + ManifestNamespace + "ProviderDescriptor(" + CodeWriter.Literal(provider.Name) + ", " + ManifestNamespace + "CredentialKind." + kind + ")");
        writer.Line(Indent + "{");
        var property = Indent + "    ";
        if (provider.Kind == ProviderKind.OAuth2)
        {
            writer.Line(property + "Flow = " + ManifestNamespace + "OAuthFlow." + provider.Flow + ",");
            writer.Line(property + "Vendor = " + CodeWriter.Literal(provider.Vendor) + ",");
            WriteOptional(writer, property, "DiscoveryUrl", provider.DiscoveryUrl);
            WriteOptional(writer, property, "TokenEndpoint", provider.TokenEndpoint);
            WriteOptional(writer, property, "AuthorizationEndpoint", provider.AuthorizationEndpoint);
            WriteReference(writer, property, "ClientId", provider.ClientId);
            WriteReference(writer, property, "ClientSecret", provider.ClientSecret);
            WriteOptional(writer, property, "Audience", provider.Audience);
            if (provider.Scopes.Count > 0)
            {
                writer.Line(property + "Scopes = new " + ManifestNamespace + "ScopeDescriptor[]");
                writer.Line(property + "{");
                foreach (var scope in provider.Scopes)
                {
                    writer.Line(property + "    new " + ManifestNamespace + "ScopeDescriptor(" + CodeWriter.Literal(scope.Name) + ", " + CodeWriter.Literal(scope.Value) + "),");
                }

                writer.Line(property + "},");
            }
        }
        else
        {
            WriteReference(writer, property, "ApiKey", provider.ApiKey);
            writer.Line(property + "ApiKeyPlacement = " + ManifestNamespace + "ApiKeyPlacement." + (provider.ApiKeyInQuery ? "Query" : "Header") + ",");
            WriteOptional(writer, property, "ApiKeyParameter", provider.ApiKeyParameter);
        }

        if (provider.AllowedOrigins.Count > 0)
        {
            writer.Line(property + "AllowedOrigins = new string[]");
            writer.Line(property + "{");
            foreach (var origin in provider.AllowedOrigins)
            {
                writer.Line(property + "    " + CodeWriter.Literal(origin) + ",");
            }

            writer.Line(property + "},");
        }

        writer.Line(Indent + "},");
    }

    private static void WriteOptional(CodeWriter writer, string indent, string property, string? value)
    {
        if (value is not null)
        {
            writer.Line(indent + property + " = " + CodeWriter.Literal(value) + ",");
        }
    }

    private static void WriteReference(CodeWriter writer, string indent, string property, ValueModel? value)
    {
        if (value is null)
        {
            return;
        }

        var factory = value.Origin switch
        {
            ValueOrigin.Literal => "Literal",
            ValueOrigin.Configuration => "FromConfiguration",
            _ => "FromEnvironment",
        };
        writer.Line(indent + property + " = " + ManifestNamespace + "ValueReference." + factory + "(" + CodeWriter.Literal(value.Key) + "),");
    }
}
