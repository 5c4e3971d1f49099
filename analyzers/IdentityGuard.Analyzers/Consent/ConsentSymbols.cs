using System;
using IdentityGuard.Analyzers.Manifest;
using IdentityGuard.ManifestContract;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.Consent;

/// <summary>
/// The runtime types the consent rules recognize, resolved once per compilation, and the questions asked about an
/// operation: is it a user-federation token request, is it a consent handler registration. What a <c>catch</c>
/// must do to handle consent is <see cref="ConsentCatchClauses"/>.
/// </summary>
internal sealed class ConsentSymbols
{
    private ConsentSymbols(Compilation compilation, INamedTypeSymbol consentRequired)
    {
        ConsentRequired = consentRequired;
        ConsentHandler = compilation.GetTypeByMetadataName("IdentityGuard.Consent.IConsentHandler");
        UserFederation = compilation.GetTypeByMetadataName("IdentityGuard.Federation.UserFederation");
        LoopbackListener = compilation.GetTypeByMetadataName("IdentityGuard.Federation.LoopbackConsentListener");
        ConsentResponses = compilation.GetTypeByMetadataName("IdentityGuard.AspNetCore.ConsentRequiredResponseExtensions");
        Builder = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IdentityGuardBuilder");
        CallbackEndpointExtensions = compilation.GetTypeByMetadataName("IdentityGuard.AspNetCore.ConsentCallbackEndpointExtensions");
        AspNetCoreBuilderExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IdentityGuardBuilderAspNetCoreExtensions");
        McpBuilderExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IdentityGuardBuilderMcpExtensions");
        ProviderAttribute = compilation.GetTypeByMetadataName(ManifestVocabulary.ProviderAttributeMetadataName);
    }

    public INamedTypeSymbol ConsentRequired { get; }

    /// <summary><c>[IdentityGuardProvider]</c>, which the generator puts on every generated provider type and method.</summary>
    public INamedTypeSymbol? ProviderAttribute { get; }

    public INamedTypeSymbol? ConsentHandler { get; }

    public INamedTypeSymbol? UserFederation { get; }

    public INamedTypeSymbol? LoopbackListener { get; }

    /// <summary><c>WithIdentityGuardConsent()</c> on an endpoint or route group (IdentityGuard.AspNetCore).</summary>
    public INamedTypeSymbol? ConsentResponses { get; }

    /// <summary><c>AddUserFederation()</c> on the builder the generated <c>AddIdentityGuard</c> returns.</summary>
    public INamedTypeSymbol? Builder { get; }

    /// <summary><c>MapIdentityGuardConsentCallback()</c> (IdentityGuard.AspNetCore).</summary>
    public INamedTypeSymbol? CallbackEndpointExtensions { get; }

    /// <summary><c>AddConsentExceptionHandler()</c> on the builder (IdentityGuard.AspNetCore).</summary>
    public INamedTypeSymbol? AspNetCoreBuilderExtensions { get; }

    /// <summary><c>AddMcp()</c> on the builder (IdentityGuard.Mcp): every tool call's consent becomes a URL elicitation.</summary>
    public INamedTypeSymbol? McpBuilderExtensions { get; }

    /// <summary>
    /// Null when there is nothing to check: the compilation does not reference the runtime's consent types, or it is
    /// the runtime itself (the assembly that declares <c>ConsentRequiredException</c>), which throws it by design and
    /// leaves handling it to the app.
    /// </summary>
    public static ConsentSymbols? Resolve(Compilation compilation) =>
        compilation.GetTypeByMetadataName("IdentityGuard.Consent.ConsentRequiredException") is { } consentRequired
        && !SymbolEqualityComparer.Default.Equals(consentRequired.ContainingAssembly, compilation.Assembly)
            ? new ConsentSymbols(compilation, consentRequired)
            : null;

    /// <summary>
    /// The provider name when <paramref name="invocation"/> requests a user-federation token: <c>GetAsync</c> of a
    /// generated accessor (<c>I&lt;P&gt;Tokens</c> or its class, marked <c>[IdentityGuardProvider(…, Flow =
    /// "userFederation")]</c>), or <c>UserFederation.GetAccessTokenAsync</c> (name from a constant argument).
    /// </summary>
    public string? TokenRequestProvider(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name == "GetAsync")
        {
            // The accessor's first parameter is the provider's scope enum: a cheap test that skips HttpClient.GetAsync
            // and the like before any attribute is read.
            return method.Parameters.Length > 0 && method.Parameters[0].Type.TypeKind == TypeKind.Enum
                ? UserFederationProvider(method.ContainingType)
                : null;
        }

        if (method.Name == "GetAccessTokenAsync" && SymbolEqualityComparer.Default.Equals(method.ContainingType, UserFederation))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Name == "provider")
                {
                    return argument.Value.ConstantValue is { HasValue: true, Value: string name } ? name : "(computed)";
                }
            }

            return "(computed)";
        }

        return null;
    }

    /// <summary>The provider name when <paramref name="method"/> is the generated <c>With&lt;P&gt;Token</c> of a <c>userFederation</c> provider.</summary>
    public string? UserTokenWiringProvider(IMethodSymbol method) =>
        method.IsStatic && method.Name.StartsWith("With", StringComparison.Ordinal) ? UserFederationProvider(method) : null;

    /// <summary>The provider whose generated <paramref name="symbol"/> this is, when its flow is <c>userFederation</c>.</summary>
    private string? UserFederationProvider(ISymbol symbol) =>
        GeneratedProvider.Of(symbol, ProviderAttribute) is { Flow: ProviderFlow.UserFederation } provider ? provider.Name : null;

    /// <summary>
    /// A DI registration call (a method of a <c>Microsoft.Extensions.DependencyInjection*</c> type) whose service type
    /// argument is <c>IConsentHandler</c>. Resolving one (<c>GetService&lt;IConsentHandler&gt;()</c> and the like, whose
    /// first parameter is the <c>IServiceProvider</c>) registers nothing.
    /// </summary>
    public bool RegistersConsentHandler(IMethodSymbol method)
    {
        if (ConsentHandler is null || method.TypeArguments.IsEmpty || method.TypeArguments[0] is not INamedTypeSymbol service
            || !SymbolEqualityComparer.Default.Equals(service, ConsentHandler))
        {
            return false;
        }

        return IsDependencyInjectionType(method.ContainingType)
            && !(method.Parameters.Length > 0 && method.Parameters[0].Type is { Name: "IServiceProvider", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } });
    }

    public static bool IsDependencyInjectionType(INamedTypeSymbol? type)
    {
        var @namespace = type?.ContainingNamespace;
        // Microsoft.Extensions.DependencyInjection or .Extensions under it.
        if (@namespace is { Name: "Extensions", ContainingNamespace.Name: "DependencyInjection" })
        {
            @namespace = @namespace.ContainingNamespace;
        }

        return @namespace is { Name: "DependencyInjection", ContainingNamespace: { Name: "Extensions", ContainingNamespace: { Name: "Microsoft", ContainingNamespace.IsGlobalNamespace: true } } };
    }
}
