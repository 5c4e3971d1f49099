using System;
using System.Threading;
using IdentityGuard.Analyzers.Manifest;
using IdentityGuard.ManifestContract;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.Consent;

/// <summary>
/// The runtime types the consent rules recognize, resolved once per compilation, and the questions asked about an
/// operation: is it a user-federation token request, does a <c>catch</c> handle consent.
/// </summary>
internal sealed class ConsentSymbols
{
    private ConsentSymbols(Compilation compilation, INamedTypeSymbol consentRequired, CancellationToken cancellationToken)
    {
        ConsentRequired = consentRequired;
        ConsentHandler = compilation.GetTypeByMetadataName("IdentityGuard.Consent.IConsentHandler");
        UserFederation = compilation.GetTypeByMetadataName("IdentityGuard.Federation.UserFederation");
        LoopbackListener = compilation.GetTypeByMetadataName("IdentityGuard.Federation.LoopbackConsentListener");
        CallbackEndpoint = compilation.GetTypeByMetadataName("IdentityGuard.AspNetCore.ConsentCallbackEndpoint");
        FederationExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IdentityGuardUserFederationExtensions");
        ExceptionHandler = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Diagnostics.IExceptionHandler");
        ConsentResponses = compilation.GetTypeByMetadataName("IdentityGuard.AspNetCore.ConsentRequiredResponseExtensions");
        McpServerExtensions = compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.IdentityGuardMcpServerBuilderExtensions");
        ProviderAttribute = compilation.GetTypeByMetadataName(ManifestVocabulary.ProviderAttributeMetadataName);
    }

    public INamedTypeSymbol ConsentRequired { get; }

    /// <summary><c>[IdentityGuardProvider]</c>, which the generator puts on every generated provider type and method.</summary>
    public INamedTypeSymbol? ProviderAttribute { get; }

    public INamedTypeSymbol? ConsentHandler { get; }

    public INamedTypeSymbol? UserFederation { get; }

    public INamedTypeSymbol? LoopbackListener { get; }

    public INamedTypeSymbol? CallbackEndpoint { get; }

    public INamedTypeSymbol? FederationExtensions { get; }

    public INamedTypeSymbol? ExceptionHandler { get; }

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

    /// <summary><paramref name="type"/> is <c>ConsentRequiredException</c> or one of its IdentityGuard base types (not <c>Exception</c> itself).</summary>
    public bool IsConsentCatchType(ITypeSymbol? type)
    {
        for (var current = (ITypeSymbol?)ConsentRequired; current is not null; current = current.BaseType)
        {
            if (current.SpecialType == SpecialType.System_Object || current is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return false;
            }

            if (SymbolEqualityComparer.Default.Equals(current, type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A <c>catch</c> that handles consent: it catches <c>ConsentRequiredException</c> or an IdentityGuard base type,
    /// or it is a general catch whose filter or body tests for <c>ConsentRequiredException</c>; and it does more
    /// than rethrow.
    /// </summary>
    public bool HandlesConsent(ICatchClauseOperation clause)
    {
        if (IsRethrowOnly(clause))
        {
            return false;
        }

        if (IsConsentCatchType(clause.ExceptionType) || CallsTryFind(clause.Filter))
        {
            // A filter calling ConsentRequiredException.TryFind handles consent whatever the caught type: it is how
            // the wrapped exception of Refit and other HTTP clients is looked into.
            return true;
        }

        return IsGeneralCatchType(clause.ExceptionType) && (TestsForConsent(clause.Filter) || TestsForConsent(clause.Handler));
    }

    /// <summary>An <c>is</c>, type pattern or declaration pattern for <c>ConsentRequiredException</c>.</summary>
    public bool IsConsentTypeTest(IOperation operation) => operation switch
    {
        IIsTypeOperation isType => SymbolEqualityComparer.Default.Equals(isType.TypeOperand, ConsentRequired),
        IDeclarationPatternOperation declaration => SymbolEqualityComparer.Default.Equals(declaration.MatchedType, ConsentRequired),
        ITypePatternOperation typePattern => SymbolEqualityComparer.Default.Equals(typePattern.MatchedType, ConsentRequired),
        _ => false,
    };

    private bool CallsTryFind(IOperation? filter)
    {
        if (filter is null)
        {
            return false;
        }

        foreach (var descendant in filter.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation { TargetMethod.Name: "TryFind" } invocation
                && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, ConsentRequired))
            {
                return true;
            }
        }

        return false;
    }

    private bool TestsForConsent(IOperation? operation)
    {
        if (operation is null)
        {
            return false;
        }

        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (IsConsentTypeTest(descendant))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsGeneralCatchType(ITypeSymbol? type) =>
        type is null
        || type.SpecialType == SpecialType.System_Object
        || type is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary><c>catch (…) { throw; }</c> or <c>catch (X ex) { throw ex; }</c>.</summary>
    private static bool IsRethrowOnly(ICatchClauseOperation clause)
    {
        if (clause.Handler.Operations.Length != 1)
        {
            return false;
        }

        var statement = clause.Handler.Operations[0];
        if (statement is IExpressionStatementOperation expressionStatement)
        {
            statement = expressionStatement.Operation;
        }

        if (statement is not IThrowOperation @throw)
        {
            return false;
        }

        var thrown = @throw.Exception;
        while (thrown is IConversionOperation conversion)
        {
            thrown = conversion.Operand;
        }

        return thrown is null
            || (thrown is ILocalReferenceOperation local && clause.ExceptionDeclarationOrExpression is IVariableDeclaratorOperation declarator
                && SymbolEqualityComparer.Default.Equals(local.Local, declarator.Symbol));
    }
}
