using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.Validation;

/// <summary>
/// Recognizes validator delegates that accept everything. Deliberately narrow: only lambdas and anonymous methods
/// whose every return hands back an input unchanged, a constant, or an object parsed from the inputs, and that never
/// throw. A validator that can reject (returns false or null somewhere, throws, or returns anything computed) is
/// left alone, so a real check is never reported.
/// </summary>
internal static class AcceptingDelegates
{
    /// <summary>The lambda or anonymous method behind a delegate-valued expression, or null (method groups: <see cref="IsMethodReturningTrue"/>).</summary>
    public static IAnonymousFunctionOperation? LambdaOf(IOperation value)
    {
        while (true)
        {
            switch (value)
            {
                case IConversionOperation conversion:
                    value = conversion.Operand;
                    break;
                case IDelegateCreationOperation creation:
                    value = creation.Target;
                    break;
                case IAnonymousFunctionOperation lambda:
                    return lambda;
                default:
                    return null;
            }
        }
    }

    /// <summary>
    /// A method group (<c>Callback = AcceptAll</c>) naming a method of this compilation whose body is only
    /// <c>=> true</c> or <c>{ return true; }</c>. Read from its declaration's syntax alone: no binding of another body.
    /// </summary>
    public static bool IsMethodReturningTrue(IOperation value)
    {
        while (value is IConversionOperation or IDelegateCreationOperation)
        {
            value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
        }

        if (value is not IMethodReferenceOperation { Method: { DeclaringSyntaxReferences.Length: 1 } method })
        {
            return false;
        }

        var body = method.DeclaringSyntaxReferences[0].GetSyntax() switch
        {
            MethodDeclarationSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            MethodDeclarationSyntax { Body.Statements: { Count: 1 } statements } when statements[0] is ReturnStatementSyntax { Expression: { } returned } => returned,
            LocalFunctionStatementSyntax { ExpressionBody: { } arrow } => arrow.Expression,
            _ => null,
        };

        return body is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.TrueLiteralExpression);
    }

    /// <summary>Every return is the constant <c>true</c> and nothing throws: a certificate callback that trusts anyone.</summary>
    public static bool AlwaysReturnsTrue(IAnonymousFunctionOperation lambda) =>
        AllReturns(lambda, value => value.ConstantValue is { HasValue: true, Value: true });

    /// <summary>
    /// Every return accepts without having looked: <c>true</c>, a non-null constant, a parameter unchanged
    /// (<c>issuer</c>), or a token parsed from parameters (<c>new JsonWebToken(token)</c>, <c>handler.ReadJwtToken(token)</c>).
    /// </summary>
    public static bool AlwaysAccepts(IAnonymousFunctionOperation lambda) => AllReturns(lambda, IsAccepting);

    private static bool IsAccepting(IOperation value)
    {
        value = Unwrap(value);
        if (value.ConstantValue.HasValue)
        {
            return value.ConstantValue.Value is not (null or false);
        }

        return value switch
        {
            IParameterReferenceOperation => true,
            IObjectCreationOperation creation => OnlyInputs(creation.Arguments),
            IInvocationOperation invocation when invocation.TargetMethod.Name.StartsWith("Read", System.StringComparison.Ordinal) => OnlyInputs(invocation.Arguments),
            _ => false,
        };
    }

    private static bool OnlyInputs(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            var value = Unwrap(argument.Value);
            if (value is not IParameterReferenceOperation && !value.ConstantValue.HasValue)
            {
                return false;
            }
        }

        return true;
    }

    private static bool AllReturns(IAnonymousFunctionOperation lambda, System.Func<IOperation, bool> accepts)
    {
        var returns = 0;
        foreach (var operation in lambda.Body.Descendants())
        {
            switch (operation)
            {
                case IThrowOperation:
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    // A throw is a rejection path; nested functions would make "every return" ambiguous.
                    return false;
                case IReturnOperation { Kind: OperationKind.Return } @return:
                    if (@return.ReturnedValue is null || !accepts(@return.ReturnedValue))
                    {
                        return false;
                    }

                    returns++;
                    break;
            }
        }

        return returns > 0;
    }

    private static IOperation Unwrap(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value;
    }
}
