using System.Collections.Immutable;
using System.Linq;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.Consent;

/// <summary>
/// IG0203: <c>catch (ConsentRequiredException)</c> whose <c>try</c> can meet consent only through Refit calls. Refit
/// wraps whatever a handler throws in <c>ApiRequestException</c>, so the clause never runs and the consent URL is
/// lost. Reported only when nothing else in the <c>try</c> could throw the exception unwrapped: no IdentityGuard
/// call, no <c>HttpClient</c> call, no method of this compilation (generated accessors and helpers are), no delegate.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConsentCatchAroundRefitAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.ConsentCatchAroundRefit);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var cache = CompilationSymbols.For(start.Compilation);
            var consentRequired = cache.Type("IdentityGuard.Consent.ConsentRequiredException");
            var refitVerb = cache.Type("Refit.HttpMethodAttribute");
            if (consentRequired is null || refitVerb is null)
            {
                return; // neither IdentityGuard nor Refit: nothing to judge
            }

            var symbols = new Symbols(start.Compilation.Assembly, consentRequired, refitVerb, cache.Type("System.Net.Http.HttpMessageInvoker"));
            start.RegisterOperationAction(operation => Analyze(operation, symbols), OperationKind.Try);
        });
    }

    private static void Analyze(OperationAnalysisContext context, Symbols symbols)
    {
        var tryOperation = (ITryOperation)context.Operation;
        var consentCatches = tryOperation.Catches
            .Where(clause => SymbolEqualityComparer.Default.Equals(clause.ExceptionType, symbols.ConsentRequired))
            .ToList();
        if (consentCatches.Count == 0)
        {
            return;
        }

        string? refitCall = null;
        foreach (var invocation in tryOperation.Body.Descendants().OfType<IInvocationOperation>())
        {
            var method = invocation.TargetMethod;
            if (IsRefitMethod(method, symbols.RefitVerb))
            {
                refitCall ??= method.ContainingType.Name + "." + method.Name;
            }
            else if (MayThrowConsentUnwrapped(method, symbols))
            {
                return;
            }
        }

        if (refitCall is null)
        {
            return;
        }

        foreach (var clause in consentCatches)
        {
            var location = clause.Syntax is CatchClauseSyntax syntax ? syntax.CatchKeyword.GetLocation() : clause.Syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(Rules.ConsentCatchAroundRefit, location, refitCall));
        }
    }

    /// <summary>A method of a Refit interface: declared on an interface and carrying Refit's HTTP verb attribute.</summary>
    private static bool IsRefitMethod(IMethodSymbol method, INamedTypeSymbol refitVerb)
    {
        if (method.ContainingType is not { TypeKind: TypeKind.Interface })
        {
            return false;
        }

        foreach (var attribute in method.GetAttributes())
        {
            for (var type = attribute.AttributeClass; type is not null; type = type.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(type, refitVerb))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool MayThrowConsentUnwrapped(IMethodSymbol method, Symbols symbols)
    {
        if (method.MethodKind is MethodKind.DelegateInvoke or MethodKind.LocalFunction or MethodKind.AnonymousFunction
            || SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, symbols.Compilation))
        {
            return true; // code of this compilation (a helper, a generated accessor) or an unknown delegate
        }

        var ns = method.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        if (ns == "IdentityGuard" || ns.StartsWith("IdentityGuard.", System.StringComparison.Ordinal))
        {
            return true;
        }

        // HttpClient does not wrap what its handlers throw.
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, symbols.HttpMessageInvoker))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Symbols
    {
        public Symbols(IAssemblySymbol compilation, INamedTypeSymbol consentRequired, INamedTypeSymbol refitVerb, INamedTypeSymbol? httpMessageInvoker)
        {
            Compilation = compilation;
            ConsentRequired = consentRequired;
            RefitVerb = refitVerb;
            HttpMessageInvoker = httpMessageInvoker;
        }

        public IAssemblySymbol Compilation { get; }

        public INamedTypeSymbol ConsentRequired { get; }

        public INamedTypeSymbol RefitVerb { get; }

        public INamedTypeSymbol? HttpMessageInvoker { get; }
    }
}
