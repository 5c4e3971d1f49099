using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IdentityGuard.Analyzers.Consent;

/// <summary>
/// The names of the providers whose flow is <c>userFederation</c>, read from the generated manifest: the
/// <c>new ProviderDescriptor("Name", …) { Flow = OAuthFlow.UserFederation }</c> entries of the generated
/// <c>IdentityGuardRegistration</c> class.
/// </summary>
/// <remarks>
/// The generated manifest, not <c>identityguard.json</c>, because it is exactly what the runtime will run (the
/// generator resolved vendors and defaults, whatever file <c>IdentityGuardManifest</c> points at), it is present in
/// the IDE as in the build, and reading it needs no JSON parser: one syntax walk of one generated class, done once
/// per compilation and only after a candidate call (an accessor or <c>With…Token</c>) has been seen.
/// </remarks>
internal static class UserFederationProviders
{
    /// <summary>The generated class that holds the manifest and the <c>With…Token</c> wiring.</summary>
    public const string RegistrationTypeName = "IdentityGuardRegistration";

    public static ImmutableHashSet<string> Read(Compilation compilation, CancellationToken cancellationToken)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var symbol in compilation.GetSymbolsWithName(RegistrationTypeName, SymbolFilter.Type, cancellationToken))
        {
            foreach (var reference in symbol.DeclaringSyntaxReferences)
            {
                foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
                {
                    if (node is ObjectCreationExpressionSyntax creation && UserFederationProviderName(creation) is { } name)
                    {
                        names.Add(name);
                    }
                }
            }
        }

        return names.ToImmutable();
    }

    /// <summary><c>new …ProviderDescriptor("Crm", …) { Flow = …OAuthFlow.UserFederation }</c> → <c>Crm</c>.</summary>
    private static string? UserFederationProviderName(ObjectCreationExpressionSyntax creation)
    {
        if (RightmostName(creation.Type) != "ProviderDescriptor"
            || creation.ArgumentList is not { Arguments.Count: > 0 } arguments
            || arguments.Arguments[0].Expression is not LiteralExpressionSyntax literal
            || !literal.IsKind(SyntaxKind.StringLiteralExpression)
            || creation.Initializer is not { } initializer)
        {
            return null;
        }

        foreach (var expression in initializer.Expressions)
        {
            if (expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "Flow" } } assignment
                && RightmostName(assignment.Right) == "UserFederation")
            {
                return literal.Token.ValueText;
            }
        }

        return null;
    }

    private static string? RightmostName(SyntaxNode node) => node switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        _ => null,
    };
}
