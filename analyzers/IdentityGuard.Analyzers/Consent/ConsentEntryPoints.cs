using System.Collections.Concurrent;
using IdentityGuard.Analyzers.Symbols;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.Consent;

/// <summary>Who runs an entry point, which decides which framework-level handler can see its exceptions.</summary>
internal enum ConsentEntryKind
{
    /// <summary>Nothing says (a public method, <c>Main</c>, a lambda given to unknown code): any framework handler is taken at its word.</summary>
    Unclassified,

    /// <summary>A minimal API handler: a lambda or method group given to <c>Map…</c>.</summary>
    HttpEndpoint,

    /// <summary>An action of an MVC controller.</summary>
    ControllerAction,

    /// <summary>An MCP tool: <c>[McpServerTool]</c>, or a delegate given to <c>McpServerTool.Create</c>. The MCP SDK turns its exceptions into error results.</summary>
    McpTool,

    /// <summary>A Semantic Kernel function: <c>[KernelFunction]</c>, or a delegate given to <c>CreateFromMethod</c>/<c>CreateFunctionFromMethod</c>.</summary>
    KernelFunction,

    /// <summary>A Microsoft.Extensions.AI tool: a delegate given to <c>AIFunctionFactory.Create</c>; the function-invoking client reports its exceptions to the model.</summary>
    AiFunction,

    /// <summary>A hosted service: it runs outside any request, so no request-level handler sees it.</summary>
    Background,

    /// <summary>A SignalR hub method: the hub reports its exceptions to the client, not to the request pipeline.</summary>
    HubMethod,
}

/// <summary>
/// Classifies the entry points the caller search reaches, and answers whether framework-level consent handling
/// covers one. Delegates given to the frameworks' registration calls are recorded as they go by; attributes and
/// base types are read from the entry's symbol at compilation end, only for the few entries reached.
/// </summary>
internal sealed class ConsentEntryPoints
{
    private readonly ConcurrentDictionary<ISymbol, ConsentEntryKind> _delegateKinds = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _mcpServerTool;
    private readonly INamedTypeSymbol? _kernelFunction;
    private readonly INamedTypeSymbol? _controllerBase;
    private readonly INamedTypeSymbol? _hostedService;
    private readonly INamedTypeSymbol? _hub;

    public ConsentEntryPoints(CompilationSymbols symbols)
    {
        _mcpServerTool = symbols.Type("ModelContextProtocol.Server.McpServerToolAttribute");
        _kernelFunction = symbols.Type("Microsoft.SemanticKernel.KernelFunctionAttribute");
        _controllerBase = symbols.Type("Microsoft.AspNetCore.Mvc.ControllerBase");
        _hostedService = symbols.Type("Microsoft.Extensions.Hosting.IHostedService");
        _hub = symbols.Type("Microsoft.AspNetCore.SignalR.Hub");
    }

    /// <summary>Records the delegates given to a framework call that makes them a tool, function or endpoint; cheap name checks first.</summary>
    public void RecordDelegateArguments(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        ConsentEntryKind kind;
        switch (method.Name)
        {
            case "Create" when method.ContainingType.Name == "AIFunctionFactory":
                kind = ConsentEntryKind.AiFunction;
                break;
            case "Create" when method.ContainingType.Name == "McpServerTool":
                kind = ConsentEntryKind.McpTool;
                break;
            case "CreateFromMethod" or "CreateFunctionFromMethod":
                kind = ConsentEntryKind.KernelFunction;
                break;
            case "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" or "MapMethods" or "Map" or "MapFallback":
                kind = ConsentEntryKind.HttpEndpoint;
                break;
            default:
                return;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (DelegateTarget(argument.Value) is { } target)
            {
                _delegateKinds.TryAdd(target, kind);
            }
        }
    }

    /// <summary>
    /// The handler of the endpoint a convention call applies to: down the fluent chain
    /// (<c>app.MapGet(…, handler).RequireAuthorization().WithIdentityGuardConsent()</c>) to the <c>Map…</c> call, then
    /// its delegate argument: a lambda, or a method group. <paramref name="group"/> when the chain starts at
    /// <c>MapGroup</c> (the convention applies to every endpoint of the group).
    /// </summary>
    public static ISymbol? MappedHandler(IInvocationOperation convention, out bool group)
    {
        group = false;
        IOperation? current = convention;
        for (var depth = 0; depth < 16 && current is IInvocationOperation call; depth++)
        {
            var name = call.TargetMethod.Name;
            if (name == "MapGroup")
            {
                group = true;
                return null;
            }

            if (name.StartsWith("Map", System.StringComparison.Ordinal))
            {
                foreach (var argument in call.Arguments)
                {
                    if (DelegateTarget(argument.Value) is { } handler)
                    {
                        return handler;
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

    /// <summary>The lambda or method a delegate-valued operation stands for, or null.</summary>
    public static ISymbol? DelegateTarget(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value switch
        {
            IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda } => lambda.Symbol,
            IDelegateCreationOperation { Target: IMethodReferenceOperation reference } => reference.Method.OriginalDefinition,
            IAnonymousFunctionOperation lambda => lambda.Symbol,
            _ => null,
        };
    }

    public ConsentEntryKind Classify(ISymbol entry)
    {
        if (_delegateKinds.TryGetValue(entry, out var kind))
        {
            return kind;
        }

        if (entry is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method)
        {
            return ConsentEntryKind.Unclassified;
        }

        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass)
            {
                if (Is(attributeClass, _mcpServerTool))
                {
                    return ConsentEntryKind.McpTool;
                }

                if (Is(attributeClass, _kernelFunction))
                {
                    return ConsentEntryKind.KernelFunction;
                }
            }
        }

        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            if (Is(type, _controllerBase) || IsMarkedController(type))
            {
                return ConsentEntryKind.ControllerAction;
            }

            if (Is(type, _hub))
            {
                return ConsentEntryKind.HubMethod;
            }
        }

        if (_hostedService is not null)
        {
            foreach (var implemented in method.ContainingType.AllInterfaces)
            {
                if (Is(implemented, _hostedService))
                {
                    return ConsentEntryKind.Background;
                }
            }
        }

        return ConsentEntryKind.Unclassified;
    }

    /// <summary>Whether framework-level handling (<paramref name="scopes"/>, filter attributes) covers <paramref name="entry"/>.</summary>
    public bool IsCovered(ISymbol entry, ConsentScope scopes, FrameworkConsentHandlers handlers) => Classify(entry) switch
    {
        ConsentEntryKind.Unclassified => scopes != ConsentScope.None,
        ConsentEntryKind.HttpEndpoint => (scopes & ConsentScope.HttpPipeline) != 0,
        ConsentEntryKind.ControllerAction => (scopes & (ConsentScope.HttpPipeline | ConsentScope.MvcActions)) != 0
            || handlers.HasConsentFilterAttribute(entry)
            || (entry.ContainingType is { } controller && handlers.HasConsentFilterAttribute(controller)),
        ConsentEntryKind.McpTool => (scopes & ConsentScope.McpToolCalls) != 0,
        ConsentEntryKind.KernelFunction => (scopes & ConsentScope.KernelFunctions) != 0,
        ConsentEntryKind.AiFunction => (scopes & ConsentScope.AiFunctions) != 0,
        _ => false,
    };

    /// <summary>A POCO controller: <c>[ApiController]</c> or <c>[Controller]</c> without deriving from <c>ControllerBase</c>.</summary>
    private static bool IsMarkedController(INamedTypeSymbol type)
    {
        foreach (var attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "ApiControllerAttribute" or "ControllerAttribute" } attributeClass
                && attributeClass.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Mvc")
            {
                return true;
            }
        }

        return false;
    }

    private static bool Is(INamedTypeSymbol type, INamedTypeSymbol? expected) =>
        expected is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expected);
}
