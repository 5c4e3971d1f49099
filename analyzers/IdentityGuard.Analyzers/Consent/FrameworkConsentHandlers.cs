using System;
using System.Collections.Concurrent;
using System.Threading;
using IdentityGuard.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.Consent;

/// <summary>The kinds of code a framework-level consent handler can cover.</summary>
[Flags]
internal enum ConsentScope
{
    None = 0,

    /// <summary>The ASP.NET Core request pipeline: an <c>IExceptionHandler</c>, middleware, <c>UseExceptionHandler</c>.</summary>
    HttpPipeline = 1,

    /// <summary>MVC controller actions: a global exception filter.</summary>
    MvcActions = 2,

    /// <summary>MCP tool calls: a call-tool filter, or IdentityGuard.Mcp.</summary>
    McpToolCalls = 4,

    /// <summary>Semantic Kernel function calls: a function-invocation filter on the kernel.</summary>
    KernelFunctions = 8,

    /// <summary>Microsoft.Extensions.AI function calls: a <c>FunctionInvoker</c> or a <c>DelegatingAIFunction</c> wrapper.</summary>
    AiFunctions = 16,
}

/// <summary>
/// Consent handled at the framework level, a compilation-wide fact gathered as the operation callbacks go by: types
/// and lambdas whose code handles <c>ConsentRequiredException</c> (<see cref="RecordHandling"/>), how types are
/// registered with a framework (<see cref="RecordRegistration"/>), and helpers that run a delegate inside a
/// consent-handling <c>catch</c>. Nothing here scans the compilation: it is read once, at compilation end.
/// </summary>
/// <remarks>
/// A handler counts only where the framework runs it: an <c>IExceptionHandler</c> registered with
/// <c>AddExceptionHandler</c>, a middleware class added with <c>UseMiddleware</c>, an MVC exception filter added to
/// <c>MvcOptions.Filters</c> (or applied as an attribute), a kernel filter added to the kernel or to DI, an MCP
/// call-tool filter. A pipeline handler (middleware, kernel filter, call-tool filter) must also call the next step
/// inside the <c>try</c> whose catch handles consent.
/// </remarks>
internal sealed class FrameworkConsentHandlers
{
    private readonly ConcurrentDictionary<ISymbol, HandlingShape> _handlingTypes = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(ISymbol Type, Registration How), byte> _registrations = new();
    private readonly ConcurrentDictionary<(ISymbol Method, int Parameter), byte> _guardingHelpers = new();
    private readonly ConcurrentDictionary<ISymbol, byte> _guardedEndpoints = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentBag<(INamedTypeSymbol Filter, ISymbol? Endpoint)> _endpointFilters = new();
    private int _scopes;

    public FrameworkConsentHandlers(CompilationSymbols symbols)
    {
        ExceptionHandler = symbols.Type("Microsoft.AspNetCore.Diagnostics.IExceptionHandler");
        ExceptionFilter = symbols.Type("Microsoft.AspNetCore.Mvc.Filters.IExceptionFilter");
        AsyncExceptionFilter = symbols.Type("Microsoft.AspNetCore.Mvc.Filters.IAsyncExceptionFilter");
        FilterCollection = symbols.Type("Microsoft.AspNetCore.Mvc.Filters.FilterCollection");
        FunctionFilter = symbols.Type("Microsoft.SemanticKernel.IFunctionInvocationFilter");
        AutoFunctionFilter = symbols.Type("Microsoft.SemanticKernel.IAutoFunctionInvocationFilter");
        DelegatingAIFunction = symbols.Type("Microsoft.Extensions.AI.DelegatingAIFunction");
    }

    private enum Registration
    {
        /// <summary><c>AddExceptionHandler&lt;T&gt;()</c>, or DI with service type <c>IExceptionHandler</c>.</summary>
        ExceptionHandler,

        /// <summary><c>UseMiddleware&lt;T&gt;()</c> / <c>UseMiddleware(typeof(T))</c>.</summary>
        Middleware,

        /// <summary><c>MvcOptions.Filters.Add…</c>: every action.</summary>
        MvcFilter,

        /// <summary><c>kernel.FunctionInvocationFilters.Add(…)</c>, or DI with a kernel filter service type.</summary>
        KernelFilter,

        /// <summary><c>AddCallToolFilter(Method)</c> / <c>CallToolFilters.Add(Method)</c>: a method group of the type.</summary>
        McpFilter,

        /// <summary><c>new T(inner)</c> of a <c>DelegatingAIFunction</c> subclass.</summary>
        AiFunctionWrapper,
    }

    [Flags]
    private enum HandlingShape
    {
        None = 0,

        /// <summary>Tests an exception for consent (an exception handler or filter receives the exception).</summary>
        Tests = 1,

        /// <summary>Catches consent around a call of the next step of a pipeline (a delegate invocation).</summary>
        WrapsNext = 2,
    }

    public INamedTypeSymbol? ExceptionHandler { get; }

    public INamedTypeSymbol? ExceptionFilter { get; }

    public INamedTypeSymbol? AsyncExceptionFilter { get; }

    public INamedTypeSymbol? FilterCollection { get; }

    public INamedTypeSymbol? FunctionFilter { get; }

    public INamedTypeSymbol? AutoFunctionFilter { get; }

    public INamedTypeSymbol? DelegatingAIFunction { get; }

    /// <summary>A framework-level handler that IdentityGuard itself provides (<c>AddConsentExceptionHandler()</c> of IdentityGuard.AspNetCore, <c>AddMcp()</c> of IdentityGuard.Mcp).</summary>
    public void AddScope(ConsentScope scope)
    {
        int current, updated;
        do
        {
            current = Volatile.Read(ref _scopes);
            updated = current | (int)scope;
        }
        while (current != updated && Interlocked.CompareExchange(ref _scopes, updated, current) != current);
    }

    /// <summary>
    /// Code at <paramref name="at"/> handles consent: a consent-handling <c>catch</c> (its <c>try</c>), or a test for
    /// <c>ConsentRequiredException</c>. Decides whose code it is: a lambda given to <c>app.Use</c>,
    /// <c>UseExceptionHandler</c> or an MCP call-tool filter, else the type declaring <paramref name="containingSymbol"/>.
    /// </summary>
    public void RecordHandling(IOperation at, ISymbol containingSymbol, bool wrapsNext)
    {
        for (var parent = at.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is not IInvocationOperation invocation)
            {
                continue;
            }

            switch (invocation.TargetMethod.Name)
            {
                case "UseExceptionHandler":
                case "AddProblemDetails": // CustomizeProblemDetails = context => … context.Exception is ConsentRequiredException …
                    AddScope(ConsentScope.HttpPipeline);
                    return;
                case "AddEndpointFilter" when wrapsNext:
                    GuardEndpoint(invocation);
                    return;
                case "Use" when wrapsNext && invocation.TargetMethod.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Builder":
                    AddScope(ConsentScope.HttpPipeline);
                    return;
                case "AddCallToolFilter" when wrapsNext:
                case "Add" when wrapsNext && invocation.Instance is IPropertyReferenceOperation { Property.Name: "CallToolFilters" }:
                    AddScope(ConsentScope.McpToolCalls);
                    return;
            }
        }

        if (AssignedToFunctionInvoker(at))
        {
            AddScope(ConsentScope.AiFunctions);
            return;
        }

        if (ReadsExceptionHandlerFeature(at))
        {
            // An error endpoint re-executed by UseExceptionHandler("/error") reads the exception from the feature.
            AddScope(ConsentScope.HttpPipeline);
            return;
        }

        if (containingSymbol.ContainingType is { TypeKind: TypeKind.Class } type)
        {
            var shape = wrapsNext ? HandlingShape.Tests | HandlingShape.WrapsNext : HandlingShape.Tests;
            _handlingTypes.AddOrUpdate(type.OriginalDefinition, shape, (_, existing) => existing | shape);
        }
    }

    /// <summary>
    /// <paramref name="method"/> calls its delegate parameter number <paramref name="parameter"/> inside a <c>try</c>
    /// whose catch handles consent (<c>RunWithConsentAsync(() => …)</c>): a lambda or method passed there is covered.
    /// </summary>
    public void RecordGuardingHelper(IMethodSymbol method, int parameter) => _guardingHelpers.TryAdd((method.OriginalDefinition, parameter), 0);

    public bool IsGuardingHelper(IMethodSymbol method, int parameter) => _guardingHelpers.ContainsKey((method.OriginalDefinition, parameter));

    /// <summary>An endpoint handler (lambda or method) with a consent endpoint filter of its own.</summary>
    public bool GuardsEndpoint(ISymbol handler) =>
        _guardedEndpoints.ContainsKey(handler) || (handler is IMethodSymbol method && _guardedEndpoints.ContainsKey(method.OriginalDefinition));

    /// <summary><c>new T(…)</c>: a <c>DelegatingAIFunction</c> subclass wrapping the app's tools.</summary>
    public void RecordCreation(ITypeSymbol? created)
    {
        if (DelegatingAIFunction is null || created is not INamedTypeSymbol { TypeKind: TypeKind.Class } type)
        {
            return;
        }

        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, DelegatingAIFunction))
            {
                AddRegistration(type, Registration.AiFunctionWrapper);
                return;
            }
        }
    }
    /// <summary>Registrations of handler types with ASP.NET Core, MVC or Semantic Kernel; cheap name checks first.</summary>
    public void RecordRegistration(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "AddExceptionHandler":
                AddRegistration(RegisteredType(invocation), Registration.ExceptionHandler);
                return;
            case "UseMiddleware":
                AddRegistration(RegisteredType(invocation), Registration.Middleware);
                return;
            case "AddEndpointFilter":
                if (RegisteredType(invocation) is INamedTypeSymbol filter)
                {
                    _endpointFilters.Add((filter.OriginalDefinition, ConsentEntryPoints.MappedHandler(invocation, out _)));
                }

                return;
            case "AddCallToolFilter":
            case "Add" when invocation.Instance is IPropertyReferenceOperation { Property.Name: "CallToolFilters" }:
                foreach (var argument in invocation.Arguments)
                {
                    if (ConsentEntryPoints.DelegateTarget(argument.Value) is IMethodSymbol { MethodKind: MethodKind.Ordinary } filterMethod)
                    {
                        AddRegistration(filterMethod.ContainingType, Registration.McpFilter);
                    }
                }

                return;
            // Add(new T()) is Collection<IFilterMetadata>.Add: the receiver says it is MVC's filter collection.
            case "Add" or "AddService" when FilterCollection is not null && SymbolEqualityComparer.Default.Equals(invocation.Instance?.Type, FilterCollection):
                AddRegistration(RegisteredType(invocation), Registration.MvcFilter);
                return;
            case "Add" when invocation.Instance is IPropertyReferenceOperation { Property.Name: "FunctionInvocationFilters" or "AutoFunctionInvocationFilters" }:
                AddRegistration(RegisteredType(invocation), Registration.KernelFilter);
                return;
            case "AddSingleton" or "AddScoped" or "AddTransient" or "TryAddSingleton" or "TryAddScoped" or "TryAddTransient"
                when method.TypeArguments.Length > 0 && ConsentSymbols.IsDependencyInjectionType(method.ContainingType):
                var service = method.TypeArguments[0].OriginalDefinition;
                if (Is(service, FunctionFilter) || Is(service, AutoFunctionFilter))
                {
                    AddRegistration(RegisteredType(invocation), Registration.KernelFilter);
                }
                else if (Is(service, ExceptionHandler))
                {
                    AddRegistration(RegisteredType(invocation), Registration.ExceptionHandler);
                }

                return;
        }
    }

    /// <summary>The framework scopes whose consent is handled, from what was recorded; read at compilation end.</summary>
    public ConsentScope ResolveScopes()
    {
        var scopes = (ConsentScope)Volatile.Read(ref _scopes);
        foreach (var registration in _registrations.Keys)
        {
            if (registration.Type is not INamedTypeSymbol type || !_handlingTypes.TryGetValue(type, out var shape))
            {
                continue;
            }

            switch (registration.How)
            {
                case Registration.ExceptionHandler when Implements(type, ExceptionHandler):
                case Registration.Middleware when (shape & HandlingShape.WrapsNext) != 0:
                    scopes |= ConsentScope.HttpPipeline;
                    break;
                case Registration.MvcFilter when IsExceptionFilter(type):
                    scopes |= ConsentScope.MvcActions;
                    break;
                case Registration.KernelFilter when (shape & HandlingShape.WrapsNext) != 0 && (Implements(type, FunctionFilter) || Implements(type, AutoFunctionFilter)):
                    scopes |= ConsentScope.KernelFunctions;
                    break;
                case Registration.McpFilter when (shape & HandlingShape.WrapsNext) != 0:
                    scopes |= ConsentScope.McpToolCalls;
                    break;
                case Registration.AiFunctionWrapper:
                    scopes |= ConsentScope.AiFunctions;
                    break;
            }
        }

        // IEndpointFilter classes: on one endpoint they guard it, on a route group every endpoint.
        foreach (var (filter, endpoint) in _endpointFilters)
        {
            if (_handlingTypes.TryGetValue(filter, out var shape) && (shape & HandlingShape.WrapsNext) != 0)
            {
                if (endpoint is null)
                {
                    scopes |= ConsentScope.HttpPipeline;
                }
                else
                {
                    _guardedEndpoints.TryAdd(endpoint, 0);
                }
            }
        }

        return scopes;
    }

    /// <summary>An endpoint filter lambda that catches consent around <c>next</c>: guards its endpoint, or every endpoint of its group.</summary>
    private void GuardEndpoint(IInvocationOperation addEndpointFilter)
    {
        if (ConsentEntryPoints.MappedHandler(addEndpointFilter, out _) is { } handler)
        {
            _guardedEndpoints.TryAdd(handler, 0);
        }
        else
        {
            AddScope(ConsentScope.HttpPipeline);
        }
    }

    /// <summary>Inside a lambda assigned to <c>FunctionInvokingChatClient.FunctionInvoker</c>.</summary>
    private static bool AssignedToFunctionInvoker(IOperation at)
    {
        for (var parent = at.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "FunctionInvoker" } })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The function (lambda or method) around <paramref name="at"/> reads <c>IExceptionHandlerFeature.Error</c>.</summary>
    private static bool ReadsExceptionHandlerFeature(IOperation at)
    {
        var root = at;
        while (root.Parent is { } parent)
        {
            root = parent;
            if (root is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                break;
            }
        }

        foreach (var descendant in root.Descendants())
        {
            if (descendant is IPropertyReferenceOperation { Property: { Name: "Error", ContainingType.Name: "IExceptionHandlerFeature" } })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An MVC exception filter applied to <paramref name="target"/> (an action or its controller) whose code handles
    /// consent: an <c>ExceptionFilterAttribute</c> subclass, or <c>[TypeFilter(typeof(T))]</c> / <c>[ServiceFilter(typeof(T))]</c>.
    /// </summary>
    public bool HasConsentFilterAttribute(ISymbol target)
    {
        foreach (var attribute in target.GetAttributes())
        {
            if (attribute.AttributeClass is not { } attributeClass)
            {
                continue;
            }

            if (IsConsentExceptionFilter(attributeClass))
            {
                return true;
            }

            if (attributeClass.Name is "TypeFilterAttribute" or "ServiceFilterAttribute"
                && attribute.ConstructorArguments.Length > 0
                && attribute.ConstructorArguments[0].Value is INamedTypeSymbol filterType
                && IsConsentExceptionFilter(filterType))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsConsentExceptionFilter(INamedTypeSymbol type) =>
        IsExceptionFilter(type) && _handlingTypes.ContainsKey(type.OriginalDefinition);

    private bool IsExceptionFilter(INamedTypeSymbol type) => Implements(type, ExceptionFilter) || Implements(type, AsyncExceptionFilter);

    private void AddRegistration(ITypeSymbol? type, Registration how)
    {
        if (type is INamedTypeSymbol named)
        {
            _registrations.TryAdd((named.OriginalDefinition, how), 0);
        }
    }

    /// <summary>
    /// The type a registration call names: <c>UseMiddleware&lt;T&gt;()</c>, <c>AddSingleton&lt;IFilter, T&gt;()</c>;
    /// else, from its arguments, <c>new T(…)</c>, <c>typeof(T)</c>, a factory lambda that creates a <c>T</c>
    /// (<c>AddSingleton&lt;IFilter&gt;(sp =&gt; new T(…))</c>) or a value of class type <c>T</c> (<c>Filters.Add(filter)</c>).
    /// </summary>
    private static ITypeSymbol? RegisteredType(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.TypeArguments.Length > 1)
        {
            return method.TypeArguments[method.TypeArguments.Length - 1];
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.Explicit || (method.IsExtensionMethod && argument.Parameter?.Ordinal == 0))
            {
                continue; // the receiver of an extension method (app.UseMiddleware<T>()) is not what is registered
            }

            var value = argument.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            switch (value)
            {
                case ITypeOfOperation typeOf:
                    return typeOf.TypeOperand;
                case IDelegateCreationOperation { Target: IAnonymousFunctionOperation factory }:
                    foreach (var descendant in factory.Body.Descendants())
                    {
                        if (descendant is IObjectCreationOperation created)
                        {
                            return created.Type;
                        }
                    }

                    break;
                case { Type: INamedTypeSymbol { TypeKind: TypeKind.Class } type }:
                    return type;
            }
        }

        return method.TypeArguments.Length == 1 ? method.TypeArguments[0] : null;
    }

    private static bool Is(ITypeSymbol type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);

    private static bool Implements(INamedTypeSymbol type, INamedTypeSymbol? @interface)
    {
        if (@interface is null)
        {
            return false;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, @interface))
            {
                return true;
            }
        }

        return false;
    }
}
