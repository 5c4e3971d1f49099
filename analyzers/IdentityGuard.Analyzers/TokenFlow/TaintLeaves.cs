using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.TokenFlow;

/// <summary>
/// The innermost expressions that bring the token into a tainted value: the hole of an interpolated string, the
/// operand of a concatenation, the initializer of the one member of a returned object. Diagnostics point there,
/// and the code fix replaces exactly those expressions.
/// </summary>
internal static class TaintLeaves
{
    public static void Collect(IOperation operation, TaintState state, TaintPropagation propagation, List<IOperation> leaves)
    {
        switch (operation)
        {
            case IConversionOperation { IsImplicit: true } conversion:
                Collect(conversion.Operand, state, propagation, leaves);
                return;
            case IArrayCreationOperation { IsImplicit: true, Initializer: { } parameters }:
                // params object[] of a logging call: each element is an argument in the source.
                CollectEach(parameters.ElementValues, state, propagation, leaves);
                return;
            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation hole && propagation.Evaluate(hole.Expression, state) is not null)
                    {
                        leaves.Add(hole.Expression);
                    }
                }

                return;
            case IBinaryOperation binary when binary.Type?.SpecialType == SpecialType.System_String:
                CollectEach(new[] { binary.LeftOperand, binary.RightOperand }, state, propagation, leaves);
                return;
            case IAnonymousObjectCreationOperation anonymous:
                CollectInitializers(anonymous.Initializers, state, propagation, leaves, operation);
                return;
            case IObjectCreationOperation creation when !creation.Syntax.IsMissing:
                var before = leaves.Count;
                foreach (var argument in creation.Arguments)
                {
                    if (propagation.Evaluate(argument.Value, state) is not null)
                    {
                        Collect(argument.Value, state, propagation, leaves);
                    }
                }

                if (creation.Initializer is { } initializer)
                {
                    CollectInitializers(initializer.Initializers, state, propagation, leaves, null);
                }

                if (leaves.Count == before)
                {
                    leaves.Add(operation);
                }

                return;
            case ITupleOperation tuple:
                CollectEach(tuple.Elements, state, propagation, leaves);
                return;
            case IInvocationOperation invocation when propagation.PassedThrough(invocation, state) is { } passed:
                // Describe(token.RevealValue()): the token enters at the argument the helper returns.
                CollectEach(passed, state, propagation, leaves);
                return;
            default:
                leaves.Add(operation);
                return;
        }
    }

    private static void CollectEach(IEnumerable<IOperation> operands, TaintState state, TaintPropagation propagation, List<IOperation> leaves)
    {
        foreach (var operand in operands)
        {
            if (propagation.Evaluate(operand, state) is not null)
            {
                Collect(operand, state, propagation, leaves);
            }
        }
    }

    private static void CollectInitializers(IEnumerable<IOperation> initializers, TaintState state, TaintPropagation propagation, List<IOperation> leaves, IOperation? fallback)
    {
        var before = leaves.Count;
        foreach (var initializer in initializers)
        {
            if (initializer is IAssignmentOperation assignment && propagation.Evaluate(assignment.Value, state) is not null)
            {
                Collect(assignment.Value, state, propagation, leaves);
            }
        }

        if (leaves.Count == before && fallback is not null)
        {
            leaves.Add(fallback);
        }
    }

    /// <summary>The first leaf is the diagnostic's location; the others are its additional locations.</summary>
    public static Diagnostic CreateDiagnostic(DiagnosticDescriptor rule, List<IOperation> leaves, params object[] arguments)
    {
        var additional = new List<Location>(leaves.Count - 1);
        for (var i = 1; i < leaves.Count; i++)
        {
            additional.Add(leaves[i].Syntax.GetLocation());
        }

        return Diagnostic.Create(rule, leaves[0].Syntax.GetLocation(), additional, arguments);
    }
}
