using System;
using System.Threading;
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
    private readonly Lazy<System.Collections.Immutable.ImmutableHashSet<string>> _userFederationProviders;

    private ConsentSymbols(Compilation compilation, INamedTypeSymbol consentRequired, CancellationToken cancellationToken)
    {
        ConsentRequired = consentRequired;
        ConsentHandler = compilation.GetTypeByMetadataName("IdentityGuard.Consent.IConsentHandler");
        UserFederation = compilation.GetTypeByMetadataName("IdentityGuard.Federation.UserFederation");
        LoopbackListener = compilation.GetTypeByMetadataName("IdentityGuard.Federation.LoopbackConsentListener");
        CallbackEndpoint = compilation.GetTypeByMetadataName("IdentityGuard.AspNetCore.ConsentCallbackEndpoint");
        FederationExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IdentityGuardUserFederationExtensions");
        ConsentResponses = compilation.GetTypeByMetadataName("IdentityGuard.AspNetCore.ConsentRequiredResponseExtensions");
        McpServerExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IdentityGuardMcpServerBuilderExtensions");
        _userFederationProviders = new(() => UserFederationProviders.Read(compilation, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public INamedTypeSymbol ConsentRequired { get; }

    public INamedTypeSymbol? ConsentHandler { get; }

    public INamedTypeSymbol? UserFederation { get; }

    public INamedTypeSymbol? LoopbackListener { get; }

    public INamedTypeSymbol? CallbackEndpoint { get; }

    public INamedTypeSymbol? FederationExtensions { get; }

    /// <summary><c>WithIdentityGuardConsent()</c> and <c>AddIdentityGuardConsentExceptionHandler()</c>.</summary>
    public INamedTypeSymbol? ConsentResponses { get; }

    /// <summary><c>AddIdentityGuard()</c> on an MCP server builder (IdentityGuard.Mcp): every tool call's consent becomes a URL elicitation.</summary>
    public INamedTypeSymbol? McpServerExtensions { get; }

    /// <summary>
    /// Null when there is nothing to check: the compilation does not reference the runtime's consent types, or it is
    /// the runtime itself (the assembly that declares <c>ConsentRequiredException</c>), which throws it by design and
    /// leaves handling it to the app.
    /// </summary>
    public static ConsentSymbols? Resolve(Compilation compilation, CancellationToken cancellationToken) =>
        compilation.GetTypeByMetadataName("IdentityGuard.Consent.ConsentRequiredException") is { } consentRequired
        && !SymbolEqualityComparer.Default.Equals(consentRequired.ContainingAssembly, compilation.Assembly)
            ? new ConsentSymbols(compilation, consentRequired, cancellationToken)
            : null;

    /// <summary>
    /// The provider name when <paramref name="method"/> requests a user-federation token: a generated accessor
    /// (<c>I&lt;P&gt;Tokens.GetAsync(&lt;P&gt;Scopes, …)</c> or its <c>&lt;P&gt;TokenAccessor</c>) of a
    /// <c>userFederation</c> provider, or <c>UserFederation.GetAccessTokenAsync</c> (name from a constant argument).
    /// </summary>
    public string? TokenRequestProvider(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name == "GetAsync")
        {
            var typeName = method.ContainingType.Name;
            string? provider = null;
            if (method.ContainingType.TypeKind == TypeKind.Interface && typeName.Length > 7 && typeName[0] == 'I' && typeName.EndsWith("Tokens", StringComparison.Ordinal))
            {
                provider = typeName.Substring(1, typeName.Length - 7);
            }
            else if (typeName.EndsWith("TokenAccessor", StringComparison.Ordinal) && typeName.Length > 13)
            {
                provider = typeName.Substring(0, typeName.Length - 13);
            }

            return provider is not null
                && method.Parameters.Length > 0
                && method.Parameters[0].Type is { TypeKind: TypeKind.Enum } scopes
                && scopes.Name == provider + "Scopes"
                && _userFederationProviders.Value.Contains(provider)
                ? provider
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
    public string? UserTokenWiringProvider(IMethodSymbol method)
    {
        var name = method.Name;
        if (name.Length <= 9
            || !name.StartsWith("With", StringComparison.Ordinal)
            || !name.EndsWith("Token", StringComparison.Ordinal)
            || !method.IsStatic
            || method.ContainingType.Name != UserFederationProviders.RegistrationTypeName)
        {
            return null;
        }

        var provider = name.Substring(4, name.Length - 9);
        return _userFederationProviders.Value.Contains(provider) ? provider : null;
    }

    /// <summary>A DI registration call (any method of a <c>Microsoft.Extensions.DependencyInjection*</c> type) whose service type argument is <c>IConsentHandler</c>.</summary>
    public bool RegistersConsentHandler(IMethodSymbol method)
    {
        if (ConsentHandler is null || method.TypeArguments.IsEmpty || method.TypeArguments[0] is not INamedTypeSymbol service
            || !SymbolEqualityComparer.Default.Equals(service, ConsentHandler))
        {
            return false;
        }

        return IsDependencyInjectionType(method.ContainingType);
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
