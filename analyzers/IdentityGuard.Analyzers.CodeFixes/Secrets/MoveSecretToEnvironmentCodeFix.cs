using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace IdentityGuard.Analyzers.CodeFixes.Secrets;

/// <summary>
/// Fix for IG0001 and IG0002 on the initializer of a field, local or property: read the value from
/// an environment variable named after the symbol, and fail loudly when it is missing rather than
/// silently running without a credential.
/// </summary>
/// <remarks>
/// Offered only where the result compiles: the literal must be the whole initializer of a
/// string-typed declaration (a <c>const</c> becomes <c>static readonly</c> or a plain local);
/// parameter defaults and attribute arguments must stay constants, so they get no fix.
/// The removed value is still in version control history: rotate it.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MoveSecretToEnvironmentCodeFix))]
[Shared]
public sealed class MoveSecretToEnvironmentCodeFix : CodeFixProvider
{
    internal const string EquivalenceKey = "IdentityGuard.ReadSecretFromEnvironment";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.KnownFormatCredential, RuleIdentifiers.SecretNamedLiteral);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (FindValue(root, diagnostic) is not { } value || DeclaredName(value) is not { } name)
            {
                continue;
            }

            var variable = ToEnvironmentVariableName(name);
            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Read '{name}' from the environment variable {variable}",
                    cancellationToken => ReplaceAsync(context.Document, value, variable, cancellationToken),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>UPPER_SNAKE_CASE of the symbol's words: <c>crmClientSecret</c> → <c>CRM_CLIENT_SECRET</c>.</summary>
    internal static string ToEnvironmentVariableName(string name) =>
        string.Join("_", SecretNameClassifier.SplitWords(name).Select(word => word.ToUpperInvariant()));

    private static ExpressionSyntax? FindValue(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        return node switch
        {
            LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal,
            InterpolatedStringTextSyntax { Parent: InterpolatedStringExpressionSyntax interpolated } when interpolated.Contents.Count == 1 => interpolated,
            BinaryExpressionSyntax concatenation when concatenation.IsKind(SyntaxKind.AddExpression) => concatenation,
            _ => null,
        };
    }

    /// <summary>The field, local or property whose whole initializer is <paramref name="value"/>.</summary>
    private static string? DeclaredName(ExpressionSyntax value) => value.Parent switch
    {
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax variable } when IsStringDeclaration(variable) => variable.Identifier.ValueText,
        EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property } => property.Identifier.ValueText,
        ArrowExpressionClauseSyntax { Parent: PropertyDeclarationSyntax property } => property.Identifier.ValueText,
        _ => null,
    };

    private static bool IsStringDeclaration(VariableDeclaratorSyntax variable) =>
        variable.Parent is VariableDeclarationSyntax { Parent: FieldDeclarationSyntax or LocalDeclarationStatementSyntax };

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax value, string variable, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var variableLiteral = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(variable));
        var messageLiteral = SyntaxFactory.LiteralExpression(
            SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal($"Set the {variable} environment variable."));

        // global::-qualified so the fix compiles with or without 'using System;'; the simplifier
        // shortens the names where the usings allow it.
        var lookup = SyntaxFactory.ParseExpression("global::System.Environment.GetEnvironmentVariable(VARIABLE) ?? throw new global::System.InvalidOperationException(MESSAGE)");
        lookup = lookup.ReplaceNodes(
            lookup.DescendantNodes().OfType<IdentifierNameSyntax>().Where(identifier => identifier.Identifier.ValueText is "VARIABLE" or "MESSAGE"),
            (original, _) => original.Identifier.ValueText == "VARIABLE" ? variableLiteral : messageLiteral);
        lookup = lookup.ReplaceNodes(
            lookup.DescendantNodes().Where(node => node is QualifiedNameSyntax or AliasQualifiedNameSyntax or MemberAccessExpressionSyntax),
            (_, rewritten) => rewritten.WithAdditionalAnnotations(Simplifier.Annotation));
        var replacement = lookup
            .WithTriviaFrom(value)
            .WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);

        // A constant cannot hold a run-time value: a const field becomes static readonly, a const
        // local a plain local. Both edits are made on the declaration so they land in one tree.
        if (value.Parent?.Parent is VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: { } declaration } })
        {
            var updated = WithoutConst(declaration.ReplaceNode(value, replacement));
            return document.WithSyntaxRoot(root.ReplaceNode(declaration, updated));
        }

        return document.WithSyntaxRoot(root.ReplaceNode(value, replacement));
    }

    private static SyntaxNode WithoutConst(SyntaxNode declaration)
    {
        switch (declaration)
        {
            case FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.ConstKeyword):
                var modifiers = new List<SyntaxToken>();
                foreach (var modifier in field.Modifiers)
                {
                    if (modifier.IsKind(SyntaxKind.ConstKeyword))
                    {
                        modifiers.Add(SyntaxFactory.Token(modifier.LeadingTrivia, SyntaxKind.StaticKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)));
                        modifiers.Add(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.ReadOnlyKeyword, modifier.TrailingTrivia));
                    }
                    else
                    {
                        modifiers.Add(modifier);
                    }
                }

                return field.WithModifiers(SyntaxFactory.TokenList(modifiers));

            case LocalDeclarationStatementSyntax local when local.IsConst:
                var constKeyword = local.Modifiers.First(modifier => modifier.IsKind(SyntaxKind.ConstKeyword));
                var type = local.Declaration.Type.WithLeadingTrivia(constKeyword.LeadingTrivia);
                return local.WithModifiers(local.Modifiers.Remove(constKeyword)).WithDeclaration(local.Declaration.WithType(type));

            default:
                return declaration;
        }
    }
}
