using System;
using System.Collections.Concurrent;
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
/// generated manifest once, lazily, when a candidate accessor or wiring call is seen. Framework-level handling
/// (exception handlers, middleware, MVC, Semantic Kernel and MCP filters: <see cref="FrameworkConsentHandlers"/>) is
/// recorded by the same callbacks, from the few consent-handling catches and consent tests and from registration
/// calls picked out by name, and resolved once at compilation end. The only search (callers of a method that requests
/// a token without catching) runs at compilation end over the recorded edges and only for the few recorded requests;
/// the entry points it reaches are classified (<see cref="ConsentEntryPoints"/>) from their symbols, not by scanning.
/// Being compilation-end diagnostics, they appear in builds, not live in the IDE.
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
        var compilationSymbols = CompilationSymbols.For(context.Compilation);
        if (compilationSymbols.Consent is not { } symbols)
        {
            return;
        }

        // Per analysis: both record what this compilation registers; their type lookups come from the shared cache.
        var facts = new ConsentFacts(new FrameworkConsentHandlers(compilationSymbols), new ConsentEntryPoints(compilationSymbols));
        context.RegisterOperationAction(operation => OnInvocation(operation, symbols, facts), OperationKind.Invocation);
        context.RegisterOperationAction(
            operation =>
            {
                var created = ((IObjectCreationOperation)operation.Operation).Type;
                if (SymbolEqualityComparer.Default.Equals(created, symbols.LoopbackListener))
                {
                    facts.SetCallbackPresent();
                }
                else
                {
                    facts.Handlers.RecordCreation(created);
                }
            },
            OperationKind.ObjectCreation);
        context.RegisterOperationAction(operation => OnMethodReference(operation, symbols, facts), OperationKind.MethodReference);
        context.RegisterOperationAction(operation => OnTypeOf(operation, symbols, facts), OperationKind.TypeOf);
        context.RegisterOperationAction(operation => OnTry(operation, symbols, facts), OperationKind.Try);
        context.RegisterOperationAction(
            operation =>
            {
                if (ConsentCatchClauses.IsConsentTypeTest(operation.Operation, symbols.ConsentRequired, out _))
                {
                    OnConsentTest(operation, facts);
                }
            },
            OperationKind.IsType,
            OperationKind.DeclarationPattern,
            OperationKind.TypePattern,
            OperationKind.RecursivePattern);
        context.RegisterCompilationEndAction(end => Report(end, facts));
    }

    /// <summary>
    /// A test for <c>ConsentRequiredException</c> (either way: <c>if (ex is not ConsentRequiredException c) return false;</c>
    /// is how exception handlers start) outside a catch filter, whose clause <see cref="OnTry"/> judges as a whole:
    /// consent is handled somewhere, and the code it sits in may be a framework-level handler.
    /// </summary>
    private static void OnConsentTest(OperationAnalysisContext context, ConsentFacts facts)
    {
        if (ConsentCatchClauses.InCatchFilter(context.Operation))
        {
            return;
        }

        facts.SetConsentHandledSomewhere();
        facts.Handlers.RecordHandling(context.Operation, context.ContainingSymbol, wrapsNext: false);
    }

    private static void OnInvocation(OperationAnalysisContext context, ConsentSymbols symbols, ConsentFacts facts)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        facts.Handlers.RecordRegistration(invocation);
        facts.Entries.RecordDelegateArguments(invocation);
        if (ConsentCatchClauses.IsTryFind(invocation, symbols.ConsentRequired))
        {
            OnConsentTest(context, facts);
            return;
        }

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
            case "AddUserFederation" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Builder):
                facts.FederationRegistrations.Add(NameLocation(invocation));
                return;
            case "MapIdentityGuardConsentCallback" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.CallbackEndpointExtensions):
            case "CompleteAsync" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.UserFederation):
                facts.SetCallbackPresent();
                return;
            case "AddConsentExceptionHandler" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.AspNetCoreBuilderExtensions):
                facts.SetConsentHandledSomewhere();
                facts.Handlers.AddScope(ConsentScope.HttpPipeline);
                return;
            case "AddMcp" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.McpBuilderExtensions):
                // The MCP tool filter handles a consent requirement raised anywhere in any tool call.
                facts.SetConsentHandledSomewhere();
                facts.Handlers.AddScope(ConsentScope.McpToolCalls);
                return;
            case "WithIdentityGuardConsent" when SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.ConsentResponses):
                facts.SetConsentHandledSomewhere();
                if (ConsentEntryPoints.MappedHandler(invocation, out var group) is { } handler)
                {
                    facts.GuardedEntries.TryAdd(handler, 0);
                }
                else if (group)
                {
                    // On a route group (app.MapGroup("/api").WithIdentityGuardConsent()): taken to cover the endpoints.
                    facts.Handlers.AddScope(ConsentScope.HttpPipeline);
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

            // A lambda handed to a helper of this compilation: the helper may run it inside a consent catch.
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter
                    && ConsentEntryPoints.DelegateTarget(argument.Value) is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda)
                {
                    facts.HelperArguments.TryAdd(lambda, new DelegateUse(callee, parameter.Ordinal));
                }
            }
        }
    }

    private static void OnMethodReference(OperationAnalysisContext context, ConsentSymbols symbols, ConsentFacts facts)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        var method = reference.Method.OriginalDefinition;
        if (method.Name == "CompleteAsync" && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.UserFederation))
        {
            facts.SetCallbackPresent();
        }
        else if (!method.Locations.IsEmpty && method.Locations[0].IsInSource)
        {
            facts.DelegateTargets.TryAdd(method, 0);
            facts.DelegateUses.GetOrAdd(method, _ => new ConcurrentBag<DelegateUse>()).Add(HelperUse(reference));
        }
    }

    /// <summary>The helper of this compilation a method group is handed to (<c>RunWithConsentAsync(id, ReadAsync)</c>), or <see cref="DelegateUse.Unknown"/>.</summary>
    private static DelegateUse HelperUse(IMethodReferenceOperation reference)
    {
        IOperation? current = reference.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        return current is IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation invocation }
            && invocation.TargetMethod.OriginalDefinition is { Locations: { IsEmpty: false } locations } helper
            && locations[0].IsInSource
                ? new DelegateUse(helper, parameter.Ordinal)
                : DelegateUse.Unknown;
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
        var @try = (ITryOperation)context.Operation;
        foreach (var clause in @try.Catches)
        {
            if (ConsentCatchClauses.HandlesConsent(clause, symbols.ConsentRequired))
            {
                facts.SetConsentHandledSomewhere();
                var wrapsNext = RecordGuardedDelegateCalls(@try, context.ContainingSymbol, facts);
                facts.Handlers.RecordHandling(@try, context.ContainingSymbol, wrapsNext);
                return;
            }
        }
    }

    /// <summary>
    /// Whether the body of a consent-handling <c>try</c> calls a delegate (the next step of a pipeline: <c>await next()</c>);
    /// calls of a delegate <em>parameter</em> of the enclosing method make it a guarding helper
    /// (<c>RunWithConsentAsync(Func&lt;Task&lt;T&gt;&gt; body) { try { return await body(); } catch … }</c>).
    /// </summary>
    private static bool RecordGuardedDelegateCalls(ITryOperation @try, ISymbol containingSymbol, ConsentFacts facts)
    {
        var enclosing = containingSymbol as IMethodSymbol;
        for (var parent = @try.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation lambda)
            {
                enclosing = lambda.Symbol;
                break;
            }

            if (parent is ILocalFunctionOperation localFunction)
            {
                enclosing = localFunction.Symbol;
                break;
            }
        }

        var wrapsNext = false;
        foreach (var descendant in @try.Body.Descendants())
        {
            if (descendant is IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke } call)
            {
                wrapsNext = true;
                if (enclosing is not null
                    && call.Instance is IParameterReferenceOperation parameter
                    && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, enclosing))
                {
                    facts.Handlers.RecordGuardingHelper(enclosing, parameter.Parameter.Ordinal);
                }
            }
        }

        return wrapsNext;
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
                        if (ConsentCatchClauses.HandlesConsent(clause, symbols.ConsentRequired))
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

    private static void Report(CompilationAnalysisContext context, ConsentFacts facts)
    {
        if (!facts.CallbackPresent && FirstInSource(facts.FederationRegistrations) is { } registration)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rules.ConsentCallbackMissing, registration));
        }

        if (facts.ConsentHandlerRegistered)
        {
            return;
        }

        var scopes = facts.Handlers.ResolveScopes();
        if (!facts.ConsentHandledSomewhere && scopes == ConsentScope.None)
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

        var callers = new CallerIndex(facts, scopes);
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
        private readonly ConsentScope _scopes;

        public CallerIndex(ConsentFacts facts, ConsentScope scopes)
        {
            _facts = facts;
            _scopes = scopes;
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
                if (_facts.GuardedEntries.ContainsKey(method) || (method is IMethodSymbol m && _facts.GuardedEntries.ContainsKey(m.OriginalDefinition))
                    || _facts.Handlers.GuardsEndpoint(method))
                {
                    // An endpoint mapped with WithIdentityGuardConsent() or a consent endpoint filter: the filter answers.
                    continue;
                }

                if (method is not IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction } callee)
                {
                    // A lambda: an entry point of its own, unless a guarding helper runs it or a framework handler covers it.
                    if (RunByGuardingHelper(method) || IsCovered(method))
                    {
                        continue;
                    }

                    return method;
                }

                var usedAsDelegate = _facts.DelegateTargets.ContainsKey(callee.OriginalDefinition);
                if (usedAsDelegate && !OnlyHandedToGuardingHelpers(callee.OriginalDefinition) && !IsCovered(callee.OriginalDefinition))
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

                if (!called && !usedAsDelegate && !IsCovered(callee.OriginalDefinition))
                {
                    return method;
                }
            }

            return null;
        }

        private bool IsCovered(ISymbol entry) => _facts.Entries.IsCovered(entry, _scopes, _facts.Handlers);

        private bool RunByGuardingHelper(ISymbol lambda) =>
            _facts.HelperArguments.TryGetValue(lambda, out var use) && use.Helper is { } helper && _facts.Handlers.IsGuardingHelper(helper, use.Parameter);

        private bool OnlyHandedToGuardingHelpers(ISymbol method)
        {
            if (!_facts.DelegateUses.TryGetValue(method, out var uses))
            {
                return false;
            }

            foreach (var use in uses)
            {
                if (use.Helper is not { } helper || !_facts.Handlers.IsGuardingHelper(helper, use.Parameter))
                {
                    return false;
                }
            }

            return true;
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
