using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// What makes a method or delegate an agent tool, whose result is serialized into the model's context and whose
/// parameters the model fills. A data table: attributes that mark tool methods, and factory methods whose
/// delegate argument becomes a tool.
/// </summary>
internal static class AgentTools
{
    /// <summary>Attributes that turn a method into a tool, prompt or resource served to a model.</summary>
    public static readonly ImmutableArray<string> Attributes = ImmutableArray.Create(
        "ModelContextProtocol.Server.McpServerToolAttribute",
        "ModelContextProtocol.Server.McpServerPromptAttribute",
        "ModelContextProtocol.Server.McpServerResourceAttribute",
        "Microsoft.SemanticKernel.KernelFunctionAttribute");

    /// <summary>(type, method) pairs whose <c>Delegate</c> argument becomes a tool.</summary>
    public static readonly ImmutableArray<(string TypeName, string MethodName)> Factories = ImmutableArray.Create(
        ("Microsoft.Extensions.AI.AIFunctionFactory", "Create"),
        ("ModelContextProtocol.Server.McpServerTool", "Create"),
        ("ModelContextProtocol.Server.McpServerPrompt", "Create"),
        ("ModelContextProtocol.Server.McpServerResource", "Create"),
        ("Microsoft.SemanticKernel.KernelFunctionFactory", "CreateFromMethod"));

    /// <summary>Minimal-API mapping methods whose <c>Delegate</c> argument is an HTTP endpoint: its result is the response.</summary>
    public static readonly ImmutableArray<(string TypeName, string MethodName)> EndpointMaps = ImmutableArray.Create(
        ("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions", "MapGet"),
        ("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions", "MapPost"),
        ("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions", "MapPut"),
        ("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions", "MapDelete"),
        ("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions", "MapPatch"),
        ("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions", "MapMethods"),
        ("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions", "Map"),
        ("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions", "MapFallback"));

    /// <summary>Public instance methods of classes derived from this are MVC actions, unless marked <see cref="NonActionAttribute"/>.</summary>
    public const string ControllerBase = "Microsoft.AspNetCore.Mvc.ControllerBase";

    public const string NonActionAttribute = "Microsoft.AspNetCore.Mvc.NonActionAttribute";
}

/// <summary>The tool table resolved against one compilation.</summary>
internal sealed class ResolvedAgentTools
{
    private readonly HashSet<INamedTypeSymbol> _attributes = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _factories = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _endpointMaps = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _controllerBase;
    private readonly INamedTypeSymbol? _nonAction;

    private ResolvedAgentTools(Compilation compilation)
    {
        foreach (var (typeName, methodName) in AgentTools.EndpointMaps)
        {
            foreach (var member in compilation.GetTypeByMetadataName(typeName)?.GetMembers(methodName) ?? ImmutableArray<ISymbol>.Empty)
            {
                if (member is IMethodSymbol)
                {
                    _endpointMaps.Add(member.OriginalDefinition);
                }
            }
        }

        _controllerBase = compilation.GetTypeByMetadataName(AgentTools.ControllerBase);
        _nonAction = compilation.GetTypeByMetadataName(AgentTools.NonActionAttribute);

        foreach (var name in AgentTools.Attributes)
        {
            if (compilation.GetTypeByMetadataName(name) is { } attribute)
            {
                _attributes.Add(attribute);
            }
        }

        foreach (var (typeName, methodName) in AgentTools.Factories)
        {
            if (compilation.GetTypeByMetadataName(typeName) is not { } type)
            {
                continue;
            }

            foreach (var member in type.GetMembers(methodName))
            {
                if (member is IMethodSymbol)
                {
                    _factories.Add(member.OriginalDefinition);
                }
            }
        }
    }

    public bool IsEmpty => _attributes.Count == 0 && _factories.Count == 0;

    public static ResolvedAgentTools Resolve(Compilation compilation) => new(compilation);

    /// <summary>The method carries a tool attribute.</summary>
    public bool IsToolMethod(ISymbol? symbol)
    {
        if (symbol is not IMethodSymbol method || _attributes.Count == 0)
        {
            return false;
        }

        foreach (var data in method.GetAttributes())
        {
            if (data.AttributeClass is { } attribute && _attributes.Contains(attribute.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Who receives what <paramref name="method"/> returns: the model (a tool method), an HTTP caller (a controller action), or nobody known.</summary>
    public ResultReceiver? ReceiverOf(IMethodSymbol? method)
    {
        if (method is null)
        {
            return null;
        }

        if (IsToolMethod(method))
        {
            return ResultReceiver.Tool(method.Name);
        }

        return IsControllerAction(method) ? ResultReceiver.Endpoint(method.ContainingType.Name + "." + method.Name) : null;
    }

    /// <summary>Who receives what an anonymous function returns: a tool factory's model, a mapped endpoint's caller, or nobody known.</summary>
    public ResultReceiver? ReceiverOfLambda(IOperation anonymousFunction)
    {
        if (DelegateArgumentOf(anonymousFunction) is not { } call)
        {
            return null;
        }

        var name = "lambda passed to " + call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name;
        if (IsFactory(call))
        {
            return ResultReceiver.Tool(name);
        }

        return _endpointMaps.Count > 0 && _endpointMaps.Contains((call.TargetMethod.ReducedFrom ?? call.TargetMethod).OriginalDefinition)
            ? ResultReceiver.Endpoint(name)
            : null;
    }

    private static IInvocationOperation? DelegateArgumentOf(IOperation anonymousFunction)
    {
        var parent = anonymousFunction.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation invocation } ? invocation : null;
    }

    /// <summary>A public instance method of a controller (a class derived from <c>ControllerBase</c>) not marked <c>[NonAction]</c>.</summary>
    private bool IsControllerAction(IMethodSymbol method)
    {
        if (_controllerBase is null || method.MethodKind != MethodKind.Ordinary || method.IsStatic
            || method.DeclaredAccessibility != Accessibility.Public || method.IsGenericMethod)
        {
            return false;
        }

        var derives = false;
        for (var type = method.ContainingType?.BaseType; type is not null && !derives; type = type.BaseType)
        {
            derives = SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _controllerBase);
        }

        if (!derives)
        {
            return false;
        }

        foreach (var data in method.GetAttributes())
        {
            if (_nonAction is not null && SymbolEqualityComparer.Default.Equals(data.AttributeClass, _nonAction))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The invocation is a tool factory (<c>AIFunctionFactory.Create</c>, …).</summary>
    public bool IsFactory(IInvocationOperation invocation) =>
        _factories.Count > 0 && _factories.Contains(invocation.TargetMethod.OriginalDefinition);

    /// <summary>The method a method-group argument of a factory call refers to, per delegate argument.</summary>
    public static IEnumerable<(IArgumentOperation Argument, IMethodSymbol Method)> MethodGroups(IInvocationOperation factoryCall)
    {
        foreach (var argument in factoryCall.Arguments)
        {
            var value = argument.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (value is IDelegateCreationOperation { Target: IMethodReferenceOperation reference })
            {
                yield return (argument, reference.Method);
            }
        }
    }

    /// <summary>Anonymous-function arguments of a factory call.</summary>
    public static IEnumerable<IAnonymousFunctionOperation> Lambdas(IInvocationOperation factoryCall)
    {
        foreach (var argument in factoryCall.Arguments)
        {
            var value = argument.Value;
            while (value is IConversionOperation conversion)
            {
                value = conversion.Operand;
            }

            if (value is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
            {
                yield return lambda;
            }
        }
    }
}
