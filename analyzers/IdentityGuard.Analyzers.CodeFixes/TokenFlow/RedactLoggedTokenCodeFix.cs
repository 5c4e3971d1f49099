using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using IdentityGuard.Analyzers.Descriptors;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace IdentityGuard.Analyzers.CodeFixes.TokenFlow;

/// <summary>
/// Fix for IG0300: replace each expression that brings the token into the logged value with the text
/// <c>[redacted]</c>. A hole of an interpolated string becomes literal text; any other expression becomes the string
/// literal <c>"[redacted]"</c>, which keeps a structured-logging template's placeholders and arguments paired
/// (removing the argument would shift every later one, CA2017).
/// </summary>
/// <remarks>
/// Offered only where the result compiles: a replaced expression must be converted to <c>string</c> or
/// <c>object</c> at its position (a message, a <c>params object?[]</c> element, a tag value).
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RedactLoggedTokenCodeFix))]
[Shared]
public sealed class RedactLoggedTokenCodeFix : CodeFixProvider
{
    internal const string Redacted = "[redacted]";
    internal const string EquivalenceKey = "IdentityGuard.RedactLoggedToken";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.TokenLogged);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (FindTargets(root, model, diagnostic, context.CancellationToken) is { } targets)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Log \"" + Redacted + "\" instead of the token value",
                        cancellationToken => RedactAsync(context.Document, targets, cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The expressions to replace, or null when any of them cannot be replaced by a string.</summary>
    private static List<ExpressionSyntax>? FindTargets(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var targets = new List<ExpressionSyntax>();
        var locations = new List<Location> { diagnostic.Location };
        locations.AddRange(diagnostic.AdditionalLocations);
        foreach (var location in locations)
        {
            if (!location.IsInSource || location.SourceTree != root.SyntaxTree
                || root.FindNode(location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax expression)
            {
                return null;
            }

            if (expression.Parent is not InterpolationSyntax && !AcceptsString(model.GetTypeInfo(expression, cancellationToken).ConvertedType))
            {
                return null;
            }

            targets.Add(expression);
        }

        return targets;
    }

    private static bool AcceptsString(ITypeSymbol? type) =>
        type is not null && (type.SpecialType is SpecialType.System_String or SpecialType.System_Object);

    private static async Task<Document> RedactAsync(Document document, List<ExpressionSyntax> targets, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var holesByString = new Dictionary<InterpolatedStringExpressionSyntax, HashSet<InterpolationSyntax>>();
        foreach (var target in targets)
        {
            if (target.Parent is InterpolationSyntax { Parent: InterpolatedStringExpressionSyntax interpolated } hole)
            {
                if (!holesByString.TryGetValue(interpolated, out var holes))
                {
                    holesByString[interpolated] = holes = new HashSet<InterpolationSyntax>();
                }

                holes.Add(hole);
            }
            else
            {
                editor.ReplaceNode(
                    target,
                    SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(Redacted)).WithTriviaFrom(target));
            }
        }

        foreach (var pair in holesByString)
        {
            editor.ReplaceNode(pair.Key, WithHolesAsText(pair.Key, pair.Value));
        }

        return editor.GetChangedDocument();
    }

    /// <summary>
    /// The interpolated string with the given holes turned into the text <c>[redacted]</c>, merged with the text
    /// around them into one part (as the parser would produce it).
    /// </summary>
    private static InterpolatedStringExpressionSyntax WithHolesAsText(InterpolatedStringExpressionSyntax interpolated, HashSet<InterpolationSyntax> holes)
    {
        var contents = new List<InterpolatedStringContentSyntax>();
        var pendingText = new System.Text.StringBuilder();
        var pendingValue = new System.Text.StringBuilder();
        var hasPending = false;

        void Flush()
        {
            if (hasPending)
            {
                contents.Add(SyntaxFactory.InterpolatedStringText(
                    SyntaxFactory.Token(default, SyntaxKind.InterpolatedStringTextToken, pendingText.ToString(), pendingValue.ToString(), default)));
                pendingText.Clear();
                pendingValue.Clear();
                hasPending = false;
            }
        }

        foreach (var content in interpolated.Contents)
        {
            switch (content)
            {
                case InterpolatedStringTextSyntax text:
                    pendingText.Append(text.TextToken.Text);
                    pendingValue.Append(text.TextToken.ValueText);
                    hasPending = true;
                    break;
                case InterpolationSyntax hole when holes.Contains(hole):
                    pendingText.Append(Redacted);
                    pendingValue.Append(Redacted);
                    hasPending = true;
                    break;
                default:
                    Flush();
                    contents.Add(content);
                    break;
            }
        }

        Flush();
        return interpolated.WithContents(SyntaxFactory.List(contents));
    }
}
