using System.Collections.Generic;
using System.Collections.Immutable;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// IG0300: at a sink call (<see cref="TokenSinks"/>), any argument that carries a token is reported, at the
/// expressions that bring the token in. One diagnostic per sink call.
/// </summary>
internal static class TokenLoggedRule
{
    /// <summary>Checks one operation (a sink call or an exception construction) against the current state.</summary>
    public static Diagnostic? Check(IOperation operation, TaintState state, TaintPropagation propagation, ResolvedTokenSinks sinks)
    {
        string? sink;
        ImmutableArray<IArgumentOperation> arguments;
        switch (operation)
        {
            case IInvocationOperation invocation:
                sink = sinks.Match(invocation);
                arguments = invocation.Arguments;
                break;
            case IObjectCreationOperation creation:
                sink = sinks.Match(creation);
                arguments = creation.Arguments;
                break;
            default:
                return null;
        }

        if (sink is null)
        {
            return null;
        }

        return TaintedArguments(arguments, state, propagation) is { } leaves ? TaintLeaves.CreateDiagnostic(Rules.TokenLogged, leaves, sink) : null;
    }

    /// <summary>The expressions that bring a token into any of <paramref name="arguments"/>, or null when none does.</summary>
    public static List<IOperation>? TaintedArguments(ImmutableArray<IArgumentOperation> arguments, TaintState state, TaintPropagation propagation)
    {
        if (state.IsEmpty && !AnyArgumentMayBeSource(arguments))
        {
            return null;
        }

        List<IOperation>? leaves = null;
        foreach (var argument in arguments)
        {
            if (propagation.Evaluate(argument.Value, state) is not null)
            {
                TaintLeaves.Collect(argument.Value, state, propagation, leaves ??= new List<IOperation>());
            }
        }

        return leaves is { Count: > 0 } ? leaves : null;
    }

    /// <summary>With nothing tainted yet, only an argument that is itself (or contains) a call or property read can be a source.</summary>
    private static bool AnyArgumentMayBeSource(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Value is not (ILiteralOperation or ILocalReferenceOperation or IParameterReferenceOperation or IDefaultValueOperation))
            {
                return true;
            }
        }

        return false;
    }
}
