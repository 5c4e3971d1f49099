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
}

/// <summary>The tool table resolved against one compilation.</summary>
internal sealed class ResolvedAgentTools
{
    private readonly HashSet<INamedTypeSymbol> _attributes = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _factories = new(SymbolEqualityComparer.Default);

    private ResolvedAgentTools(Compilation compilation)
    {
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

    /// <summary>The invocation is a tool factory (<c>AIFunctionFactory.Create</c>, …).</summary>
    public bool IsFactory(IInvocationOperation invocation) =>
        _factories.Count > 0 && _factories.Contains(invocation.TargetMethod.OriginalDefinition);

    /// <summary>
    /// Whether an anonymous function (seen anywhere: in the operation tree or in a control-flow graph) is the delegate
    /// argument of a tool factory: its parents are a delegate creation, maybe a conversion, an argument, the call.
    /// </summary>
    public bool IsToolDelegate(IOperation anonymousFunction)
    {
        if (_factories.Count == 0)
        {
            return false;
        }

        var parent = anonymousFunction.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation invocation } && IsFactory(invocation);
    }

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
