using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace IdentityGuard.Analyzers.Secrets;

/// <summary>
/// Finds the name a value is bound to: the field, property, local, parameter, named argument,
/// assignment target, configuration or dictionary key, or anonymous-object member that receives it.
/// Walks only up, a few parents at most: no descendant walks on the hot path.
/// </summary>
internal static class SecretBinding
{
    /// <summary>How far a <c>return</c> may sit below the member it returns from.</summary>
    private const int MaxReturnDepth = 4;

    public static string? GetBoundName(SyntaxNode value, SemanticModel? model, CancellationToken cancellationToken)
    {
        var node = SkipTransparentParents(value);
        var parent = node.Parent;
        switch (parent)
        {
            case EqualsValueClauseSyntax equals:
                return equals.Parent switch
                {
                    VariableDeclaratorSyntax variable => variable.Identifier.ValueText,
                    PropertyDeclarationSyntax property => property.Identifier.ValueText,
                    ParameterSyntax parameter => parameter.Identifier.ValueText,
                    _ => null,
                };

            case ArrowExpressionClauseSyntax arrow:
                return MemberName(arrow.Parent);

            case ReturnStatementSyntax @return:
                return EnclosingMemberName(@return);

            case AssignmentExpressionSyntax assignment when assignment.Right == node:
                return TargetName(assignment.Left);

            case ArgumentSyntax argument:
                return ArgumentName(argument, model, cancellationToken);

            case AttributeArgumentSyntax attributeArgument:
                return attributeArgument.NameEquals?.Name.Identifier.ValueText
                    ?? attributeArgument.NameColon?.Name.Identifier.ValueText;

            case AnonymousObjectMemberDeclaratorSyntax member:
                return member.NameEquals?.Name.Identifier.ValueText;

            case InitializerExpressionSyntax initializer when initializer.IsKind(SyntaxKind.ComplexElementInitializerExpression):
                // { "ApiKey", "value" } in a dictionary initializer: the key names the value.
                return initializer.Expressions.Count == 2 && initializer.Expressions[1] == node
                    ? StringLiteralText(initializer.Expressions[0])
                    : null;

            case BinaryExpressionSyntax comparison when comparison.IsKind(SyntaxKind.EqualsExpression) || comparison.IsKind(SyntaxKind.NotEqualsExpression):
                // password == "…": a hardcoded value compared against a secret is a hardcoded secret.
                return TargetName(comparison.Left == node ? comparison.Right : comparison.Left);

            default:
                return null;
        }
    }

    /// <summary>Parentheses, casts, <c>!</c>, the fallback side of <c>??</c> and the branches of <c>?:</c> pass the value through.</summary>
    public static SyntaxNode SkipTransparentParents(SyntaxNode value)
    {
        var node = value;
        while (node.Parent is { } parent)
        {
            var passesThrough = parent switch
            {
                ParenthesizedExpressionSyntax => true,
                CastExpressionSyntax cast => cast.Expression == node,
                PostfixUnaryExpressionSyntax postfix => postfix.IsKind(SyntaxKind.SuppressNullableWarningExpression),
                BinaryExpressionSyntax coalesce => coalesce.IsKind(SyntaxKind.CoalesceExpression) && coalesce.Right == node,
                ConditionalExpressionSyntax conditional => conditional.Condition != node,
                _ => false,
            };

            if (!passesThrough)
            {
                break;
            }

            node = parent;
        }

        return node;
    }

    private static string? ArgumentName(ArgumentSyntax argument, SemanticModel? model, CancellationToken cancellationToken)
    {
        if (argument.NameColon is { } nameColon)
        {
            return nameColon.Name.Identifier.ValueText;
        }

        SeparatedSyntaxList<ArgumentSyntax> arguments;
        switch (argument.Parent)
        {
            case BaseArgumentListSyntax list:
                arguments = list.Arguments;
                break;
            case TupleExpressionSyntax tuple:
                arguments = tuple.Arguments;
                break;
            default:
                return null;
        }

        // new NetworkCredential("user", "…"): the parameter's name says what the value is. Only
        // reached for values that already look random, so the semantic query is rare.
        var parameterName = model is not null && argument.Parent is ArgumentListSyntax
            && model.GetOperation(argument, cancellationToken) is IArgumentOperation { Parameter: { } parameter }
            ? CredentialParameterName(parameter) ?? parameter.Name
            : null;

        // ("ApiKey", "value"), dict.Add("ApiKey", "value"), new KeyValuePair<…>("ApiKey", "value"),
        // Environment.SetEnvironmentVariable("API_KEY", "value"): in a key/value-shaped call (the
        // second parameter is called "value", or there is no method, as in a tuple) the key names the value.
        if (arguments.Count == 2 && arguments[1] == argument && StringLiteralText(arguments[0].Expression) is { } key
            && (parameterName is null || parameterName == "value"))
        {
            return key;
        }

        return parameterName;
    }

    /// <summary>
    /// Parameters of framework credential types whose own name does not say what they hold
    /// (<c>new AzureKeyCredential(key)</c>, <c>new AuthenticationHeaderValue(scheme, parameter)</c>): the name the value
    /// is bound to for IG0002. Keyed by the declaring type's full name and the parameter's name.
    /// </summary>
    private static readonly (string Type, string Parameter, string BoundName)[] CredentialParameters =
    {
        ("Azure.AzureKeyCredential", "key", "apiKey"),
        ("Azure.AzureNamedKeyCredential", "key", "accountKey"),
        ("Azure.AzureSasCredential", "signature", "sasToken"),
        ("System.ClientModel.ApiKeyCredential", "key", "apiKey"),
        ("System.Net.Http.Headers.AuthenticationHeaderValue", "parameter", "credentials"),
    };

    private static string? CredentialParameterName(IParameterSymbol parameter)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol { ContainingType: { } type })
        {
            return null;
        }

        foreach (var (typeName, parameterName, boundName) in CredentialParameters)
        {
            if (parameter.Name == parameterName && type.Name == typeName.Substring(typeName.LastIndexOf('.') + 1)
                && type.ToDisplayString() == typeName)
            {
                return boundName;
            }
        }

        return null;
    }

    private static string? TargetName(ExpressionSyntax target) => target switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        // config["Crm:ApiKey"] = "…", and ["ApiKey"] = "…" in a dictionary initializer.
        ElementAccessExpressionSyntax element => SingleKey(element.ArgumentList),
        ImplicitElementAccessSyntax implicitElement => SingleKey(implicitElement.ArgumentList),
        _ => null,
    };

    private static string? SingleKey(BracketedArgumentListSyntax arguments) =>
        arguments.Arguments.Count == 1 ? StringLiteralText(arguments.Arguments[0].Expression) : null;

    private static string? StringLiteralText(ExpressionSyntax expression) =>
        expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
            ? literal.Token.ValueText
            : null;

    private static string? MemberName(SyntaxNode? member) => member switch
    {
        PropertyDeclarationSyntax property => property.Identifier.ValueText,
        MethodDeclarationSyntax method => method.Identifier.ValueText,
        LocalFunctionStatementSyntax local => local.Identifier.ValueText,
        AccessorDeclarationSyntax accessor => (accessor.Parent?.Parent as PropertyDeclarationSyntax)?.Identifier.ValueText,
        _ => null,
    };

    private static string? EnclosingMemberName(SyntaxNode node)
    {
        var current = node.Parent;
        for (var depth = 0; current is not null && depth < MaxReturnDepth; depth++, current = current.Parent)
        {
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax:
                    return null;
                case MemberDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax:
                    return MemberName(current);
            }
        }

        return null;
    }
}
