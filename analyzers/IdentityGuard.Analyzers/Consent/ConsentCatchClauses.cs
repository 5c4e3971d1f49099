using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.Consent;

/// <summary>
/// What counts as handling consent in a <c>catch</c> clause, and what counts as testing an exception for
/// <c>ConsentRequiredException</c>. Handling means the clause can turn the requirement into something its user sees:
/// it catches the exception (by its type, an IdentityGuard base type, or a general type whose filter or body tests
/// for it positively) and does not merely pass it on (log and rethrow).
/// </summary>
internal static class ConsentCatchClauses
{
    /// <summary>Whether <paramref name="clause"/> handles consent (see the type's summary).</summary>
    public static bool HandlesConsent(ICatchClauseOperation clause, INamedTypeSymbol consentRequired)
    {
        if (AlwaysRethrows(clause))
        {
            return false;
        }

        var caught = clause.ExceptionType;
        if (SymbolEqualityComparer.Default.Equals(caught, consentRequired))
        {
            return true;
        }

        // A filter that looks for consent (TryFind, or a positive type test) handles it whatever the caught type:
        // TryFind is how the exception wrapped by Refit and other HTTP clients is looked into.
        if (TestsPositively(clause.Filter, consentRequired, includeTryFind: true))
        {
            return true;
        }

        if (IsConsentBaseType(caught, consentRequired))
        {
            // catch (CredentialUnavailableException e) when (e is not ConsentRequiredException): a filter that tests the
            // exception's type and did not test positively for consent (above) lets consent through.
            return clause.Filter is null || !TestsAnyType(clause.Filter);
        }

        return IsGeneralCatchType(caught) && TestsPositively(clause.Handler, consentRequired, includeTryFind: true);
    }

    /// <summary>
    /// An <c>is</c> test, or a type, declaration or property pattern, for <c>ConsentRequiredException</c>;
    /// <paramref name="negated"/> when it sits under <c>not</c> (<c>ex is not ConsentRequiredException</c>).
    /// </summary>
    public static bool IsConsentTypeTest(IOperation operation, INamedTypeSymbol consentRequired, out bool negated)
    {
        negated = false;
        ITypeSymbol? tested = operation switch
        {
            IIsTypeOperation isType => isType.TypeOperand,
            IDeclarationPatternOperation declaration => declaration.MatchedType,
            ITypePatternOperation typePattern => typePattern.MatchedType,
            IRecursivePatternOperation recursive => recursive.MatchedType,
            _ => null,
        };
        if (!SymbolEqualityComparer.Default.Equals(tested, consentRequired))
        {
            return false;
        }

        if (operation is IIsTypeOperation { IsNegated: true })
        {
            negated = true;
        }

        for (var parent = operation.Parent; parent is IPatternOperation or IIsPatternOperation; parent = parent.Parent)
        {
            if (parent is INegatedPatternOperation)
            {
                negated = !negated;
            }
        }

        return true;
    }

    /// <summary><c>ConsentRequiredException.TryFind(…)</c>.</summary>
    public static bool IsTryFind(IOperation operation, INamedTypeSymbol consentRequired) =>
        operation is IInvocationOperation { TargetMethod.Name: "TryFind" } invocation
        && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, consentRequired);

    /// <summary>Whether <paramref name="operation"/> sits in the filter (<c>when (…)</c>) of a catch clause.</summary>
    public static bool InCatchFilter(IOperation operation)
    {
        var current = operation;
        for (var parent = operation.Parent; parent is not null; current = parent, parent = parent.Parent)
        {
            if (parent is ICatchClauseOperation clause)
            {
                return ReferenceEquals(clause.Filter, current);
            }

            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary><paramref name="type"/> is an IdentityGuard base type of <c>ConsentRequiredException</c> (not <c>Exception</c> itself, nor the type).</summary>
    public static bool IsConsentBaseType(ITypeSymbol? type, INamedTypeSymbol consentRequired)
    {
        for (var current = consentRequired.BaseType; current is not null; current = current.BaseType)
        {
            if (IsGeneralCatchType(current))
            {
                return false;
            }

            if (SymbolEqualityComparer.Default.Equals(current, type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TestsPositively(IOperation? operation, INamedTypeSymbol consentRequired, bool includeTryFind)
    {
        if (operation is null)
        {
            return false;
        }

        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if ((IsConsentTypeTest(descendant, consentRequired, out var negated) && !negated)
                || (includeTryFind && IsTryFind(descendant, consentRequired))
                || NamesConsentType(descendant, consentRequired))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>typeof(ConsentRequiredException)</c>, or its name as a string (<c>ex.GetType().Name == "ConsentRequiredException"</c>).</summary>
    private static bool NamesConsentType(IOperation operation, INamedTypeSymbol consentRequired) => operation switch
    {
        ITypeOfOperation typeOf => SymbolEqualityComparer.Default.Equals(typeOf.TypeOperand, consentRequired),
        ILiteralOperation { ConstantValue: { HasValue: true, Value: string name } } =>
            name == consentRequired.Name || name == consentRequired.ToDisplayString(),
        _ => false,
    };

    private static bool TestsAnyType(IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (descendant is IIsTypeOperation or IDeclarationPatternOperation or ITypePatternOperation or IRecursivePatternOperation { MatchedType: not null })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsGeneralCatchType(ITypeSymbol? type) =>
        type is null
        || type.SpecialType == SpecialType.System_Object
        || type is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>
    /// The clause ends by throwing the caught exception again (<c>throw;</c> or <c>throw ex;</c>) and has no
    /// <c>return</c> on the way: whatever it logs, the requirement goes on unhandled.
    /// </summary>
    private static bool AlwaysRethrows(ICatchClauseOperation clause)
    {
        var operations = clause.Handler.Operations;
        if (operations.Length == 0)
        {
            return false;
        }

        var last = operations[operations.Length - 1];
        if (last is IExpressionStatementOperation statement)
        {
            last = statement.Operation;
        }

        if (last is not IThrowOperation @throw || !RethrowsCaught(@throw, clause))
        {
            return false;
        }

        foreach (var descendant in clause.Handler.Descendants())
        {
            if (descendant is IReturnOperation { Kind: OperationKind.Return } returned && !InNestedFunction(returned, clause.Handler))
            {
                return false;
            }
        }

        return true;
    }

    private static bool RethrowsCaught(IThrowOperation @throw, ICatchClauseOperation clause)
    {
        var thrown = @throw.Exception;
        while (thrown is IConversionOperation conversion)
        {
            thrown = conversion.Operand;
        }

        return thrown is null
            || (thrown is ILocalReferenceOperation local && clause.ExceptionDeclarationOrExpression is IVariableDeclaratorOperation declarator
                && SymbolEqualityComparer.Default.Equals(local.Local, declarator.Symbol));
    }

    private static bool InNestedFunction(IOperation operation, IOperation root)
    {
        for (var parent = operation.Parent; parent is not null && !ReferenceEquals(parent, root); parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }
}
