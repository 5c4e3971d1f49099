using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.Descriptors;
using IdentityGuard.Analyzers.Scopes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IdentityGuard.Analyzers.CodeFixes.Scopes;

/// <summary>
/// Fix for IG0101 and IG0103 in C#: replace the broad scope in its string literal with one of the catalog's narrower
/// alternatives, one action per alternative (best first). Other scopes in a space-separated literal are kept; if the
/// alternative is already requested there, the broad scope is just removed.
/// </summary>
/// <remarks>
/// Only literals are rewritten (a scope that comes from a constant elsewhere is fixed at that constant). The manifest
/// (JSON) is not rewritten: the generated scope enum member keeps its name, so change the value there by hand.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NarrowScopeCodeFix))]
[Shared]
public sealed class NarrowScopeCodeFix : CodeFixProvider
{
    /// <summary>Equivalence keys end with the alternative's position, so "fix all" applies the same choice everywhere.</summary>
    internal const string EquivalenceKeyPrefix = "IdentityGuard.NarrowScope.";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(RuleIdentifiers.BroadScopeRequested, RuleIdentifiers.ReadWriteScope);

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
            if (!diagnostic.Location.IsInSource
                || !diagnostic.Properties.TryGetValue(ScopeDiagnostics.ScopeProperty, out var scope) || string.IsNullOrEmpty(scope)
                || !diagnostic.Properties.TryGetValue(ScopeDiagnostics.AlternativesProperty, out var joined) || string.IsNullOrEmpty(joined)
                || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not LiteralExpressionSyntax literal
                || !literal.IsKind(SyntaxKind.StringLiteralExpression))
            {
                continue;
            }

            var alternatives = joined!.Split(' ');
            for (var i = 0; i < alternatives.Length; i++)
            {
                var alternative = alternatives[i];
                context.RegisterCodeFix(
                    CodeAction.Create(
                        $"Request '{alternative}' instead of '{scope}'",
                        cancellationToken => ReplaceAsync(context.Document, literal, scope!, alternative, cancellationToken),
                        EquivalenceKeyPrefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    diagnostic);
            }
        }
    }

    /// <summary>The literal's scopes with <paramref name="scope"/> replaced by <paramref name="alternative"/> (once).</summary>
    internal static string Replace(string value, string scope, string alternative)
    {
        var scopes = new List<string>(value.Split(' '));
        var present = scopes.Contains(alternative);
        for (var i = 0; i < scopes.Count; i++)
        {
            if (string.Equals(scopes[i], scope, StringComparison.Ordinal))
            {
                if (present)
                {
                    scopes.RemoveAt(i--);
                }
                else
                {
                    scopes[i] = alternative;
                    present = true;
                }
            }
        }

        return string.Join(" ", scopes);
    }

    private static async Task<Document> ReplaceAsync(Document document, LiteralExpressionSyntax literal, string scope, string alternative, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var value = Replace(literal.Token.ValueText, scope, alternative);
        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(value))
            .WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root.ReplaceNode(literal, replacement));
    }
}
