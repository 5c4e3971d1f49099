using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// IG0303: token passthrough. The caller's credential, read from the inbound <c>Authorization</c> header
/// (<c>Request.Headers.Authorization</c>, <c>Request.Headers["Authorization"]</c>), flows within the method into an
/// outgoing credential: <c>new AuthenticationHeaderValue(scheme, value)</c>, <c>AuthenticationHeaderValue.Parse</c>,
/// or <c>HttpHeaders.Add</c>/<c>TryAddWithoutValidation("Authorization", value)</c>.
/// </summary>
/// <remarks>
/// Cheap first: a per-body callback only notes whether the body reads the inbound header; the locals it taints and
/// the sinks are worked out at the end of that body alone. <c>HttpContext.GetTokenAsync</c> is not a source here: a web
/// app that saved its own sign-in tokens legitimately calls APIs with them.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenPassthroughAnalyzer : DiagnosticAnalyzer
{
    private const string AuthorizationHeader = "Authorization";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rules.TokenPassthrough);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var cache = CompilationSymbols.For(start.Compilation);
            var headers = cache.Type("Microsoft.AspNetCore.Http.IHeaderDictionary");
            var headerValue = cache.Type("System.Net.Http.Headers.AuthenticationHeaderValue");
            var httpHeaders = cache.Type("System.Net.Http.Headers.HttpHeaders");
            if (headers is null || headerValue is null || httpHeaders is null)
            {
                return; // no inbound ASP.NET Core headers or no outgoing HTTP headers: no passthrough to find
            }

            var symbols = new Symbols(headers, headerValue, httpHeaders);
            start.RegisterOperationBlockStartAction(block =>
            {
                var touched = new TouchedFlag();
                block.RegisterOperationAction(
                    operation =>
                    {
                        if (!touched.Value && IsInboundCredential(operation.Operation, symbols))
                        {
                            touched.Value = true;
                        }
                    },
                    OperationKind.PropertyReference);
                block.RegisterOperationBlockEndAction(end =>
                {
                    if (touched.Value)
                    {
                        AnalyzeBody(end, symbols);
                    }
                });
            });
        });
    }

    private static void AnalyzeBody(OperationBlockAnalysisContext context, Symbols symbols)
    {
        var operations = context.OperationBlocks.SelectMany(block => block.DescendantsAndSelf()).ToList();
        var tainted = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);

        // Locals that hold the inbound credential or something made from it, to a fixpoint (assignments may come in any order).
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var operation in operations)
            {
                var (local, value) = operation switch
                {
                    IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator => (declarator.Symbol, initial),
                    ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment => (target.Local, assignment.Value),
                    _ => (null, null),
                };
                if (local is not null && value is not null && !tainted.Contains(local) && Carries(value, tainted, symbols))
                {
                    changed |= tainted.Add(local);
                }
            }
        }

        foreach (var operation in operations)
        {
            if (ForwardedValue(operation, symbols) is { } forwarded && Carries(forwarded, tainted, symbols))
            {
                context.ReportDiagnostic(Diagnostic.Create(Rules.TokenPassthrough, operation.Syntax.GetLocation()));
            }
        }
    }

    /// <summary>The value an outgoing credential is made from, when <paramref name="operation"/> makes one.</summary>
    private static IOperation? ForwardedValue(IOperation operation, Symbols symbols)
    {
        switch (operation)
        {
            case IObjectCreationOperation creation when SymbolEqualityComparer.Default.Equals(creation.Type, symbols.AuthenticationHeaderValue):
                return creation.Arguments.FirstOrDefault(argument => argument.Parameter?.Name == "parameter")?.Value;

            case IInvocationOperation call when SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, symbols.AuthenticationHeaderValue)
                && call.TargetMethod.Name is "Parse" or "TryParse" && call.Arguments.Length > 0:
                return call.Arguments[0].Value;

            case IInvocationOperation call when call.TargetMethod.Name is "Add" or "TryAddWithoutValidation"
                && call.Arguments.Length == 2
                && call.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string name }
                && string.Equals(name, AuthorizationHeader, StringComparison.OrdinalIgnoreCase)
                && DerivesFrom(call.TargetMethod.ContainingType, symbols.HttpHeaders):
                return call.Arguments[1].Value;

            default:
                return null;
        }
    }

    private static bool Carries(IOperation value, HashSet<ILocalSymbol> tainted, Symbols symbols) =>
        value.DescendantsAndSelf().Any(operation =>
            IsInboundCredential(operation, symbols) || operation is ILocalReferenceOperation local && tainted.Contains(local.Local));

    /// <summary><c>Headers.Authorization</c> or <c>Headers["Authorization"]</c> of an ASP.NET Core header dictionary.</summary>
    private static bool IsInboundCredential(IOperation operation, Symbols symbols)
    {
        if (operation is not IPropertyReferenceOperation { Property: { } property } reference || !IsHeaderDictionary(property.ContainingType, symbols.HeaderDictionary))
        {
            return false;
        }

        if (!property.IsIndexer)
        {
            return property.Name == AuthorizationHeader;
        }

        return reference.Arguments.Length == 1
            && reference.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string name }
            && string.Equals(name, AuthorizationHeader, StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsHeaderDictionary(INamedTypeSymbol? type, INamedTypeSymbol headerDictionary) =>
        type is not null && (SymbolEqualityComparer.Default.Equals(type, headerDictionary) || type.AllInterfaces.Contains(headerDictionary, SymbolEqualityComparer.Default));

    private static bool DerivesFrom(INamedTypeSymbol? type, INamedTypeSymbol baseType)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(type, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class TouchedFlag
    {
        public bool Value { get; set; }
    }

    private sealed class Symbols
    {
        public Symbols(INamedTypeSymbol headerDictionary, INamedTypeSymbol authenticationHeaderValue, INamedTypeSymbol httpHeaders)
        {
            HeaderDictionary = headerDictionary;
            AuthenticationHeaderValue = authenticationHeaderValue;
            HttpHeaders = httpHeaders;
        }

        public INamedTypeSymbol HeaderDictionary { get; }

        public INamedTypeSymbol AuthenticationHeaderValue { get; }

        public INamedTypeSymbol HttpHeaders { get; }
    }
}
