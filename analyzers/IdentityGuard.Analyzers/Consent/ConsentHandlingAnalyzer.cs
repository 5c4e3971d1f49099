using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace IdentityGuard.Analyzers.Consent;

/// <summary>
/// The missing-consent-handling family: IG0200 (a user-federation token request from which
/// <c>ConsentRequiredException</c> reaches an entry point uncaught), IG0201 (user federation without an
/// authorization callback) and IG0202 (an HTTP client wired with a user-federation token in a compilation that
/// never handles consent). One analyzer, because all three are judged against the same compilation-wide facts.
/// </summary>
/// <remarks>
/// Cost model: nothing is registered unless the compilation references <c>ConsentRequiredException</c>. Operation
/// callbacks only record (sites, call edges, flags) after name checks; the provider flows are read from the
/// generated manifest once, lazily, when a candidate accessor or wiring call is seen. The only search (callers of a
/// method that requests a token without catching) runs at compilation end over the recorded edges and only for the
/// few recorded requests. Being compilation-end diagnostics, they appear in builds, not live in the IDE.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ConsentHandlingAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The caller search gives up (and reports nothing) after visiting this many methods.</summary>
    internal const int MaxMethodsVisited = 256;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Rules.ConsentNotHandled, Rules.ConsentCallbackMissing, Rules.UserTokenClientWithoutConsentHandling);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        if (CompilationSymbols.For(context.Compilation).Consent is not { } symbols)
        {
            return;
        }

        var facts = new ConsentFacts();
        context.RegisterOperationAction(operation => OnInvocation(operation, symbols, facts), OperationKind.Invocation);
        context.RegisterOperationAction(
            operation =>
            {
                if (SymbolEqualityComparer.Default.Equals(((IObjectCreationOperation)operation.Operation).Type, symbols.LoopbackListener))
                {
                    facts.SetCallbackPresent();
                }
            },
            OperationKind.ObjectCreation);
        context.RegisterOperationAction(operation => OnMethodReference(operation, symbols, facts), OperationKind.MethodReference);
        context.RegisterOperationAction(operation => OnTypeOf(operation, symbols, facts), OperationKind.TypeOf);
        context.RegisterOperationAction(operation => OnTry(operation, symbols, facts), OperationKind.Try);
        context.RegisterOperationAction(
            operation =>
            {
                if (symbols.IsConsentTypeTest(operation.Operation))
                {
                    facts.SetConsentHandledSomewhere();
                    if (InExceptionHandler(operation.Operation, operation.ContainingSymbol, symbols))
                    {
                        facts.SetGlobalExceptionHandler();
                    }
                }
            },
            OperationKind.IsType,
            OperationKind.DeclarationPattern,
            OperationKind.TypePattern);
        context.RegisterCompilationEndAction(end => Report(end, facts));
    }

    private static void OnInvocation(OperationAnalysisContext context, ConsentSymbols symbols, ConsentFacts facts)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (symbols.TokenRequestProvider(invocation) is { } provider)
        {
            if (!IsGuarded(invocation, symbols, context.ContainingSymbol, out var inMethod))
            {
                facts.TokenRequests.Add(new TokenRequestSite(NameLocation(invocation), method.ContainingType.Name + "." + method.Name, provider, inMethod));
            }

            return;
        }

        if (symbols.UserTokenWiringProvider(method) is { } wired)
        {
            facts.Wirings.Add(new KeyValuePair<Location, string>(NameLocation(invocation), wired));
            return;
        }

        switch (method.Name)
        {
            case "AddIdentityGuardUserFederation" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.FederationExtensions):
                facts.FederationRegistrations.Add(NameLocation(invocation));
                return;
            case "MapIdentityGuardConsentCallback" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.CallbackEndpoint):
            case "CompleteAsync" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.UserFederation):
                facts.SetCallbackPresent();
                return;
            case "AddIdentityGuardConsentExceptionHandler" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.ConsentResponses):
                facts.SetConsentHandledSomewhere();
                facts.SetGlobalExceptionHandler();
                return;
            case "AddIdentityGuard" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.McpServerExtensions):
                // The MCP tool filter handles a consent requirement raised anywhere in any tool call.
                facts.SetConsentHandledSomewhere();
                facts.SetGlobalExceptionHandler();
                return;
            case "WithIdentityGuardConsent" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.ConsentResponses):
                facts.SetConsentHandledSomewhere();
                if (MappedHandler(invocation) is { } handler)
                {
                    facts.GuardedEntries.TryAdd(handler, 0);
                }

                return;
        }

        if (symbols.RegistersConsentHandler(method))
        {
            facts.SetConsentHandlerRegistered();
            return;
        }

        // A call edge for the caller search: only calls of methods declared here can lead to a token request.
        var callee = method.OriginalDefinition;
        if (callee.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction && !callee.Locations.IsEmpty && callee.Locations[0].IsInSource)
        {
            var guarded = IsGuarded(invocation, symbols, context.ContainingSymbol, out var caller);
            facts.Calls.Add(new CallSite(callee, caller, guarded));
        }
    }

    private static void OnMethodReference(OperationAnalysisContext context, ConsentSymbols symbols, ConsentFacts facts)
    {
        var method = ((IMethodReferenceOperation)context.Operation).Method.OriginalDefinition;
        if (method.Name == "CompleteAsync" && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.UserFederation))
        {
            facts.SetCallbackPresent();
        }
        else if (!method.Locations.IsEmpty && method.Locations[0].IsInSource)
        {
            facts.DelegateTargets.TryAdd(method, 0);
        }
    }

    /// <summary>
    /// The handler of the endpoint a convention call applies to: down the fluent chain
    /// (<c>app.MapGet(…, handler).RequireAuthorization().WithIdentityGuardConsent()</c>) to the <c>Map…</c> call, then
    /// its delegate argument: a lambda, or a method group.
    /// </summary>
    private static ISymbol? MappedHandler(IInvocationOperation convention)
    {
        IOperation? current = convention;
        for (var depth = 0; depth < 16 && current is IInvocationOperation call; depth++)
        {
            if (call.TargetMethod.Name.StartsWith("Map", StringComparison.Ordinal))
            {
                foreach (var argument in call.Arguments)
                {
                    var value = argument.Value;
                    while (value is IConversionOperation conversion)
                    {
                        value = conversion.Operand;
                    }

                    switch (value)
                    {
                        case IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda }:
                            return lambda.Symbol;
                        case IDelegateCreationOperation { Target: IMethodReferenceOperation reference }:
                            return reference.Method.OriginalDefinition;
                        case IAnonymousFunctionOperation lambda:
                            return lambda.Symbol;
                    }
                }

                return null;
            }

            current = call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);
            while (current is IConversionOperation conversion)
            {
                current = conversion.Operand;
            }
        }

        return null;
    }

    /// <summary><c>services.AddSingleton(typeof(IConsentHandler), typeof(MyHandler))</c>.</summary>
    private static void OnTypeOf(OperationAnalysisContext context, ConsentSymbols symbols, ConsentFacts facts)
    {
        var typeOf = (ITypeOfOperation)context.Operation;
        if (symbols.ConsentHandler is not null
            && SymbolEqualityComparer.Default.Equals(typeOf.TypeOperand, symbols.ConsentHandler)
            && typeOf.Parent is IArgumentOperation { Parent: IInvocationOperation registration }
            && ConsentSymbols.IsDependencyInjectionType(registration.TargetMethod.ContainingType))
        {
            facts.SetConsentHandlerRegistered();
        }
    }

    private static void OnTry(OperationAnalysisContext context, ConsentSymbols symbols, ConsentFacts facts)
    {
        foreach (var clause in ((ITryOperation)context.Operation).Catches)
        {
            if (symbols.HandlesConsent(clause))
            {
                facts.SetConsentHandledSomewhere();
                if (InExceptionHandler(clause, context.ContainingSymbol, symbols))
                {
                    facts.SetGlobalExceptionHandler();
                }

                return;
            }
        }
    }

    /// <summary>
    /// Whether a <c>try</c> of the same method, whose body contains <paramref name="operation"/>, has a catch that
    /// handles consent; otherwise <paramref name="method"/> is the method the exception leaves: the containing
    /// method, or the lambda or local function the operation sits in.
    /// </summary>
    private static bool IsGuarded(IOperation operation, ConsentSymbols symbols, ISymbol containingSymbol, out ISymbol method)
    {
        var current = operation;
        for (var parent = operation.Parent; parent is not null; current = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case ITryOperation @try when ReferenceEquals(@try.Body, current):
                    foreach (var clause in @try.Catches)
                    {
                        if (symbols.HandlesConsent(clause))
                        {
                            method = containingSymbol;
                            return true;
                        }
                    }

                    break;
                case IAnonymousFunctionOperation lambda:
                    method = lambda.Symbol;
                    return false;
                case ILocalFunctionOperation localFunction:
                    method = localFunction.Symbol;
                    return false;
            }
        }

        method = containingSymbol;
        return false;
    }

    /// <summary>Inside an ASP.NET Core <c>IExceptionHandler</c> implementation, or inside the argument of <c>UseExceptionHandler(…)</c>.</summary>
    private static bool InExceptionHandler(IOperation operation, ISymbol containingSymbol, ConsentSymbols symbols)
    {
        if (symbols.ExceptionHandler is not null && containingSymbol.ContainingType is { } type)
        {
            foreach (var implemented in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented, symbols.ExceptionHandler))
                {
                    return true;
                }
            }
        }

        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IInvocationOperation { TargetMethod.Name: "UseExceptionHandler" })
            {
                return true;
            }
        }

        return false;
    }

    private static void Report(CompilationAnalysisContext context, ConsentFacts facts)
    {
        if (!facts.CallbackPresent && FirstInSource(facts.FederationRegistrations) is { } registration)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.ConsentCallbackMissing, registration));
        }

        if (facts.ConsentHandlerRegistered || facts.GlobalExceptionHandler)
        {
            return;
        }

        if (!facts.ConsentHandledSomewhere)
        {
            foreach (var wiring in facts.Wirings)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rules.UserTokenClientWithoutConsentHandling, wiring.Key, wiring.Value));
            }
        }

        if (facts.TokenRequests.IsEmpty)
        {
            return;
        }

        var callers = new CallerIndex(facts);
        foreach (var request in facts.TokenRequests)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (callers.UncaughtEntry(request.Method) is { } entry)
            {
                context.ReportDiagnostic(Diagnostic.Create(Rules.ConsentNotHandled, request.Location, request.Display, request.Provider, Describe(entry)));
            }
        }
    }

    private static string Describe(ISymbol entry) => entry is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction }
        ? "a lambda in " + Describe(entry.ContainingSymbol)
        : entry.ContainingType is { } type ? type.Name + "." + entry.Name : entry.Name;

    private static Location? FirstInSource(IEnumerable<Location> locations)
    {
        Location? first = null;
        foreach (var location in locations)
        {
            if (first is null)
            {
                first = location;
                continue;
            }

            var order = string.CompareOrdinal(location.SourceTree?.FilePath, first.SourceTree?.FilePath);
            if (order < 0 || (order == 0 && location.SourceSpan.Start < first.SourceSpan.Start))
            {
                first = location;
            }
        }

        return first;
    }

    /// <summary>From the method name to the end of the argument list: <c>tokens.[|GetAsync(…)|]</c>, so a fluent chain is not underlined whole.</summary>
    private static Location NameLocation(IInvocationOperation invocation) =>
        invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } syntax
            ? Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(access.Name.SpanStart, syntax.Span.End))
            : invocation.Syntax.GetLocation();

    /// <summary>The recorded call edges, by callee name, and the search from a method up to an entry point.</summary>
    private sealed class CallerIndex
    {
        private readonly Dictionary<string, List<CallSite>> _byCalleeName = new(StringComparer.Ordinal);
        private readonly ConsentFacts _facts;

        public CallerIndex(ConsentFacts facts)
        {
            _facts = facts;
            foreach (var call in facts.Calls)
            {
                if (!_byCalleeName.TryGetValue(call.Callee.Name, out var list))
                {
                    _byCalleeName[call.Callee.Name] = list = new List<CallSite>();
                }

                list.Add(call);
            }
        }

        /// <summary>
        /// The entry point that an exception leaving <paramref name="start"/> reaches with no consent-handling catch
        /// on the way, or null when every path catches (or the search gave up).
        /// </summary>
        public ISymbol? UncaughtEntry(ISymbol start)
        {
            var visited = new HashSet<ISymbol>(SymbolEqualityComparer.Default) { start };
            var pending = new Stack<ISymbol>();
            pending.Push(start);
            while (pending.Count > 0)
            {
                var method = pending.Pop();
                if (_facts.GuardedEntries.ContainsKey(method) || (method is IMethodSymbol m && _facts.GuardedEntries.ContainsKey(m.OriginalDefinition)))
                {
                    // An endpoint mapped with WithIdentityGuardConsent(): its filter answers the consent requirement.
                    continue;
                }

                if (method is not IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction } callee
                    || _facts.DelegateTargets.ContainsKey(callee.OriginalDefinition))
                {
                    return method;
                }

                var called = false;
                if (_byCalleeName.TryGetValue(callee.Name, out var calls))
                {
                    foreach (var call in calls)
                    {
                        if (!Calls(call.Callee, callee))
                        {
                            continue;
                        }

                        called = true;
                        if (!call.Guarded && visited.Add(call.Caller))
                        {
                            if (visited.Count > MaxMethodsVisited)
                            {
                                return null;
                            }

                            pending.Push(call.Caller);
                        }
                    }
                }

                if (!called)
                {
                    return method;
                }
            }

            return null;
        }

        /// <summary>A call of <paramref name="target"/> can run <paramref name="method"/>: the same method, one it overrides, or an interface member it implements.</summary>
        private static bool Calls(IMethodSymbol target, IMethodSymbol method)
        {
            var definition = method.OriginalDefinition;
            if (SymbolEqualityComparer.Default.Equals(target, definition))
            {
                return true;
            }

            for (var overridden = definition.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                if (SymbolEqualityComparer.Default.Equals(target, overridden.OriginalDefinition))
                {
                    return true;
                }
            }

            if (target.ContainingType.TypeKind != TypeKind.Interface)
            {
                return false;
            }

            foreach (var implemented in definition.ContainingType.AllInterfaces)
            {
                if (!SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, target.ContainingType))
                {
                    continue;
                }

                foreach (var member in implemented.GetMembers(target.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, target)
                        && SymbolEqualityComparer.Default.Equals(definition.ContainingType.FindImplementationForInterfaceMember(member)?.OriginalDefinition, definition))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
